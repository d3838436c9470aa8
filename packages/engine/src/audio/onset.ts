/**
 * Spectral-flux onset strength: log-compressed mel power, frame-to-frame increase (half-wave
 * rectified), averaged over bands; then local-mean removal and unit-variance normalisation.
 */
import { RealFFT, hannWindow } from './fft.js';
import type { SpectralFeatures } from './spectrogram.js';

export interface OnsetEnvelope {
  /** Frames per second. */
  frameRate: number;
  /** Number of frames (frame i is centred at i / frameRate seconds). */
  length: number;
  /** Onset strength: flux minus its local mean, half-wave rectified, unit RMS. */
  strength: Float32Array;
  /** Raw flux (mean rectified dB increase over all bands). */
  flux: Float32Array;
  /** Raw flux of the bands below `lowHz` (kick / bass accents). */
  lowFlux: Float32Array;
  /** Per frame mean log power (dB) of the low bands: accent energy for bar phase. */
  lowDb: Float32Array;
  /** Per frame total level (dB) over all bands. */
  levelDb: Float32Array;
}

export interface OnsetOptions {
  /** Dynamic range kept below the loudest bin (dB). */
  topDb?: number;
  /** Upper edge of the "low" bands (Hz). */
  lowHz?: number;
  /** Window of the moving average removed from the flux (s). */
  detrendSeconds?: number;
}

/** Centred moving average with a window of `w` frames (edges use the available frames). */
export function movingAverage(x: ArrayLike<number>, w: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  const h = Math.max(0, Math.floor(w / 2));
  let sum = 0;
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - h);
    const b = Math.min(n - 1, i + h);
    while (hi < b) sum += x[++hi]!;
    while (lo < a) sum -= x[lo++]!;
    out[i] = sum / (hi - lo + 1);
  }
  return out;
}

export function onsetStrength(f: SpectralFeatures, opts: OnsetOptions = {}): OnsetEnvelope {
  const topDb = opts.topDb ?? 80;
  const lowHz = opts.lowHz ?? 200;
  const { nFrames: n, nMels: m, mel } = f;
  let maxP = 0;
  for (let i = 0; i < mel.length; i++) if (mel[i]! > maxP) maxP = mel[i]!;
  const floor = Math.max(maxP * Math.pow(10, -topDb / 10), 1e-20);
  let nLow = 0;
  while (nLow < m && f.melHz[nLow]! < lowHz) nLow++;
  nLow = Math.max(1, nLow);

  const flux = new Float32Array(n);
  const lowFlux = new Float32Array(n);
  const lowDb = new Float32Array(n);
  const levelDb = new Float32Array(n);
  const prev = new Float32Array(m);
  const cur = new Float32Array(m);
  // 10·log10(x) as ln(x)·(10/ln 10): V8's Math.log is about twice as fast as Math.log10.
  const dB = 10 / Math.LN10;
  for (let t = 0; t < n; t++) {
    const o = t * m;
    let s = 0;
    let sl = 0;
    let dl = 0;
    let tot = 0;
    for (let b = 0; b < m; b++) {
      tot += mel[o + b]!;
      const db = Math.log(Math.max(mel[o + b]!, floor)) * dB;
      cur[b] = db;
      if (b < nLow) dl += db;
      if (t > 0) {
        const d = db - prev[b]!;
        if (d > 0) {
          s += d;
          if (b < nLow) sl += d;
        }
      }
    }
    flux[t] = s / m;
    lowFlux[t] = sl / nLow;
    lowDb[t] = dl / nLow;
    levelDb[t] = Math.log(Math.max(tot, floor)) * dB;
    prev.set(cur);
  }
  const w = Math.max(3, Math.round((opts.detrendSeconds ?? 1) * f.frameRate));
  const avg = movingAverage(flux, w);
  const strength = new Float32Array(n);
  let ss = 0;
  for (let t = 0; t < n; t++) {
    const v = Math.max(0, flux[t]! - avg[t]!);
    strength[t] = v;
    ss += v * v;
  }
  const r = Math.sqrt(ss / Math.max(1, n));
  if (r > 0) for (let t = 0; t < n; t++) strength[t] = strength[t]! / r;
  return { frameRate: f.frameRate, length: n, strength, flux, lowFlux, lowDb, levelDb };
}

/**
 * High time-resolution onset strength around given times (for refining beat positions):
 * spectral flux with a short window (512 samples) and a small hop (128), evaluated only within
 * ±radius seconds of each time. Returns, for each time, the offset (s) of the strongest onset
 * peak in the window weighted gently towards the centre, or 0 when there is no clear peak.
 */
