/**
 * Run a local tool (fluidsynth, espeak-ng, ffmpeg) as a child process with an argument array —
 * never a shell. Collects stdout (optionally), keeps a bounded stderr, writes optional stdin, and
 * kills the child when the AbortSignal fires (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { AbortError, FfmpegError } from '../ffmpeg/errors.js';

export interface ToolRunOptions {
  signal?: AbortSignal;
  cwd?: string;
  stdin?: string | Buffer;
  /** Collect stdout and return it (default false: stdout is drained and dropped). */
  collectStdout?: boolean;
  /** Receive stdout chunks as they arrive (in addition to / instead of collecting). */
  onStdout?: (chunk: Buffer) => void;
  /** Bytes of stderr to keep (from the end). Default 64 KiB. */
  stderrLimit?: number;
}

export interface ToolResult {
  stdout: Buffer;
  stderr: string;
}

const KILL_GRACE_MS = 1500;

/** Every live child, so tests can check that cancelling leaves none behind. */
const live = new Set<number>();
export function liveToolPids(): number[] {
  return [...live];
}

export function runTool(command: string, args: readonly string[], opts: ToolRunOptions = {}): Promise<ToolResult> {
  const { signal } = opts;
  const limit = opts.stderrLimit ?? 64 * 1024;
  return new Promise<ToolResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError(undefined, { cause: signal.reason }));
      return;
    }
    const child = spawn(command, [...args], {
      cwd: opts.cwd,
      stdio: [opts.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    if (child.pid !== undefined) live.add(child.pid);
    const out: Buffer[] = [];
    let err = '';
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const onAbort = (): void => {
      aborted = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      if (child.pid !== undefined) live.delete(child.pid);
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (error) reject(error);
      else resolve({ stdout: Buffer.concat(out), stderr: err });
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout!.on('data', (chunk: Buffer) => {
      if (opts.collectStdout) out.push(chunk);
      opts.onStdout?.(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
      if (err.length > limit) err = err.slice(err.length - limit);
    });
    if (child.stdin) {
      // A tool that exits early closes its stdin; that EPIPE is reported by 'close', not here.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.stdin);
    }
    child.on('error', (error) => {
      if (child.pid === undefined) {
        settle(new FfmpegError(`could not start ${command}: ${error.message}`, null, '', null, { cause: error }));
      }
    });
    child.on('close', (code, exitSignal) => {
      if (aborted) return settle(new AbortError(undefined, { cause: signal?.reason }));
      if (code === 0) return settle(null);
      const lastLine = err.trimEnd().split('\n').pop()?.trim() ?? '';
      const how = code !== null ? `exited with code ${code}` : `was killed by ${exitSignal ?? 'a signal'}`;
      settle(new FfmpegError(`${basename(command)} ${how}${lastLine ? `: ${lastLine}` : ''}`, code, err.slice(-4096), exitSignal));
    });
  });
}

/** Run `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  const settled = await Promise.allSettled(workers);
  const rejection = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejection) throw rejection.reason;
  return results;
}
