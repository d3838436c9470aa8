/**
 * The pure timeline model behind validation and compilation. The edit at any point is a list of
 * pieces (a source range played at a speed). Each piece has a lineage: the id of the concat (or
 * the initial source) that brought its content in; trims and cuts split a piece but keep its
 * lineage, so a time-bound effect can be pinned to "this content" as (lineage, source range)
 * windows and followed through later operations to intervals of the final output.
 */
import type { EditOperation, SourceRef } from './types.js';

export interface Piece {
  lineage: number;
  /** Index into the resolved source list (see resolveRef). */
  source: number;
  /** Source-time range, seconds. */
  start: number;
  end: number;
  speed: number;
}

/** A source-time range of one lineage. */
export interface Window {
  lineage: number;
  start: number;
  end: number;
}

export interface Interval {
  start: number;
  end: number;
}

export interface Frame {
  width: number;
  height: number;
}

/** Below this (seconds of output) a sliver of a piece is dropped. */
const EPS = 1e-4;

export const pieceDuration = (p: Piece): number => (p.end - p.start) / p.speed;
export const totalDuration = (pieces: readonly Piece[]): number => pieces.reduce((s, p) => s + pieceDuration(p), 0);

/** The pieces (or parts of pieces) that play in output range [a, b]. */
export function slicePieces(pieces: readonly Piece[], a: number, b: number): Piece[] {
  const out: Piece[] = [];
  let offset = 0;
  for (const p of pieces) {
    const d = pieceDuration(p);
    const lo = Math.max(a, offset);
    const hi = Math.min(b, offset + d);
    if (hi - lo > EPS) {
      out.push({ ...p, start: p.start + (lo - offset) * p.speed, end: Math.min(p.end, p.start + (hi - offset) * p.speed) });
    }
    offset += d;
  }
  return out;
}

/** Windows for output range [a, b] of the current pieces. */
export function windowsOf(pieces: readonly Piece[], a: number, b: number): Window[] {
  return slicePieces(pieces, a, b).map((p) => ({ lineage: p.lineage, start: p.start, end: p.end }));
}

/** Where `windows` ended up in the output of `finalPieces`: sorted, merged intervals. */
export function mapWindows(finalPieces: readonly Piece[], windows: readonly Window[]): Interval[] {
  const found: Interval[] = [];
  let offset = 0;
  for (const p of finalPieces) {
    for (const w of windows) {
      if (w.lineage !== p.lineage) continue;
      const lo = Math.max(w.start, p.start);
      const hi = Math.min(w.end, p.end);
      if ((hi - lo) / p.speed > EPS) found.push({ start: offset + (lo - p.start) / p.speed, end: offset + (hi - p.start) / p.speed });
    }
    offset += pieceDuration(p);
  }
  found.sort((x, y) => x.start - y.start);
  const merged: Interval[] = [];
  for (const iv of found) {
    const last = merged[merged.length - 1];
    if (last && iv.start <= last.end + EPS) last.end = Math.max(last.end, iv.end);
    else merged.push({ ...iv });
  }
  return merged;
}

/** Resolves a SourceRef to an index into [...sources, ...sourceMap values]. */
export interface SourceTable {
  count: number;
  keys: string[];
  durations: number[];
}

export function resolveRef(table: Pick<SourceTable, 'count' | 'keys'>, ref: SourceRef): number {
  if (typeof ref === 'number') return ref;
  const i = table.keys.indexOf(ref);
  return i < 0 ? -1 : table.count + i;
}

/** Apply a timeline operation (trim, cut, concat, speed); other operations leave pieces alone. */
export function applyTimelineOp(pieces: Piece[], op: EditOperation, table: SourceTable, nextLineage: () => number): Piece[] {
  switch (op.type) {
    case 'trim':
      return slicePieces(pieces, op.start, op.end);
    case 'cut':
      return [...slicePieces(pieces, 0, op.start), ...slicePieces(pieces, op.end, Infinity)];
    case 'speed':
      return pieces.map((p) => ({ ...p, speed: p.speed * op.factor }));
    case 'concat':
      return [
        ...pieces,
        ...op.inputs.map((ref) => {
          const source = resolveRef(table, ref);
          return { lineage: nextLineage(), source, start: 0, end: table.durations[source] ?? 0, speed: 1 };
        }),
      ];
    default:
      return pieces;
  }
}

