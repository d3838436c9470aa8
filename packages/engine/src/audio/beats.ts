/**
 * Dynamic-programming beat tracking (Ellis 2007): choose beat frames maximising the onset
 * strength at the beats minus a penalty α·log²(interval / period) on every inter-beat interval.
 * The period may vary with time (tempo segments); near an uncertain tempo change both the old and
 * the new period are allowed. Beats are then refined to the strongest onset peak within ±30 ms.
 */
import type { OnsetEnvelope } from './onset.js';
import { refineOnsetTimes } from './onset.js';
import type { TempoEstimate, TempoSegment } from './tempo.js';

export interface BeatTrackOptions {
  /** α: how strongly the intervals are held to the period (librosa's default is 100). */
  tightness?: number;
  /** Refinement radius (s). 0 disables refinement. */
  refineRadius?: number;
  /** Trim leading/trailing beats whose onset strength is below this fraction of the beats' RMS. */
  trimThreshold?: number;
}

/** Beat frames (integers) from the onset envelope and per-frame periods. */
export function trackBeatFrames(
  env: OnsetEnvelope,
  periodAt: Float32Array,
  periodAltAt: Float32Array,
  opts: BeatTrackOptions = {},
): number[] {
  const n = env.length;
  const alpha = opts.tightness ?? 100;
  const x = env.strength;
  if (n === 0) return [];
  // Local score: strength smoothed by a narrow Gaussian (σ = period/32), as in Ellis/librosa.
  let meanPeriod = 0;
  let cnt = 0;
  for (let t = 0; t < n; t++) if (periodAt[t]! > 0) { meanPeriod += periodAt[t]!; cnt++; }
  if (cnt === 0) return [];
  meanPeriod /= cnt;
  const sigma = Math.max(0.5, meanPeriod / 32);
  const half = Math.ceil(3 * sigma);
  const kern = new Float64Array(2 * half + 1);
  let ks = 0;
  for (let i = -half; i <= half; i++) ks += (kern[i + half] = Math.exp(-0.5 * (i / sigma) ** 2));
  const local = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let i = -half; i <= half; i++) {
      const u = t + i;
      if (u >= 0 && u < n) s += kern[i + half]! * x[u]!;
    }
    local[t] = s / ks;
  }
  const cum = new Float64Array(n);
  const back = new Int32Array(n).fill(-1);
  // log(d / p) = log d − log p: one table of log d for the integer intervals instead of a
  // logarithm per (beat, predecessor) pair.
  let pTop = 0;
  for (let t = 0; t < n; t++) pTop = Math.max(pTop, periodAt[t]!, periodAltAt[t]!);
  const logD = new Float64Array(Math.ceil(2 * pTop) + 2);
  for (let d = 1; d < logD.length; d++) logD[d] = Math.log(d);
  for (let t = 0; t < n; t++) {
    const p1 = periodAt[t]!;
    const p2 = periodAltAt[t]! || p1;
    const pMax = Math.max(p1, p2);
    const pMin = Math.min(p1, p2);
    const jLo = Math.max(0, Math.floor(t - 2 * pMax));
    const jHi = Math.floor(t - pMin / 2);
    const lp1 = Math.log(p1);
    const lp2 = Math.log(p2);
    const two = p2 !== p1;
    let best = -Infinity;
    let bestJ = -1;
    for (let j = jHi; j >= jLo; j--) {
      const ld = logD[t - j]!;
      const l1 = ld - lp1;
      let pen = l1 * l1;
      if (two) {
        const l2 = ld - lp2;
        if (l2 * l2 < pen) pen = l2 * l2;
      }
      const s = cum[j]! - alpha * pen;
      if (s > best) {
        best = s;
        bestJ = j;
      }
    }
    // A beat either continues the best chain or, when linking costs more than it gains (e.g.
    // the first real onset after a spurious one at the very start), starts a new chain.
    if (bestJ >= 0 && best > 0) {
      cum[t] = local[t]! + best;
      back[t] = bestJ;
    } else {
      cum[t] = local[t]!;
      back[t] = -1;
    }
  }
  // Last beat: the last local maximum of the cumulative score above half the median maximum.
  const maxima: number[] = [];
  for (let t = 1; t < n - 1; t++) if (cum[t]! > cum[t - 1]! && cum[t]! >= cum[t + 1]!) maxima.push(t);
  if (maxima.length === 0) return [];
  const vals = maxima.map((t) => cum[t]!).sort((a, b) => a - b);
  const med = vals[Math.floor(vals.length / 2)]!;
  let last = maxima[maxima.length - 1]!;
  for (let k = maxima.length - 1; k >= 0; k--) {
    if (cum[maxima[k]!]! >= 0.5 * med) {
      last = maxima[k]!;
      break;
    }
  }
  const frames: number[] = [];
  for (let t = last; t >= 0; t = back[t]!) {
    frames.push(t);
    if (back[t]! < 0) break;
  }
  frames.reverse();
  return trimWeak(frames, local, opts.trimThreshold ?? 0.1);
}

