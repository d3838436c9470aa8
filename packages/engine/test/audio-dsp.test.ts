import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RealFFT, hannWindow } from '../src/audio/fft.js';
import { SpectralStream, computeSpectralFeatures } from '../src/audio/spectrogram.js';
import { fMeasure } from '../src/audio/metrics.js';
import { encodeWav } from '../src/audio/wav.js';
import { energyCurve } from '../src/audio/energy.js';
import { autocorrelation, windowedAutocorrelations } from '../src/audio/tempo.js';
import { checkerboardNovelty } from '../src/audio/sections.js';

function naiveDft(x: ArrayLike<number>): { re: number[]; im: number[] } {
  const n = x.length;
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      sr += x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
      si += x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
    }
    re.push(sr);
    im.push(si);
  }
  return { re, im };
}

describe('RealFFT', () => {
  it('matches a naive DFT for every power-of-two size 4..2048', () => {
    for (let n = 4; n <= 2048; n *= 2) {
      const fft = new RealFFT(n);
      const x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.37) + 0.5 * Math.cos(i * 1.91) + ((i * 7919) % 13) / 13 - 0.5;
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      const pw = new Float64Array(n / 2 + 1);
      fft.forward(x, re, im);
      fft.power(x, pw);
      const ref = naiveDft(x);
      for (let k = 0; k <= n / 2; k++) {
        expect(re[k]).toBeCloseTo(ref.re[k]!, 6);
        expect(im[k]).toBeCloseTo(ref.im[k]!, 6);
        const p = ref.re[k]! ** 2 + ref.im[k]! ** 2;
        expect(Math.abs(pw[k]! - p)).toBeLessThan(1e-6 * (1 + p));
      }
    }
  });

  it('satisfies Parseval and zero-pads outside the input (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 600 }),
        fc.integer({ min: -300, max: 300 }),
        (logN, values, offset) => {
          const n = 2 ** logN;
          const input = Float32Array.from(values);
          const fft = new RealFFT(n);
          const pw = new Float64Array(n / 2 + 1);
          fft.power(input, pw, offset);
          let timeE = 0;
          for (let i = 0; i < n; i++) {
            const j = offset + i;
            const v = j >= 0 && j < input.length ? input[j]! : 0;
            timeE += v * v;
          }
          // Parseval for a real signal: Σx² = (|X0|² + |X_{N/2}|² + 2 Σ_{0<k<N/2} |Xk|²) / N
          let freqE = pw[0]! + pw[n / 2]!;
          for (let k = 1; k < n / 2; k++) freqE += 2 * pw[k]!;
          freqE /= n;
          return Math.abs(timeE - freqE) <= 1e-6 * (1 + timeE);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new RealFFT(1000)).toThrow(RangeError);
    expect(() => new RealFFT(2)).toThrow(RangeError);
  });
});

describe('fMeasure (one-to-one matching within tolerance)', () => {
  it('scores perfect, shifted and partial estimates', () => {
    const ref = [1, 2, 3, 4];
    expect(fMeasure(ref, [1.01, 2.02, 2.97, 4.05]).fMeasure).toBe(1);
    expect(fMeasure(ref, [1.1, 2.1, 3.1, 4.1], 0.07).fMeasure).toBe(0);
    const half = fMeasure(ref, [1, 3]);
    expect(half.precision).toBe(1);
    expect(half.recall).toBe(0.5);
    expect(half.fMeasure).toBeCloseTo(2 / 3, 10);
  });

  it('matches each reference at most once (double estimates are false positives)', () => {
    const r = fMeasure([1, 2], [1, 1.02, 2]);
    expect(r.matched).toBe(2);
    expect(r.precision).toBeCloseTo(2 / 3, 10);
    expect(r.recall).toBe(1);
  });

  it('handles empty lists', () => {
    expect(fMeasure([], []).fMeasure).toBe(1);
    expect(fMeasure([1], []).fMeasure).toBe(0);
    expect(fMeasure([], [1]).fMeasure).toBe(0);
  });

  it('is symmetric in F and bounded (property)', () => {
    const times = fc.array(fc.double({ min: 0, max: 60, noNaN: true }), { maxLength: 40 });
    fc.assert(
      fc.property(times, times, (a, b) => {
        const x = fMeasure(a, b);
        const y = fMeasure(b, a);
        return x.fMeasure >= 0 && x.fMeasure <= 1 && Math.abs(x.fMeasure - y.fMeasure) < 1e-12 && x.matched <= Math.min(a.length, b.length);
      }),
    );
  });
});

