import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeWaveformPeaks, probe, runFfmpeg, testing } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-gen-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('testing media generators', () => {
  it('makeImage solid: exact odd size, one colour', async () => {
    const path = await testing.makeImage({ path: join(dir, 'blue.png'), width: 33, height: 17, pattern: 'solid', color: 'blue' });
    expect((await probe(path)).video).toMatchObject({ codec: 'png', width: 33, height: 17 });
    const raw = join(dir, 'blue.rgb');
    await runFfmpeg(['-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', raw]);
    const pixels = await readFile(raw);
    expect(pixels.length).toBe(33 * 17 * 3);
    for (let i = 0; i < pixels.length; i += 3) expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([0, 0, 255]);
  });

  it('makeClickTrack accents every Nth beat', async () => {
    const path = await testing.makeClickTrack({ path: join(dir, 'bars.wav'), bpm: 120, seconds: 4, accentEvery: 4 });
    expect(Math.abs((await probe(path)).durationSeconds - 4)).toBeLessThan(0.01);
    const { peaks } = await computeWaveformPeaks(path, { peaks: 8 }); // one bucket per beat
    const level = peaks.filter((_, i) => i % 2 === 1);
    expect(level[0]).toBeGreaterThan(level[1]! + 0.15);
    expect(level[4]).toBeGreaterThan(level[5]! + 0.15);
    expect(level[1]).toBeGreaterThan(0.3);
  });

  it('rejects what it cannot make', async () => {
    await expect(testing.makeTone({ path: join(dir, 'x.xyz'), seconds: 1 })).rejects.toThrow(TypeError);
    await expect(testing.makeImage({ path: join(dir, 'x.gif'), width: 8, height: 8 })).rejects.toThrow(TypeError);
    await expect(testing.makeVideo({ path: join(dir, 'x.mp4'), seconds: 1, width: 33, height: 32 })).rejects.toThrow(TypeError);
    await expect(testing.makeVideo({ path: join(dir, 'x.webm'), seconds: 1, width: 32, height: 32, rotation: 90 })).rejects.toThrow(TypeError);
    await expect(testing.makeClickTrack({ path: join(dir, 'x.wav'), bpm: 0, seconds: 1 })).rejects.toThrow(TypeError);
  });
});
