/**
 * One STFT pass over the signal producing the compact per-frame features the other stages use:
 * a mel power spectrogram (onsets, timbre) and a chroma spectrogram (harmony).
 * Frames are centred: frame i is centred on sample i·hop (zero padding at both ends).
 */
import { RealFFT, hannWindow } from './fft.js';

export interface SpectralOptions {
  nfft?: number;
  hop?: number;
  nMels?: number;
  fMin?: number;
  fMax?: number;
}

export interface SpectralFeatures {
  sampleRate: number;
  nfft: number;
  hop: number;
  /** Frames per second (sampleRate / hop). */
  frameRate: number;
  nFrames: number;
  nMels: number;
  /** Mel power spectrogram, row-major nFrames × nMels. */
  mel: Float32Array;
  /** Centre frequency (Hz) of each mel band. */
  melHz: Float32Array;
  /** Chroma power, row-major nFrames × 12 (C = 0). */
  chroma: Float32Array;
}

const hzToMel = (f: number): number => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number): number => 700 * (Math.pow(10, m / 2595) - 1);

/** Frame layout and the precomputed mel / chroma maps of one STFT configuration. */
interface SpectralPlan {
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

function makePlan(sampleRate: number, opts: SpectralOptions): SpectralPlan {
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

/**
 * Incremental STFT: feed the signal as it arrives (e.g. while ffmpeg is still decoding) and
 * each frame is computed as soon as its whole window is available; `finish` computes the last,
 * zero-padded frames. All buffers are allocated up front (the outputs grow by doubling), so
 * the per-frame work is one FFT and two sparse accumulations.
 */
export class SpectralStream {
  private readonly plan: SpectralPlan;
  private readonly fft: RealFFT;
  private readonly win: Float64Array;
  private readonly power: Float64Array;
  private readonly chromaAcc: Float64Array;
  private mel: Float32Array;
  private chroma: Float32Array;
  private capacity: number;
  /** Next frame to compute. */
  private next = 0;

  constructor(readonly sampleRate: number, opts: SpectralOptions = {}, expectedSamples = 0) {
    this.plan = makePlan(sampleRate, opts);
    const { nfft, hop, nMels } = this.plan;
    this.fft = new RealFFT(nfft);
    this.win = hannWindow(nfft);
    this.power = new Float64Array(nfft / 2 + 1);
    this.chromaAcc = new Float64Array(12);
    this.capacity = Math.max(256, Math.floor(expectedSamples / hop) + 2);
    this.mel = new Float32Array(this.capacity * nMels);
    this.chroma = new Float32Array(this.capacity * 12);
  }

  /** `samples[0 .. available)` is the signal so far (the array may be replaced between calls). */
  push(samples: Float32Array, available: number): void {
    const { hop, nfft } = this.plan;
    const half = nfft / 2;
    // Frame t needs samples [t·hop − half, t·hop + half).
    const last = Math.floor((available - half) / hop);
    for (let t = this.next; t <= last; t++) this.frame(samples, t);
    if (last + 1 > this.next) this.next = last + 1;
  }

  /** The whole signal is `samples`: compute the remaining frames and return the features. */
  finish(samples: Float32Array): SpectralFeatures {
    const { sampleRate, nfft, hop, nMels, melHz } = this.plan;
    const nFrames = Math.floor(samples.length / hop) + 1;
    for (let t = this.next; t < nFrames; t++) this.frame(samples, t);
    this.next = nFrames;
    return {
      sampleRate,
      nfft,
      hop,
      frameRate: sampleRate / hop,
      nFrames,
      nMels,
      mel: this.mel.subarray(0, nFrames * nMels),
      melHz,
      chroma: this.chroma.subarray(0, nFrames * 12),
    };
  }

  private grow(need: number): void {
    let cap = this.capacity;
    while (cap < need) cap *= 2;
    const { nMels } = this.plan;
    const mel = new Float32Array(cap * nMels);
    mel.set(this.mel);
    const chroma = new Float32Array(cap * 12);
    chroma.set(this.chroma);
    this.mel = mel;
    this.chroma = chroma;
    this.capacity = cap;
  }

  private frame(samples: Float32Array, t: number): void {
    if (t >= this.capacity) this.grow(t + 1);
    const { nfft, hop, nMels, bandK0, bandK1, wOff, melW, extraBin, runC, runK0, runK1 } = this.plan;
    const { power, chromaAcc, mel, chroma } = this;
    this.fft.power(samples, power, t * hop - nfft / 2, this.win);
    const mo = t * nMels;
    for (let b = 0; b < nMels; b++) {
      const k0 = bandK0[b]!;
      const k1 = bandK1[b]!;
      const o = wOff[b]! - k0;
      let s = 0;
      for (let k = k0; k < k1; k++) s += melW[o + k]! * power[k]!;
      const e = extraBin[b]!;
      if (e >= 0) s += power[e]!;
      mel[mo + b] = s;
    }
    chromaAcc.fill(0);
    for (let r = 0; r < runC.length; r++) {
      let s = 0;
      for (let k = runK0[r]!, k1 = runK1[r]!; k < k1; k++) s += power[k]!;
      const c = runC[r]!;
      chromaAcc[c] = chromaAcc[c]! + s;
    }
    const co = t * 12;
    for (let c = 0; c < 12; c++) chroma[co + c] = chromaAcc[c]!;
  }
}

export function computeSpectralFeatures(
  samples: Float32Array,
  sampleRate: number,
  opts: SpectralOptions = {},
): SpectralFeatures {
  const stream = new SpectralStream(sampleRate, opts, samples.length);
  return stream.finish(samples);
}