describe('WAV writer', () => {
  it('writes a valid 16-bit PCM header and clamps samples', () => {
    const buf = encodeWav(Float32Array.from([0, 0.5, -0.5, 2, -2]), 22050);
    expect(buf.toString('ascii', 0, 4)).toBe('RIFF');
    expect(buf.toString('ascii', 8, 12)).toBe('WAVE');
    expect(buf.readUInt16LE(20)).toBe(1);
    expect(buf.readUInt16LE(22)).toBe(1);
    expect(buf.readUInt32LE(24)).toBe(22050);
    expect(buf.readUInt32LE(40)).toBe(10);
    expect(buf.length).toBe(54);
    expect(buf.readInt16LE(44 + 6)).toBe(32767);
    expect(buf.readInt16LE(44 + 8)).toBe(-32767);
  });

  it('writes IEEE float WAV', () => {
    const buf = encodeWav(Float32Array.from([0.25, -0.75]), 8000, 'float32');
    expect(buf.readUInt16LE(20)).toBe(3);
    expect(buf.readFloatLE(44)).toBe(0.25);
    expect(buf.readFloatLE(48)).toBe(-0.75);
  });
});

describe('energy curve', () => {
  it('is 10 Hz, 0 for silence, 1 at the loud end', () => {
    const sr = 22050;
    const x = new Float32Array(sr * 3);
    for (let i = sr; i < 2 * sr; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / sr);
    for (let i = 2 * sr; i < 3 * sr; i++) x[i] = 0.05 * Math.sin((2 * Math.PI * 440 * i) / sr);
    const e = energyCurve(x, sr);
    expect(e.hz).toBe(10);
    expect(e.values).toHaveLength(30);
    expect(e.values[5]).toBe(0);
    expect(e.values[15]).toBeCloseTo(1, 2);
    // −20 dB on a 40 dB scale → 0.5
    expect(e.values[25]).toBeCloseTo(0.5, 2);
    expect(energyCurve(new Float32Array(1000), sr).values.every((v) => v === 0)).toBe(true);
  });
});

describe('autocorrelation and novelty', () => {
  it('autocorrelation of a pulse train peaks at its period', () => {
    const x = new Float32Array(400);
    for (let i = 0; i < 400; i += 20) x[i] = 1;
    const r = autocorrelation(x, 0, 400, 60);
    expect(r[0]).toBeCloseTo(1, 10);
    expect(r[20]).toBeGreaterThan(0.9);
    expect(r[10]!).toBeLessThan(0);
  });

  it('checkerboard novelty peaks at a block boundary', () => {
    const n = 40;
    const S = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = (i < 25) === (j < 25) ? 1 : 0;
    const nov = checkerboardNovelty(S, n, 8);
    let arg = 0;
    for (let i = 0; i < n; i++) if (nov[i]! > nov[arg]!) arg = i;
    expect(arg).toBe(25);
  });
});

