/**
 * The media module's use of @clipmix/engine: re-exports what validation and processing call, plus
 * one decode check built on the engine's streamFfmpeg.
 */
import { FfmpegError, isAbortError, streamFfmpeg } from '@clipmix/engine';

export { computeWaveformPeaks, displayDimensions, extractVideoFrame, probe, ProbeError, type MediaInfo } from '@clipmix/engine';

export interface DecodeResult {
  /** ffmpeg exited successfully. */
  ok: boolean;
  audioFrames: number;
  videoFrames: number;
}

/**
 * Decodes `seconds` of the first video and first audio stream starting at `startSeconds` and
 * counts the decoded frames of each (ffmpeg's framecrc muxer prints one line per frame). A file
 * whose data ends before its declared duration decodes no frame near that end; a corrupt one
 * makes ffmpeg fail.
 */
export async function decodeFrames(
  file: string,
  opts: { startSeconds: number; seconds: number; audio: boolean; video: boolean; signal?: AbortSignal },
): Promise<DecodeResult> {
  const args: string[] = [];
  if (opts.startSeconds > 0) args.push('-ss', opts.startSeconds.toFixed(3));
  args.push('-i', file, '-t', String(opts.seconds));
  // Output stream 0 is the video when mapped, then the audio.
  if (opts.video) args.push('-map', '0:v:0');
  if (opts.audio) args.push('-map', '0:a:0');
  args.push('-f', 'framecrc', 'pipe:1');

  let audioFrames = 0;
  let videoFrames = 0;
  let partial = '';
  const count = (line: string) => {
    if (!line || line.startsWith('#')) return;
    const idx = Number(line.slice(0, line.indexOf(',')));
    if (opts.video && idx === 0) videoFrames++;
    else if (Number.isInteger(idx)) audioFrames++;
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
  return { ok, audioFrames, videoFrames };
}
