/**
 * Edit list → ONE ffmpeg command with one filtergraph. Pure: files and numbers in, arguments out
 * (text overlays arrive as already-written text files), so every graph can be checked without
 * running ffmpeg.
 *
 *   pieces (seek, trim, speed, normalise) → concat → effects in list order → watermark → caps
 *   → libx264 yuv420p + AAC, +faststart
 */
import { filter, graph, type Filter, type GraphChain } from '../ffmpeg/filtergraph.js';
import { localPath } from '../ffmpeg/tools.js';
import { fadeToBlackSeconds, lookFilters } from './filters.js';
import { applyGeometryOp, aspectRect, effectIntervals, even, planEdit, type EditPlan, type Frame, type Interval, type Piece, type PlannedEffect } from './model.js';
import { AUDIO_RATE, buildPieces, fpsString, num, type EditSourceInfo } from './pieces.js';
import { enableExpr, textOverlayFilter, watermarkFilter, type OverlayAssets } from './text-style.js';
import type { EditOperation } from './types.js';

export interface CompileEditInput {
  operations: readonly EditOperation[];
  /** `sources` followed by the `sourceMap` entries, in `keys` order. */
  sources: readonly EditSourceInfo[];
  sourceCount: number;
  keys: readonly string[];
  /** Text files and fonts of the text operations, by operation index. */
  texts: ReadonlyMap<number, OverlayAssets>;
  watermark?: OverlayAssets;
  maxHeight?: number;
  encoder?: { preset?: string; crf?: number };
  output: string;
  /** Read the graph from this file (`-filter_complex_script`); default: inline. */
  graphFile?: string;
  /** Compile one JPEG frame at output time `time` instead of the whole video. */
  preview?: { time: number; width?: number };
}

export interface CompiledEdit {
  graph: string;
  /** ffmpeg arguments after the global ones (`-hide_banner … -y`). */
  args: string[];
  durationSeconds: number;
  width: number;
  height: number;
  fps: string;
  plan: EditPlan;
  warnings: string[];
}

const DEFAULT_PRESET = 'veryfast';
const DEFAULT_CRF = 20;
/** Intervals this close to [0, total] cover the whole output: no `enable` needed. */
const WHOLE_TOLERANCE = 1e-3;

/** Half-open intervals as an `enable` expression; undefined when they cover the whole output. */
function coverage(intervals: readonly Interval[], total: number): string | undefined {
  const whole = intervals.length === 1 && intervals[0]!.start <= WHOLE_TOLERANCE && intervals[0]!.end >= total - WHOLE_TOLERANCE;
  return whole ? undefined : enableExpr(intervals);
}

export function compileEdit(input: CompileEditInput): CompiledEdit {
  const src0 = input.sources[0]!;
  const table = { count: input.sourceCount, keys: [...input.keys], durations: input.sources.map((s) => s.durationSeconds) };
  const canvas: Frame = { width: even(src0.width), height: even(src0.height) };
  const plan = planEdit(input.operations, table, canvas);
  const total = plan.duration;
  const fps = fpsString(src0.fps);
  const frameSeconds = 1 / rateValue(fps);
  const warnings: string[] = [];
  const preview = input.preview;

  const pieces: Piece[] = preview ? [previewPiece(plan.pieces, preview.time, frameSeconds)] : plan.pieces;
  const offset = preview ? Math.min(Math.max(0, preview.time), Math.max(0, total - frameSeconds)) : 0;
  // A preview decodes a handful of frames: one thread each starts faster than a thread pool.
  const built = buildPieces(pieces, input.sources, canvas, { withAudio: !preview, offset, ...(preview ? { decoderThreads: 1 } : {}) });
  const chains: GraphChain[] = [...built.chains];
  const inputArgs = [...built.inputArgs];
  let nextInput = built.inputCount;

  // Video: effects in list order on the joined stream.
  const video: Filter[] = [];
  const needsFps = !preview && plan.pieces.some((p) => p.speed !== 1 || fpsString(input.sources[p.source]!.fps) !== fps);
  if (needsFps) video.push(filter('fps', { fps }));
  for (const e of plan.effects) video.push(...videoEffect(e, plan, input, frameSeconds, warnings));
  if (input.watermark) video.push(watermarkFilter(input.watermark, plan.frame.height));
  let { width, height } = plan.frame;
  if (input.maxHeight !== undefined && height > input.maxHeight) {
    width = even((input.maxHeight * width) / height);
    height = even(input.maxHeight);
    video.push(filter('scale', { w: width, h: height }));
  }
  if (preview?.width !== undefined && preview.width !== width) {
    height = even((preview.width * height) / width);
    width = even(preview.width);
    video.push(filter('scale', { w: width, h: height }));
  }
  video.push(filter('format', { pix_fmts: preview ? 'yuvj420p' : 'yuv420p' }));
  chains.push({ inputs: [built.video], filters: video, outputs: ['vout'] });

  // Audio: mute/replace/mix and fades, in list order.
  let audioLabel = built.audio;
  if (!preview && audioLabel) {
    for (const e of plan.effects) {
      const step = audioEffect(e, plan, input, audioLabel, nextInput);
      if (!step) continue;
      chains.push(...step.chains);
      inputArgs.push(...step.inputArgs);
      if (step.inputArgs.length) nextInput++;
      audioLabel = step.output;
    }
  }

  const g = graph(chains);
  const graphArgs = input.graphFile ? ['-filter_complex_script', localPath(input.graphFile)] : ['-filter_complex', g];
  const args = preview
    ? ['-filter_threads', '1', ...inputArgs, ...graphArgs, '-map', '[vout]', '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-update', '1', localPath(input.output)]
    : [
        ...inputArgs,
        ...graphArgs,
        '-map', '[vout]', '-map', `[${audioLabel}]`,
        '-c:v', 'libx264', '-preset', input.encoder?.preset ?? DEFAULT_PRESET, '-crf', String(input.encoder?.crf ?? DEFAULT_CRF),
        '-pix_fmt', 'yuv420p', '-r', fps, '-fps_mode', 'cfr', '-g', String(Math.round(2 / frameSeconds)),
        '-c:a', 'aac', '-b:a', '192k', '-ar', String(AUDIO_RATE), '-ac', '2',
        '-t', num(total),
        '-movflags', '+faststart', '-f', 'mp4', localPath(input.output),
      ];
  return { graph: g, args, durationSeconds: total, width, height, fps, plan, warnings };
}

