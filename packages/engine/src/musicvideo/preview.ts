/**
 * Style preview: one photo → one small JPEG frame showing what a music video in a style and
 * aspect will look like (cover crop, the style's colour look, and its static layers: vignette,
 * letterbox, grain, VHS scanlines and noise). Audio-reactive and beat layers need a song and are
 * left out. One ffmpeg process renders any number of styles.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chain, filter, graph, type Filter, type FilterChain, type GraphChain } from '../ffmpeg/filtergraph.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import { needsDecorMask, postChains, writeDecorMask } from './overlays.js';
import { getStyle } from './styles.js';
import type { Aspect, Layer } from './timeline.js';

/** Default preview width in pixels. */
export const STYLE_PREVIEW_WIDTH = 320;

/** Layers a single still frame can show (the rest need audio, beats or text). */
const STATIC_LAYERS: ReadonlySet<Layer['type']> = new Set(['vignette', 'vhs', 'grain', 'letterbox']);

export interface StylePreviewOptions {
  /** Style preset id; unknown ids throw UnknownStyleError. */
  style: string;
  aspect: Aspect;
  /** Output width (even, default 320); the height follows the aspect. */
  width?: number;
  signal?: AbortSignal;
  binaries?: FfmpegBinaries;
}

export interface StylePreview {
  jpeg: Buffer;
  width: number;
  height: number;
}

/** Output size for an aspect at a width: both even (yuv420p). */
export function previewSize(aspect: Aspect, width = STYLE_PREVIEW_WIDTH): { width: number; height: number } {
  const [aw, ah] = aspect.split(':').map(Number) as [number, number];
  const w = Math.max(16, 2 * Math.round(width / 2));
  return { width: w, height: Math.max(16, 2 * Math.round((w * ah) / aw / 2)) };
}

/**
 * Renders `input` (an upright still ffmpeg can decode: JPEG, PNG, WebP) as the first frame of a
 * shot in `style`, cover-cropped to `aspect`, as JPEG bytes.
 */
export async function renderStylePreview(input: string, opts: StylePreviewOptions): Promise<StylePreview> {
  const { style, ...rest } = opts;
  const [one] = await renderStylePreviews(input, { ...rest, styles: [style] });
  return one!.preview;
}

export interface StylePreviewsOptions extends Omit<StylePreviewOptions, 'style'> {
  /** Style preset ids; unknown ids throw UnknownStyleError before anything runs. */
  styles: readonly string[];
}

/**
 * The same photo in several styles with ONE ffmpeg process: the photo is decoded, scaled and
 * cropped once, split, and each branch gets its style's look and layers (a picker shows all
 * styles at once, and process start-up dominates the cost of a small frame).
 */
export async function renderStylePreviews(
  input: string,
  opts: StylePreviewsOptions,
): Promise<Array<{ style: string; preview: StylePreview }>> {
  const styles = opts.styles.map((id) => getStyle(id));
  if (styles.length === 0) return [];
  const { width, height } = previewSize(opts.aspect, opts.width);
  const tmp = await mkdtemp(join(tmpdir(), 'clipmix-preview-'));
  try {
    const base: Array<Filter | FilterChain> = [
      filter('scale', { w: width, h: height, force_original_aspect_ratio: 'increase', flags: 'lanczos' }),
      filter('crop', { w: width, h: height }),
      // Transparency is flattened onto black, as the renderer does.
      filter('format', { pix_fmts: 'gbrap' }),
      filter('premultiply', { inplace: 1 }),
      filter('format', { pix_fmts: 'gbrp' }),
    ];
    const chains: GraphChain[] = [];
    const branches = styles.map((_, i) => `in${i}`);
    chains.push({ inputs: ['0:v'], filters: styles.length > 1 ? [chain(...base), filter('split', { outputs: styles.length })] : [chain(...base)], outputs: branches });
    const outputs: string[] = [];
    for (const [i, style] of styles.entries()) {
      const layers = style.layers.filter((l) => STATIC_LAYERS.has(l.type));
      const decorMask = needsDecorMask(layers) ? join(tmp, `decor-${i}.y4m`) : undefined;
      if (decorMask) await writeDecorMask(decorMask, width, height, layers);
      const look: Array<Filter | FilterChain> = style.look.filter ? [style.look.filter as FilterChain] : [];
      chains.push({ inputs: [branches[i]!], filters: [...look, filter('format', { pix_fmts: 'yuv420p' }), filter('setsar', { sar: 1 })], outputs: [`shot${i}`] });
      const post = postChains(`shot${i}`, `out${i}`, {
        layers, width, height, t0: 0, seconds: 1, frames: 1, beats: [], downbeats: [], cards: [],
        ...(decorMask ? { decorMask } : {}),
      });
      chains.push(...prefixLabels(post, `s${i}_`, new Set([`shot${i}`, `out${i}`])));
      outputs.push(join(tmp, `preview-${i}.jpg`));
    }
    const args = ['-i', localPath(input), '-filter_complex', graph(chains)];
    outputs.forEach((file, i) => args.push('-map', `[out${i}]`, '-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '4', '-update', '1', '-f', 'image2', localPath(file)));
    await runFfmpeg(args, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.binaries ? { binaries: opts.binaries } : {}) });
    return await Promise.all(
      styles.map(async (style, i) => {
        const jpeg = await readFile(outputs[i]!).catch(() => Buffer.alloc(0));
        if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error(`ffmpeg produced no preview frame for ${style.id}`);
        return { style: style.id, preview: { jpeg, width, height } };
      }),
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Renames a chain list's internal pad labels so several copies can live in one graph. */
function prefixLabels(chains: GraphChain[], prefix: string, keep: ReadonlySet<string>): GraphChain[] {
  const rename = (l: string) => (keep.has(l) ? l : `${prefix}${l}`);
  return chains.map((c) => ({
    filters: c.filters,
    ...(c.inputs ? { inputs: c.inputs.map(rename) } : {}),
    ...(c.outputs ? { outputs: c.outputs.map(rename) } : {}),
  }));
}
