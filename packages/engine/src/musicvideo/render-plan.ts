/**
 * Frame arithmetic for rendering a Timeline: every time becomes a whole frame at 30 fps, so the
 * output has exactly `round(duration × 30)` frames and cuts land on the frame nearest their time.
 *
 * A transition of T frames (T even) centred on cut frame c shows the previous shot until
 * c + T/2 and the next one from c − T/2: shot i is rendered as a clip covering
 * [cut_i − T_i/2, cut_{i+1} + T_{i+1}/2), and clips are chained with xfade at offset cut_i − T_i/2.
 *
 * Long timelines are split into segments (rendered separately, then joined without re-encoding).
 * Segment boundaries fall in the middle of a shot, outside any transition; the shot is rendered
 * in both segments with its motion computed from the clip-local frame number, so the join is seamless.
 */
import { TIMELINE_FPS, type Timeline, type TimelineShot } from './timeline.js';

export interface FramedShot {
  index: number;
  shot: TimelineShot;
  /** Cut frame (first frame that belongs to this shot when there is no transition). */
  cut: number;
  /** Frame after the shot's last own frame (= next shot's cut). */
  end: number;
  /** Incoming/outgoing transition lengths in frames (even, 0 = hard cut). */
  inFrames: number;
  outFrames: number;
  /** The rendered clip: [clipStart, clipEnd). */
  clipStart: number;
  clipEnd: number;
}

export interface SegmentPiece {
  framed: FramedShot;
  /** Frames of the clip skipped at the start (the clip began in an earlier segment). */
  skip: number;
  /** Frames of this piece in the segment. */
  frames: number;
  /** Offset (in segment frames) of the xfade from the previous piece; undefined = hard cut (or first). */
  xfadeOffset?: number;
}

export interface Segment {
  index: number;
  /** Output frames [start, end). */
  start: number;
  end: number;
  pieces: SegmentPiece[];
}

export function totalFrames(timeline: Pick<Timeline, 'duration_seconds'>): number {
  return Math.max(1, Math.round(timeline.duration_seconds * TIMELINE_FPS));
}

/** Shots in whole frames; shots shorter than a frame are merged into their neighbour. */
export function frameShots(timeline: Timeline): FramedShot[] {
  const total = totalFrames(timeline);
  const kept: Array<{ index: number; shot: TimelineShot; cut: number; trans: number }> = [];
  timeline.shots.forEach((shot, index) => {
    const cut = index === 0 ? 0 : Math.min(total, Math.round(shot.start * TIMELINE_FPS));
    const prev = kept[kept.length - 1];
    if (prev && cut <= prev.cut) return; // shorter than a frame: the previous shot covers it
    if (cut >= total) return;
    const trans = shot.transition ? 2 * Math.floor((shot.transition.duration * TIMELINE_FPS) / 2 + 1e-6) : 0;
    kept.push({ index, shot, cut, trans: index === 0 ? 0 : trans });
  });
  const framed: FramedShot[] = kept.map((k, i) => ({
    index: k.index,
    shot: k.shot,
    cut: k.cut,
    end: i + 1 < kept.length ? kept[i + 1]!.cut : total,
    inFrames: k.trans,
    outFrames: i + 1 < kept.length ? kept[i + 1]!.trans : 0,
    clipStart: 0,
    clipEnd: 0,
  }));
  // Transitions must fit: half in + half out ≤ the shot's own frames (shrink the longer one).
  for (let i = 0; i < framed.length; i++) {
    const f = framed[i]!;
    const own = f.end - f.cut;
    while (f.inFrames / 2 + f.outFrames / 2 > own) {
      if (f.inFrames >= f.outFrames) f.inFrames -= 2;
      else f.outFrames -= 2;
    }
    if (i > 0) framed[i - 1]!.outFrames = f.inFrames;
    if (i + 1 < framed.length) framed[i + 1]!.inFrames = f.outFrames;
  }
  for (const f of framed) {
    f.clipStart = f.cut - f.inFrames / 2;
    f.clipEnd = f.end + f.outFrames / 2;
  }
  return framed;
}

export interface PlanSegmentsOptions {
  maxShots: number;
  maxFrames?: number;
  /**
   * A cost per shot (e.g. the memory its frames take in an ffmpeg run) and the most a segment may
   * hold: a segment ends before the next shot (which it shares) would take it over `maxWeight`.
   */
  weight?: (f: FramedShot) => number;
  maxWeight?: number;
}

/**
 * Split into segments of at most `maxShots` shots (and at most `maxFrames` frames, at most
 * `maxWeight` of `weight`, when given), at mid-shot frames outside transitions. One segment when
 * the timeline is small.
 */
export function planSegments(framed: FramedShot[], total: number, opts: PlanSegmentsOptions): Segment[] {
  const splits: number[] = [];
  let shotsInSegment = 0;
  let segmentStart = 0;
  let weight = 0;
  const weightOf = (f: FramedShot): number => (opts.weight && opts.maxWeight !== undefined ? opts.weight(f) : 0);
  for (let i = 0; i < framed.length; i++) {
    const f = framed[i]!;
    shotsInSegment++;
    weight += weightOf(f);
    const tooLong = opts.maxFrames !== undefined && f.end - segmentStart > opts.maxFrames;
    const tooHeavy = opts.maxWeight !== undefined && i + 1 < framed.length && weight + weightOf(framed[i + 1]!) > opts.maxWeight;
    if ((shotsInSegment >= opts.maxShots || tooLong || tooHeavy) && i + 1 < framed.length) {
      // Split inside the next shot, between its two transitions.
      const n = framed[i + 1]!;
      const lo = n.cut + n.inFrames / 2;
      const hi = n.end - n.outFrames / 2;
      if (hi - lo >= 2) {
        const at = Math.floor((lo + hi) / 2);
        if (at > segmentStart) {
          splits.push(at);
          segmentStart = at;
          shotsInSegment = 0;
          weight = 0;
        }
      }
    }
  }
  const edges = [0, ...splits, total];
  const segments: Segment[] = [];
  for (let s = 0; s + 1 < edges.length; s++) {
    const start = edges[s]!;
    const end = edges[s + 1]!;
    const pieces: SegmentPiece[] = [];
    for (const f of framed) {
      const from = Math.max(f.clipStart, start);
      const to = Math.min(f.clipEnd, end);
      if (to <= from) continue;
      const piece: SegmentPiece = { framed: f, skip: from - f.clipStart, frames: to - from };
      if (pieces.length && f.inFrames > 0) piece.xfadeOffset = f.clipStart - start;
      pieces.push(piece);
    }
    segments.push({ index: s, start, end, pieces });
  }
  return segments;
}
