/**
 * Timing of captions against a song: spreading plain lyrics over the sung (non-intro/outro,
 * louder) parts, and fitting timed lyrics into the song's length.
 */
import type { CaptionLine } from '../musicvideo/timeline.js';
import type { PlainLyrics } from './parse.js';

export interface LyricsPlacementContext {
  durationSeconds: number;
  sections: ReadonlyArray<{ start: number; end: number; label: string; energy: number }>;
  /** Beat times; line starts snap to a nearby beat. Empty without a beat. */
  beats: readonly number[];
}

/** Shortest time a plain-text line is shown for; lines beyond what fits are dropped. */
export const MIN_LINE_SECONDS = 1.5;
const MAX_LINE_SECONDS = 7;
const EDGE_MARGIN = 0.5;
const GAP = 0.08;

interface Interval {
  start: number;
  end: number;
}

/** Parts of the song where singing is likely: everything but intro/outro and near-silent sections. */
export function vocalIntervals(ctx: LyricsPlacementContext, minSeconds = 0): Interval[] {
  const d = ctx.durationSeconds;
  const clip = (list: Interval[]): Interval[] =>
    list
      .map((s) => ({ start: Math.max(s.start, EDGE_MARGIN), end: Math.min(s.end, d - EDGE_MARGIN) }))
      .filter((s) => s.end - s.start > 0.2)
      .sort((a, b) => a.start - b.start);
  const sections = ctx.sections.length ? ctx.sections : [{ start: 0, end: d, label: 'verse', energy: 0.5 }];
  const maxEnergy = Math.max(...sections.map((s) => s.energy), 1e-9);
  const sung = clip(sections.filter((s) => s.label !== 'intro' && s.label !== 'outro' && s.energy >= 0.15 * maxEnergy));
  if (total(sung) >= minSeconds && sung.length) return sung;
  const all = clip(sections.map((s) => ({ start: s.start, end: s.end })));
  return all.length ? all : [{ start: 0, end: d }];
}

/**
 * Spread plain lyric lines over the vocal parts of the song, proportionally to their length, one
 * stanza per section when the counts match. Returns the timed lines and how many were dropped
 * because they did not fit (each line needs at least MIN_LINE_SECONDS).
 */
export function placePlainLyrics(lyrics: PlainLyrics, ctx: LyricsPlacementContext): { lines: CaptionLine[]; dropped: number } {
  const n = lyrics.lines.length;
  if (n === 0) return { lines: [], dropped: 0 };
  const intervals = vocalIntervals(ctx, n * MIN_LINE_SECONDS);
  const available = total(intervals);
  const capacity = intervals.map((iv) => Math.floor((iv.end - iv.start) / MIN_LINE_SECONDS));
  const keep = Math.min(n, capacity.reduce((a, b) => a + b, 0));
  const texts = lyrics.lines.slice(0, keep);
  const stanzas = lyrics.stanza.slice(0, keep);
  const weight = texts.map((t) => Math.max(8, [...t].length));

  // Which interval each line goes to.
  const slotOf: number[] = [];
  const stanzaCount = keep ? stanzas[keep - 1]! + 1 : 0;
  const perStanza = (k: number) => stanzas.filter((s) => s === k).length;
  const stanzaFits = stanzaCount === intervals.length &&
    intervals.every((iv, k) => perStanza(k) * MIN_LINE_SECONDS <= iv.end - iv.start);
  if (stanzaFits) {
    for (const s of stanzas) slotOf.push(s);
  } else {
    // Proportional: a line goes to the interval holding its share of the (virtual) vocal time,
    // then each interval gets at most as many lines as fit in it (overflow moves on).
    const W = weight.reduce((a, b) => a + b, 0);
    let cum = 0;
    const target = weight.map((w) => {
      const mid = ((cum + w / 2) / W) * available;
      cum += w;
      return intervalAt(intervals, mid);
    });
    const used = intervals.map(() => 0);
    let k = 0;
    for (let j = 0; j < keep; j++) {
      // Latest interval from which the remaining lines still fit.
      let kMax = intervals.length - 1;
      while (kMax > 0 && remainingCapacity(capacity, used, kMax) < keep - j) kMax--;
      k = Math.min(Math.max(k, target[j]!), kMax);
      while (k < intervals.length - 1 && used[k]! >= capacity[k]!) k++;
      used[k]!++;
      slotOf.push(k);
    }
  }

  const lines: CaptionLine[] = [];
  for (let k = 0; k < intervals.length; k++) {
    const idx = slotOf.map((s, j) => (s === k ? j : -1)).filter((j) => j >= 0);
    if (idx.length === 0) continue;
    const iv = intervals[k]!;
    const len = iv.end - iv.start;
    const W = idx.reduce((a, j) => a + weight[j]!, 0);
    // Each line gets the minimum plus a share of the rest proportional to its length.
    const spare = Math.max(0, len - idx.length * MIN_LINE_SECONDS);
    const shares = idx.map((j) => Math.min(MIN_LINE_SECONDS, len / idx.length) + (spare * weight[j]!) / W);
    let t = iv.start;
    idx.forEach((j, i) => {
      const slotStart = t;
      const slotEnd = t + shares[i]!;
      t = slotEnd;
      let start = snapToBeat(slotStart, ctx.beats, Math.min(0.3, shares[i]! / 4));
      start = Math.max(iv.start, start);
      const end = Math.min(slotEnd - GAP, start + MAX_LINE_SECONDS);
      lines.push({ start: round3(start), end: round3(Math.max(end, start + 0.2)), text: texts[j]! });
    });
  }
  lines.sort((a, b) => a.start - b.start);
  return { lines, dropped: n - keep };
}

