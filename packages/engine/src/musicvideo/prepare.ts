/**
 * Preparing photos: each is decoded once and cut into plates — for each shot, the part of the
 * photo it shows, scaled to exactly the size it shows it at (colour look applied, transparency
 * flattened onto black) — written as raw Y4M frames that the shot chains read without decoding
 * cost. Several photos share one ffmpeg run (process start-up is a large part of the cost), and
 * big JPEGs are decoded at reduced resolution when that still gives enough pixels.
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { filter, graph, type GraphChain } from '../ffmpeg/filtergraph.js';
import { isAbortError } from '../ffmpeg/errors.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import { prepareStillFilter } from './shot-filters.js';

export interface PrepareOptions {
  look?: string;
  signal?: AbortSignal;
  binaries?: FfmpegBinaries;
  /** Photos per ffmpeg run, at most. */
  batch?: number;
  /** Estimated memory per ffmpeg run, at most (one photo per run when a photo alone exceeds it). */
  batchBytes?: number;
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

export interface PlateJob {
  source: string;
  /** Size of the source as stored (for choosing a reduced-resolution decode). */
  sourceWidth: number;
  sourceHeight: number;
  /** Plates cut from this photo: scaled to `scaleWidth`×`scaleHeight`, then cropped to `crop`. */
  plates: Array<{ path: string; scaleWidth: number; scaleHeight: number; crop: { x: number; y: number; w: number; h: number } }>;
}

/**
 * Prepares plates: each photo is decoded once per run and scaled once per distinct size (look
 * applied, transparency flattened), and every plate is a crop of that, written as a Y4M frame.
 * Up to `batch` photos (and `batchBytes` of estimated memory) share one ffmpeg run; runs are
 * sequential.
 */
export async function preparePlates(jobs: readonly PlateJob[], opts: PrepareOptions): Promise<void> {
  const size = Math.max(1, opts.batch ?? 4);
  const budget = opts.batchBytes ?? Infinity;
  const run = { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.binaries ? { binaries: opts.binaries } : {}) };
  const planned = await Promise.all(jobs.filter((j) => j.plates.length).map(async (job) => ({ job, jpeg: await isJpeg(job.source) })));
  const batches: Array<typeof planned> = [];
  let bytes = 0;
  for (const item of planned) {
    const cost = plateRunBytes(item.job, item.jpeg);
    const last = batches[batches.length - 1];
    if (last && last.length < size && bytes + cost <= budget) {
      last.push(item);
      bytes += cost;
    } else {
      batches.push([item]);
      bytes = cost;
    }
  }
  for (const batch of batches) {
    try {
      await runFfmpeg(plateArgs(batch, opts.look), run);
    } catch (error) {
      if (isAbortError(error)) throw error;
      for (const item of batch) {
        try {
          await runFfmpeg(plateArgs([item], opts.look), run);
        } catch (single) {
          if (isAbortError(single)) throw single;
          throw new PhotoReadError(item.job.source, { cause: single });
        }
      }
    }
    opts.onDone?.(batch.length);
  }
}

/** Reduced-resolution JPEG decoding (0, 1 or 2: 1/2^n of the size) that still gives enough pixels. */
function lowresFor(job: PlateJob, jpeg: boolean): number {
  if (!jpeg) return 0;
  const maxW = Math.max(...job.plates.map((p) => p.scaleWidth));
  const maxH = Math.max(...job.plates.map((p) => p.scaleHeight));
  const factor = Math.min(job.sourceWidth / maxW, job.sourceHeight / maxH);
  return factor >= 4 ? 2 : factor >= 2 ? 1 : 0;
}

/** Rough memory a photo takes in a run: decoded, scaled once per size (RGBA), its outputs. */
function plateRunBytes(job: PlateJob, jpeg: boolean): number {
  const decoded = (job.sourceWidth * job.sourceHeight) / 4 ** lowresFor(job, jpeg);
  const sizes = new Set(job.plates.map((p) => `${p.scaleWidth}x${p.scaleHeight}`));
  let scaled = 0;
  for (const s of sizes) {
    const [w, h] = s.split('x').map(Number) as [number, number];
    scaled += w * h;
  }
  return decoded * (jpeg ? 1.5 : 4) + scaled * 4 + job.plates.length * 512 * 1024;
}

function plateArgs(batch: Array<{ job: PlateJob; jpeg: boolean }>, look?: string): string[] {
  const args: string[] = [];
  const chains: GraphChain[] = [];
  const maps: string[] = [];
  batch.forEach(({ job, jpeg }, k) => {
    const sizes = [...new Set(job.plates.map((p) => `${p.scaleWidth}x${p.scaleHeight}`))];
    const lowres = lowresFor(job, jpeg);
    if (lowres) args.push('-lowres', String(lowres));
    args.push(...literalName(job.source), '-i', localPath(job.source));
    const decoded = sizes.length > 1 ? sizes.map((_, s) => `d${k}_${s}`) : [`${k}:v:0`];
    if (sizes.length > 1) chains.push({ inputs: [`${k}:v:0`], filters: [filter('split', { outputs: sizes.length })], outputs: decoded });
    sizes.forEach((sz, s) => {
      const [w, h] = sz.split('x').map(Number) as [number, number];
      const plates = job.plates.filter((p) => p.scaleWidth === w && p.scaleHeight === h);
      const scaled = `s${k}_${s}`;
      const outs = plates.length > 1 ? plates.map((_, q) => `c${k}_${s}_${q}`) : [scaled];
      chains.push({
        inputs: [decoded[s]!],
        filters: [prepareStillFilter({ width: w, height: h, alpha: !jpeg, ...(look ? { look } : {}) }), ...(plates.length > 1 ? [filter('split', { outputs: plates.length })] : [])],
        outputs: outs,
      });
      plates.forEach((p, q) => {
        const label = `p${k}_${s}_${q}`;
        chains.push({ inputs: [outs[q]!], filters: [filter('crop', { w: p.crop.w, h: p.crop.h, x: p.crop.x, y: p.crop.y, exact: 1 })], outputs: [label] });
        maps.push('-map', `[${label}]`, '-frames:v', '1', '-f', 'yuv4mpegpipe', '-strict', '-1', localPath(p.path));
      });
    });
  });
  args.push('-filter_complex', graph(chains), ...maps);
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
