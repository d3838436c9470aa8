/**
 * Section segmentation and labelling.
 *
 * Units are beats (or fixed blocks when there is no beat). Each unit gets timbre (MFCC-like
 * cepstrum of the mel spectrum), harmony (chroma) and loudness; a self-similarity matrix of the
 * standardised features is scanned with a Gaussian-tapered checkerboard kernel (Foote novelty);
 * novelty peaks become boundaries, snapped to downbeats (or, without beats, to the quietest
 * moment nearby). Sections are grouped by mutual similarity and labelled from energy and
 * repetition: the loudest repeated group is the chorus, a quiet first section that does not
 * recur the intro, the last section the outro, a one-off section after the first chorus a
 * bridge, the rest verses.
 */
import { aggregateFrames } from './beat-sync.js';
import { meanEnergy, type EnergyCurve } from './energy.js';
import type { SpectralFeatures } from './spectrogram.js';

export type SectionLabel = 'intro' | 'verse' | 'chorus' | 'bridge' | 'outro';

export interface Section {
  start: number;
  end: number;
  label: SectionLabel;
  /** Mean loudness of the section on the 0..1 energy scale. */
  energy: number;
}

export interface SectionInput {
  features: SpectralFeatures;
  energy: EnergyCurve;
  duration: number;
  /** Beat times; empty when the audio has no beat (phrase mode). */
  beats: readonly number[];
  downbeats: readonly number[];
  beatsPerBar: number;
}

export interface SectionOptions {
  /** Minimum section length in bars (beat mode). */
  minBars?: number;
  /** Minimum section length in seconds (phrase mode). */
  minSeconds?: number;
  /** Novelty peak threshold: mean + k·std of the novelty curve. */
  thresholdStd?: number;
  /** Phrase mode: split sections longer than this at their quietest moment (s). */
  maxPhraseSeconds?: number;
}

const N_CEPS = 12;

/** Unit boundaries (start times) covering [0, duration). */
function makeUnits(input: SectionInput): { starts: number[]; mode: 'beats' | 'blocks'; perBar: number } {
  const { beats, duration } = input;
  if (beats.length >= 16) {
    let starts = beats[0]! > 0.05 ? [0, ...beats] : [...beats];
    // Keep the matrix small for very long audio: group beats.
    let group = 1;
    while (starts.length / group > 1200) group *= 2;
    if (group > 1) starts = starts.filter((_, i) => i % group === 0);
    return { starts, mode: 'beats', perBar: input.beatsPerBar / group };
  }
  const block = Math.max(0.5, duration / 800);
  const starts: number[] = [];
  for (let t = 0; t < duration; t += block) starts.push(t);
  if (starts.length === 0) starts.push(0);
  return { starts, mode: 'blocks', perBar: 2 / block };
}

/** Feature matrix (units × dims), standardised, with groups scaled to equal weight. */
function unitFeatures(input: SectionInput, starts: number[]): { x: Float64Array; dim: number; loud: Float64Array } {
  const f = input.features;
  const nU = starts.length;
  const mel = aggregateFrames(f.mel, f.nMels, f.frameRate, starts, input.duration);
  const chroma = aggregateFrames(f.chroma, 12, f.frameRate, starts, input.duration, f.nfft / 2 / f.sampleRate);
  const dim = N_CEPS + 12 + 1;
  const x = new Float64Array(nU * dim);
  const loud = new Float64Array(nU);
  const m = f.nMels;
  const logm = new Float64Array(m);
  let maxMel = 0;
  for (let i = 0; i < mel.length; i++) if (mel[i]! > maxMel) maxMel = mel[i]!;
  const floor = Math.max(1e-20, maxMel * 1e-9);
  // DCT-II basis, coefficients 1..N_CEPS.
  const basis = new Float64Array(N_CEPS * m);
  for (let c = 1; c <= N_CEPS; c++) for (let b = 0; b < m; b++) basis[(c - 1) * m + b] = Math.cos((Math.PI * c * (b + 0.5)) / m);
  for (let u = 0; u < nU; u++) {
    let tot = 0;
    for (let b = 0; b < m; b++) {
      const p = mel[u * m + b]!;
      tot += p;
      logm[b] = Math.log(Math.max(p, floor));
    }
    loud[u] = 10 * Math.log10(Math.max(tot, floor));
    // DCT-II of the log mel spectrum, coefficients 1..N_CEPS (timbre, level removed).
    for (let c = 1; c <= N_CEPS; c++) {
      let s = 0;
      const o = (c - 1) * m;
      for (let b = 0; b < m; b++) s += logm[b]! * basis[o + b]!;
      x[u * dim + c - 1] = s;
    }
    let cs = 0;
    for (let k = 0; k < 12; k++) cs += chroma[u * 12 + k]!;
    for (let k = 0; k < 12; k++) x[u * dim + N_CEPS + k] = cs > 0 ? chroma[u * 12 + k]! / cs : 0;
    x[u * dim + dim - 1] = loud[u]!;
  }
  // Standardise each dimension, then weight groups: timbre, harmony, loudness.
  const groupW = (d: number): number => (d < N_CEPS ? 1 / Math.sqrt(N_CEPS) : d < N_CEPS + 12 ? 1 / Math.sqrt(12) : 1);
  for (let d = 0; d < dim; d++) {
    let mean = 0;
    for (let u = 0; u < nU; u++) mean += x[u * dim + d]!;
    mean /= Math.max(1, nU);
    let v = 0;
    for (let u = 0; u < nU; u++) v += (x[u * dim + d]! - mean) ** 2;
    const sd = Math.sqrt(v / Math.max(1, nU));
    const w = groupW(d);
    for (let u = 0; u < nU; u++) x[u * dim + d] = sd > 1e-9 ? ((x[u * dim + d]! - mean) / sd) * w : 0;
  }
  return { x, dim, loud };
}

