import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureSong, decodeToPcm, probe, renderSong, renderVocals } from '../src/index.js';
import { ebur128, meanVolume, rmsDb } from './synth-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-synth-styles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("vocals: 'none'", () => {
  it('renders an instrumental with a lead stem, no vocal stem, mastered and on length', async () => {
    const song = buildFixtureSong({ durationSeconds: 15, vocals: 'none' });
    const out = await renderSong({ song, outDir: join(dir, 'none') });
    expect(Object.keys(out.stems).sort()).toEqual(['bass', 'drums', 'harmony', 'lead']);
    expect(await readdir(join(dir, 'none', 'stems'))).not.toContain('vocals.wav');
    expect(out.voice).toBe('none');
    const [info, loud, leadMean] = await Promise.all([probe(out.wav), ebur128(out.wav), meanVolume(out.stems.lead!)]);
    expect(Math.abs(info.durationSeconds - 15)).toBeLessThan(1);
    expect(Math.abs(loud.i + 14)).toBeLessThanOrEqual(1);
    expect(loud.tp).toBeLessThanOrEqual(-1);
    expect(leadMean).toBeGreaterThan(-50);
  });
});

describe("vocals: 'spoken'", () => {
  it('speaks each word at its natural pitch, starting on its syllable time, silent between lines', async () => {
    const song = buildFixtureSong({ durationSeconds: 15, vocals: 'spoken' });
    const res = await renderVocals({ song, out: join(dir, 'spoken.wav') });
    expect(res.voice).toMatch(/espeak-ng .*spoken word at natural pitch/);
    expect(res.warnings).toEqual([]);
    const sr = 22050;
    const { samples } = await decodeToPcm(res.wav!, { sampleRate: sr });
    // Word starts: the first syllable of each word ("hel" of hello, "to" of tonight).
    const starts = song.vocals.syllables.filter((s, i, all) => i === 0 || all[i - 1]!.word !== s.word || all[i - 1]!.lineIndex !== s.lineIndex);
    expect(starts.map((s) => s.text)).toEqual(['hel', 'world', 'shine', 'on', 'me', 'to']);
    for (const s of starts) {
      const frame = Math.round(0.005 * sr);
      let onset = -1;
      for (let i = Math.round((s.time - 0.2) * sr); i < (s.time + 0.3) * sr; i += frame) {
        if (rmsDb(samples.subarray(i, i + frame)) > -40) {
          onset = i / sr;
          break;
        }
      }
      expect(Math.abs(onset - s.time)).toBeLessThan(0.03);
    }
    const [line0, line1] = song.lyrics;
    expect(rmsDb(samples.subarray(Math.round((line0!.end + 0.3) * sr), Math.round((line1!.time - 0.05) * sr)))).toBeLessThan(-70);
  });

  it('voices what it can and warns about syllables with nothing speakable', async () => {
    const song = buildFixtureSong({ durationSeconds: 15, vocals: 'sung' });
    song.vocals.syllables[1] = { ...song.vocals.syllables[1]!, text: '🎵', word: '🎵' };
    const res = await renderVocals({ song, out: join(dir, 'emoji.wav') });
    expect(res.wav).not.toBeNull();
    expect(res.warnings).toEqual(['1 of 8 syllables could not be voiced by espeak-ng (no speakable letters)']);
  });
});