/**
 * Remove leading and trailing beats without onset support (the DP happily extends the grid
 * into silence or noise before the music starts and after it ends): from each end, drop beats
 * whose local onset score is below `frac` × the RMS of the beats' scores.
 */
function trimWeak(frames: number[], local: Float64Array, frac: number): number[] {
  if (frames.length < 3) return frames;
  const n = local.length;
  const vals = frames.map((f) => Math.max(local[f]!, f > 0 ? local[f - 1]! : 0, f + 1 < n ? local[f + 1]! : 0));
  const rms = Math.sqrt(vals.reduce((a, v) => a + v * v, 0) / vals.length);
  const thr = frac * rms;
  let a = 0;
  let b = frames.length;
  while (a < b && vals[a]! < thr) a++;
  while (b > a && vals[b - 1]! < thr) b--;
  return frames.slice(a, b);
}

/** Beat times (s): DP on frames, then refinement on a fine onset curve around each beat. */
export function trackBeats(
  samples: Float32Array,
  sampleRate: number,
  env: OnsetEnvelope,
  tempo: TempoEstimate,
  opts: BeatTrackOptions = {},
): number[] {
  const frames = trackBeatFrames(env, tempo.periodAt, tempo.periodAltAt, opts);
  const times = frames.map((f) => f / env.frameRate);
  const radius = opts.refineRadius ?? 0.03;
  if (radius <= 0 || times.length === 0) return times;
  const offsets = refineOnsetTimes(samples, sampleRate, times, radius);
  const out = times.map((t, i) => Math.max(0, t + offsets[i]!));
  // Keep strictly increasing (refinement can never reorder beats ≥ 60 ms apart, but be safe).
  for (let i = 1; i < out.length; i++) if (out[i]! <= out[i - 1]!) out[i] = out[i - 1]! + 1e-3;
  return out;
}

/** Least-squares tempo (BPM) of a run of beats: slope of beat time against beat index. */
export function tempoFromBeats(beats: readonly number[]): number {
  const n = beats.length;
  if (n < 3) return 0;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += i;
    sy += beats[i]!;
    sxx += i * i;
    sxy += i * beats[i]!;
  }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return slope > 0 ? 60 / slope : 0;
}

/**
 * Re-derive tempo segments from tracked beats: place each change at the beat where the
 * inter-beat interval switches from one segment's period to the next, and measure each
 * segment's tempo by regression over its beats.
 */
export function refineTempoSegments(beats: readonly number[], segments: readonly TempoSegment[]): TempoSegment[] {
  if (beats.length < 4 || segments.length === 0) return segments.map((s) => ({ ...s }));
  const cuts: number[] = [0];
  for (let s = 1; s < segments.length; s++) {
    const p1 = 60 / segments[s - 1]!.bpm;
    const p2 = 60 / segments[s]!.bpm;
    const bt = segments[s]!.start;
    let bestK = -1;
    let bestCost = Infinity;
    const lo = Math.max(cuts[cuts.length - 1]! + 2, 1);
    for (let k = lo; k < beats.length - 2; k++) {
      if (Math.abs(beats[k]! - bt) > 12) continue;
      let cost = 0;
      for (let i = Math.max(1, k - 12); i < Math.min(beats.length, k + 12); i++) {
        const ibi = beats[i]! - beats[i - 1]!;
        const p = i <= k ? p1 : p2;
        cost += Math.log(ibi / p) ** 2;
      }
      if (cost < bestCost) {
        bestCost = cost;
        bestK = k;
      }
    }
    if (bestK > 0) cuts.push(bestK);
  }
  cuts.push(beats.length - 1);
  const out: TempoSegment[] = [];
  for (let s = 0; s + 1 < cuts.length; s++) {
    const run = beats.slice(cuts[s], cuts[s + 1]! + 1);
    const bpm = tempoFromBeats(run) || segments[Math.min(s, segments.length - 1)]!.bpm;
    out.push({
      start: s === 0 ? Math.min(segments[0]!.start, run[0]!) : run[0]!,
      end: s + 2 === cuts.length ? Math.max(segments[segments.length - 1]!.end, run[run.length - 1]!) : run[run.length - 1]!,
      bpm,
    });
  }
  return out;
}