/** "30000/1001" → 29.97… */
function rateValue(rate: string): number {
  const [a, b] = rate.split('/').map(Number);
  return b ? a! / b : a!;
}

/** The piece playing at output time t, cut down to a few frames from t. */
function previewPiece(pieces: readonly Piece[], time: number, frameSeconds: number): Piece {
  const total = pieces.reduce((s, p) => s + (p.end - p.start) / p.speed, 0);
  const t = Math.min(Math.max(0, time), Math.max(0, total - frameSeconds));
  let offset = 0;
  for (const p of pieces) {
    const d = (p.end - p.start) / p.speed;
    if (t < offset + d || p === pieces[pieces.length - 1]) {
      const start = Math.min(p.end, p.start + Math.max(0, t - offset) * p.speed);
      return { ...p, start, end: Math.min(p.end, start + 4 * frameSeconds * p.speed) };
    }
    offset += d;
  }
  return pieces[0]!;
}

function videoEffect(e: PlannedEffect, plan: EditPlan, input: CompileEditInput, frameSeconds: number, warnings: string[]): Filter[] {
  const op = e.op;
  const total = plan.duration;
  switch (op.type) {
    case 'text': {
      const intervals = effectIntervals(plan, e, op.start, op.end);
      if (!intervals.length) {
        warnings.push(`operation ${e.index} (text): its time range was removed by a later operation`);
        return [];
      }
      const assets = input.texts.get(e.index);
      if (!assets) throw new TypeError(`no text file for operation ${e.index}`);
      return [textOverlayFilter(op, intervals, assets, e.frame.height)];
    }
    case 'filter': {
      const intervals = effectIntervals(plan, e, 0, e.stageDuration);
      if (!intervals.length) return [];
      const intensity = op.intensity ?? 1;
      if (op.name === 'fade_black') {
        const end = intervals[intervals.length - 1]!.end;
        const d = Math.min(fadeToBlackSeconds(intensity), (end - intervals[0]!.start) / 2);
        return [fadeFilter('out', end - d, end, frameSeconds)];
      }
      return lookFilters(op.name, intensity, coverage(intervals, total));
    }
    case 'fade': {
      const out: Filter[] = [];
      if (op.in) {
        const iv = effectIntervals(plan, e, 0, op.in);
        if (iv.length) out.push(fadeFilter('in', iv[0]!.start, iv[iv.length - 1]!.end, frameSeconds));
      }
      if (op.out) {
        const iv = effectIntervals(plan, e, e.stageDuration - op.out, e.stageDuration);
        if (iv.length) out.push(fadeFilter('out', iv[0]!.start, iv[iv.length - 1]!.end, frameSeconds));
      }
      return out;
    }
    case 'crop': {
      const r = 'aspect' in op ? aspectRect(e.frame, op.aspect) : { x: Math.round(op.x), y: Math.round(op.y), width: even(op.width), height: even(op.height) };
      return [filter('crop', { w: r.width, h: r.height, x: r.x, y: r.y })];
    }
    case 'rotate':
      if (op.degrees === 180) return [filter('hflip'), filter('vflip')];
      return [filter('transpose', { dir: op.degrees === 90 ? 'clock' : 'cclock' })];
    case 'flip':
      return [filter(op.direction === 'horizontal' ? 'hflip' : 'vflip')];
    case 'resize': {
      const next = applyGeometryOp(e.frame, op);
      return [filter('scale', { w: next.width, h: next.height })];
    }
    default:
      return [];
  }
}

