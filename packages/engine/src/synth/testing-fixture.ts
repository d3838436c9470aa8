/**
 * Hand-built ComposedSong fixtures for synth tests and benchmarks (and anyone who needs a song
 * before the composer exists): 4/4, C major, I–V–vi–IV, a kick/snare/hat groove, a root bass, piano
 * chords and a two-line sung phrase (8 syllables) repeated every 8 bars.
 */
import type { ComposedSong, InstrumentTrack, LyricLine, NoteEvent, VocalStyle, VocalSyllable } from '../composer/types.js';

export interface FixtureOptions {
  durationSeconds?: number;
  tempoBpm?: number;
  vocals?: VocalStyle;
  /** Add an instrumental lead track (the default when vocals are 'none'). */
  lead?: boolean;
  /** Add a harmony track with no notes (it must yield no stem). */
  silentTrack?: boolean;
  /** GM program of the chord track (default 0, Acoustic Grand Piano). */
  harmonyProgram?: number;
  /** GM program of the bass track (default 33, Electric Bass (finger)). */
  bassProgram?: number;
}

// [text, word, line, beat offset in the 8-bar phrase, beats, midi, stressed]
const PHRASE: Array<[string, string, number, number, number, number, boolean]> = [
  ['hel', 'hello', 0, 8, 1, 67, false],
  ['lo', 'hello', 0, 9, 1, 69, true],
  ['world', 'world', 0, 10, 3, 72, true],
  ['shine', 'shine', 1, 16, 2, 71, true],
  ['on', 'on', 1, 18, 1, 69, false],
  ['me', 'me', 1, 19, 1, 67, true],
  ['to', 'tonight', 1, 20, 1, 64, false],
  ['night', 'tonight', 1, 21, 3, 67, true],
];
const LINES = ['Hello world', 'Shine on me tonight'];
const CHORDS: Array<{ symbol: string; root: number; tones: number[] }> = [
  { symbol: 'C', root: 36, tones: [60, 64, 67] },
  { symbol: 'G', root: 43, tones: [59, 62, 67] },
  { symbol: 'Am', root: 45, tones: [60, 64, 69] },
  { symbol: 'F', root: 41, tones: [60, 65, 69] },
];

export function buildFixtureSong(opts: FixtureOptions = {}): ComposedSong {
  const duration = opts.durationSeconds ?? 16;
  const bpm = opts.tempoBpm ?? 120;
  const style = opts.vocals ?? 'sung';
  const beat = 60 / bpm;
  const bars = Math.floor(duration / (4 * beat));

  const drums: NoteEvent[] = [];
  const bass: NoteEvent[] = [];
  const harmony: NoteEvent[] = [];
  const lead: NoteEvent[] = [];
  const chords: ComposedSong['chords'] = [];
  for (let bar = 0; bar < bars; bar++) {
    const t0 = bar * 4 * beat;
    const chord = CHORDS[bar % CHORDS.length]!;
    chords.push({ time: t0, duration: 4 * beat, symbol: chord.symbol });
    for (const m of chord.tones) harmony.push({ time: t0, duration: 4 * beat * 0.95, midi: m, velocity: 0.6 });
    for (let b = 0; b < 4; b++) {
      const t = t0 + b * beat;
      drums.push({ time: t, duration: 0.1, midi: b % 2 === 0 ? 36 : 38, velocity: b % 2 === 0 ? 0.95 : 0.85 });
      drums.push({ time: t, duration: 0.05, midi: 42, velocity: 0.55 });
      drums.push({ time: t + beat / 2, duration: 0.05, midi: 42, velocity: 0.4 });
      bass.push({ time: t, duration: beat * 0.9, midi: chord.root, velocity: 0.8 });
      if (opts.lead ?? style === 'none') lead.push({ time: t, duration: beat * 0.9, midi: chord.tones[b % 3]! + 12, velocity: 0.7 });
    }
  }

  const syllables: VocalSyllable[] = [];
  const lyrics: LyricLine[] = [];
  if (style !== 'none') {
    // The phrase spans 6 bars (it ends on beat 24) and repeats every 8.
    for (let start = 0; start + 6 <= bars; start += 8) {
      const t0 = start * 4 * beat;
      for (let line = 0; line < LINES.length; line++) {
        const syl = PHRASE.filter((p) => p[2] === line);
        const lineIndex = lyrics.length;
        const first = syl[0]!;
        const last = syl.at(-1)!;
        lyrics.push({ time: t0 + first[3] * beat, end: t0 + (last[3] + last[4]) * beat, text: LINES[line]!, section: 'verse' });
        for (const [text, word, , at, beats, midi, stressed] of syl) {
          syllables.push({ text, word, lineIndex, time: t0 + at * beat, duration: beats * beat, midi, stressed });
        }
      }
    }
  }

  const tracks: InstrumentTrack[] = [
    { stem: 'drums', name: 'Standard Kit', channel: 9, program: 0, notes: drums },
    { stem: 'bass', name: 'Electric Bass (finger)', channel: 1, program: opts.bassProgram ?? 33, notes: bass },
    { stem: 'harmony', name: 'Acoustic Grand Piano', channel: 0, program: opts.harmonyProgram ?? 0, notes: harmony },
  ];
  if (lead.length) tracks.push({ stem: 'lead', name: 'Flute', channel: 2, program: 73, notes: lead });
  if (opts.silentTrack) tracks.push({ stem: 'lead', name: 'Silent Strings', channel: 3, program: 48, notes: [] });

  return {
    version: 1,
    seed: 1,
    genre: 'pop',
    mood: 'happy',
    tempoBpm: bpm,
    key: { tonic: 'C', mode: 'major' },
    timeSignature: [4, 4],
    durationSeconds: duration,
    sections: [{ label: 'verse', start: 0, end: duration, bars }],
    chords,
    tracks,
    vocals: { style, syllables },
    lyrics,
    lyricsSource: style === 'none' ? 'none' : 'user',
  };
}