/** Similarity matrix exp(−d²/median(d²)). */
function selfSimilarity(x: Float64Array, dim: number, n: number): Float32Array {
  const d2 = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) {
        const t = x[i * dim + k]! - x[j * dim + k]!;
        s += t * t;
      }
      d2[i * n + j] = s;
      d2[j * n + i] = s;
    }
  }
  const step = Math.max(1, Math.floor((n * n) / 20000));
  const picked = new Float64Array(Math.ceil((n * n) / step));
  let cnt = 0;
  for (let i = 0; i < n * n; i += step) if (i % (n + 1) !== 0) picked[cnt++] = d2[i]!;
  const sample = picked.subarray(0, cnt).sort();
  const med = sample.length > 0 ? sample[Math.floor(sample.length / 2)]! : 1;
  const scale = med > 1e-12 ? 1 / med : 1;
  const S = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) S[i] = Math.exp(-d2[i]! * scale);
  return S;
}

/** Foote novelty: nov[i] scores a boundary at the start of unit i. */
export function checkerboardNovelty(S: Float32Array, n: number, half: number): Float64Array {
  const g = new Float64Array(half + 1);
  const sigma = half / 2;
  for (let a = 1; a <= half; a++) g[a] = Math.exp(-0.5 * ((a - 0.5) / sigma) ** 2);
  const nov = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    let s = 0;
    let w = 0;
    for (let a = 1; a <= half; a++) {
      const pa = i - a; // past unit
      const fa = i + a - 1; // future unit
      for (let b = 1; b <= half; b++) {
        const pb = i - b;
        const fb = i + b - 1;
        const wt = g[a]! * g[b]!;
        if (pa >= 0 && pb >= 0) { s += wt * S[pa * n + pb]!; w += wt; }
        if (fa < n && fb < n) { s += wt * S[fa * n + fb]!; w += wt; }
        if (pa >= 0 && fb < n) { s -= wt * S[pa * n + fb]!; w += wt; }
        if (fa < n && pb >= 0) { s -= wt * S[fa * n + pb]!; w += wt; }
      }
    }
    nov[i] = w > 0 ? (2 * s) / w : 0;
  }
  return nov;
}

function pickPeaks(nov: Float64Array, minSep: number, k: number): number[] {
  const n = nov.length;
  // Units within minSep/2 of either end can never be boundaries. Their novelty is mostly the
  // change from the lead-in silence into the music (or from the music into the tail), often the
  // largest values of the curve: left in, they would raise the threshold above real section
  // changes and, as local maxima, suppress a real boundary a few bars from either end.
  const lo = Math.max(1, Math.ceil(minSep / 2));
  const hi = Math.min(n - 1, Math.floor(n - minSep / 2));
  const m = Math.max(1, hi - lo + 1);
  let mean = 0;
  for (let i = lo; i <= hi; i++) mean += nov[i]!;
  mean /= m;
  let v = 0;
  for (let i = lo; i <= hi; i++) v += (nov[i]! - mean) ** 2;
  const thr = mean + k * Math.sqrt(v / m);
  const cands: number[] = [];
  const r = Math.max(1, Math.floor(minSep / 2));
  for (let i = lo; i <= hi; i++) {
    if (nov[i]! <= thr) continue;
    let isMax = true;
    for (let j = Math.max(lo, i - r); j <= Math.min(hi, i + r); j++) {
      if (nov[j]! > nov[i]! || (nov[j] === nov[i] && j < i)) { isMax = false; break; }
    }
    if (isMax) cands.push(i);
  }
  // Strongest first, enforce the minimum separation (also from both ends).
  cands.sort((a, b) => nov[b]! - nov[a]!);
  const chosen: number[] = [];
  for (const c of cands) {
    if (c < minSep / 2 || n - c < minSep / 2) continue;
    if (chosen.every((o) => Math.abs(o - c) >= minSep)) chosen.push(c);
  }
  return chosen.sort((a, b) => a - b);
}

