import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RealFFT } from '../src/audio/fft.js';
import { fMeasure } from '../src/audio/metrics.js';
import { encodeWav } from '../src/audio/wav.js';
import { energyCurve } from '../src/audio/energy.js';
import { autocorrelation } from '../src/audio/tempo.js';
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
