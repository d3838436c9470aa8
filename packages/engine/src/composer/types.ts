/**
 * The song contract shared by the composer (music theory → arrangement → notes) and the synth
 * (notes → audio, vocals, mix and master). Plain JSON: a ComposedSong can be written to disk,
 * sent to a worker, and rendered later.
 */

export const GENRES = ['pop', 'rock', 'hip-hop', 'edm', 'lofi', 'ballad', 'country', 'jazz'] as const;
export type Genre = (typeof GENRES)[number];

export const MOODS = ['happy', 'sad', 'energetic', 'calm', 'romantic', 'dark', 'epic'] as const;
export type Mood = (typeof MOODS)[number];

export const VOCAL_STYLES = ['sung', 'spoken', 'none'] as const;
export type VocalStyle = (typeof VOCAL_STYLES)[number];

export const MIN_SONG_SECONDS = 15;
export const MAX_SONG_SECONDS = 300;

export interface SongRequest {
  genre: Genre;
  mood: Mood;
  /** 15–300 s; the rendered song lasts this long within 1 s. */
  durationSeconds: number;
  /** Lyrics, optionally tagged with [Verse], [Chorus], [Bridge], [Intro], [Outro], [Pre-Chorus]. */
  lyrics?: string;
  /** Used to write lyrics locally when `lyrics` is absent and vocals are wanted. */
  theme?: string;
  /** Overrides the genre/mood default (40–220). */
  tempoBpm?: number;
  /** e.g. "C", "F# minor", "Bbm", "A major". Default chosen from the mood. */
  key?: string;
  /** Default: 'sung' when there are lyrics or a theme, else 'none'. */
  vocals?: VocalStyle;
  /** Same request + same seed → identical song. */
  seed?: number;
}

export type SectionLabel = 'intro' | 'verse' | 'pre_chorus' | 'chorus' | 'bridge' | 'instrumental' | 'outro';

export interface SongSection {
  label: SectionLabel;
  /** Seconds from the start of the song. */
  start: number;
  end: number;
  bars: number;
}

/** One note in seconds (not ticks), so the synth needs no tempo map. */
export interface NoteEvent {
  time: number;
  duration: number;
  /** MIDI note number 0–127 (GM percussion key numbers on the drum track). */
  midi: number;
  /** 0..1 */
  velocity: number;
}

export type StemName = 'drums' | 'bass' | 'harmony' | 'lead';

export interface InstrumentTrack {
  stem: StemName;
  /** Human name, e.g. "Electric Bass (finger)". */
  name: string;
  /** MIDI channel 0–15; drums always 9. */
  channel: number;
  /** General MIDI program 0–127 (ignored on channel 9). */
  program: number;
  notes: NoteEvent[];
}

/** One sung/spoken syllable on its melody note. */
export interface VocalSyllable {
  text: string;
  /** The whole word the syllable belongs to. */
  word: string;
  /** Index of that word among the sung words of its line (tells repeated words apart). */
  wordIndex?: number;
  /** Index into ComposedSong.lyrics. */
  lineIndex: number;
  time: number;
  duration: number;
  midi: number;
  stressed: boolean;
}

export interface LyricLine {
  time: number;
  end: number;
  text: string;
  section: SectionLabel;
}

export interface ChordEvent {
  time: number;
  duration: number;
  /** e.g. "Am7", "F", "G/B". */
  symbol: string;
}

export interface ComposedSong {
  version: 1;
  seed: number;
  genre: Genre;
  mood: Mood;
  tempoBpm: number;
  key: { tonic: string; mode: 'major' | 'minor' };
  timeSignature: [number, number];
  durationSeconds: number;
  sections: SongSection[];
  chords: ChordEvent[];
  /** Instrument tracks; `lead` is the instrumental melody when there are no vocals. */
  tracks: InstrumentTrack[];
  vocals: { style: VocalStyle; syllables: VocalSyllable[] };
  /** Timed lyric lines (what LRC is written from). Empty for instrumentals. */
  lyrics: LyricLine[];
  lyricsSource: 'user' | 'generated' | 'none';
  /** Things the composer had to leave out, e.g. lyric lines that did not fit the duration. */
  warnings?: string[];
}