function nearest(list: readonly number[], t: number): number {
  let best = list[0]!;
  for (const v of list) if (Math.abs(v - t) < Math.abs(best - t)) best = v;
  return best;
}

export function segmentSections(input: SectionInput, opts: SectionOptions = {}): Section[] {
  const { duration } = input;
  if (!(duration > 0)) return [];
  const { starts, mode, perBar } = makeUnits(input);
  const n = starts.length;
  const whole = (): Section[] => [{ start: 0, end: duration, label: 'verse', energy: meanEnergy(input.energy, 0, duration) }];
  if (n < 8) return whole();
  const { x, dim } = unitFeatures(input, starts);
  const S = selfSimilarity(x, dim, n);
  const minBars = opts.minBars ?? 4;
  const minUnits = mode === 'beats' ? Math.max(4, Math.round(minBars * perBar)) : Math.max(4, Math.round((opts.minSeconds ?? 8) / (starts[1]! - starts[0]!)));
  const half = minUnits;
  const nov = checkerboardNovelty(S, n, half);
  const peaks = pickPeaks(nov, minUnits, opts.thresholdStd ?? 0.5);

  // Boundary times, snapped.
  let bounds = peaks.map((i) => starts[i]!);
  if (mode === 'beats' && input.downbeats.length > 0) {
    bounds = bounds.map((t) => nearest(input.downbeats, t));
  } else if (mode === 'blocks') {
    bounds = bounds.map((t) => quietestNear(input.energy, t, 2.5));
  }
  const minGap = mode === 'beats' ? (minUnits * (duration / Math.max(1, n))) / 2 : (opts.minSeconds ?? 8) / 2;
  const cuts: number[] = [];
  for (const t of [...new Set(bounds)].sort((a, b) => a - b)) {
    if (t <= minGap / 2 || duration - t <= minGap / 2) continue;
    if (cuts.length === 0 || t - cuts[cuts.length - 1]! >= minGap) cuts.push(t);
  }
  if (mode === 'blocks') splitLongPhrases(cuts, input.energy, duration, opts.minSeconds ?? 8, opts.maxPhraseSeconds ?? 24);
  const edges = [0, ...cuts, duration];
  const spans = edges.slice(0, -1).map((s, i) => ({ start: s, end: edges[i + 1]! }));
  const unitIdx = (t: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= t + 1e-6) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const ranges = spans.map(({ start, end }) => {
    const a = unitIdx(start);
    const b = Math.max(a + 1, end >= duration ? n : unitIdx(end));
    return { a, b };
  });
  // Repetition-based labels need musical units; in phrase mode (speech, free time) only
  // energy is trusted.
  const labels = labelSections(S, n, ranges, spans.map((s) => meanEnergy(input.energy, s.start, s.end)), mode === 'beats');
  return spans.map((s, i) => ({ start: s.start, end: s.end, label: labels[i]!, energy: meanEnergy(input.energy, s.start, s.end) }));
}

/**
 * Phrase mode: speech or free-time music rarely has strong timbre changes, so long stretches
 * are split at their quietest moment (a pause), keeping pieces at least `minLen` long.
 * Mutates and keeps `cuts` sorted.
 */
function splitLongPhrases(cuts: number[], curve: EnergyCurve, duration: number, minLen: number, maxLen: number): void {
  // Smooth the energy over ~0.4 s so a pause is a short stretch, not a single quiet block.
  const w = Math.max(1, Math.round(curve.hz * 0.2));
  const v = curve.values;
  const smooth = v.map((_, k) => {
    let s = 0;
    let c = 0;
    for (let j = Math.max(0, k - w); j <= Math.min(v.length - 1, k + w); j++) {
      s += v[j]!;
      c++;
    }
    return s / c;
  });
  for (let guard = 0; guard < 1000; guard++) {
    const edges = [0, ...cuts, duration];
    let split = -1;
    for (let i = 0; i + 1 < edges.length; i++) {
      const a = edges[i]!;
      const b = edges[i + 1]!;
      if (b - a <= maxLen) continue;
      let best = -1;
      let bv = Infinity;
      for (let k = Math.ceil((a + minLen) * curve.hz); k <= Math.floor((b - minLen) * curve.hz) && k < smooth.length; k++) {
        if (smooth[k]! < bv) {
          bv = smooth[k]!;
          best = k;
        }
      }
      if (best >= 0) {
        split = quietestNear(curve, best / curve.hz, 0.3);
        break;
      }
    }
    if (split < 0) return;
    cuts.push(split);
    cuts.sort((x, y) => x - y);
  }
}

