/** One video frame → a JPEG/WebP/PNG still, scaled down to fit. */
import { rm, stat } from 'node:fs/promises';
import { filter, chain } from '../ffmpeg/filtergraph.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import { imageEncoderArgs } from './image-codec.js';

export interface ExtractVideoFrameOptions {
  /** Largest output width; smaller frames are not enlarged. */
  maxWidth: number;
  /** Largest output height, if the height should be bounded too. */
  maxHeight?: number;
  signal?: AbortSignal;
  binaries?: FfmpegBinaries;
}

/** The input has no video frame at the requested time (for instance, past its end). */
export class FrameExtractionError extends Error {
  override name = 'FrameExtractionError';
}

/**
 * Write the frame shown at `atSeconds` to `output` (.jpg/.jpeg, .webp or .png). The frame is
 * display-oriented (rotation applied), square-pixel, and scaled to fit the bounds keeping its aspect.
 */
export async function extractVideoFrame(
  input: string,
  atSeconds: number,
  output: string,
  opts: ExtractVideoFrameOptions,
): Promise<void> {
  if (!(Number.isFinite(atSeconds) && atSeconds >= 0)) throw new RangeError(`invalid time: ${atSeconds}`);
  if (!(opts.maxWidth >= 1)) throw new RangeError(`invalid maxWidth: ${opts.maxWidth}`);
  if (opts.maxHeight !== undefined && !(opts.maxHeight >= 1)) throw new RangeError(`invalid maxHeight: ${opts.maxHeight}`);
  const encoder = imageEncoderArgs(output);

  // Scale factor so the square-pixel frame (iw*sar × ih) fits the bounds, never above 1.
  const widthFit = `${opts.maxWidth}/(iw*sar)`;
  const fit = opts.maxHeight === undefined ? `min(1,${widthFit})` : `min(1,min(${widthFit},${opts.maxHeight}/ih))`;
  const scale = chain(
    filter('scale', { w: `max(1,round(iw*sar*${fit}))`, h: `max(1,round(ih*${fit}))` }),
    filter('setsar', { sar: 1 }),
  );

  await rm(output, { force: true });
  await runFfmpeg(
    ['-ss', String(atSeconds), '-i', localPath(input), '-map', '0:v:0', '-frames:v', '1', '-vf', scale,
      '-update', '1', ...encoder, '-f', 'image2', localPath(output)],
    { signal: opts.signal, binaries: opts.binaries },
  );
  // ffmpeg succeeds without writing anything when the seek lands past the last frame.
  const written = await stat(output).catch(() => undefined);
  if (!written || written.size === 0) {
    throw new FrameExtractionError(`no video frame at ${atSeconds}s in ${input}`);
  }
}
