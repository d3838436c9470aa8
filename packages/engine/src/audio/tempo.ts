/**
 * Tempo from the onset envelope's autocorrelation.
 *
 * 1. Global: a comb over the autocorrelation at multiples of the period (sharpens the peak and
 *    penalises double-time candidates) times a log-normal prior around 120 BPM picks a period
 *    in 60–200 BPM.
 * 2. Octave: the candidate and its ×2 / ÷2 partner in range are compared by the onset energy
 *    half way between the slower level's pulses: strong events there mean the faster level is
 *    the beat; weak ones mean they are sub-divisions. Ambiguous cases fall back to the prior.
 * 3. Local: a windowed autocorrelation (tempogram) gives a local tempo in the same octave; a
 *    piecewise-constant fit splits it into tempo segments.
 */
import type { OnsetEnvelope } from './onset.js';

export interface TempoOptions {
  minBpm?: number;
  maxBpm?: number;
  /** Centre of the log-normal tempo prior. */
  priorBpm?: number;
  /** Width of the prior in octaves (standard deviation). */
  priorOctaves?: number;
  /** Tempogram window (s). */
  windowSeconds?: number;
  /** Tempogram hop (s). */
  hopSeconds?: number;
}

export interface TempoSegment {
  /** Seconds. */
  start: number;
  end: number;
  bpm: number;
}

export interface TempoEstimate {
  /** Dominant tempo (BPM) — the tempo of the longest segment. */
  bpm: number;
  /** 0..1: periodicity strength combined with how clear the octave decision was. */
  confidence: number;
  /**
   * Periodicity: comb-averaged normalised autocorrelation at the chosen period (≈0 for noise,
   * ≈0.8 for a steady groove); with tempo segments, the larger of the global value and the
   * segments' length-weighted value.
   */
  periodicity: number;
  /** Piecewise-constant tempo (one entry when the tempo is steady). */
  segments: TempoSegment[];
  /** Beat period (frames) per onset frame, for the beat tracker. */
  periodAt: Float32Array;
  /** Alternative period per frame near a tempo change (equals periodAt elsewhere). */
  periodAltAt: Float32Array;
}

/** Mean-removed, unbiased autocorrelation of x[start..end) for lags 0..maxLag, r(0) = 1. */
export function autocorrelation(x: ArrayLike<number>, start: number, end: number, maxLag: number): Float64Array {
  const n = Math.max(0, end - start);
  const L = Math.max(0, Math.min(maxLag, n - 1));
  const r = new Float64Array(maxLag + 1);
  if (n < 2) return r;
  let mean = 0;
  for (let i = start; i < end; i++) mean += x[i]!;
  mean /= n;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = x[start + i]! - mean;
  for (let lag = 0; lag <= L; lag++) {
    let s = 0;
    for (let i = 0, j = lag; j < n; i++, j++) s += y[i]! * y[j]!;
    r[lag] = s / (n - lag);
  }
  const r0 = r[0]!;
  if (r0 <= 0) return new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= L; lag++) r[lag] = r[lag]! / r0;
  return r;
}

function interp(r: Float64Array, x: number): number {
  if (x < 0 || x > r.length - 1) return 0;
  const i = Math.floor(x);
  const f = x - i;
  if (i + 1 >= r.length) return r[i]!;
  return r[i]! * (1 - f) + r[i + 1]! * f;
}

/** Mean of r at the first `k` multiples of tau that fit (max of ±0.5 frame to absorb rounding). */
export function combScore(r: Float64Array, tau: number, k = 4): number {
  let s = 0;
  let c = 0;
  for (let m = 1; m <= k; m++) {
    const x = m * tau;
    if (x > r.length - 2) break;
    s += Math.max(interp(r, x), interp(r, x - 0.5), interp(r, x + 0.5));
    c++;
  }
  return c > 0 ? s / c : 0;
}

function prior(bpm: number, centre: number, octaves: number): number {
  const z = Math.log2(bpm / centre) / octaves;
  return Math.exp(-0.5 * z * z);
}

