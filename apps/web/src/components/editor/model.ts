import type { EditOperation } from '../../api/edits';

/** Times in this document are seconds of the source video; compile() turns them into an edit list. */
export interface Range {
  start: number;
  end: number;
}

export type CropAspect = '1:1' | '9:16' | '16:9' | '4:5';
export const CROP_ASPECTS: CropAspect[] = ['16:9', '9:16', '1:1', '4:5'];
export type TextAnimation = 'fade' | 'slide' | 'none';

export interface TextOverlay {
  id: string;
  text: string;
  start: number;
  end: number;
  /** Top-left of the text box, 0..1 of the (cropped) frame. */
  x: number;
  y: number;
  /** Percent of the frame height. */
  size: number;
  color: string;
  animation: TextAnimation;
}

export interface EditorDoc {
  duration: number;
  trimStart: number;
  trimEnd: number;
  /** Split points made with S; they bound the segments that can be deleted. */
  splits: number[];
  /** Removed ranges (deleted segments). */
  cuts: Range[];
  texts: TextOverlay[];
  filter: string | null;
  crop: CropAspect | null;
  speed: number;
}

export const MIN_PART = 0.1;

export function newDoc(duration: number): EditorDoc {
  return { duration, trimStart: 0, trimEnd: duration, splits: [], cuts: [], texts: [], filter: null, crop: null, speed: 1 };
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** The cuts inside the trimmed range, merged and sorted. */
export function activeCuts(doc: EditorDoc): Range[] {
  const inside = doc.cuts
    .map((c) => ({ start: Math.max(c.start, doc.trimStart), end: Math.min(c.end, doc.trimEnd) }))
    .filter((c) => c.end - c.start > 1e-3)
    .sort((a, b) => a.start - b.start);
  const merged: Range[] = [];
  for (const c of inside) {
    const last = merged[merged.length - 1];
    if (last && c.start <= last.end) last.end = Math.max(last.end, c.end);
    else merged.push({ ...c });
  }
  return merged;
}

/** Seconds of the edited video before the speed change, for a source time (clamped into the kept parts). */
export function toEditTime(doc: EditorDoc, source: number): number {
  const s = Math.min(Math.max(source, doc.trimStart), doc.trimEnd);
  let removed = 0;
  for (const c of activeCuts(doc)) {
    if (s <= c.start) break;
    removed += Math.min(s, c.end) - c.start;
  }
  return s - doc.trimStart - removed;
}

/** Length of the edited video, before the speed change. */
export function keptLength(doc: EditorDoc): number {
  return toEditTime(doc, doc.trimEnd);
}

/** Length of the exported video. */
export function outputLength(doc: EditorDoc): number {
  return keptLength(doc) / doc.speed;
}

/** Seconds of the exported video for a source time. */
export function toOutputTime(doc: EditorDoc, source: number): number {
  return toEditTime(doc, source) / doc.speed;
}

/** The removed range a source time falls in (trimmed ends included), or null. */
export function removedAt(doc: EditorDoc, t: number): Range | null {
  if (t < doc.trimStart) return { start: 0, end: doc.trimStart };
  if (t >= doc.trimEnd) return { start: doc.trimEnd, end: doc.duration };
  return activeCuts(doc).find((c) => t >= c.start && t < c.end) ?? null;
}

/** The segments between trim points and splits, each marked removed or kept. */
export function segments(doc: EditorDoc): Array<Range & { removed: boolean }> {
  const bounds = [doc.trimStart, ...doc.splits.filter((s) => s > doc.trimStart + 1e-3 && s < doc.trimEnd - 1e-3).sort((a, b) => a - b), doc.trimEnd];
  const cuts = activeCuts(doc);
  const out: Array<Range & { removed: boolean }> = [];
  for (let i = 0; i < bounds.length - 1; i++) {
    const start = bounds[i]!;
    const end = bounds[i + 1]!;
    const mid = (start + end) / 2;
    out.push({ start, end, removed: cuts.some((c) => mid >= c.start && mid < c.end) });
  }
  return out;
}

/**
 * The edit list for the API: trim, cuts (latest first, so earlier times stay put), crop, filter,
 * texts on the cropped frame, and speed last so that it stretches everything before it.
 */
export function compile(doc: EditorDoc, frame: { width: number; height: number } | null): EditOperation[] {
  const ops: EditOperation[] = [];
  if (doc.trimStart > 1e-3 || doc.trimEnd < doc.duration - 1e-3) ops.push({ type: 'trim', start: round(doc.trimStart), end: round(doc.trimEnd) });
  for (const c of [...activeCuts(doc)].reverse()) ops.push({ type: 'cut', start: round(c.start - doc.trimStart), end: round(c.end - doc.trimStart) });
  if (doc.crop) ops.push({ type: 'crop', aspect: doc.crop });
  if (doc.filter) ops.push({ type: 'filter', name: doc.filter });
  const kept = keptLength(doc);
  const frameHeight = frame ? croppedSize(frame, doc.crop).height : null;
  for (const t of doc.texts) {
    const start = round(toEditTime(doc, t.start));
    const end = round(Math.min(kept, toEditTime(doc, t.end)));
    if (!t.text.trim() || end - start < 0.05) continue;
    ops.push({
      type: 'text',
      text: t.text,
      start,
      end,
      position: { x: round(clamp01(t.x)), y: round(clamp01(t.y)) },
      ...(frameHeight ? { size: Math.max(8, Math.round((t.size / 100) * frameHeight)) } : {}),
      color: t.color,
      animation: t.animation,
      outline: true,
    });
  }
  if (Math.abs(doc.speed - 1) > 1e-3) ops.push({ type: 'speed', factor: doc.speed });
  return ops;
}

/** The frame after a centred aspect crop. */
export function croppedSize(frame: { width: number; height: number }, aspect: CropAspect | null): { width: number; height: number } {
  if (!aspect) return frame;
  const [w, h] = aspect.split(':').map(Number) as [number, number];
  const want = w / h;
  return frame.width / frame.height > want
    ? { width: Math.round(frame.height * want), height: frame.height }
    : { width: frame.width, height: Math.round(frame.width / want) };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
