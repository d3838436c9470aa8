/**
 * The one music-video pipeline shared by `clipmix render` and the `music_video` job handler:
 * (audio, photos, clips, options) → analysis → plan → MP4 (+ optional watermark pass) → poster
 * and timeline JSON. A render that works in `clipmix render` works the same in a worker.
 *
 * Everything heavy happens in ffmpeg child processes (the engine renderer streams); Node holds
 * only the analysis and the plan. `signal` cancels every step.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import {
  analyzeAudio,
  AudioDecodeError,
  chain,
  extractVideoFrame,
  filter,
  drawtextTextfile,
  localPath,
  displayDimensions,
  LyricsParseError,
  PlanError,
  planMusicVideo,
  probe,
  renderMusicVideo,
  runFfmpeg,
  styleIds,
  UnknownStyleError,
  type Aspect,
  type AudioAnalysis,
  type LyricsInput,
  type PlannerMedia,
  type Resolution,
  type Timeline,
} from '@clipmix/engine';
import { cardFontFile } from '@clipmix/engine/musicvideo/fonts';
import { videoEncoderArgs } from '@clipmix/engine/musicvideo/render';
import { collectGarbageNow } from '../../platform/memory.js';

export const ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const satisfies readonly Aspect[];
export const RESOLUTION_NAMES = ['480p', '720p', '1080p'] as const satisfies readonly Resolution[];
export const MAX_IMAGES = 200;
export const MAX_CLIPS = 50;
export const PHOTO_ORDERS = ['user', 'auto'] as const;
export type PhotoOrder = (typeof PHOTO_ORDERS)[number];

/** Bad input for a music video: the message is one line a user can act on. */
export class MusicVideoInputError extends Error {
  override name = 'MusicVideoInputError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PipelineMedia {
  path: string;
  /** Upright size when already known (uploads record it); otherwise read from the file. */
  width?: number;
  height?: number;
  /** Clips only. */
  durationSeconds?: number;
}

export interface MusicVideoRequest {
  audioPath: string;
  images: PipelineMedia[];
  clips?: PipelineMedia[];
  style?: string;
  aspect?: Aspect;
  resolution?: Resolution;
  lyrics?: LyricsInput;
  title?: string;
  seed?: number;
  /** 'user' (default): photos in the order given; 'auto': a seeded shuffle. */
  photoOrder?: PhotoOrder;
  /** Burned-in text in a corner (test-mode outputs: "TEST"). */
  watermark?: string;
}

export type PipelineStage = 'analyzing' | 'planning' | 'rendering' | 'finishing';

export interface PipelineOptions {
  /** Where the MP4 is written. */
  output: string;
  /** Scratch space (created; subdirectories removed afterwards). */
  workDir: string;
  /** Also write a JPEG poster here. */
  posterPath?: string;
  /** Also write the timeline JSON here. */
  timelinePath?: string;
  /** Names published in the timeline for input paths (default: the file's base name). */
  mediaNames?: ReadonlyMap<string, string>;
  signal?: AbortSignal;
  /** Overall fraction 0..1 (never decreasing) with the current stage. */
  onProgress?: (fraction: number, stage: PipelineStage) => void;
}

export interface PipelineResult {
  output: string;
  durationSeconds: number;
  width: number;
  height: number;
  frames: number;
  timeline: Timeline;
  analysis: AudioAnalysis;
  posterPath?: string;
  poster?: { width: number; height: number };
  timelinePath?: string;
  timings: { analyzeMs: number; planMs: number; renderMs: number; finishMs: number };
}

/** Progress shares of the stages (analysis is quick; the render dominates). */
const SHARE = { analyze: 0.1, render: 0.95 } as const;
/** Formats the renderer reads directly; anything else (or a rotated/CMYK photo) is normalised. */
const DIRECT_FORMATS = new Set(['jpeg', 'png', 'webp']);
const POSTER_MAX_SIDE = 1280;

export function knownStyles(): string[] {
  return styleIds();
}