/** The log-spaced candidate periods of `bestPeriod` for [lo, hi]. */
function periodGrid(lo: number, hi: number): Float64Array {
  const steps = Math.max(8, Math.ceil(Math.log(hi / lo) / 0.002));
  const grid = new Float64Array(steps + 1);
  for (let i = 0; i <= steps; i++) grid[i] = lo * Math.pow(hi / lo, i / steps);
  return grid;
}

/** Best period (frames) in [lo, hi] maximising combScore·weight, on a fine log grid + parabola. */
function bestPeriod(
  r: Float64Array,
  lo: number,
  hi: number,
  weight: ((tau: number) => number) | null,
  k = 4,
  grid: Float64Array = periodGrid(lo, hi),
): { tau: number; score: number } {
  const steps = grid.length - 1;
  let bestI = -1;
  let bestS = -Infinity;
  const vals = new Float64Array(steps + 1);
  for (let i = 0; i <= steps; i++) {
    const tau = grid[i]!;
    const s = weight ? combScore(r, tau, k) * weight(tau) : combScore(r, tau, k);
    vals[i] = s;
    if (s > bestS) {
      bestS = s;
      bestI = i;
    }
  }
  let pos = bestI;
  if (bestI > 0 && bestI < steps) {
    const a = vals[bestI - 1]!;
    const b = vals[bestI]!;
    const c = vals[bestI + 1]!;
    const den = a - 2 * b + c;
    if (den < 0) pos = bestI + Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den));
  }
  return { tau: lo * Math.pow(hi / lo, pos / steps), score: bestS };
}

/**
 * `autocorrelation` of the windows [w·hop, w·hop + len), w < nWindows, of x for lags 0..maxLag,
 * sharing the work of overlapping windows: per lag, the products x[i]·x[i+lag] are summed once
 * per hop-sized block, and a window adds up its whole blocks plus a partial block (no prefix
 * sums over the whole signal, so a quiet window keeps full precision). The window mean is
 * removed algebraically: Σ(x_i − m)(x_{i+l} − m) = Σx_i·x_{i+l} − m(Σx_i + Σx_{i+l}) + m²(len − l),
 * with the two plain sums accumulated lag by lag.
 */
export function windowedAutocorrelations(x: ArrayLike<number>, nWindows: number, hop: number, len: number, maxLag: number): Float64Array[] {
  const n = x.length;
  const out: Float64Array[] = [];
  for (let w = 0; w < nWindows; w++) out.push(new Float64Array(maxLag + 1));
  if (len < 2 || nWindows === 0) return out;
  if ((nWindows - 1) * hop + len > n) throw new RangeError('windows run past the signal');
  const L = Math.max(0, Math.min(maxLag, len - 1));
  const nBlocks = Math.ceil(n / hop);
  const Q = new Float64Array(nBlocks);
  // Σx_i over [a, b - lag) and Σx_i over [a + lag, b), per window, lag by lag from L down to 0.
  const sumHead = new Float64Array(nWindows * (L + 1));
  const sumTail = new Float64Array(nWindows * (L + 1));
  for (let w = 0; w < nWindows; w++) {
    const a = w * hop;
    const b = a + len;
    let h = 0;
    for (let i = a; i < b - L; i++) h += x[i]!;
    let t = 0;
    for (let i = a + L; i < b; i++) t += x[i]!;
    const o = w * (L + 1);
    sumHead[o + L] = h;
    sumTail[o + L] = t;
    for (let lag = L; lag > 0; lag--) {
      h += x[b - lag]!;
      t += x[a + lag - 1]!;
      sumHead[o + lag - 1] = h;
      sumTail[o + lag - 1] = t;
    }
  }
  const r0 = new Float64Array(nWindows);
  const ms = new Float64Array(nWindows);
  for (let lag = 0; lag <= L; lag++) {
    for (let k = 0; k < nBlocks; k++) {
      let s = 0;
      for (let i = k * hop, e = Math.min((k + 1) * hop, n - lag); i < e; i++) s += x[i]! * x[i + lag]!;
      Q[k] = s;
    }
    const cnt = len - lag;
    const whole = Math.floor(cnt / hop);
    for (let w = 0; w < nWindows; w++) {
      const a = w * hop;
      let S = 0;
      for (let k = w; k < w + whole; k++) S += Q[k]!;
      for (let i = a + whole * hop; i < a + cnt; i++) S += x[i]! * x[i + lag]!;
      const m = sumHead[w * (L + 1)]! / len; // window mean (lag 0: the whole window)
      const o = w * (L + 1) + lag;
      const v = (S - m * (sumHead[o]! + sumTail[o]!) + m * m * cnt) / cnt;
      if (lag === 0) {
        r0[w] = v;
        ms[w] = S / len;
      }
      out[w]![lag] = v;
    }
  }
  for (let w = 0; w < nWindows; w++) {
    const r = out[w]!;
    // A constant window has r(0) = 0 (up to rounding here): no periodicity, as in `autocorrelation`.
    if (r0[w]! <= 1e-10 * ms[w]!) {
      r.fill(0);
      continue;
    }
    const inv = r0[w]!;
    for (let lag = 0; lag <= L; lag++) r[lag] = r[lag]! / inv;
  }
  return out;
}

