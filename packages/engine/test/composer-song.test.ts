import { Chord, Note } from 'tonal';
import { describe, expect, it } from 'vitest';
import { composeSong, GENRES, MOODS, type ComposedSong, type InstrumentTrack, type SongRequest } from '../src/composer/index.js';

const LYRICS = `[Verse]
Walking down the empty street tonight
Every window glowing with a golden light
I remember how you held my hand
Dancing slowly on the summer sand

[Chorus]
Hold on, hold on to the fire
We are burning ever higher
Sing it loud and let it go
Into the sky above the radio

[Verse]
Morning comes and takes the stars away
Still I hear the words you used to say

[Bridge]
If the night is over
I will wait for you`;

function lastEnd(song: ComposedSong): number {
  let end = 0;
  for (const t of song.tracks) for (const n of t.notes) end = Math.max(end, n.time + n.duration);
  for (const s of song.vocals.syllables) end = Math.max(end, s.time + s.duration);
  return end;
}

function firstStart(song: ComposedSong): number {
  let start = Infinity;
  for (const t of song.tracks) for (const n of t.notes) start = Math.min(start, n.time);
  return start;
}

const track = (song: ComposedSong, stem: InstrumentTrack['stem']): InstrumentTrack[] => song.tracks.filter((t) => t.stem === stem);

describe('composeSong over every genre × mood', () => {
  it('fills 15 s, 60 s and 300 s within 1 s, notes inside the song and ending 0.5 s before its end', () => {
    let i = 0;
    for (const genre of GENRES) {
      for (const mood of MOODS) {
        for (const durationSeconds of [15, 60, 300]) {
          // Alternate instrumental and sung songs so both paths run in every genre.
          const req: SongRequest = i++ % 2 ? { genre, mood, durationSeconds, seed: i } : { genre, mood, durationSeconds, seed: i, lyrics: LYRICS };
          const song = composeSong(req);
          const where = `${genre}/${mood}/${durationSeconds}`;
          expect(Math.abs(song.durationSeconds - durationSeconds), where).toBeLessThanOrEqual(1);
          expect(song.sections[song.sections.length - 1]!.end, where).toBeCloseTo(durationSeconds, 6);
          expect(firstStart(song), where).toBeGreaterThanOrEqual(0);
          const end = lastEnd(song);
          expect(end, where).toBeLessThanOrEqual(durationSeconds - 0.5 + 1e-6);
          // The music really lasts that long: the final chord rings into the last 2.5 s.
          expect(end, where).toBeGreaterThan(durationSeconds - 2.5);
          const bad = song.tracks.flatMap((t) => t.notes).filter((n) => !(n.duration > 0 && n.velocity > 0 && n.velocity <= 1 && n.midi >= 0 && n.midi <= 127));
          expect(bad, where).toEqual([]);
        }
      }
    }
  });
});

describe('determinism and seeds', () => {
  const req: SongRequest = { genre: 'pop', mood: 'happy', durationSeconds: 60, lyrics: LYRICS };

  it('gives the same song for the same seed and a different melody for another seed', () => {
    const a = composeSong({ ...req, seed: 11 });
    expect(composeSong({ ...req, seed: 11 })).toEqual(a);
    const b = composeSong({ ...req, seed: 12 });
    expect(b.vocals.syllables.map((s) => [s.midi, s.time])).not.toEqual(a.vocals.syllables.map((s) => [s.midi, s.time]));
    const lead = (s: ComposedSong): number[] => track(s, 'lead')[0]!.notes.map((n) => n.midi);
    expect(lead(composeSong({ genre: 'rock', mood: 'epic', durationSeconds: 60, seed: 1 }))).not.toEqual(lead(composeSong({ genre: 'rock', mood: 'epic', durationSeconds: 60, seed: 2 })));
  });

  it('seeds change progressions and drum variations across a set of songs', () => {
    const songs = [1, 2, 3, 4, 5, 6].map((seed) => composeSong({ genre: 'pop', mood: 'happy', durationSeconds: 60, tempoBpm: 110, key: 'C', seed }));
    expect(new Set(songs.map((s) => s.chords.map((c) => c.symbol).join(' '))).size).toBeGreaterThan(1);
    expect(new Set(songs.map((s) => track(s, 'drums')[0]!.notes.map((n) => `${n.midi}@${n.time}`).join(','))).size).toBeGreaterThan(1);
  });
});