function remainingCapacity(capacity: number[], used: number[], from: number): number {
  let r = 0;
  for (let k = from; k < capacity.length; k++) r += capacity[k]! - used[k]!;
  return r;
}

/**
 * Keep timed lines inside the song: lines starting after the end (less than 0.25 s before it) are
 * dropped, the rest are clipped to the end. Overlapping lines are shortened so one shows at a time.
 */
export function fitCaptionsToDuration(lines: readonly CaptionLine[], durationSeconds: number): { lines: CaptionLine[]; dropped: number } {
  const out: CaptionLine[] = [];
  let dropped = 0;
  const sorted = [...lines].sort((a, b) => a.start - b.start);
  for (let i = 0; i < sorted.length; i++) {
    const l = sorted[i]!;
    const start = Math.max(0, l.start);
    if (start > durationSeconds - 0.25 || l.text.trim() === '') {
      if (l.text.trim() !== '') dropped++;
      continue;
    }
    const nextStart = sorted[i + 1]?.start ?? Infinity;
    const end = Math.min(l.end, durationSeconds, nextStart > start ? nextStart : Infinity);
    if (!(end > start)) continue;
    const line: CaptionLine = { start, end, text: l.text };
    if (l.words?.length) {
      line.words = l.words
        .filter((w) => w.start < end)
        .map((w) => ({ text: w.text, start: Math.max(w.start, start), end: Math.min(Math.max(w.end, w.start), end) }));
    }
    out.push(line);
  }
  return { lines: out, dropped };
}

/** The first beat at or after t within `tolerance` (never earlier, so lines keep their gaps). */
function snapToBeat(t: number, beats: readonly number[], tolerance: number): number {
  if (beats.length === 0) return t;
  let lo = 0;
  let hi = beats.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (beats[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  let best = t;
  let bestD = tolerance;
  for (const k of [lo - 1, lo]) {
    const b = beats[k];
    if (b !== undefined && b >= t && b - t <= bestD) {
      best = b;
      bestD = Math.abs(b - t);
    }
  }
  return best;
}

function intervalAt(intervals: Interval[], virtual: number): number {
  let acc = 0;
  for (let k = 0; k < intervals.length; k++) {
    acc += intervals[k]!.end - intervals[k]!.start;
    if (virtual < acc) return k;
  }
  return intervals.length - 1;
}

function total(list: Interval[]): number {
  return list.reduce((a, iv) => a + (iv.end - iv.start), 0);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