describe('STFT features', () => {
  /** Straightforward per-bin mel / chroma accumulation (the definition the fast layout must match). */
  function referenceFeatures(x: Float32Array, sr: number, nfft: number, hop: number) {
    const nMels = 64;
    const bins = nfft / 2 + 1;
    const hz2mel = (f: number) => 2595 * Math.log10(1 + f / 700);
    const mel2hz = (m: number) => 700 * (Math.pow(10, m / 2595) - 1);
    const edges = Array.from({ length: nMels + 2 }, (_, i) => mel2hz(hz2mel(30) + ((hz2mel(sr / 2) - hz2mel(30)) * i) / (nMels + 1)));
    const w = Array.from({ length: nMels }, () => new Float64Array(bins));
    for (let k = 0; k < bins; k++) {
      const f = (k * sr) / nfft;
      for (let b = 0; b < nMels; b++) {
        if (f >= edges[b]! && f < edges[b + 1]!) w[b]![k] = Math.fround((f - edges[b]!) / (edges[b + 1]! - edges[b]!));
        else if (f >= edges[b + 1]! && f < edges[b + 2]!) w[b]![k] = Math.fround(1 - (f - edges[b + 1]!) / (edges[b + 2]! - edges[b + 1]!));
      }
    }
    const fft = new RealFFT(nfft);
    const win = hannWindow(nfft);
    const p = new Float64Array(bins);
    const nFrames = Math.floor(x.length / hop) + 1;
    const mel = new Float64Array(nFrames * nMels);
    const chroma = new Float64Array(nFrames * 12);
    for (let t = 0; t < nFrames; t++) {
      fft.power(x, p, t * hop - nfft / 2, win);
      for (let b = 0; b < nMels; b++) {
        let s = 0;
        let cnt = 0;
        for (let k = 0; k < bins; k++) {
          s += w[b]![k]! * p[k]!;
          cnt += w[b]![k]!;
        }
        if (cnt < 0.5) s += p[Math.min(bins - 1, Math.round((edges[b + 1]! * nfft) / sr))]!;
        mel[t * nMels + b] = s;
      }
      for (let k = 1; k < bins; k++) {
        const f = (k * sr) / nfft;
        if (f < 55 || f > 5000) continue;
        const c = ((Math.round(69 + 12 * Math.log2(f / 440)) % 12) + 12) % 12;
        chroma[t * 12 + c] = chroma[t * 12 + c]! + p[k]!;
      }
    }
    return { nFrames, mel, chroma };
  }

  function signal(n: number, seed: number): Float32Array {
    const x = new Float32Array(n);
    let s = seed;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      x[i] = 0.3 * Math.sin(i * 0.05) + 0.2 * Math.sin(i * 0.71) + (s / 2147483648 - 0.5) * 0.2;
    }
    return x;
  }

  it('mel and chroma match the per-bin definition', () => {
    for (const [sr, nfft, hop] of [[22050, 2048, 512], [8000, 1024, 186]] as const) {
      const x = signal(sr, 3);
      const f = computeSpectralFeatures(x, sr, { nfft, hop });
      const ref = referenceFeatures(x, sr, nfft, hop);
      expect(f.nFrames).toBe(ref.nFrames);
      for (let i = 0; i < ref.mel.length; i++) expect(Math.abs(f.mel[i]! - ref.mel[i]!)).toBeLessThanOrEqual(1e-5 * (ref.mel[i]! + 1e-9));
      for (let i = 0; i < ref.chroma.length; i++) expect(Math.abs(f.chroma[i]! - ref.chroma[i]!)).toBeLessThanOrEqual(1e-5 * (ref.chroma[i]! + 1e-9));
    }
  });

  it('gives the same features fed in arbitrary pieces as in one go (property)', () => {
    const x = signal(22050 * 8 + 123, 7); // 345 frames: more than the initial 256 of a small stream
    const whole = computeSpectralFeatures(x, 22050);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20000 }), { minLength: 1, maxLength: 12 }), fc.boolean(), (cuts, small) => {
        // Feed a growing prefix, as decodeToPcm's onData does (sometimes in a fresh, larger array).
        const stream = new SpectralStream(22050, {}, small ? 1000 : x.length);
        let avail = 0;
        for (const c of cuts) {
          avail = Math.min(x.length, avail + c);
          const buf = new Float32Array(x.length);
          buf.set(x.subarray(0, avail));
          stream.push(buf, avail);
        }
        const f = stream.finish(x);
        if (f.nFrames !== whole.nFrames || f.mel.length !== whole.mel.length) return false;
        for (let i = 0; i < f.mel.length; i++) if (f.mel[i] !== whole.mel[i]) return false;
        for (let i = 0; i < f.chroma.length; i++) if (f.chroma[i] !== whole.chroma[i]) return false;
        return true;
      }),
      { numRuns: 25 },
    );
  });
});

describe('windowed autocorrelation', () => {
  it('equals the per-window autocorrelation, also for silent, constant and very quiet windows', () => {
    const n = 3000;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = Math.max(0, Math.sin(i * 0.31) + Math.sin(i * 0.07) * 0.5) * (i > 1200 && i < 1700 ? 1e-6 : 1);
    for (let i = 2000; i < 2400; i++) x[i] = 0;
    for (let i = 2500; i < 2900; i++) x[i] = 0.7;
    const len = 301;
    const hop = 29;
    const nW = Math.floor((n - len) / hop) + 1;
    const all = windowedAutocorrelations(x, nW, hop, len, 90);
    for (let w = 0; w < nW; w++) {
      const ref = autocorrelation(x, w * hop, w * hop + len, 90);
      for (let lag = 0; lag <= 90; lag++) expect(all[w]![lag]).toBeCloseTo(ref[lag]!, 9);
    }
  });
});
