import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSong, decodeToPcm, parseLrc, renderSong, songToLrc, type ComposedSong, type RenderedSong } from '../src/index.js';
import { autocorrelationPitch, rmsDb, semitones } from './synth-helpers.js';

// The composer driving the synth, measured the way the Song Studio issue asks: the LRC's line
// times match where the voice starts each line, and the sung pitch follows the melody.
const LYRICS = `[Verse]
Morning light across the river
Every window burning gold

[Chorus]
Sing it loud and sing it longer
Hold the night and never fold`;

let dir: string;
let song: ComposedSong;
let out: RenderedSong;
const SR = 22050;
let vocal: Float32Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-song-e2e-'));
  song = composeSong({ genre: 'pop', mood: 'happy', durationSeconds: 24, lyrics: LYRICS, vocals: 'sung', seed: 11 });
  out = await renderSong({ song, outDir: join(dir, 'out') });
  vocal = (await decodeToPcm(out.stems.vocals!, { sampleRate: SR })).samples;
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const window = (a: number, b: number): Float32Array => vocal.subarray(Math.max(0, Math.round(a * SR)), Math.round(b * SR));

/** First time after `from` where 10 ms of the vocal stem rise above −40 dBFS. */
function vocalOnset(from: number, to: number): number | null {
  for (let t = from; t < to; t += 0.005) if (rmsDb(window(t, t + 0.01)) > -40) return t;
  return null;
}

describe('song: composer → synth', () => {
  it('every LRC line starts within 150 ms of where the voice starts singing it', () => {
    const lines = parseLrc(songToLrc(song));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBe(song.lyrics.length);
    for (const line of lines) {
      const onset = vocalOnset(line.start - 0.3, line.start + 0.5);
      expect(onset, `no voice near "${line.text}" at ${line.start}`).not.toBeNull();
      expect(Math.abs(onset! - line.start)).toBeLessThanOrEqual(0.15);
    }
  });

  it('sung pitch follows the melody: median error ≤ 1 semitone over the syllables', () => {
    const held = song.vocals.syllables.filter((s) => s.duration >= 0.12);
    expect(held.length).toBeGreaterThanOrEqual(12);
    const errors = held.map((s) => {
      const mid = s.time + s.duration * 0.35;
      return Math.abs(semitones(autocorrelationPitch(window(mid, mid + Math.min(0.06, s.duration * 0.5)), SR), s.midi));
    }).sort((a, b) => a - b);
    console.log(`pitch error over ${held.length} syllables: median ${errors[Math.floor(errors.length / 2)]!.toFixed(2)}, p90 ${errors[Math.floor(errors.length * 0.9)]!.toFixed(2)} semitones`);
    const median = errors[Math.floor(errors.length / 2)]!;
    expect(median).toBeLessThanOrEqual(1);
  });

  it('lasts the requested length', () => {
    expect(Math.abs(out.durationSeconds - 24)).toBeLessThanOrEqual(1);
  });
});