/**
 * A video fade over [start, end]: fully black at `start` (in) or before the last frame (out), so
 * the first/last frame of a faded video is black. Limited to its window, so content before and
 * after passes untouched.
 */
function fadeFilter(type: 'in' | 'out', start: number, end: number, frameSeconds: number): Filter {
  const d = type === 'out' ? Math.max(frameSeconds / 2, end - start - 1.5 * frameSeconds) : end - start;
  return filter('fade', { t: type, st: num(start), d: num(d), enable: enableExpr([{ start, end }]) });
}

interface AudioStep {
  chains: GraphChain[];
  inputArgs: string[];
  output: string;
}

function audioEffect(e: PlannedEffect, plan: EditPlan, input: CompileEditInput, current: string, inputIndex: number): AudioStep | undefined {
  const op = e.op;
  const total = plan.duration;
  const tag = `x${e.index}`;
  if (op.type === 'fade') {
    const filters: Filter[] = [];
    if (op.in) {
      const iv = effectIntervals(plan, e, 0, op.in);
      if (iv.length) filters.push(afade('in', iv[0]!.start, iv[iv.length - 1]!.end));
    }
    if (op.out) {
      const iv = effectIntervals(plan, e, e.stageDuration - op.out, e.stageDuration);
      if (iv.length) filters.push(afade('out', iv[0]!.start, iv[iv.length - 1]!.end));
    }
    return filters.length ? { chains: [{ inputs: [current], filters, outputs: [tag] }], inputArgs: [], output: tag } : undefined;
  }
  if (op.type !== 'audio') return undefined;
  const intervals = effectIntervals(plan, e, 0, e.stageDuration);
  if (!intervals.length) return undefined;
  const enable = coverage(intervals, total);
  if (op.mode === 'mute') {
    return { chains: [{ inputs: [current], filters: [filter('volume', { volume: 0, enable })], outputs: [tag] }], inputArgs: [], output: tag };
  }
  // replace / mix: the file plays from the start of the covered content to its end.
  const fileIndex = typeof op.file === 'number' ? op.file : input.sourceCount + input.keys.indexOf(op.file!);
  const file = input.sources[fileIndex]!;
  const start = intervals[0]!.start;
  const span = intervals[intervals.length - 1]!.end - start;
  const music: Filter[] = [
    filter('atrim', { duration: num(span) }),
    filter('asetpts', { expr: 'PTS-STARTPTS' }),
    filter('aformat', { sample_fmts: 'fltp', sample_rates: AUDIO_RATE, channel_layouts: 'stereo' }),
    filter('volume', { volume: num(op.volume ?? 1) }),
  ];
  if (start > 0) music.push(filter('adelay', { delays: String(Math.round(start * 1000)), all: 1 }));
  music.push(filter('apad', { whole_dur: num(total) }));
  const chains: GraphChain[] = [{ inputs: [`${inputIndex}:a`], filters: music, outputs: [`${tag}m`] }];
  let main = current;
  let added = `${tag}m`;
  if (op.mode === 'replace') {
    chains.push({ inputs: [current], filters: [filter('volume', { volume: 0, enable })], outputs: [`${tag}o`] });
    main = `${tag}o`;
  } else if (op.duck) {
    chains.push({ inputs: [current], filters: [filter('asplit', { outputs: 2 })], outputs: [`${tag}o`, `${tag}s`] });
    // The original drives a compressor on the added track: it dips while the original is loud.
    chains.push({
      inputs: [`${tag}m`, `${tag}s`],
      filters: [filter('sidechaincompress', { threshold: 0.02, ratio: 8, attack: 20, release: 400 })],
      outputs: [`${tag}d`],
    });
    main = `${tag}o`;
    added = `${tag}d`;
  }
  chains.push({ inputs: [main, added], filters: [filter('amix', { inputs: 2, duration: 'first', normalize: 0 })], outputs: [tag] });
  return { chains, inputArgs: ['-t', num(start + span + 1), '-i', localPath(file.path)], output: tag };
}

function afade(type: 'in' | 'out', start: number, end: number): Filter {
  return filter('afade', { t: type, st: num(start), d: num(end - start), enable: enableExpr([{ start, end }]) });
}
