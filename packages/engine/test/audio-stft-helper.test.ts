/**
 * The STFT helper thread (spectral-helper.ts): the features must be bit-identical to a
 * single-threaded STFT whichever thread computed a frame, the helper must really take part,
 * and a helper that stops mid-job must not lose frames.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAudio } from '../src/audio/analyze.js';
import { spectralHelperTesting, type SpectralHelperJob } from '../src/audio/spectral-helper.js';
import { SpectralStream, computeSpectralFeatures, type SpectralFeatures } from '../src/audio/spectrogram.js';
import { synthDrumGroove, writeSynthWav } from '../src/audio/synth-test-signals.js';

const TWO_CPUS = availableParallelism() >= 2;
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clipmix-stft-helper-'));
  await writeSynthWav(join(dir, 'groove.wav'), synthDrumGroove({ bpm: 117, bars: 40, noise: { kind: 'pink', snrDb: 20 }, seed: 3 }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Noise plus a few tones: every mel band and pitch class gets energy. */
function signal(n: number): Float32Array {
  const x = new Float32Array(n);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[i] = (seed / 2 ** 32 - 0.5) * 0.2 + 0.3 * Math.sin(i * 0.0628) + 0.2 * Math.sin(i * 0.3 + Math.sin(i * 1e-4));
  }
  return x;
}

function sameFeatures(a: SpectralFeatures, b: SpectralFeatures): boolean {
  if (a.nFrames !== b.nFrames || a.mel.length !== b.mel.length || a.chroma.length !== b.chroma.length) return false;
  for (let i = 0; i < a.mel.length; i++) if (a.mel[i] !== b.mel[i]) return false;
  for (let i = 0; i < a.chroma.length; i++) if (a.chroma[i] !== b.chroma[i]) return false;
  return true;
}

/**
 * Feeds `x` as decodeToPcm({ shared: true }) does: a growing prefix of a SharedArrayBuffer array,
 * replaced by a larger one half-way, pausing between pieces so the helper gets to run.
 */
async function feedShared(stream: SpectralStream, x: Float32Array, piece: number, between?: (done: number) => void): Promise<void> {
  let buf = new Float32Array(new SharedArrayBuffer(Math.ceil(x.length / 2) * 4));
  for (let avail = 0; avail < x.length; ) {
    const next = Math.min(x.length, avail + piece);
    if (next > buf.length) {
      const grown = new Float32Array(new SharedArrayBuffer(x.length * 4));
      grown.set(buf);
      buf = grown;
    }
    buf.set(x.subarray(avail, next), avail);
    avail = next;
    stream.push(buf, avail);
    between?.(avail);
    await sleep(1);
  }
}

describe.skipIf(!TWO_CPUS)('STFT helper thread', () => {
  it('computes part of the frames, and the features are bit-identical to one thread (input and output arrays replaced on the way)', async () => {
    const x = signal(22050 * 40 + 77);
    const single = computeSpectralFeatures(x, 22050);
    // An expected length far too small: the output arrays grow (twice) while the helper works.
    // A loaded machine may give the helper no core during one run: up to six runs for it to help.
    let helperFrames = 0;
    for (let attempt = 0; attempt < 6 && helperFrames === 0; attempt++) {
      const stream = new SpectralStream(22050, {}, 22050 * 10, true);
      await feedShared(stream, x, 16384);
      const parallel = stream.finish(x);
      helperFrames = stream.helperFrames;
      expect(helperFrames).toBeLessThan(parallel.nFrames);
      expect(parallel.mel.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(sameFeatures(parallel, single)).toBe(true);
    }
    expect(helperFrames).toBeGreaterThan(0);
  });

  it('analyzeAudio gives the same analysis with the helper as without it', async () => {
    const file = join(dir, 'groove.wav');
    await analyzeAudio(file); // the helper's first job also warms it up
    let oneStats = { stftFrames: 0, stftHelperFrames: -1 };
    const one = await analyzeAudio(file, { threads: 1, onStats: (s) => (oneStats = s) });
    expect(one.tempoBpm).toBeCloseTo(117, 0);
    expect(oneStats.stftHelperFrames).toBe(0);
    // Until the helper took part (a loaded machine may give it no core during one run).
    let stats = { stftFrames: 0, stftHelperFrames: 0 };
    for (let attempt = 0; attempt < 6 && stats.stftHelperFrames === 0; attempt++) {
      const two = await analyzeAudio(file, { onStats: (s) => (stats = s) });
      expect(two).toEqual(one);
      expect(stats.stftFrames).toBe(oneStats.stftFrames);
    }
    expect(stats.stftHelperFrames).toBeGreaterThan(0);
  });

  it('an aborted analysis leaves the helper free for the next one', async () => {
    const file = join(dir, 'groove.wav');
    const ac = new AbortController();
    const aborted = analyzeAudio(file, { signal: ac.signal });
    setTimeout(() => ac.abort(), 15);
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    // On a loaded machine one analysis may finish before the helper thread gets a core; a helper
    // left busy by the aborted run would never help again, so a few tries tell the two apart.
    let helped = 0;
    for (let attempt = 0; attempt < 6 && helped === 0; attempt++) {
      await analyzeAudio(file, { onStats: (s) => (helped = s.stftHelperFrames) });
    }
    expect(helped).toBeGreaterThan(0);
  });

  it('frames a helper claimed but never finished are recomputed on the calling thread', async () => {
    const x = signal(22050 * 20);
    const single = computeSpectralFeatures(x, 22050);
    spectralHelperTesting.setStallMs(200);
    try {
      const stream = new SpectralStream(22050, {}, x.length, true);
      let claimed = false;
      await feedShared(stream, x, 32768, (avail) => {
        const job = (stream as unknown as { helper: SpectralHelperJob | null }).helper;
        if (!claimed && job && avail > x.length / 2) {
          spectralHelperTesting.claimAsDeadHelper(job, 6);
          claimed = true;
        }
      });
      expect(claimed).toBe(true);
      const t0 = performance.now();
      const features = stream.finish(x);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(200); // it waited for the dead helper
      expect(sameFeatures(features, single)).toBe(true);
    } finally {
      spectralHelperTesting.setStallMs(3000);
      spectralHelperTesting.reset();
    }
    // A later analysis starts a fresh helper. On a loaded machine one analysis may finish before
    // the helper thread gets a core; a helper that never came back would never help, so a few
    // tries tell the two apart (as in the aborted-analysis test).
    let helped = 0;
    for (let attempt = 0; attempt < 6 && helped === 0; attempt++) {
      await analyzeAudio(join(dir, 'groove.wav'), { onStats: (s) => (helped = s.stftHelperFrames) });
    }
    expect(helped).toBeGreaterThan(0);
  });
});
