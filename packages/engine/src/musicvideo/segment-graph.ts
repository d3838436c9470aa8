/**
 * The filtergraph of one segment: shot clips cut into pieces, transitions between them, one
 * concat, then the layers. Pure: paths of prepared assets in, graph (and fade commands) out.
 */
import { filter, filterPath, graph, type Filter, type FilterChain, type GraphChain } from '../ffmpeg/filtergraph.js';
import { num } from './expr.js';
import { postChains, type CardText } from './overlays.js';
import type { Segment } from './render-plan.js';
import { clipShotChain, plateShotChain, type Plate } from './shot-filters.js';
import { TIMELINE_FPS, type Layer, type Timeline } from './timeline.js';

/**
 * Extra frames rendered at the end of a clip that an xfade follows. ffmpeg 5.1's xfade loses a
 * frame (leaving a timestamp gap) when its first input ends less than 3 frames after the
 * transition; with ≥ 3 spare frames (never shown) the output is exact — measured, see the tests.
 */
const XFADE_PAD = 4;
/** The shared cross-fade filter of a segment (its opacity is set per frame by `sendcmd`). */
const LANE = 'blend@lane';

export interface PreparedStill {
  path: string;
  width: number;
  height: number;
}

/** A prepared plate for one shot (see `shotPlate`): `width`×`height` is the photo size its geometry uses. */
export interface PreparedPlate extends PreparedStill {
  plate: Plate;
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
  /** Prepared plate for each image shot, by the shot's index in the timeline. */
  plates: ReadonlyMap<number, PreparedPlate>;
  /** Probe results for each clip source path. */
  clips: ReadonlyMap<string, ClipInfo>;
  /** Colour look for clips (stills have it baked in). */
  look?: string;
  decorMask?: string;
  cards: CardText[];
  ass?: { path: string; fontsDir?: string };
  /** Pad label of this segment's audio, when an input provides it (for waveform/spectrum). */
  audio?: string;
  /** Where the caller writes `commands` (needed when the segment has fades). */
  commandsPath?: string;
}

export interface SegmentGraph {
  /** The `-filter_complex` value; the video comes out on `[vout]`. */
  graph: string;
  /** `sendcmd` commands for the fades ('' when there are none), to be written to `commandsPath`. */
  commands: string;
}

/**
 * The filtergraph of one segment. Everything stays yuv420p: each shot is rendered once and cut
 * (split + trim, no copies) into the frames it shows alone and the frames it shares with a
 * transition. Fades — most transitions — all go through ONE `blend` whose opacity is set per
 * frame, so they cost neither a 4:4:4 conversion (which `xfade` needs) nor buffers per
 * transition; other transition types use an `xfade` over just the transition's frames. The
 * pieces are joined by one `concat`, then the layers are applied.
 */