/** Onset strength on a pulse train of period tau (frames): best phase, and half-way between. */
export function pulseStrength(env: Float32Array, tau: number, start = 0, end = env.length): { on: number; mid: number; phase: number } {
  let best = -1;
  let bestPhase = 0;
  const sample = (phase: number): number => {
    let s = 0;
    let c = 0;
    for (let x = start + phase; x < end - 1; x += tau) {
      const i = Math.round(x);
      if (i < 1) continue;
      s += Math.max(env[i - 1]!, env[i]!, env[i + 1]!);
      c++;
    }
    return c > 0 ? s / c : 0;
  };
  const nPh = Math.max(1, Math.ceil(tau));
  for (let p = 0; p < nPh; p++) {
    const v = sample(p);
    if (v > best) {
      best = v;
      bestPhase = p;
    }
  }
  return { on: best, mid: sample((bestPhase + tau / 2) % tau), phase: bestPhase };
}

interface OctaveChoice {
  tau: number;
  clarity: number;
}

/** Choose between the period and its octave partner in range (see module comment). */
function resolveOctave(env: Float32Array, r: Float64Array, tau: number, tauMin: number, tauMax: number, fr: number): OctaveChoice {
  let slow: number;
  let fast: number;
  if (tau * 2 <= tauMax) {
    slow = refine(r, tau * 2);
    fast = tau;
  } else if (tau / 2 >= tauMin) {
    slow = tau;
    fast = refine(r, tau / 2);
  } else {
    return { tau, clarity: 1 };
  }
  // Measure in ~10 s windows, each with its own best phase, so a slightly wrong period or a
  // tempo drift does not smear the pulse train over a long song.
  const win = Math.max(Math.round(10 * fr), Math.ceil(slow * 4));
  let on = 0;
  let mid = 0;
  for (let a = 0; a < env.length; a += win) {
    const b = Math.min(env.length, a + win);
    if (b - a < slow * 2) break;
    const p = pulseStrength(env, slow, a, b);
    on += p.on;
    mid += p.mid;
  }
  const rho = on > 0 ? mid / on : 0;
  if (rho >= 0.55) return { tau: fast, clarity: Math.min(1, 0.6 + (rho - 0.55)) };
  if (rho <= 0.4) return { tau: slow, clarity: Math.min(1, 0.6 + (0.4 - rho)) };
  return { tau, clarity: 0.5 };
}

function refine(r: Float64Array, tau: number): number {
  return bestPeriod(r, tau * 0.97, tau * 1.03, null, 4).tau;
}

/**
 * Piecewise-constant fit of y (log-tempo per window) with weights w: minimises weighted squared
 * error plus `penalty` per extra segment, with segments of at least `minLen` windows.
 * Returns the start index of each segment.
 */
