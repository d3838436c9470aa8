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

export function computeSpectralFeatures(
  samples: Float32Array,
  sampleRate: number,
  opts: SpectralOptions = {},
): SpectralFeatures {
  const nfft = opts.nfft ?? 2048;
  const hop = opts.hop ?? 512;
  const nMels = opts.nMels ?? 64;
  const fMin = opts.fMin ?? 30;
  const fMax = Math.min(opts.fMax ?? sampleRate / 2, sampleRate / 2);
  const bins = nfft / 2 + 1;
  const nFrames = Math.floor(samples.length / hop) + 1;

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
  // Bands narrower than a bin get no energy from the loop above; give each band at least its
  // nearest bin so low bands are never empty.
  const melCount = new Float32Array(nMels);
  for (let k = 0; k < bins; k++) {
    const j = bandLo[k]!;
    if (j === -2) continue;
    if (j >= 0) melCount[j] = melCount[j]! + wLo[k]!;
    if (j + 1 < nMels) melCount[j + 1] = melCount[j + 1]! + wHi[k]!;
  }
  const extraBin = new Int32Array(nMels).fill(-1);
  for (let b = 0; b < nMels; b++) {
    if (melCount[b]! < 0.5) extraBin[b] = Math.min(bins - 1, Math.round((melHz[b]! * nfft) / sampleRate));
  }

  // Chroma map: bins from ~55 Hz to 5 kHz to the nearest pitch class.
  const chromaOf = new Int8Array(bins).fill(-1);
  for (let k = 1; k < bins; k++) {
    const f = (k * sampleRate) / nfft;
    if (f < 55 || f > 5000) continue;
    const midi = 69 + 12 * Math.log2(f / 440);
    chromaOf[k] = ((Math.round(midi) % 12) + 12) % 12;
  }

  const fft = new RealFFT(nfft);
  const win = hannWindow(nfft);
  const power = new Float64Array(bins);
  const mel = new Float32Array(nFrames * nMels);
  const chroma = new Float32Array(nFrames * 12);
  const half = nfft / 2;
  for (let t = 0; t < nFrames; t++) {
    fft.power(samples, power, t * hop - half, win);
    const mo = t * nMels;
    for (let k = 0; k < bins; k++) {
      const j = bandLo[k]!;
      if (j === -2) continue;
      const p = power[k]!;
      if (j >= 0) mel[mo + j] = mel[mo + j]! + wLo[k]! * p;
      if (j + 1 < nMels) mel[mo + j + 1] = mel[mo + j + 1]! + wHi[k]! * p;
    }
    for (let b = 0; b < nMels; b++) {
      const e = extraBin[b]!;
      if (e >= 0) mel[mo + b] = mel[mo + b]! + power[e]!;
    }
    const co = t * 12;
    for (let k = 1; k < bins; k++) {
      const c = chromaOf[k]!;
      if (c >= 0) chroma[co + c] = chroma[co + c]! + power[k]!;
    }
  }
  return { sampleRate, nfft, hop, frameRate: sampleRate / hop, nFrames, nMels, mel, melHz, chroma };
}
