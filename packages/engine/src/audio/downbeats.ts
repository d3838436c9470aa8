/**
 * Bar phase (downbeats) and meter from tracked beats. Each beat gets an accent score — low-band
 * onset, overall onset, attack level, low-band energy and harmonic (chroma) change, each
 * z-scored and weighted by how clearly it marks one position of the bar — and a
 * Viterbi pass over bar positions picks the phase whose downbeats carry the most accent, with a
 * penalty for phase jumps (so a bar of 2 inserted in a song can be followed). 4/4 is assumed;
 * 3/4 is chosen only when its accent contrast is clearly better.
 */
import { aggregateFrames, zscore } from './beat-sync.js';
import type { OnsetEnvelope } from './onset.js';
import type { SpectralFeatures } from './spectrogram.js';

export interface DownbeatOptions {
  /** Cost of a phase jump in accent z-units. */
  jumpPenalty?: number;
  /** Allow 3/4 when clearly better. */
  allowTriple?: boolean;
}

export interface DownbeatResult {
  downbeats: number[];
  beatsPerBar: number;
  /** Bar position (0 = downbeat) of every beat. */
  positions: number[];
  /** Mean accent at downbeats minus mean accent elsewhere (z-units). */
  contrast: number;
}

/** Accent features per beat, each z-scored over the beats. */
export function beatAccents(beats: readonly number[], env: OnsetEnvelope, feats: SpectralFeatures, duration: number): AccentFeatures {
  const fr = env.frameRate;
  const n = env.length;
  const peak = (arr: Float32Array, t: number): number => {
    const c = Math.round(t * fr);
    let m = 0;
    for (let i = Math.max(0, c - 2); i <= Math.min(n - 1, c + 2); i++) if (arr[i]! > m) m = arr[i]!;
    return m;
  };
  const lowOn = beats.map((b) => peak(env.lowFlux, b));
  // Loudness of the attack: peak frame level (dB) near the beat.
  const level = beats.map((b) => {
    const c = Math.round(b * fr);
    let m = -Infinity;
    for (let i = Math.max(0, c - 1); i <= Math.min(n - 1, c + 2); i++) if (env.levelDb[i]! > m) m = env.levelDb[i]!;
    return Number.isFinite(m) ? m : 0;
  });
  const on = beats.map((b) => peak(env.strength, b));
  // Low-band level over the first half of each beat.
  const lowE = beats.map((b, i) => {
    const end = i + 1 < beats.length ? (b + beats[i + 1]!) / 2 : b + 0.1;
    const a = Math.max(0, Math.floor(b * fr));
    const z = Math.min(n, Math.max(a + 1, Math.ceil(end * fr)));
    let s = 0;
    for (let f = a; f < z; f++) s += env.lowDb[f]!;
    return s / Math.max(1, z - a);
  });
  // Harmonic change: cosine distance between the chroma of this beat and the previous one.
  const chroma = aggregateFrames(feats.chroma, 12, feats.frameRate, beats, duration, feats.nfft / 2 / feats.sampleRate);
  const harm = beats.map((_, i) => {
    if (i === 0) return 0;
    let dot = 0, na = 0, nb = 0;
    for (let k = 0; k < 12; k++) {
      const a = Math.sqrt(chroma[i * 12 + k]!);
      const b = Math.sqrt(chroma[(i - 1) * 12 + k]!);
      dot += a * b;
      na += a * a;
      nb += b * b;
    }
    return na > 0 && nb > 0 ? 1 - dot / Math.sqrt(na * nb) : 0;
  });
  return { lowOn: zscore(lowOn), on: zscore(on), lowE: zscore(lowE), harm: zscore(harm), level: zscore(level) };
}

export interface AccentFeatures {
  /** Low-band onset at the beat. */
  lowOn: number[];
  /** Overall onset at the beat. */
  on: number[];
  /** Low-band level over the beat. */
  lowE: number[];
  /** Chroma change from the previous beat. */
  harm: number[];
  /** Peak level (dB) of the attack. */
  level: number[];
}

/**
 * Mix the accent features for meter m. Each feature is weighted by how clearly it singles out
 * one position of the m-beat cycle: the gap between its best and second-best phase means.
 * Features without bar structure (the low band of a click track) or ambiguous ones (chroma
 * change of a two-pitch metronome marks beats 1 and 2 alike) get little weight.
 */