export function refineOnsetTimes(
  samples: Float32Array,
  sampleRate: number,
  times: readonly number[],
  radius = 0.03,
): number[] {
  const nfft = 512;
  const hop = 128;
  const bins = nfft / 2 + 1;
  const fft = new RealFFT(nfft);
  const win = hannWindow(nfft);
  const pow = new Float64Array(bins);
  // Compress to ~24 log bands to keep the flux robust to noise; each band is a run of bins.
  const nb = 24;
  const bandOf = new Int8Array(bins);
  for (let k = 0; k < bins; k++) {
    const f = Math.max(20, (k * sampleRate) / nfft);
    const pos = Math.log(f / 20) / Math.log(sampleRate / 2 / 20);
    bandOf[k] = Math.min(nb - 1, Math.max(0, Math.floor(pos * nb)));
  }
  const runB: number[] = [];
  const runK0: number[] = [];
  const runK1: number[] = [];
  for (let k = 1; k < bins; k++) {
    const r = runB.length - 1;
    if (r >= 0 && runB[r] === bandOf[k]) runK1[r] = k + 1;
    else {
      runB.push(bandOf[k]!);
      runK0.push(k);
      runK1.push(k + 1);
    }
  }
  const steps = Math.ceil((radius * sampleRate) / hop) + 1;
  const frames = 2 * steps + 2;
  const logb = new Float64Array(frames * nb);
  const fl = new Float64Array(frames);
  // Frame fi is centred at c + (fi - steps - 1)·hop. Candidate peaks are the frames within
  // ±radius (and 2 ≤ fi ≤ frames - 2); a candidate needs the flux of its neighbours, and the flux
  // of frame fi needs the bands of frames fi - 1 and fi: only frames fFirst..fLast are used.
  const maxOff = radius * sampleRate;
  let cFirst = 2;
  while (cFirst < frames - 1 && Math.abs((cFirst - steps - 1) * hop) > maxOff) cFirst++;
  let cLast = frames - 2;
  while (cLast >= 2 && Math.abs((cLast - steps - 1) * hop) > maxOff) cLast--;
  const fFirst = Math.max(0, cFirst - 2);
  const fLast = Math.min(frames - 1, cLast + 1);
  const out: number[] = [];
  let maxAbs = 0;
  for (let i = 0; i < samples.length; i += 97) maxAbs = Math.max(maxAbs, Math.abs(samples[i]!));
  const floor = Math.max(1e-12, maxAbs * maxAbs * 1e-8 * nfft);
  for (const t of times) {
    const c = Math.round(t * sampleRate);
    for (let fi = fFirst; fi <= fLast; fi++) {
      const centre = c + (fi - steps - 1) * hop;
      fft.power(samples, pow, centre - nfft / 2, win);
      const o = fi * nb;
      for (let b = 0; b < nb; b++) logb[o + b] = 0;
      for (let r = 0; r < runB.length; r++) {
        let s = 0;
        for (let k = runK0[r]!, k1 = runK1[r]!; k < k1; k++) s += pow[k]!;
        logb[o + runB[r]!] += s;
      }
      for (let b = 0; b < nb; b++) logb[o + b] = Math.log(Math.max(logb[o + b]!, floor));
    }
    let best = -1;
    let bestV = 0;
    for (let fi = fFirst + 1; fi <= fLast; fi++) {
      let s = 0;
      for (let b = 0; b < nb; b++) {
        const d = logb[fi * nb + b]! - logb[(fi - 1) * nb + b]!;
        if (d > 0) s += d;
      }
      fl[fi] = s;
    }
    for (let fi = cFirst; fi <= cLast; fi++) {
      const off = (fi - steps - 1) * hop;
      if (fl[fi]! >= fl[fi - 1]! && fl[fi]! >= fl[fi + 1]!) {
        const wgt = 1 - 0.3 * Math.pow(off / maxOff, 2);
        const v = fl[fi]! * wgt;
        if (v > bestV) {
          bestV = v;
          best = fi;
        }
      }
    }
    if (best < 0) {
      out.push(0);
      continue;
    }
    // Parabolic interpolation of the peak.
    const a = fl[best - 1]!;
    const b = fl[best]!;
    const d = fl[best + 1]!;
    const den = a - 2 * b + d;
    const frac = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - d)) / den)) : 0;
    out.push((((best - steps - 1) + frac) * hop) / sampleRate);
  }
  return out;
}