/** Validates options that need no file access (CLI and API share the messages). */
export function checkOptions(req: Pick<MusicVideoRequest, 'style' | 'aspect' | 'resolution' | 'images' | 'clips'>): void {
  if (req.style !== undefined && !styleIds().includes(req.style as never)) {
    throw new MusicVideoInputError('unknown_style', `unknown style "${req.style}"; available styles: ${styleIds().join(', ')}`);
  }
  if (req.aspect !== undefined && !(ASPECT_RATIOS as readonly string[]).includes(req.aspect)) {
    throw new MusicVideoInputError('invalid_aspect_ratio', `unknown aspect ratio "${req.aspect}"; use ${ASPECT_RATIOS.join(', ')}`);
  }
  if (req.resolution !== undefined && !(RESOLUTION_NAMES as readonly string[]).includes(req.resolution)) {
    throw new MusicVideoInputError('invalid_resolution', `unknown resolution "${req.resolution}"; use ${RESOLUTION_NAMES.join(', ')}`);
  }
  if (req.images.length === 0) throw new MusicVideoInputError('no_images', 'at least one image is needed to make a music video');
  if (req.images.length > MAX_IMAGES) {
    throw new MusicVideoInputError('too_many_images', `at most ${MAX_IMAGES} images per music video (got ${req.images.length})`);
  }
  if ((req.clips?.length ?? 0) > MAX_CLIPS) {
    throw new MusicVideoInputError('too_many_clips', `at most ${MAX_CLIPS} video clips per music video (got ${req.clips!.length})`);
  }
}

/** Maps engine errors caused by the input to a MusicVideoInputError; others pass through. */
export function asInputError(err: unknown): unknown {
  if (err instanceof MusicVideoInputError) return err;
  if (err instanceof UnknownStyleError) return new MusicVideoInputError('unknown_style', err.message);
  if (err instanceof PlanError) return new MusicVideoInputError('plan_failed', err.message);
  if (err instanceof LyricsParseError) return new MusicVideoInputError('lyrics_invalid', `lyrics: ${err.message}`);
  if (err instanceof AudioDecodeError) return new MusicVideoInputError('audio_unreadable', `the audio could not be decoded: ${err.message}`);
  const name = (err as Error | undefined)?.name;
  if (name === 'PhotoReadError') return new MusicVideoInputError('image_unreadable', (err as Error).message);
  if (name === 'ProbeError') return new MusicVideoInputError('media_unreadable', (err as Error).message);
  return err;
}

