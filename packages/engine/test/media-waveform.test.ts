import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeakAccumulator, ProbeError, computeWaveformPeaks, testing } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-wave-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mins = (p: number[]) => p.filter((_, i) => i % 2 === 0);
const maxs = (p: number[]) => p.filter((_, i) => i % 2 === 1);

describe('computeWaveformPeaks', () => {
  it('a full-scale tone gives peaks near ±1 in every bucket', async () => {
    const path = await testing.makeTone({ path: join(dir, 'full.wav'), seconds: 2, amplitude: 1 });
    const w = await computeWaveformPeaks(path, { peaks: 200 });
    expect(w.peaks).toHaveLength(400);
    expect(w.sampleRate).toBe(8000);
    expect(Math.abs(w.durationSeconds - 2)).toBeLessThan(0.05);
    for (const v of mins(w.peaks)) expect(v).toBeLessThan(-0.9);
    for (const v of maxs(w.peaks)) expect(v).toBeGreaterThan(0.9);
    expect(Math.min(...w.peaks)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...w.peaks)).toBeLessThanOrEqual(1);
  });

  it('a silent file gives ~0 peaks', async () => {
    const path = await testing.makeTone({ path: join(dir, 'silent.wav'), seconds: 1.5, amplitude: 0 });
    const w = await computeWaveformPeaks(path, { peaks: 800 });
    expect(w.peaks).toHaveLength(1600);
    for (const v of w.peaks) expect(Math.abs(v)).toBeLessThan(0.001);
  });

  it('a half-scale compressed stereo tone peaks near ±0.5', async () => {
    const path = await testing.makeTone({ path: join(dir, 'half.mp3'), seconds: 1, amplitude: 0.5, channels: 2 });
    const w = await computeWaveformPeaks(path, { peaks: 50 });
    expect(w.peaks).toHaveLength(100);
    expect(Math.max(...w.peaks)).toBeGreaterThan(0.45);
    expect(Math.max(...w.peaks)).toBeLessThan(0.56);
    expect(Math.min(...w.peaks)).toBeLessThan(-0.45);
  });

  it('clicks show up on the beats and nowhere else', async () => {
    const path = await testing.makeClickTrack({ path: join(dir, 'click.wav'), bpm: 120, seconds: 2 });
    const w = await computeWaveformPeaks(path, { peaks: 20 }); // 100 ms buckets, beats every 500 ms
    const loudness = maxs(w.peaks);
    loudness.forEach((v, i) => {
      if (i % 5 === 0) expect(v).toBeGreaterThan(0.3);
      else expect(v).toBeLessThan(0.02);
    });
  });

  it('more buckets than decoded samples still yields exactly 2 × peaks values', async () => {
    const path = await testing.makeTone({ path: join(dir, 'short.wav'), seconds: 0.02, amplitude: 1 });
    const w = await computeWaveformPeaks(path, { peaks: 800 });
    expect(w.peaks).toHaveLength(1600);
    expect(w.peaks.every(Number.isFinite)).toBe(true);
    expect(Math.max(...w.peaks)).toBeGreaterThan(0.9);
  });

  it('rejects files without audio and bad arguments', async () => {
    const video = await testing.makeVideo({ path: join(dir, 'mute.mp4'), seconds: 0.2, width: 64, height: 64 });
    await expect(computeWaveformPeaks(video, { peaks: 10 })).rejects.toBeInstanceOf(ProbeError);
    await expect(computeWaveformPeaks(video, { peaks: 0 })).rejects.toThrow(RangeError);
  });

  it('honours an abort signal', async () => {
    const path = await testing.makeTone({ path: join(dir, 'abort.wav'), seconds: 0.5 });
    const controller = new AbortController();
    controller.abort();
    const error = await computeWaveformPeaks(path, { peaks: 10, signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });
});

describe('PeakAccumulator', () => {
  it('gives the same peaks however the PCM bytes are chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 1, maxLength: 400 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 30 }),
        (samples, cuts, fineSize, peaks) => {
          const pcm = Buffer.alloc(samples.length * 2);
          samples.forEach((s, i) => pcm.writeInt16LE(s, i * 2));
          const whole = new PeakAccumulator(fineSize, 2);
          whole.push(pcm);
          whole.flush();
          const chunked = new PeakAccumulator(fineSize, 2);
          for (let p = 0, i = 0; p < pcm.length; i++) {
            const n = cuts[i % cuts.length]!;
            chunked.push(pcm.subarray(p, p + n));
            p += n;
          }
          chunked.flush();
          expect(chunked.sampleCount).toBe(samples.length);
          expect(chunked.reduce(peaks)).toEqual(whole.reduce(peaks));
          // With one output bucket the result is the global min and max, rounded to 4 decimals
          // (so off by at most half the last digit, plus float error).
          const [lo, hi] = whole.reduce(1);
          expect(Math.abs(lo! - Math.min(...samples) / 32768)).toBeLessThanOrEqual(0.5e-4 + 1e-12);
          expect(Math.abs(hi! - Math.max(...samples) / 32768)).toBeLessThanOrEqual(0.5e-4 + 1e-12);
        },
      ),
      { numRuns: 500 },
    );
  });
});