function segmentSeries(y: Float64Array, w: Float64Array, penalty: number, minLen: number): number[] {
  const n = y.length;
  if (n === 0) return [0];
  const sw = new Float64Array(n + 1);
  const swy = new Float64Array(n + 1);
  const swy2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    sw[i + 1] = sw[i]! + w[i]!;
    swy[i + 1] = swy[i]! + w[i]! * y[i]!;
    swy2[i + 1] = swy2[i]! + w[i]! * y[i]! * y[i]!;
  }
  const cost = (a: number, b: number): number => {
    const W = sw[b]! - sw[a]!;
    if (W <= 0) return 0;
    const S = swy[b]! - swy[a]!;
    return swy2[b]! - swy2[a]! - (S * S) / W;
  };
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1).fill(0);
  best[0] = 0;
  for (let b = 1; b <= n; b++) {
    for (let a = 0; a < b; a++) {
      const len = b - a;
      if (len < minLen && !(a === 0 && b === n)) continue;
      if (best[a] === Infinity) continue;
      const c = best[a]! + cost(a, b) + (a > 0 ? penalty : 0);
      if (c < best[b]!) {
        best[b] = c;
        from[b] = a;
      }
    }
  }
  if (best[n] === Infinity) return [0];
  const starts: number[] = [];
  for (let b = n; b > 0; b = from[b]!) starts.push(from[b]!);
  return starts.reverse();
}