export async function produceMusicVideo(req: MusicVideoRequest, opts: PipelineOptions): Promise<PipelineResult> {
  const { signal } = opts;
  checkOptions(req);
  let last = 0;
  const report = (f: number, stage: PipelineStage) => {
    const v = Math.max(last, Math.min(1, f));
    last = v;
    opts.onProgress?.(v, stage);
  };
  await mkdir(opts.workDir, { recursive: true });
  const normDir = path.join(opts.workDir, 'normalized');
  try {
    report(0, 'analyzing');
    const t0 = performance.now();
    const sourceOf = new Map<string, string>();
    const [analysis, media] = await Promise.all([
      analyzeAudio(req.audioPath, signal ? { signal } : {}).catch((err) => {
        throw asInputError(err);
      }),
      describeMedia(req, normDir, sourceOf, signal),
    ]);
    report(SHARE.analyze, 'planning');
    const t1 = performance.now();
    let timeline: Timeline;
    try {
      timeline = planMusicVideo({
        analysis,
        media,
        ...(req.style ? { style: req.style } : {}),
        aspect: req.aspect ?? '16:9',
        resolution: req.resolution ?? '720p',
        seed: req.seed ?? 1,
        ...(req.lyrics !== undefined ? { lyrics: req.lyrics } : {}),
        ...(req.title ? { title: req.title } : {}),
        ...(req.photoOrder ? { order: req.photoOrder } : {}),
      });
    } catch (err) {
      throw asInputError(err);
    }
    signal?.throwIfAborted();
    // The analysis leaves its PCM and spectrogram behind (~5 MB a minute of song) in
    // SharedArrayBuffers, which do not count towards V8's next collection: free them before the
    // render rather than whenever V8 next runs a major GC (see collectGarbageNow). ~30 ms.
    await collectGarbageNow();
    const t2 = performance.now();
    const watermark = req.watermark?.trim();
    const rendered = watermark ? path.join(opts.workDir, 'unmarked.mp4') : opts.output;
    const renderEnd = watermark ? SHARE.analyze + (SHARE.render - SHARE.analyze) * 0.8 : SHARE.render;
    report(SHARE.analyze, 'rendering');
    const result = await renderMusicVideo({
      timeline,
      audioPath: req.audioPath,
      output: rendered,
      workDir: opts.workDir,
      ...(signal ? { signal } : {}),
      onProgress: (f) => report(SHARE.analyze + (renderEnd - SHARE.analyze) * f, 'rendering'),
    }).catch((err) => {
      throw asInputError(err);
    });
    if (watermark) {
      await burnWatermark(rendered, opts.output, watermark, opts.workDir, result.durationSeconds, signal, (f) =>
        report(renderEnd + (SHARE.render - renderEnd) * f, 'rendering'),
      );
      await rm(rendered, { force: true });
    }
    const t3 = performance.now();
    report(SHARE.render, 'finishing');
    // What the render had to leave out (undrawable emoji, an audio/timeline length mismatch) is
    // published with the planner's notes, so the caller sees every compromise in one place.
    const renderNotes = result.warnings.filter((w) => !timeline.warnings.includes(w));
    if (renderNotes.length) timeline = { ...timeline, warnings: [...timeline.warnings, ...renderNotes] };

    const out: PipelineResult = {
      output: opts.output,
      durationSeconds: result.durationSeconds,
      width: timeline.width,
      height: timeline.height,
      frames: result.frames,
      timeline,
      analysis,
      timings: { analyzeMs: t1 - t0, planMs: t2 - t1, renderMs: t3 - t2, finishMs: 0 },
    };
    if (opts.posterPath) {
      await makePoster(opts.output, result.durationSeconds, opts.posterPath, signal);
      const meta = await sharp(opts.posterPath).metadata();
      out.posterPath = opts.posterPath;
      out.poster = { width: meta.width ?? 0, height: meta.height ?? 0 };
    }
    if (opts.timelinePath) {
      await writeFile(opts.timelinePath, `${JSON.stringify(timelineForOutput(timeline, publishedNames(sourceOf, opts.mediaNames)), null, 2)}\n`, 'utf8');
      out.timelinePath = opts.timelinePath;
    }
    out.timings.finishMs = performance.now() - t3;
    report(1, 'finishing');
    return out;
  } finally {
    await rm(normDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * The timeline as published (output role `timeline`, `--timeline-out`): the engine's Timeline
 * with local paths replaced by file names (a worker's temp paths mean nothing to the caller).
 */
export function timelineForOutput(t: Timeline, names?: ReadonlyMap<string, string>): Timeline {
  const name = (p: string) => names?.get(p) ?? path.basename(p);
  return {
    ...t,
    shots: t.shots.map((s) => ({ ...s, source: name(s.source) })),
    media: t.media.map((m) => ({ ...m, path: name(m.path) })),
    unused_media: t.unused_media.map((u) => ({ ...u, path: name(u.path) })),
  };
}

function publishedNames(sourceOf: ReadonlyMap<string, string>, names?: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [planned, original] of sourceOf) out.set(planned, names?.get(original) ?? path.basename(original));
  return out;
}

/** Sizes for the planner; photos ffmpeg would show wrongly (EXIF-rotated, CMYK, AVIF …) are re-encoded upright. */
async function describeMedia(req: MusicVideoRequest, normDir: string, sourceOf: Map<string, string>, signal?: AbortSignal): Promise<PlannerMedia[]> {
  const out: PlannerMedia[] = [];
  let n = 0;
  for (const img of req.images) {
    signal?.throwIfAborted();
    let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
    try {
      meta = await sharp(img.path, { limitInputPixels: 268_402_689 }).metadata();
    } catch (err) {
      throw new MusicVideoInputError('image_unreadable', `could not read the image ${path.basename(img.path)}: ${(err as Error).message}`);
    }
    const rotated = (meta.orientation ?? 1) > 1;
    const direct = DIRECT_FORMATS.has(meta.format ?? '') && !rotated && meta.space !== 'cmyk' && (meta.pages ?? 1) === 1;
    if (direct) {
      out.push({ path: img.path, kind: 'image', width: meta.width!, height: meta.height! });
      sourceOf.set(img.path, img.path);
      continue;
    }
    await mkdir(normDir, { recursive: true });
    const file = path.join(normDir, `${String(++n).padStart(4, '0')}-${path.parse(img.path).name}.png`);
    const info = await sharp(img.path, { limitInputPixels: 268_402_689 }).rotate().toColourspace('srgb').png({ compressionLevel: 1 }).toFile(file);
    out.push({ path: file, kind: 'image', width: info.width, height: info.height });
    sourceOf.set(file, img.path);
  }
  for (const clip of req.clips ?? []) {
    signal?.throwIfAborted();
    const info = await probe(clip.path, signal ? { signal } : {}).catch((err) => {
      throw new MusicVideoInputError('clip_unreadable', `could not read the clip ${path.basename(clip.path)}: ${(err as Error).message}`);
    });
    if (!info.video) throw new MusicVideoInputError('clip_unreadable', `${path.basename(clip.path)} has no video stream`);
    const shown = displayDimensions(info.video);
    sourceOf.set(clip.path, clip.path);
    out.push({ path: clip.path, kind: 'video', width: shown.width, height: shown.height, durationSeconds: info.durationSeconds ?? clip.durationSeconds ?? 0 });
  }
  return out;
}

/** A small "TEST" mark in the bottom-right corner, same encoder settings, audio copied. */
async function burnWatermark(
  input: string,
  output: string,
  text: string,
  workDir: string,
  durationSeconds: number,
  signal: AbortSignal | undefined,
  onProgress: (f: number) => void,
): Promise<void> {
  const fontfile = await cardFontFile(text);
  const textOpts = await drawtextTextfile(text, workDir);
  const vf = chain(
    filter('drawtext', {
      ...textOpts,
      fontfile: { path: fontfile },
      fontsize: 'h/18',
      fontcolor: 'white@0.8',
      box: 1,
      boxcolor: 'black@0.45',
      boxborderw: 8,
      x: 'w-tw-24',
      y: 'h-th-24',
    }),
  );
  const partial = `${output}.watermark.mp4`;
  try {
    await runFfmpeg(
      ['-i', localPath(input), '-map', '0:v:0', '-map', '0:a:0', '-vf', vf, ...videoEncoderArgs(), '-c:a', 'copy', '-movflags', '+faststart', '-f', 'mp4', localPath(partial)],
      { ...(signal ? { signal } : {}), durationSeconds, onProgress },
    );
    await rename(partial, output);
  } finally {
    await rm(partial, { force: true });
  }
}

/** A JPEG frame from about a third of the way in (past any title card), ≤ 1280 px. */
async function makePoster(video: string, durationSeconds: number, poster: string, signal?: AbortSignal): Promise<void> {
  const at = Math.max(0, Math.min(durationSeconds - 0.1, durationSeconds / 3));
  const o = { maxWidth: POSTER_MAX_SIDE, maxHeight: POSTER_MAX_SIDE, ...(signal ? { signal } : {}) };
  try {
    await extractVideoFrame(video, at, poster, o);
  } catch (err) {
    if ((err as Error)?.name !== 'FrameExtractionError') throw err;
    await extractVideoFrame(video, 0, poster, o);
  }
}