/** The quietest moment within ±radius of t (slightly favouring nearby ones): a pause. */
function quietestNear(curve: EnergyCurve, t: number, radius: number): number {
  const v = curve.values;
  const a = Math.max(0, Math.floor((t - radius) * curve.hz));
  const b = Math.min(v.length - 1, Math.ceil((t + radius) * curve.hz));
  let best = Math.min(v.length - 1, Math.max(0, Math.round(t * curve.hz)));
  let bv = Infinity;
  for (let k = a; k <= b; k++) {
    // Energy of a 3-block neighbourhood, so a single quiet block inside a word does not win.
    const e = (v[k]! + (v[k - 1] ?? v[k]!) + (v[k + 1] ?? v[k]!)) / 3;
    const score = e + (0.02 * Math.abs(k / curve.hz - t)) / radius;
    if (score < bv) {
      bv = score;
      best = k;
    }
  }
  return best / curve.hz;
}

function blockMean(S: Float32Array, n: number, r1: { a: number; b: number }, r2: { a: number; b: number }): number {
  let s = 0;
  let c = 0;
  for (let i = r1.a; i < r1.b; i++) {
    for (let j = r2.a; j < r2.b; j++) {
      if (i === j) continue;
      s += S[i * n + j]!;
      c++;
    }
  }
  return c > 0 ? s / c : 0;
}

/** Labels from repetition groups and energy (see module comment). */
export function labelSections(
  S: Float32Array,
  n: number,
  ranges: { a: number; b: number }[],
  energy: number[],
  useRepetition = true,
): SectionLabel[] {
  const k = ranges.length;
  if (k === 1) return ['verse'];
  const self = ranges.map((r) => blockMean(S, n, r, r));
  // Union-find groups of mutually similar sections.
  const parent = ranges.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const cross = blockMean(S, n, ranges[i]!, ranges[j]!);
      const norm = cross / Math.sqrt(Math.max(1e-9, self[i]! * self[j]!));
      if (useRepetition && norm >= 0.8) parent[find(j)] = find(i);
    }
  }
  const group = ranges.map((_, i) => find(i));
  const members = new Map<number, number[]>();
  group.forEach((g, i) => members.set(g, [...(members.get(g) ?? []), i]));
  const maxE = Math.max(...energy);
  const labels: SectionLabel[] = new Array(k).fill('verse');
  // Chorus: the loudest repeated group; else the loudest section that is not first or last.
  let chorusGroup = -1;
  let bestE = -Infinity;
  for (const [g, idx] of members) {
    if (idx.length < 2) continue;
    const e = idx.reduce((a, i) => a + energy[i]!, 0) / idx.length;
    if (e > bestE) {
      bestE = e;
      chorusGroup = g;
    }
  }
  if (chorusGroup >= 0) {
    // A repeated group only counts as the chorus if it is among the louder parts of the song.
    if (bestE < maxE - 0.15) chorusGroup = -1;
  }
  if (chorusGroup >= 0) {
    for (const i of members.get(chorusGroup)!) labels[i] = 'chorus';
  } else if (k >= 3) {
    // No repeated loud part: the loudest inner section is the chorus if it stands out.
    let arg = 1;
    for (let i = 1; i < k - 1; i++) if (energy[i]! > energy[arg]!) arg = i;
    const sorted = [...energy].sort((x, y) => x - y);
    const median = sorted[Math.floor(k / 2)]!;
    if (energy[arg]! >= median + 0.1) labels[arg] = 'chorus';
  }
  const low = (i: number): boolean => energy[i]! < maxE - 0.08;
  // An intro is quiet and does not come back later in the song (except, maybe, as the outro).
  const introUnique = members.get(group[0]!)!.every((i) => i === 0 || i === k - 1);
  if (labels[0] !== 'chorus' && low(0) && introUnique) labels[0] = 'intro';
  if (k >= 3 && (labels[k - 1] !== 'chorus' || low(k - 1))) labels[k - 1] = 'outro';
  const firstChorus = labels.indexOf('chorus');
  if (firstChorus >= 0) {
    for (let i = firstChorus + 1; i < k - 1; i++) {
      if (labels[i] === 'verse' && members.get(group[i]!)!.length === 1) labels[i] = 'bridge';
    }
  }
  return labels;
}
