/**
 * The first half of the edit graph: the final pieces, read from inputs seeked to just what they
 * need, each normalised (frame size, SAR, audio format; silence for sources without audio) and
 * joined with one `concat`.
 *
 * Pieces of one source that play in increasing source order share one input (`-ss`/`-t` around
 * their span, `split` + `trim` per piece); a piece that goes back in the source gets its own input,
 * so `split` never has to hold frames for a piece that plays later.
 */
import { filter, type Filter, type GraphChain } from '../ffmpeg/filtergraph.js';
import { localPath } from '../ffmpeg/tools.js';
import { pieceDuration, type Frame, type Piece } from './model.js';

export interface EditSourceInfo {
  path: string;
  durationSeconds: number;
  /** Displayed size (after rotation metadata). */
  width: number;
  height: number;
  fps: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

export const AUDIO_RATE = 48000;
/** Read a little past a span's end (the trim filter cuts exactly) so its last frame is never lost. */
const INPUT_MARGIN = 0.1;

export const num = (x: number): string => String(Math.round(x * 1e6) / 1e6);

/** Output frame rate for a source rate: integers and NTSC rates exactly, else 3 decimals. */
export function fpsString(fps: number): string {
  if (!(fps > 1 && fps <= 120)) return '30';
  if (Math.abs(fps - Math.round(fps)) < 0.01) return String(Math.round(fps));
  const ntsc = Math.round((fps * 1001) / 1000);
  if (Math.abs(fps - (ntsc * 1000) / 1001) < 0.01) return `${ntsc * 1000}/1001`;
  return num(Math.round(fps * 1000) / 1000);
}

/** atempo factors (each within 0.5..2, where it keeps quality) whose product is `speed`. */
export function atempoChain(speed: number): number[] {
  const out: number[] = [];
  let rest = speed;
  while (rest > 2 + 1e-9) {
    out.push(2);
    rest /= 2;
  }
  while (rest < 0.5 - 1e-9) {
    out.push(0.5);
    rest /= 0.5;
  }
  if (Math.abs(rest - 1) > 1e-9 || out.length === 0) out.push(Math.round(rest * 1e6) / 1e6);
  return out.filter((f) => f !== 1);
}

export interface PieceGraph {
  inputArgs: string[];
  chains: GraphChain[];
  /** Label of the joined video and audio. */
  video: string;
  audio: string | undefined;
  /** Inputs used so far (the next input index). */
  inputCount: number;
}

interface Group {
  source: number;
  start: number;
  end: number;
  pieces: number[];
}

function groupPieces(pieces: readonly Piece[]): Group[] {
  const groups: Group[] = [];
  pieces.forEach((p, i) => {
    const g = [...groups].reverse().find((x) => x.source === p.source && x.end <= p.start + 1e-6);
    if (g) {
      g.end = p.end;
      g.pieces.push(i);
    } else {
      groups.push({ source: p.source, start: p.start, end: p.end, pieces: [i] });
    }
  });
  return groups;
}

/**
 * Inputs and chains for `pieces` played back to back. A single piece may start at output time
 * `offset` (a preview). Without `withAudio` no audio is read or made.
 */
export function buildPieces(
  pieces: readonly Piece[],
  sources: readonly EditSourceInfo[],
  canvas: Frame,
  opts: { withAudio: boolean; offset?: number; decoderThreads?: number },
): PieceGraph {
  const groups = groupPieces(pieces);
  const inputArgs: string[] = [];
  const chains: GraphChain[] = [];
  const videoIn = new Map<number, string>();
  const audioIn = new Map<number, string>();
  groups.forEach((g, k) => {
    const src = sources[g.source]!;
    if (g.start > 0) inputArgs.push('-ss', num(g.start));
    if (opts.decoderThreads) inputArgs.push('-threads', String(opts.decoderThreads));
    inputArgs.push('-t', num(g.end - g.start + INPUT_MARGIN), '-i', localPath(src.path));
    const split = (kind: 'v' | 'a', into: Map<number, string>): void => {
      if (g.pieces.length === 1) {
        into.set(g.pieces[0]!, `${k}:${kind}`);
        return;
      }
      const outs = g.pieces.map((i) => `s${kind}${i}`);
      chains.push({ inputs: [`${k}:${kind}`], filters: [filter(kind === 'v' ? 'split' : 'asplit', { outputs: outs.length })], outputs: outs });
      g.pieces.forEach((i, j) => into.set(i, outs[j]!));
    };
    split('v', videoIn);
    if (opts.withAudio && src.hasAudio) split('a', audioIn);
  });

  const pieceGroup = new Map<number, Group>();
  for (const g of groups) for (const i of g.pieces) pieceGroup.set(i, g);
  const concatInputs: string[] = [];
  pieces.forEach((p, i) => {
    const g = pieceGroup.get(i)!;
    const src = sources[p.source]!;
    const d = pieceDuration(p);
    const rel = { start: num(p.start - g.start), end: num(p.end - g.start) };
    // concat wants every segment to start at 0; a lone piece (a preview) starts at `offset`.
    const offset = pieces.length === 1 ? (opts.offset ?? 0) : 0;
    const pts = `(PTS-STARTPTS)${p.speed !== 1 ? `/${num(p.speed)}` : ''}${offset > 0 ? `+${num(offset)}/TB` : ''}`;
    const video: Filter[] = [filter('trim', rel), filter('setpts', { expr: pts })];
    if (src.width !== canvas.width || src.height !== canvas.height) {
      video.push(
        filter('scale', { w: canvas.width, h: canvas.height, force_original_aspect_ratio: 'decrease', force_divisible_by: 2 }),
        filter('pad', { w: canvas.width, h: canvas.height, x: '(ow-iw)/2', y: '(oh-ih)/2', color: 'black' }),
      );
    }
    video.push(filter('setsar', { r: 1 }));
    chains.push({ inputs: [videoIn.get(i)!], filters: video, outputs: [`v${i}`] });
    concatInputs.push(`v${i}`);
    if (opts.withAudio) {
      const fmt = filter('aformat', { sample_fmts: 'fltp', sample_rates: AUDIO_RATE, channel_layouts: 'stereo' });
      // Exactly the piece's length, so audio and video stay together across the joins.
      const exact = [filter('apad', { whole_dur: num(d) }), filter('atrim', { duration: num(d) })];
      if (src.hasAudio) {
        const tempo = atempoChain(p.speed).map((f) => filter('atempo', { tempo: f }));
        chains.push({ inputs: [audioIn.get(i)!], filters: [filter('atrim', rel), filter('asetpts', { expr: 'PTS-STARTPTS' }), ...tempo, fmt, ...exact], outputs: [`a${i}`] });
      } else {
        chains.push({ filters: [filter('aevalsrc', { exprs: '0', c: 'stereo', s: AUDIO_RATE, d: num(d) }), fmt, ...exact], outputs: [`a${i}`] });
      }
      concatInputs.push(`a${i}`);
    }
  });

  if (pieces.length === 1) {
    return { inputArgs, chains, video: 'v0', audio: opts.withAudio ? 'a0' : undefined, inputCount: groups.length };
  }
  const outputs = opts.withAudio ? ['vcat', 'acat'] : ['vcat'];
  chains.push({ inputs: concatInputs, filters: [filter('concat', { n: pieces.length, v: 1, a: opts.withAudio ? 1 : 0 })], outputs });
  return { inputArgs, chains, video: 'vcat', audio: opts.withAudio ? 'acat' : undefined, inputCount: groups.length };
}
