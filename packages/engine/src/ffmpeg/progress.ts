/**
 * Incremental parser for ffmpeg's `-progress` output (`key=value` lines, blocks ending in
 * `progress=continue|end`). Turns `out_time_us` into a fraction of a known duration and reports it
 * clamped to 0..1 and never decreasing.
 */

export interface ProgressTracker {
  /** Feed raw text from the progress pipe (any chunking). */
  write(text: string): void;
  /** The run succeeded: report 1 if it was not reported yet. */
  complete(): void;
}

/** Partial lines longer than this are not progress output; they are dropped, not buffered. */
const MAX_LINE = 1024;

export function createProgressTracker(
  durationSeconds: number | undefined,
  onProgress: ((fraction: number) => void) | undefined,
): ProgressTracker {
  let pending = '';
  let reported = 0;
  let done = false;
  const total = durationSeconds !== undefined && Number.isFinite(durationSeconds) && durationSeconds > 0
    ? durationSeconds
    : undefined;

  const report = (fraction: number): void => {
    if (!onProgress || done) return;
    const f = Math.min(1, Math.max(0, fraction));
    if (f <= reported) return;
    reported = f;
    if (f === 1) done = true;
    onProgress(f);
  };

  const line = (text: string): void => {
    const eq = text.indexOf('=');
    if (eq < 0) return;
    const key = text.slice(0, eq).trim();
    const value = text.slice(eq + 1).trim();
    if (key === 'progress') {
      if (value === 'end') report(1);
      return;
    }
    // ffmpeg 5.1 prints both; despite its name out_time_ms is also in microseconds.
    if ((key === 'out_time_us' || key === 'out_time_ms') && total !== undefined) {
      const us = Number(value);
      if (Number.isFinite(us)) report(us / 1e6 / total);
    }
  };

  return {
    write(text: string): void {
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        line(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
      if (pending.length > MAX_LINE) pending = '';
    },
    complete(): void {
      if (pending) line(pending);
      pending = '';
      report(1);
    },
  };
}