/** Tempo from kick/snare onsets: the beat grid (phase 0) that catches the most onsets, searched ±25 %. */
function drumTempo(song: ComposedSong, around: number): number {
  const onsets = [...new Set(track(song, 'drums')[0]!.notes.filter((n) => n.midi === 36 || n.midi === 38 || n.midi === 39 || n.midi === 37).map((n) => n.time))];
  let best = 0;
  let bestScore = -1;
  for (let bpm = around * 0.8; bpm <= around * 1.25; bpm += 0.05) {
    const beat = 60 / bpm;
    const score = onsets.filter((t) => Math.abs(t / beat - Math.round(t / beat)) * beat < 0.012).length;
    if (score > bestScore) {
      bestScore = score;
      best = bpm;
    }
  }
  return best;
}

describe('arrangement measurements', () => {
  it('puts kick and snare on the requested tempo', () => {
    for (const [genre, tempoBpm] of [['pop', 104], ['edm', 128], ['hip-hop', 90], ['jazz', 150], ['ballad', 66]] as const) {
      const song = composeSong({ genre, mood: 'happy', durationSeconds: 60, tempoBpm, seed: 3 });
      expect(song.tempoBpm).toBe(tempoBpm);
      expect(Math.abs(drumTempo(song, tempoBpm) - tempoBpm) / tempoBpm, genre).toBeLessThan(0.01);
    }
  });

  it('defaults the tempo by genre and mood, and the mode by mood', () => {
    const tempo = (genre: SongRequest['genre'], mood: SongRequest['mood']): number => composeSong({ genre, mood, durationSeconds: 30, seed: 1 }).tempoBpm;
    expect(tempo('edm', 'energetic')).toBeGreaterThan(tempo('ballad', 'calm') + 30);
    expect(tempo('pop', 'energetic')).toBeGreaterThan(tempo('pop', 'sad'));
    expect(composeSong({ genre: 'pop', mood: 'sad', durationSeconds: 30, seed: 1 }).key.mode).toBe('minor');
    expect(composeSong({ genre: 'pop', mood: 'happy', durationSeconds: 30, seed: 1 }).key.mode).toBe('major');
    expect(composeSong({ genre: 'pop', mood: 'happy', durationSeconds: 30, seed: 1, key: 'F# minor' }).key).toEqual({ tonic: 'F#', mode: 'minor' });
  });

  it('covers the song with contiguous sections and gives long songs a full form', () => {
    for (const durationSeconds of [15, 45, 200]) {
      const song = composeSong({ genre: 'rock', mood: 'energetic', durationSeconds, seed: 5 });
      expect(song.sections[0]!.start).toBe(0);
      for (let i = 1; i < song.sections.length; i++) expect(song.sections[i]!.start).toBeCloseTo(song.sections[i - 1]!.end, 6);
      const barSeconds = (60 / song.tempoBpm) * 4;
      for (const s of song.sections.slice(0, -1)) expect(s.end - s.start).toBeCloseTo(s.bars * barSeconds, 5);
    }
    const labels = composeSong({ genre: 'pop', mood: 'happy', durationSeconds: 200, seed: 5 }).sections.map((s) => s.label);
    for (const label of ['intro', 'verse', 'chorus', 'bridge', 'outro'] as const) expect(labels).toContain(label);
    expect(composeSong({ genre: 'pop', mood: 'happy', durationSeconds: 15, seed: 5 }).sections.length).toBeLessThan(labels.length);
  });

  it('plays choruses louder than verses and adds crashes on section starts', () => {
    const song = composeSong({ genre: 'pop', mood: 'happy', durationSeconds: 120, seed: 2 });
    const mean = (label: string): number => {
      const spans = song.sections.filter((s) => s.label === label);
      const v = track(song, 'bass')[0]!.notes.filter((n) => spans.some((s) => n.time >= s.start && n.time < s.end)).map((n) => n.velocity);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    expect(mean('chorus')).toBeGreaterThan(mean('verse') + 0.05);
    const crashes = track(song, 'drums')[0]!.notes.filter((n) => n.midi === 49).map((n) => n.time);
    for (const s of song.sections.slice(1)) expect(crashes.some((t) => Math.abs(t - s.start) < 1e-6)).toBe(true);
  });

  it('drums: channel 9, fills at section ends, denser in EDM than in a ballad', () => {
    const edm = composeSong({ genre: 'edm', mood: 'energetic', durationSeconds: 60, tempoBpm: 120, seed: 1 });
    const ballad = composeSong({ genre: 'ballad', mood: 'calm', durationSeconds: 60, tempoBpm: 120, seed: 1 });
    expect(track(edm, 'drums')[0]!.channel).toBe(9);
    expect(track(edm, 'drums')[0]!.notes.length).toBeGreaterThan(track(ballad, 'drums')[0]!.notes.length * 1.3);
    // A fill: toms or a snare roll in the last beat before each inner section boundary.
    const beat = 60 / 120;
    const drums = track(ballad, 'drums')[0]!.notes;
    for (const s of ballad.sections.slice(1).filter((_, i) => ballad.sections[i]!.bars >= 2)) {
      const before = drums.filter((n) => n.time >= s.start - beat - 1e-6 && n.time < s.start - 1e-6 && [38, 45, 47, 48, 50].includes(n.midi));
      expect(before.length, `fill before ${s.label} at ${s.start}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('bass follows the chord roots on downbeats', () => {
    const song = composeSong({ genre: 'country', mood: 'happy', durationSeconds: 60, seed: 4 });
    const bass = track(song, 'bass')[0]!.notes;
    let hits = 0;
    for (const c of song.chords) {
      const n = bass.find((b) => Math.abs(b.time - c.time) < 1e-6);
      if (n && n.midi % 12 === Note.chroma(Chord.get(c.symbol).tonic ?? '')) hits++;
    }
    expect(hits / song.chords.length).toBeGreaterThan(0.95);
  });

  it('voice-leads the harmony: mean movement between consecutive voicings ≤ 3 semitones per voice', () => {
    for (const genre of GENRES) {
      const song = composeSong({ genre, mood: 'romantic', durationSeconds: 90, seed: 9 });
      for (const t of track(song, 'harmony')) {
        const groups = new Map<number, number[]>();
        for (const n of t.notes) groups.set(n.time, [...(groups.get(n.time) ?? []), n.midi]);
        const voicings = [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, notes]) => notes.sort((a, b) => a - b).join(','));
        const changes = voicings.filter((v, i) => i === 0 || v !== voicings[i - 1]).map((v) => v.split(',').map(Number));
        let moves = 0;
        let count = 0;
        for (let i = 1; i < changes.length; i++) {
          const a = changes[i - 1]!;
          const b = changes[i]!;
          expect(a.length).toBe(b.length);
          for (let k = 0; k < a.length; k++) moves += Math.abs(a[k]! - b[k]!);
          count += a.length;
        }
        expect(changes.length, genre).toBeGreaterThan(4);
        expect(moves / count, `${genre} ${t.name}`).toBeLessThanOrEqual(3);
      }
    }
  });
});

describe('melody from lyrics', () => {
  const songs = GENRES.map((genre, i) => composeSong({ genre, mood: MOODS[i % MOODS.length]!, durationSeconds: 150, lyrics: LYRICS, seed: 21 + i }));

  it('sings every chorus to the same melody and rhythm', () => {
    for (const song of songs) {
      const choruses = song.sections.filter((s) => s.label === 'chorus');
      expect(choruses.length).toBeGreaterThanOrEqual(2);
      const shape = (s: (typeof choruses)[number]): string[] =>
        song.vocals.syllables.filter((x) => x.time >= s.start && x.time < s.end).map((x) => `${x.text}:${x.midi}:${(x.time - s.start).toFixed(4)}:${x.duration.toFixed(4)}`);
      expect(shape(choruses[0]!).length).toBeGreaterThan(10);
      for (const c of choruses.slice(1)) expect(shape(c)).toEqual(shape(choruses[0]!));
    }
  });

  it('puts chord tones under syllables that start on a beat', () => {
    for (const song of songs) {
      const beat = 60 / song.tempoBpm;
      let strong = 0;
      let fitting = 0;
      for (const s of song.vocals.syllables) {
        const beats = s.time / beat;
        if (Math.abs(beats - Math.round(beats)) > 1e-4) continue;
        strong++;
        const chord = song.chords.find((c) => s.time >= c.time - 1e-6 && s.time < c.time + c.duration - 1e-6)!;
        const tones = Chord.get(chord.symbol).notes.map((n) => Note.chroma(n));
        if (tones.includes(s.midi % 12)) fitting++;
      }
      expect(strong).toBeGreaterThan(20);
      expect(fitting / strong, song.genre).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('stays in a singable range, moves (not a monotone) and rests between lines', () => {
    for (const song of songs) {
      const midis = song.vocals.syllables.map((s) => s.midi);
      expect(Math.min(...midis)).toBeGreaterThanOrEqual(55);
      expect(Math.max(...midis)).toBeLessThanOrEqual(76);
      expect(new Set(midis).size).toBeGreaterThanOrEqual(5);
      for (let i = 1; i < song.lyrics.length; i++) expect(song.lyrics[i]!.time - song.lyrics[i - 1]!.end).toBeGreaterThan(0.1);
    }
  });

  it('puts stressed syllables on beats more often than unstressed ones', () => {
    let stressedOn = 0;
    let stressed = 0;
    let unstressedOn = 0;
    let unstressed = 0;
    for (const song of songs) {
      const half = 60 / song.tempoBpm;
      for (const s of song.vocals.syllables) {
        const on = Math.abs(s.time / half - Math.round(s.time / half)) < 1e-4;
        if (s.stressed) [stressed, stressedOn] = [stressed + 1, stressedOn + (on ? 1 : 0)];
        else [unstressed, unstressedOn] = [unstressed + 1, unstressedOn + (on ? 1 : 0)];
      }
    }
    expect(stressedOn / stressed).toBeGreaterThan(0.8);
    expect(stressedOn / stressed).toBeGreaterThan(unstressedOn / unstressed + 0.2);
  });

  it('times one lyric line per sung line, starting on its first syllable', () => {
    const song = songs[0]!;
    expect(song.lyricsSource).toBe('user');
    for (const [i, line] of song.lyrics.entries()) {
      const syllables = song.vocals.syllables.filter((s) => s.lineIndex === i);
      expect(syllables.length).toBeGreaterThan(0);
      expect(line.time).toBe(syllables[0]!.time);
      expect(line.text.toLowerCase()).toContain(syllables[0]!.word.toLowerCase());
    }
    expect(song.lyrics.map((l) => l.text)).toContain('Hold on, hold on to the fire');
    expect(new Set(song.lyrics.map((l) => l.section))).toEqual(new Set(['verse', 'chorus', 'bridge']));
  });

  it('writes lyrics from a theme when there are none, and an instrumental lead otherwise', () => {
    const themed = composeSong({ genre: 'country', mood: 'happy', durationSeconds: 60, theme: 'tractor dreams', seed: 1 });
    expect(themed.lyricsSource).toBe('generated');
    expect(themed.vocals.style).toBe('sung');
    expect(themed.lyrics.map((l) => l.text).join(' ').toLowerCase()).toMatch(/tractor|dreams/);
    expect(track(themed, 'lead')).toHaveLength(0);
    const instrumental = composeSong({ genre: 'jazz', mood: 'calm', durationSeconds: 60, lyrics: LYRICS, vocals: 'none', seed: 1 });
    expect(instrumental.vocals.syllables).toHaveLength(0);
    expect(instrumental.lyrics).toHaveLength(0);
    const lead = track(instrumental, 'lead')[0]!;
    expect(lead.notes.length).toBeGreaterThan(20);
    expect(lead.program).toBe(65);
  });

  it('reports lyric lines that do not fit a short song instead of cramming them', () => {
    const song = composeSong({ genre: 'pop', mood: 'happy', durationSeconds: 15, lyrics: LYRICS, seed: 1 });
    expect(song.warnings?.join(' ')).toMatch(/not sung/);
    expect(song.lyrics.length).toBeGreaterThan(0);
  });

  it('handles numbers, emoji and non-Latin lyrics without crashing', () => {
    const song = composeSong({ genre: 'lofi', mood: 'calm', durationSeconds: 40, lyrics: '24 hours 🌙 in 東京\nпривет мир 🎵\n🎶🎶', seed: 1 });
    expect(song.vocals.syllables.map((s) => s.text)).toEqual(expect.arrayContaining(['twen', 'ty', 'four', '東', '京']));
    expect(song.vocals.syllables.some((s) => /\p{Extended_Pictographic}/u.test(s.text))).toBe(false);
  });
});
