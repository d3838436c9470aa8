import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAudio, buildFixtureSong, decodeToPcm, probe, renderSong, type RenderedSong } from '../src/index.js';
import { autocorrelationPitch, ebur128, meanVolume, rmsDb, semitones } from './synth-helpers.js';

// One 16 s sung render (drums, bass, piano, 8 sung syllables, plus a track with no notes),
// measured from every side.
const song = buildFixtureSong({ durationSeconds: 16, tempoBpm: 120, vocals: 'sung', silentTrack: true });
let dir: string;
let out: RenderedSong;
const progress: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-synth-'));
  out = await renderSong({ song, outDir: join(dir, 'out'), onProgress: (f) => progress.push(f) });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderSong (sung)', () => {
  it('writes a 44.1 kHz 16-bit stereo WAV and a ≥192k MP3 lasting the song within 1 s', async () => {
    const [wav, mp3] = await Promise.all([probe(out.wav), probe(out.mp3)]);
    expect(wav.audio).toMatchObject({ codec: 'pcm_s16le', sampleRate: 44100, channels: 2 });
    expect(Math.abs(wav.durationSeconds - song.durationSeconds)).toBeLessThan(1);
    expect(mp3.audio).toMatchObject({ codec: 'mp3', sampleRate: 44100, channels: 2 });
    expect(mp3.bitRate).toBeGreaterThanOrEqual(185_000);
    expect(Math.abs(mp3.durationSeconds - song.durationSeconds)).toBeLessThan(1);
    expect(out.durationSeconds).toBe(16);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['song.mp3', 'song.wav', 'stems']);
  });

  it('is mastered to −14 ± 1 LUFS with true peak ≤ −1 dBTP (ffmpeg ebur128, WAV and MP3)', async () => {
    const [wav, mp3] = await Promise.all([ebur128(out.wav), ebur128(out.mp3)]);
    for (const m of [wav, mp3]) {
      expect(m.i).toBeGreaterThanOrEqual(-15);
      expect(m.i).toBeLessThanOrEqual(-13);
      expect(m.tp).toBeLessThanOrEqual(-1.0);
    }
    // What renderSong reports is what an independent measurement finds.
    expect(Math.abs(out.loudness.integratedLufs - wav.i)).toBeLessThan(0.2);
    expect(Math.abs(out.loudness.truePeakDbtp - wav.tp)).toBeLessThan(0.2);
  });

  it('keeps the tempo: the beat tracker finds song.tempoBpm within 2 % on the drum stem and the mix', async () => {
    for (const file of [out.stems.drums!, out.wav]) {
      const a = await analyzeAudio(file);
      expect(Math.abs(a.tempoBpm - song.tempoBpm) / song.tempoBpm).toBeLessThan(0.02);
    }
  });

  it('writes one stem per declared track with notes, each with energy; the empty track gives none', async () => {
    expect(Object.keys(out.stems).sort()).toEqual(['bass', 'drums', 'harmony', 'vocals']);
    expect(out.stems.lead).toBeUndefined();
    expect((await readdir(join(dir, 'out', 'stems'))).sort()).toEqual(['bass.wav', 'drums.wav', 'harmony.wav', 'vocals.wav']);
    await Promise.all(Object.values(out.stems).map(async (path) => {
      const [info, mean] = await Promise.all([probe(path), meanVolume(path)]);
      expect(info.audio).toMatchObject({ sampleRate: 44100, channels: 2 });
      // Stems line up with the mix: exactly the song's length.
      expect(Math.abs(info.durationSeconds - out.durationSeconds)).toBeLessThan(0.05);
      expect(mean).toBeGreaterThan(-50);
    }));
  });

  it('sings: energy on every syllable, near-silence between the lines, and long notes on pitch', async () => {
    const sr = 22050;
    const { samples } = await decodeToPcm(out.stems.vocals!, { sampleRate: sr });
    const at = (a: number, b: number): Float32Array => samples.subarray(Math.round(a * sr), Math.round(b * sr));
    for (const s of song.vocals.syllables) expect(rmsDb(at(s.time + 0.03, s.time + s.duration - 0.05))).toBeGreaterThan(-35);
    const [line0, line1] = song.lyrics;
    expect(rmsDb(at(line0!.end + 0.1, line1!.time - 0.05))).toBeLessThan(-70);
    expect(rmsDb(at(0, song.lyrics[0]!.time - 0.05))).toBeLessThan(-70);

    const long = song.vocals.syllables.filter((s) => s.duration >= 1);
    expect(long.length).toBeGreaterThanOrEqual(3);
    for (const s of long) {
      const hz = autocorrelationPitch(at(s.time + s.duration * 0.4, s.time + s.duration * 0.4 + 0.12), sr);
      expect(Math.abs(semitones(hz, s.midi))).toBeLessThan(1);
    }
    expect(out.voice).toMatch(/espeak-ng .*formant/);
  });

  it('reports monotonic progress that ends at 1, and no warnings', () => {
    expect(progress.length).toBeGreaterThan(3);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]!);
    expect(progress.at(-1)).toBe(1);
    expect(out.warnings).toEqual([]);
  });
});
