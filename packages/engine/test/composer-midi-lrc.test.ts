import { Midi } from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { parseLrc } from '../src/captions/parse.js';
import { composeSong, songToLrc, VOCAL_MIDI_CHANNEL, writeMidi } from '../src/composer/index.js';

const LYRICS = '[Verse]\nThe city lights are calling me tonight\nI follow every shadow into light\n\n[Chorus]\nRun, run, into the open sky\nWe never have to say goodbye';

describe('writeMidi', () => {
  it('round-trips through @tonejs/midi: tracks, channels, programs, note counts, tempo, meter, key, lyrics', () => {
    const song = composeSong({ genre: 'rock', mood: 'dark', durationSeconds: 45, tempoBpm: 132, key: 'E minor', lyrics: LYRICS, seed: 4 });
    const bytes = writeMidi(song);
    expect(String.fromCharCode(...bytes.slice(0, 4))).toBe('MThd');
    const midi = new Midi(bytes);
    expect(midi.header.tempos[0]!.bpm).toBeCloseTo(132, 1);
    expect(midi.header.timeSignatures[0]!.timeSignature).toEqual([4, 4]);
    // E minor has one sharp, like G major.
    expect(midi.header.keySignatures[0]).toMatchObject({ key: 'G', scale: 'minor' });
    expect(midi.tracks).toHaveLength(song.tracks.length + 1);
    song.tracks.forEach((t, i) => {
      const back = midi.tracks[i]!;
      expect(back.name).toBe(t.name);
      expect(back.channel).toBe(t.channel);
      if (t.channel !== 9) expect(back.instrument.number).toBe(t.program);
      expect(back.notes).toHaveLength(t.notes.length);
      expect(back.notes[0]!.time).toBeCloseTo(t.notes[0]!.time, 2);
    });
    expect(midi.tracks.find((t) => t.channel === 9)?.instrument.percussion).toBe(true);
    const vocal = midi.tracks[song.tracks.length]!;
    expect(vocal.name).toBe('Vocal');
    expect(vocal.channel).toBe(VOCAL_MIDI_CHANNEL);
    expect(vocal.notes.map((n) => n.midi)).toEqual(song.vocals.syllables.map((s) => s.midi));
    const lyrics = midi.header.meta.filter((m) => m.type === 'lyrics');
    expect(lyrics).toHaveLength(song.vocals.syllables.length);
    expect(lyrics.map((l) => l.text).join('')).toContain('ci-ty ');
  });

  it('writes flat major keys with their flats', () => {
    const midi = new Midi(writeMidi(composeSong({ genre: 'jazz', mood: 'calm', durationSeconds: 20, key: 'Eb', seed: 1 })));
    expect(midi.header.keySignatures[0]).toMatchObject({ key: 'Eb', scale: 'major' });
  });

  it('is byte-identical for the same seed', () => {
    const req = { genre: 'edm', mood: 'energetic', durationSeconds: 30, seed: 77 } as const;
    expect(Buffer.from(writeMidi(composeSong(req))).equals(Buffer.from(writeMidi(composeSong(req))))).toBe(true);
  });
});

describe('songToLrc', () => {
  const song = composeSong({ genre: 'pop', mood: 'romantic', durationSeconds: 60, lyrics: LYRICS, seed: 2 });

  it('parses back with one line per sung line at increasing times', () => {
    const lrc = songToLrc(song, { title: 'City [Lights]' });
    expect(lrc).toMatch(/^\[ti:City Lights\]$/m);
    const lines = parseLrc(lrc);
    expect(lines).toHaveLength(song.lyrics.length);
    lines.forEach((l, i) => {
      expect(l.text).toBe(song.lyrics[i]!.text);
      expect(Math.abs(l.start - song.lyrics[i]!.time)).toBeLessThanOrEqual(0.005);
      if (i > 0) expect(l.start).toBeGreaterThan(lines[i - 1]!.start);
    });
  });

  it('adds word tags that match the sung syllables when asked', () => {
    const lines = parseLrc(songToLrc(song, { wordTimes: true }));
    const first = lines[0]!;
    expect(first.text).toBe(song.lyrics[0]!.text);
    expect(first.words!.map((w) => w.text)).toEqual(song.lyrics[0]!.text.split(' '));
    const cityStart = song.vocals.syllables.find((s) => s.word === 'city')!.time;
    expect(first.words!.find((w) => w.text === 'city')!.start).toBeCloseTo(cityStart, 2);
  });
});
