/**
 * Preparing photos: each is decoded once and written, scaled to exactly the size its shots need
 * (colour look applied, transparency flattened onto black), as a raw Y4M frame that the shot
 * chains read without decoding cost. Several photos share one ffmpeg run (process start-up is a
 * large part of the cost), and big JPEGs are decoded at reduced resolution when that still
 * gives enough pixels.
 */
import { open } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { graph } from '../ffmpeg/filtergraph.js';
import { isAbortError } from '../ffmpeg/errors.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import type { PreparedStill } from './segment-graph.js';
import { prepareStillFilter } from './shot-filters.js';

export interface StillJob {
  source: string;
  /** Size of the source as stored (for choosing a reduced-resolution decode). */
  sourceWidth: number;
  sourceHeight: number;
  /** Size to prepare. */
  width: number;
  height: number;
}

export interface PrepareOptions {
  dir: string;
  look?: string;
  signal?: AbortSignal;
  binaries?: FfmpegBinaries;
  /** Photos per ffmpeg run. */
  batch?: number;
  /** Called after each ffmpeg run with the number of photos it prepared. */
  onDone?: (count: number) => void;
}

/** The photo could not be read as an image. */
export class PhotoReadError extends Error {
  override name = 'PhotoReadError';
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super(`could not read the photo ${path}`, options);
  }
}

let counter = 0;

export async function prepareStills(jobs: readonly StillJob[], opts: PrepareOptions): Promise<Map<string, PreparedStill>> {
  const out = new Map<string, PreparedStill>();
  const size = Math.max(1, opts.batch ?? 4);
  const run = { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.binaries ? { binaries: opts.binaries } : {}) };
  const planned = await Promise.all(jobs.map(async (job) => {
    const n = ++counter;
    return { job, jpeg: await isJpeg(job.source), path: join(opts.dir, `still-${n}.y4m`) };
  }));
  for (let i = 0; i < planned.length; i += size) {
    const batch = planned.slice(i, i + size);
    try {
      await runFfmpeg(batchArgs(batch, opts.look), run);
    } catch (error) {
      if (isAbortError(error)) throw error;
      // Find the photo that failed and say which.
      for (const item of batch) {
        try {
          await runFfmpeg(batchArgs([item], opts.look), run);
        } catch (single) {
          if (isAbortError(single)) throw single;
          throw new PhotoReadError(item.job.source, { cause: single });
        }
      }
    }
    for (const { job, path } of batch) out.set(job.source, { path, width: job.width, height: job.height });
    opts.onDone?.(batch.length);
  }
  return out;
}

function batchArgs(batch: Array<{ job: StillJob; jpeg: boolean; path: string }>, look?: string): string[] {
  const args: string[] = [];
  for (const { job, jpeg } of batch) {
    // JPEG can be decoded at 1/2 or 1/4 size directly (much faster) when that is still enough.
    const factor = Math.min(job.sourceWidth / job.width, job.sourceHeight / job.height);
    const lowres = jpeg ? (factor >= 4 ? 2 : factor >= 2 ? 1 : 0) : 0;
    if (lowres) args.push('-lowres', String(lowres));
    args.push(...literalName(job.source), '-i', localPath(job.source));
  }
  const filterComplex = graph(batch.map(({ job, jpeg }, k) => ({
    inputs: [`${k}:v:0`],
    filters: [prepareStillFilter({ width: job.width, height: job.height, alpha: !jpeg, ...(look ? { look } : {}) })],
    outputs: [`p${k}`],
  })));
  args.push('-filter_complex', filterComplex);
  batch.forEach(({ path }, k) => args.push('-map', `[p${k}]`, '-frames:v', '1', '-f', 'yuv4mpegpipe', '-strict', '-1', localPath(path)));
  return args;
}

/** Extensions for which ffmpeg picks its image-sequence reader (`image2`). */
const IMAGE2_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff', '.ppm', '.pgm', '.pam', '.tga', '.jp2']);

/**
 * ffmpeg's image-sequence reader treats `%` in a file name as a pattern (`%d`); `-pattern_type
 * none` makes the name literal. It is only valid for that reader, chosen by these extensions
 * (other names are identified by content, with no pattern expansion).
 */
export function literalName(path: string): string[] {
  return path.includes('%') && IMAGE2_EXTENSIONS.has(extname(path).toLowerCase()) ? ['-pattern_type', 'none'] : [];
}

/** JPEG by content (no alpha channel possible, reduced-resolution decoding available). */
async function isJpeg(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(3);
      await fh.read(head, 0, 3, 0);
      return head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}