export function estimateTempo(env: OnsetEnvelope, opts: TempoOptions = {}): TempoEstimate {
  const fr = env.frameRate;
  const n = env.length;
  const minBpm = opts.minBpm ?? 60;
  const maxBpm = opts.maxBpm ?? 200;
  const centre = opts.priorBpm ?? 120;
  const width = opts.priorOctaves ?? 1;
  const tauMin = (60 * fr) / maxBpm;
  const tauMax = (60 * fr) / minBpm;
  const x = env.strength;
  const empty = (): TempoEstimate => ({
    bpm: 0,
    confidence: 0,
    periodicity: 0,
    segments: [],
    periodAt: new Float32Array(n),
    periodAltAt: new Float32Array(n),
  });
  if (n < tauMax * 4) return empty();

  const maxLag = Math.min(n - 1, Math.ceil(tauMax * 4) + 2);
  const r = autocorrelation(x, 0, n, maxLag);
  if (r[0] === 0) return empty();
  const weight = (tau: number): number => prior((60 * fr) / tau, centre, width);
  const base = bestPeriod(r, tauMin, tauMax, weight);
  // The prior tilts the weighted maximum: re-centre on the autocorrelation peak itself.
  const choice = resolveOctave(x, r, refine(r, base.tau), tauMin, tauMax, fr);
  const tauG = refine(r, choice.tau);
  const periodicity = Math.max(0, combScore(r, tauG, 4));

  // Local tempo (tempogram) within ±half an octave of the global period.
  const win = Math.min(n, Math.round((opts.windowSeconds ?? 10) * fr));
  const hop = Math.max(1, Math.round((opts.hopSeconds ?? 1) * fr));
  const lo = Math.max(tauMin * 0.85, tauG / Math.SQRT2);
  const hi = Math.min(tauMax * 1.15, tauG * Math.SQRT2);
  const localMaxLag = Math.min(win - 1, Math.ceil(hi * 3) + 2);
  const centres: number[] = [];
  const logTau: number[] = [];
  const wts: number[] = [];
  // Windows [a, a + win) for a = 0, hop, 2·hop, … while they fit (win ≤ n, so at least one).
  const winStarts: number[] = [];
  for (let a = 0; a + win <= n || winStarts.length === 0; a += hop) {
    winStarts.push(a);
    if (Math.min(n, a + win) >= n) break;
  }
  const localR = windowedAutocorrelations(x, winStarts.length, hop, win, localMaxLag);
  const grid = periodGrid(lo, hi);
  winStarts.forEach((a, w) => {
    const b = Math.min(n, a + win);
    const bp = bestPeriod(localR[w]!, lo, hi, null, 3, grid);
    centres.push((a + b) / 2);
    logTau.push(Math.log2(bp.tau));
    wts.push(Math.max(0.02, Math.min(1, bp.score)));
  });
  const y = Float64Array.from(logTau);
  const w = Float64Array.from(wts);
  // A tempo change of ≥ ~8% sustained over ≥ 8 windows is worth a segment.
  const minLen = Math.max(1, Math.round(8 / (hop / fr)));
  const penalty = minLen * Math.log2(1.08) ** 2;
  const starts = segmentSeries(y, w, penalty, minLen);

  // Segment boundaries in frames: half-way between the last window of one segment and the first
  // of the next (window centres); each segment's tempo from its own autocorrelation.
  const segFrames: { a: number; b: number }[] = [];
  for (let s = 0; s < starts.length; s++) {
    const first = starts[s]!;
    const a = s === 0 ? 0 : Math.round((centres[first - 1]! + centres[first]!) / 2);
    const b = s + 1 < starts.length ? Math.round((centres[starts[s + 1]! - 1]! + centres[starts[s + 1]!]!) / 2) : n;
    segFrames.push({ a, b });
  }
  const segTau: number[] = [];
  const segPer: number[] = [];
  for (const { a, b } of segFrames) {
    if (segFrames.length === 1) {
      segTau.push(tauG);
      segPer.push(periodicity);
      continue;
    }
    const rs = autocorrelation(x, a, b, Math.min(b - a - 1, Math.ceil(hi * 4) + 2));
    const c = refine(rs, bestPeriod(rs, lo, hi, null, 4).tau);
    segTau.push(c);
    segPer.push(Math.max(0, combScore(rs, c, 4)));
  }
  // With several tempi the global autocorrelation is diluted; the segments' own periodicity
  // (length-weighted) is the better measure of "how much beat" there is.
  let segPeriodicity = 0;
  segFrames.forEach(({ a, b }, s) => (segPeriodicity += (segPer[s]! * (b - a)) / n));
  const strength = Math.max(periodicity, segPeriodicity);
  // Merge neighbours whose tempi ended up within 3%.
  for (let s = segFrames.length - 1; s > 0; s--) {
    if (Math.abs(Math.log(segTau[s]! / segTau[s - 1]!)) < 0.03) {
      const la = segFrames[s - 1]!.b - segFrames[s - 1]!.a;
      const lb = segFrames[s]!.b - segFrames[s]!.a;
      segTau[s - 1] = (segTau[s - 1]! * la + segTau[s]! * lb) / (la + lb);
      segPer[s - 1] = (segPer[s - 1]! * la + segPer[s]! * lb) / (la + lb);
      segPer.splice(s, 1);
      segFrames[s - 1]!.b = segFrames[s]!.b;
      segFrames.splice(s, 1);
      segTau.splice(s, 1);
    }
  }

  const periodAt = new Float32Array(n);
  const periodAltAt = new Float32Array(n);
  // Around a change the exact point is uncertain (a window is several seconds long): allow
  // both periods within ±margin of the boundary.
  const margin = Math.round(win / 2);
  segFrames.forEach(({ a, b }, s) => {
    for (let t = a; t < b; t++) {
      periodAt[t] = segTau[s]!;
      periodAltAt[t] = segTau[s]!;
    }
  });
  for (let s = 1; s < segFrames.length; s++) {
    const bnd = segFrames[s]!.a;
    for (let t = Math.max(0, bnd - margin); t < Math.min(n, bnd + margin); t++) {
      periodAltAt[t] = t < bnd ? segTau[s]! : segTau[s - 1]!;
    }
  }
  const segments: TempoSegment[] = segFrames.map(({ a, b }, s) => ({
    start: a / fr,
    end: b / fr,
    bpm: (60 * fr) / segTau[s]!,
  }));
  let longest = segments[0]!;
  for (const s of segments) if (s.end - s.start > longest.end - longest.start) longest = s;
  const confidence = Math.max(0, Math.min(1, (strength / 0.4) * choice.clarity));
  return { bpm: longest.bpm, confidence, periodicity: strength, segments, periodAt, periodAltAt };
}