const ASPECTS: Record<string, number> = { '1:1': 1, '9:16': 9 / 16, '16:9': 16 / 9, '4:5': 4 / 5 };
const HEIGHTS: Record<string, number> = { '480p': 480, '720p': 720, '1080p': 1080 };

export const even = (x: number): number => Math.max(2, 2 * Math.floor(x / 2));

/** The centred crop rectangle of `aspect` in `frame`. */
export function aspectRect(frame: Frame, aspect: string): { x: number; y: number; width: number; height: number } {
  const r = ASPECTS[aspect] ?? 1;
  const width = frame.width / frame.height > r ? even(frame.height * r) : even(frame.width);
  const height = frame.width / frame.height > r ? even(frame.height) : even(frame.width / r);
  return { x: Math.floor((frame.width - width) / 2), y: Math.floor((frame.height - height) / 2), width, height };
}

/** The frame after a geometry operation (crop, rotate, resize); others keep it. */
export function applyGeometryOp(frame: Frame, op: EditOperation): Frame {
  switch (op.type) {
    case 'crop':
      if ('aspect' in op) {
        const r = aspectRect(frame, op.aspect);
        return { width: r.width, height: r.height };
      }
      return { width: even(op.width), height: even(op.height) };
    case 'rotate':
      return op.degrees === 180 ? frame : { width: frame.height, height: frame.width };
    case 'resize': {
      const height = HEIGHTS[op.resolution]!;
      return { width: even((height * frame.width) / frame.height), height };
    }
    default:
      return frame;
  }
}

export interface PlannedEffect {
  index: number;
  op: EditOperation;
  /** The pieces when the effect was listed (its stage). */
  stagePieces: Piece[];
  /** Duration of the edit when the effect was listed. */
  stageDuration: number;
  /** The frame when the effect was listed. */
  frame: Frame;
}

export interface EditPlan {
  pieces: Piece[];
  duration: number;
  /** Frame after every geometry operation (before any maxHeight cap). */
  frame: Frame;
  /** Every non-timeline operation, in list order, with where it applies. */
  effects: PlannedEffect[];
}

/**
 * Fold a (valid) edit list into its final pieces and effects. `table.durations` covers every
 * resolved source; the initial frame is `sources[0]`'s.
 */
export function planEdit(operations: readonly EditOperation[], table: SourceTable, frame0: Frame): EditPlan {
  let lineage = 0;
  const nextLineage = () => ++lineage;
  let pieces: Piece[] = [{ lineage: 0, source: 0, start: 0, end: table.durations[0] ?? 0, speed: 1 }];
  let frame: Frame = { width: even(frame0.width), height: even(frame0.height) };
  const effects: PlannedEffect[] = [];
  operations.forEach((op, index) => {
    if (op.type === 'trim' || op.type === 'cut' || op.type === 'concat' || op.type === 'speed') {
      pieces = applyTimelineOp(pieces, op, table, nextLineage);
      return;
    }
    const stageDuration = totalDuration(pieces);
    effects.push({ index, op, stagePieces: pieces, stageDuration, frame });
    frame = applyGeometryOp(frame, op);
  });
  return { pieces, duration: totalDuration(pieces), frame, effects };
}

/** Where stage range [a, b] of an effect ended up in the final output. */
export function effectIntervals(plan: Pick<EditPlan, 'pieces'>, effect: Pick<PlannedEffect, 'stagePieces'>, a: number, b: number): Interval[] {
  return mapWindows(plan.pieces, windowsOf(effect.stagePieces, a, b));
}
