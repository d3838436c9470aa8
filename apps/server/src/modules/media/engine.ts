/**
 * The media module's use of @clipmix/engine: re-exports what validation and processing call, plus
 * one decode check built on the engine's streamFfmpeg.
 */
import { FfmpegError, isAbortError, streamFfmpeg } from '@clipmix/engine';

export { computeWaveformPeaks, displayDimensions, extractVideoFrame, probe, ProbeError, type MediaInfo } from '@clipmix/engine';

export interface DecodeCounts {
  /** ffmpeg exited successfully. */
  ok: boolean;
  /** Frames of the main stream (video if there is one, else audio) decoded from the start. */
  headFrames: number;
  /** Frames of the main stream decoded near the declared end (null when not checked). */
  tailFrames: number | null;
}

/**
 * Decodes one second from the start and (when `tailFrom` is set) one second from `tailFrom` of
 * the first video and first audio stream, in one ffmpeg run, and counts the decoded frames of the
 * main stream (ffmpeg's framecrc muxer prints one line per frame). A file whose data ends before
 * its declared duration decodes no frame near that end; a corrupt one decodes nothing or makes
 * ffmpeg fail.
 */
export async function decodeHeadAndTail(
  file: string,
  opts: { audio: boolean; video: boolean; tailFrom: number | null; signal?: AbortSignal },
): Promise<DecodeCounts> {
  const segments = opts.tailFrom === null ? 1 : 2;
  const args = ['-t', '1', '-i', file];
  if (opts.tailFrom !== null) args.push('-ss', opts.tailFrom.toFixed(3), '-t', '1', '-i', file);
  const perInput = (opts.video ? 1 : 0) + (opts.audio ? 1 : 0);
  for (let i = 0; i < segments; i++) {
    if (opts.video) args.push('-map', `${i}:v:0`);
    if (opts.audio) args.push('-map', `${i}:a:0`);
  }
  args.push('-f', 'framecrc', 'pipe:1');

  // Output stream index → segment; the main stream is the first one mapped from each input.
  const counts = [0, 0];
  let partial = '';
  const count = (line: string) => {
    if (!line || line.startsWith('#')) return;
    const idx = Number(line.slice(0, line.indexOf(',')));
    if (Number.isInteger(idx) && idx % perInput === 0) counts[Math.floor(idx / perInput)]! += 1;
  };
  let ok = true;
  try {
    await streamFfmpeg(args, {
      signal: opts.signal,
      onStdout: (chunk) => {
        const lines = (partial + chunk.toString('latin1')).split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(count);
      },
    });
  } catch (err) {
    if (isAbortError(err) || !(err instanceof FfmpegError)) throw err;
    // Could not start ffmpeg at all: a server problem, not a verdict on the file.
    if (err.exitCode === null && err.exitSignal === null) throw err;
    ok = false;
  }
  count(partial);
  return { ok, headFrames: counts[0]!, tailFrames: segments === 2 ? counts[1]! : null };
}
