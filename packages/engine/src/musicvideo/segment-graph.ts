/**
 * The filtergraph of one segment: shot clips chained with xfade (transitions) and concat (hard
 * cuts), then the layers. Pure: paths of prepared assets in, graph string out.
 */
import { filter, graph, type GraphChain } from '../ffmpeg/filtergraph.js';
import { postChains, type CardText } from './overlays.js';
import type { Segment } from './render-plan.js';
import { clipShotChain, stillShotChain } from './shot-filters.js';
import { TIMELINE_FPS, type Layer, type Timeline } from './timeline.js';

/**
 * Extra frames rendered at the end of a clip that an xfade follows. ffmpeg 5.1's xfade loses a
 * frame (leaving a timestamp gap) when its first input ends less than 3 frames after the
 * transition; with ≥ 3 spare frames (never shown) the output is exact — measured, see the tests.
 */
const XFADE_PAD = 4;

export interface PreparedStill {
  path: string;
  width: number;
  height: number;
}

export interface ClipInfo {
  width: number;
  height: number;
  rotation: 0 | 90 | 180 | 270;
  durationSeconds: number;
}

export interface SegmentGraphInput {
  timeline: Timeline;
  segment: Segment;
  /** Prepared still for each image source path. */
  stills: ReadonlyMap<string, PreparedStill>;
  /** Probe results for each clip source path. */
  clips: ReadonlyMap<string, ClipInfo>;
  /** Colour look for clips (stills have it baked in). */
  look?: string;
  decorMask?: string;
  cards: CardText[];
  ass?: { path: string; fontsDir?: string };
  /** Pad label of this segment's audio, when an input provides it (for waveform/spectrum). */
  audio?: string;
}

/** The `-filter_complex` value; the video comes out on `[vout]`. */
export function buildSegmentGraph(input: SegmentGraphInput): string {
  const { timeline, segment } = input;
  const W = timeline.width;
  const H = timeline.height;
  const chains: GraphChain[] = [];
  const zoomPulse = timeline.layers.find(
    (l): l is Extract<Layer, { type: 'beat_pulse' }> => l.type === 'beat_pulse' && l.mode !== 'flash' && l.strength > 0,
  );
  const pulseTimes = zoomPulse ? (zoomPulse.on === 'downbeats' ? timeline.downbeats : timeline.beats) : [];

  segment.pieces.forEach((piece, j) => {
    const { framed } = piece;
    const shot = framed.shot;
    const label = `s${j}`;
    const frames = piece.frames + (segment.pieces[j + 1]?.xfadeOffset !== undefined ? XFADE_PAD : 0);
    if (shot.kind === 'image') {
      const still = input.stills.get(shot.source);
      if (!still) throw new Error(`internal: no prepared still for ${shot.source}`);
      const firstFrame = framed.clipStart + piece.skip;
      const beats = pulseTimes.filter((b) => b >= firstFrame / TIMELINE_FPS - 0.2 && b < (firstFrame + piece.frames) / TIMELINE_FPS);
      chains.push({
        filters: [stillShotChain({
          path: still.path,
          width: still.width,
          height: still.height,
          motion: shot.motion,
          outW: W,
          outH: H,
          clipFrames: framed.clipEnd - framed.clipStart,
          skip: piece.skip,
          frames,
          clipStartFrame: framed.clipStart,
          ...(zoomPulse && beats.length ? { pulse: { beats, amount: 0.07 * zoomPulse.strength } } : {}),
        })],
        outputs: [label],
      });
    } else {
      const clip = input.clips.get(shot.source);
      if (!clip) throw new Error(`internal: no clip info for ${shot.source}`);
      chains.push({
        filters: [clipShotChain({
          path: shot.source,
          width: clip.width,
          height: clip.height,
          rotation: clip.rotation,
          durationSeconds: clip.durationSeconds,
          startSeconds: (shot.trim_start ?? 0) + piece.skip / TIMELINE_FPS,
          rect: shot.motion.from,
          outW: W,
          outH: H,
          frames,
          ...(input.look ? { look: input.look } : {}),
        })],
        outputs: [label],
      });
    }
  });

  // Chain the pieces: xfade where a transition starts, concat runs of hard cuts.
  let current = 's0';
  let run: string[] = ['s0'];
  const closeRun = (): void => {
    if (run.length > 1) {
      const out = `cat${chains.length}`;
      // concat works in microseconds: back to whole frames at 1/30 s (xfade needs equal time bases).
      chains.push({
        inputs: run,
        filters: [filter('concat', { n: run.length, v: 1, a: 0 }), filter('settb', { expr: `1/${TIMELINE_FPS}` }), filter('setpts', { expr: 'N' })],
        outputs: [out],
      });
      current = out;
    } else {
      current = run[0]!;
    }
  };
  segment.pieces.forEach((piece, j) => {
    if (j === 0) return;
    if (piece.xfadeOffset === undefined) {
      run.push(`s${j}`);
      return;
    }
    closeRun();
    const out = `x${j}`;
    chains.push({
      inputs: [current, `s${j}`],
      filters: [filter('xfade', {
        transition: piece.framed.shot.transition!.type,
        duration: piece.framed.inFrames / TIMELINE_FPS,
        offset: piece.xfadeOffset / TIMELINE_FPS,
      })],
      outputs: [out],
    });
    run = [out];
  });
  closeRun();

  const t0 = segment.start / TIMELINE_FPS;
  chains.push(...postChains(current, 'vout', {
    layers: timeline.layers,
    width: W,
    height: H,
    t0,
    seconds: (segment.end - segment.start) / TIMELINE_FPS,
    frames: segment.end - segment.start,
    beats: timeline.beats,
    downbeats: timeline.downbeats,
    ...(input.decorMask ? { decorMask: input.decorMask } : {}),
    cards: input.cards,
    ...(input.ass ? { ass: input.ass } : {}),
    ...(input.audio ? { audio: input.audio } : {}),
  }));
  return graph(chains);
}