export function mixAccents(f: AccentFeatures, m: number): number[] {
  const list = [f.lowOn, f.on, f.lowE, f.harm, f.level];
  const priorW = [1, 0.8, 0.5, 0.6, 0.8];
  const n = f.on.length;
  const acc = new Array<number>(n).fill(0);
  let wSum = 0;
  list.forEach((z, k) => {
    const w = priorW[k]! * phaseGap(z, m);
    wSum += w;
    for (let i = 0; i < n; i++) acc[i] = acc[i]! + w * z[i]!;
  });
  if (wSum <= 0) {
    // Nothing marks the bar: fall back to the plain onset.
    return f.on.slice();
  }
  return zscore(acc);
}

/** Gap between the best and second-best mean of z over phases mod m. */
function phaseGap(z: readonly number[], m: number): number {
  const sum = new Float64Array(m);
  const cnt = new Float64Array(m);
  z.forEach((v, i) => {
    sum[i % m] = sum[i % m]! + v;
    cnt[i % m] = cnt[i % m]! + 1;
  });
  const means = Array.from(sum, (s, p) => (cnt[p]! > 0 ? s / cnt[p]! : -Infinity)).sort((a, b) => b - a);
  return means.length > 1 && Number.isFinite(means[1]!) ? Math.max(0, means[0]! - means[1]!) : 0;
}

/** Viterbi over bar positions for meter m. Returns positions and the path score. */
function barPhase(acc: readonly number[], m: number, jump: number): { positions: number[]; score: number } {
  const n = acc.length;
  const emit = (p: number, a: number): number => (p === 0 ? a : -a / (m - 1));
  let score = new Float64Array(m);
  const back: Int8Array[] = [];
  for (let p = 0; p < m; p++) score[p] = emit(p, acc[0]!);
  for (let i = 1; i < n; i++) {
    const next = new Float64Array(m);
    const bk = new Int8Array(m);
    for (let p = 0; p < m; p++) {
      let best = -Infinity;
      let arg = 0;
      for (let q = 0; q < m; q++) {
        const s = score[q]! - ((q + 1) % m === p ? 0 : jump);
        if (s > best) {
          best = s;
          arg = q;
        }
      }
      next[p] = best + emit(p, acc[i]!);
      bk[p] = arg;
    }
    back.push(bk);
    score = next;
  }
  let p = 0;
  for (let q = 1; q < m; q++) if (score[q]! > score[p]!) p = q;
  const best = score[p]!;
  const positions = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    positions[i] = p;
    if (i > 0) p = back[i - 1]![p]!;
  }
  return { positions, score: best };
}

/** Mean accent at downbeats minus mean accent at the other beats. */
function contrastOf(acc: readonly number[], positions: readonly number[]): number {
  let sd = 0, cd = 0, so = 0, co = 0;
  acc.forEach((a, i) => {
    if (positions[i] === 0) {
      sd += a;
      cd++;
    } else {
      so += a;
      co++;
    }
  });
  return cd > 0 && co > 0 ? sd / cd - so / co : 0;
}

export function estimateDownbeats(
  beats: readonly number[],
  env: OnsetEnvelope,
  feats: SpectralFeatures,
  duration: number,
  opts: DownbeatOptions = {},
): DownbeatResult {
  if (beats.length < 2) {
    return { downbeats: beats.slice(0, 1), beatsPerBar: 4, positions: beats.map(() => 0), contrast: 0 };
  }
  const features = beatAccents(beats, env, feats, duration);
  const jump = opts.jumpPenalty ?? 4;
  const acc4 = mixAccents(features, 4);
  const four = barPhase(acc4, 4, jump);
  let choice = { m: 4, positions: four.positions, contrast: contrastOf(acc4, four.positions) };
  if (opts.allowTriple ?? true) {
    const acc3 = mixAccents(features, 3);
    const three = barPhase(acc3, 3, jump);
    const c3 = contrastOf(acc3, three.positions);
    if (c3 > 1.3 * choice.contrast + 0.2) choice = { m: 3, positions: three.positions, contrast: c3 };
  }
  return {
    downbeats: beats.filter((_, i) => choice.positions[i] === 0),
    beatsPerBar: choice.m,
    positions: choice.positions,
    contrast: choice.contrast,
  };
}
