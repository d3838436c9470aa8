/**
 * The STFT layout of the spectral features (frame size, hop, mel filters, chroma map) and the
 * per-frame computation: one FFT and two sparse accumulations. `makePlan` and `spectralFrame`
 * use no free names but globals, and `frameKernel` takes its FFT from its caller when asked:
 * the helper thread (spectral-helper.ts) runs them from their source text.
 */
import { RealFFT, hannWindow } from './fft.js';
import type { SpectralOptions } from './spectrogram.js';

/** Frame layout and the precomputed mel / chroma maps of one STFT configuration. */
export interface SpectralPlan {
  /** The options it was made from (what a helper thread needs to make the same plan). */
  options: SpectralOptions;
  sampleRate: number;
  nfft: number;
  hop: number;
  nMels: number;
  melHz: Float32Array;
  /**
   * Mel filters as contiguous bin ranges: band b is Σ melW[wOff[b] + i]·p[bandK0[b] + i] over
   * its bins bandK0[b]..bandK1[b]-1, plus p[extraBin[b]] when extraBin[b] ≥ 0.
   */
  bandK0: Int32Array;
  bandK1: Int32Array;
  wOff: Int32Array;
  melW: Float64Array;
  extraBin: Int32Array;
  /** Chroma as runs of consecutive bins of one pitch class: class runC[r] gets Σ p[runK0[r]..runK1[r]). */
  runC: Int32Array;
  runK0: Int32Array;
  runK1: Int32Array;
}

export function makePlan(sampleRate: number, opts: SpectralOptions): SpectralPlan {
  // (Self-contained — no free names but globals: a helper thread runs it from its source text.)
  const hzToMel = (f: number): number => 2595 * Math.log10(1 + f / 700);
  const melToHz = (m: number): number => 700 * (Math.pow(10, m / 2595) - 1);
  const nfft = opts.nfft ?? 2048;
  const hop = opts.hop ?? 512;
  const nMels = opts.nMels ?? 64;
  const fMin = opts.fMin ?? 30;
  const fMax = Math.min(opts.fMax ?? sampleRate / 2, sampleRate / 2);
  const bins = nfft / 2 + 1;

  // Triangular mel filters: each FFT bin feeds at most two adjacent bands.
  const mMin = hzToMel(fMin);
  const mMax = hzToMel(fMax);
  const edges = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) edges[i] = melToHz(mMin + ((mMax - mMin) * i) / (nMels + 1));
  const melHz = new Float32Array(nMels);
  for (let b = 0; b < nMels; b++) melHz[b] = edges[b + 1]!;
  const bandLo = new Int16Array(bins).fill(-2);
  const wLo = new Float32Array(bins);
  const wHi = new Float32Array(bins);
  for (let k = 0; k < bins; k++) {
    const f = (k * sampleRate) / nfft;
    if (f < edges[0]! || f >= edges[nMels + 1]!) continue;
    // find j with edges[j] <= f < edges[j+1]
    let j = 0;
    while (j < nMels + 1 && edges[j + 1]! <= f) j++;
    const frac = (f - edges[j]!) / (edges[j + 1]! - edges[j]!);
    // Rising slope of band j (centre edges[j+1]) and falling slope of band j-1 (centre edges[j]).
    bandLo[k] = j - 1;
    wLo[k] = 1 - frac; // weight for band j-1
    wHi[k] = frac; // weight for band j
  }
  // Each band's bins form one contiguous range (its rising slope, then its falling slope).
  const bandK0 = new Int32Array(nMels).fill(bins);
  const bandK1 = new Int32Array(nMels).fill(0);
  const melCount = new Float32Array(nMels);
  for (let k = 0; k < bins; k++) {
    const j = bandLo[k]!;
    if (j === -2) continue;
    if (j >= 0) {
      melCount[j] = melCount[j]! + wLo[k]!;
      bandK0[j] = Math.min(bandK0[j]!, k);
      bandK1[j] = Math.max(bandK1[j]!, k + 1);
    }
    if (j + 1 < nMels) {
      melCount[j + 1] = melCount[j + 1]! + wHi[k]!;
      bandK0[j + 1] = Math.min(bandK0[j + 1]!, k);
      bandK1[j + 1] = Math.max(bandK1[j + 1]!, k + 1);
    }
  }
  const wOff = new Int32Array(nMels);
  let nW = 0;
  for (let b = 0; b < nMels; b++) {
    if (bandK1[b]! <= bandK0[b]!) bandK0[b] = bandK1[b] = 0;
    wOff[b] = nW;
    nW += bandK1[b]! - bandK0[b]!;
  }
  const melW = new Float64Array(nW);
  for (let b = 0; b < nMels; b++) {
    for (let k = bandK0[b]!; k < bandK1[b]!; k++) {
      const j = bandLo[k]!;
      melW[wOff[b]! + k - bandK0[b]!] = j === b ? wLo[k]! : j + 1 === b ? wHi[k]! : 0;
    }
  }
  // Bands narrower than a bin get no energy from the loop above; give each band at least its
  // nearest bin so low bands are never empty.
  const extraBin = new Int32Array(nMels).fill(-1);
  for (let b = 0; b < nMels; b++) {
    if (melCount[b]! < 0.5) extraBin[b] = Math.min(bins - 1, Math.round((melHz[b]! * nfft) / sampleRate));
  }

  // Chroma map: bins from ~55 Hz to 5 kHz to the nearest pitch class, as runs of one class.
  const runC: number[] = [];
  const runK0: number[] = [];
  const runK1: number[] = [];
  for (let k = 1; k < bins; k++) {
    const f = (k * sampleRate) / nfft;
    if (f < 55 || f > 5000) continue;
    const midi = 69 + 12 * Math.log2(f / 440);
    const c = ((Math.round(midi) % 12) + 12) % 12;
    const r = runC.length - 1;
    if (r >= 0 && runC[r] === c && runK1[r] === k) runK1[r] = k + 1;
    else {
      runC.push(c);
      runK0.push(k);
      runK1.push(k + 1);
    }
  }
  return {
    options: { ...opts },
    sampleRate,
    nfft,
    hop,
    nMels,
    melHz,
    bandK0,
    bandK1,
    wOff,
    melW,
    extraBin,
    runC: Int32Array.from(runC),
    runK0: Int32Array.from(runK0),
    runK1: Int32Array.from(runK1),
  };
}