export function buildSegmentGraph(input: SegmentGraphInput): SegmentGraph {
  const { timeline, segment } = input;
  const W = timeline.width;
  const H = timeline.height;
  const chains: GraphChain[] = [];
  const zoomPulse = timeline.layers.find(
    (l): l is Extract<Layer, { type: 'beat_pulse' }> => l.type === 'beat_pulse' && l.mode !== 'flash' && l.strength > 0,
  );
  const pulseTimes = zoomPulse ? (zoomPulse.on === 'downbeats' ? timeline.downbeats : timeline.beats) : [];
  const pieces = segment.pieces;
  // Incoming transition of each piece (frames) and whether it is a fade (shared blend).
  const inFrames = pieces.map((p, j) => (j > 0 && p.xfadeOffset !== undefined ? p.framed.inFrames : 0));
  const isFade = pieces.map((p, j) => inFrames[j]! > 0 && p.framed.shot.transition?.type === 'fade');

  // 1. Shot streams, cut into head (transition in), body (alone) and tail (transition out).
  const heads: string[] = [];
  const bodies: Array<string | undefined> = [];
  const tails: string[] = [];
  pieces.forEach((piece, j) => {
    const { framed } = piece;
    const shot = framed.shot;
    const tIn = inFrames[j]!;
    const tOut = inFrames[j + 1] ?? 0;
    // One spare frame after a fade's tail and after a head (they end the trims without pulling
    // the next transition's frames), XFADE_PAD after an xfade's tail.
    let frames = piece.frames + (tOut > 0 ? (isFade[j + 1] ? 1 : XFADE_PAD) : 0);
    if (tIn > 0) frames = Math.max(frames, tIn + 1);
    const label = `s${j}`;
    let source: FilterChain;
    if (shot.kind === 'image') {
      const prepared = input.plates.get(framed.index);
      if (!prepared) throw new Error(`internal: no prepared plate for shot ${framed.index} (${shot.source})`);
      const firstFrame = framed.clipStart + piece.skip;
      const beats = pulseTimes.filter((b) => b >= firstFrame / TIMELINE_FPS - 0.2 && b < (firstFrame + piece.frames) / TIMELINE_FPS);
      source = plateShotChain({
        platePath: prepared.path,
        plate: prepared.plate,
        width: prepared.width,
        height: prepared.height,
        motion: shot.motion,
        outW: W,
        outH: H,
        clipFrames: framed.clipEnd - framed.clipStart,
        skip: piece.skip,
        frames,
        clipStartFrame: framed.clipStart,
        ...(zoomPulse && beats.length ? { pulse: { beats, amount: 0.07 * zoomPulse.strength } } : {}),
      });
    } else {
      const clip = input.clips.get(shot.source);
      if (!clip) throw new Error(`internal: no clip info for ${shot.source}`);
      source = clipShotChain({
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
      });
    }
    const bodyFrames = piece.frames - tIn - tOut;
    const parts: Array<[string, number, number | undefined]> = [];
    if (tIn > 0) parts.push([`h${j}`, 0, tIn + 1]);
    if (bodyFrames > 0) parts.push([`b${j}`, tIn, piece.frames - tOut]);
    if (tOut > 0) parts.push([`t${j}`, piece.frames - tOut, isFade[j + 1] ? piece.frames + 1 : undefined]);
    const cut = (start: number, end: number | undefined): Array<Filter | FilterChain> =>
      start === 0 && end === undefined ? [] : [filter('trim', { start_frame: start || undefined, end_frame: end }), filter('setpts', { expr: 'PTS-STARTPTS' })];
    if (parts.length === 1) {
      const [name, start, end] = parts[0]!;
      chains.push({ filters: [source, ...cut(start, end)], outputs: [name] });
    } else {
      chains.push({ filters: [source, filter('split', { outputs: parts.length })], outputs: parts.map((_, q) => `${label}_${q}`) });
      parts.forEach(([name, start, end], q) => chains.push({ inputs: [`${label}_${q}`], filters: cut(start, end), outputs: [name] }));
    }
    if (tIn > 0) heads[j] = `h${j}`;
    bodies[j] = bodyFrames > 0 ? `b${j}` : undefined;
    if (tOut > 0) tails[j] = `t${j}`;
  });

  // 2. Transitions.
  const transition: string[] = [];
  const fades = pieces.map((_, j) => j).filter((j) => isFade[j]);
  const commands: string[] = [];
  if (fades.length) {
    if (!input.commandsPath) throw new Error('internal: fades need a commands file');
    const tb = [filter('settb', { expr: `1/${TIMELINE_FPS}` }), filter('setpts', { expr: 'N' })];
    const join = (labels: string[]): Array<Filter | FilterChain> =>
      labels.length > 1 ? [filter('concat', { n: labels.length, v: 1, a: 0 }), ...tb] : tb;
    chains.push({ inputs: fades.map((j) => tails[j - 1]!), filters: join(fades.map((j) => tails[j - 1]!)), outputs: ['lane_a'] });
    chains.push({
      inputs: fades.map((j) => heads[j]!),
      filters: [...join(fades.map((j) => heads[j]!)), filter('sendcmd', { filename: filterPath(input.commandsPath) })],
      outputs: ['lane_b'],
    });
    // Incoming shot on top: out = B·k/T + A·(1 − k/T) at frame k of a fade of T frames — the
    // weights xfade's `fade` uses.
    const outs = fades.length > 1 ? fades.map((j) => `lane_${j}`) : ['lane_all'];
    chains.push({
      inputs: ['lane_b', 'lane_a'],
      filters: [filter(LANE, { all_mode: 'normal', all_opacity: 0 }), ...(fades.length > 1 ? [filter('split', { outputs: fades.length })] : [])],
      outputs: outs,
    });
    let n = 0;
    fades.forEach((j, q) => {
      const T = inFrames[j]!;
      chains.push({
        inputs: [outs[q]!],
        filters: [filter('trim', { start_frame: n || undefined, end_frame: n + T }), filter('setpts', { expr: 'PTS-STARTPTS' })],
        outputs: [`x${j}`],
      });
      for (let k = 0; k <= T; k++, n++) {
        const at = n === 0 ? '0' : ((n - 0.5) / TIMELINE_FPS).toFixed(6);
        commands.push(`${at} ${LANE} all_opacity ${k < T ? num(k / T) : 1};`);
      }
      transition[j] = `x${j}`;
    });
  }
  pieces.forEach((piece, j) => {
    const T = inFrames[j]!;
    if (T === 0 || isFade[j]) return;
    chains.push({
      inputs: [tails[j - 1]!, heads[j]!],
      filters: [
        filter('xfade', { transition: piece.framed.shot.transition!.type, duration: T / TIMELINE_FPS, offset: 0 }),
        filter('trim', { end_frame: T }),
        filter('format', { pix_fmts: 'yuv420p' }),
      ],
      outputs: [`x${j}`],
    });
    transition[j] = `x${j}`;
  });

  // 3. All pieces in order.
  const order: string[] = [];
  pieces.forEach((_, j) => {
    if (transition[j]) order.push(transition[j]!);
    if (bodies[j]) order.push(bodies[j]!);
  });
  const tb = [filter('settb', { expr: `1/${TIMELINE_FPS}` }), filter('setpts', { expr: 'N' })];
  // concat works in microseconds: back to whole frames at 1/30 s.
  chains.push({ inputs: order, filters: order.length > 1 ? [filter('concat', { n: order.length, v: 1, a: 0 }), ...tb] : tb, outputs: ['joined'] });

  const t0 = segment.start / TIMELINE_FPS;
  chains.push(...postChains('joined', 'vout', {
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
  return { graph: graph(chains), commands: commands.length ? `${commands.join('\n')}\n` : '' };
}