/** The per-frame scratch of one thread computing frames of one plan. */
export interface FrameKernel {
  plan: SpectralPlan;
  fft: RealFFT;
  win: Float64Array;
  power: Float64Array;
  chromaAcc: Float64Array;
}

export function frameKernel(plan: SpectralPlan, lib: { RealFFT: typeof RealFFT; hannWindow: typeof hannWindow } = { RealFFT, hannWindow }): FrameKernel {
  return {
    plan,
    fft: new lib.RealFFT(plan.nfft),
    win: lib.hannWindow(plan.nfft),
    power: new Float64Array(plan.nfft / 2 + 1),
    chromaAcc: new Float64Array(12),
  };
}

/** Frame t (centred on sample t·hop) into mel[t·nMels …] and chroma[t·12 …]. */
export function spectralFrame(k: FrameKernel, samples: Float32Array, t: number, mel: Float32Array, chroma: Float32Array): void {
  const { nfft, hop, nMels, bandK0, bandK1, wOff, melW, extraBin, runC, runK0, runK1 } = k.plan;
  const { power, chromaAcc } = k;
  k.fft.power(samples, power, t * hop - nfft / 2, k.win);
  const mo = t * nMels;
  for (let b = 0; b < nMels; b++) {
    const k0 = bandK0[b]!;
    const k1 = bandK1[b]!;
    const o = wOff[b]! - k0;
    let s = 0;
    for (let i = k0; i < k1; i++) s += melW[o + i]! * power[i]!;
    const e = extraBin[b]!;
    if (e >= 0) s += power[e]!;
    mel[mo + b] = s;
  }
  chromaAcc.fill(0);
  for (let r = 0; r < runC.length; r++) {
    let s = 0;
    for (let i = runK0[r]!, i1 = runK1[r]!; i < i1; i++) s += power[i]!;
    const c = runC[r]!;
    chromaAcc[c] = chromaAcc[c]! + s;
  }
  const co = t * 12;
  for (let c = 0; c < 12; c++) chroma[co + c] = chromaAcc[c]!;
}
