/** The composer: music theory → arrangement → notes; lyrics → melody and syllables. */
export * from './types.js';
export { SongRequestError } from './errors.js';
export { composeSong } from './compose.js';
export { writeMidi, VOCAL_MIDI_CHANNEL, VOCAL_MIDI_PROGRAM } from './midi.js';
export { songToLrc, lrcTime, type LrcOptions } from './lrc.js';
export { writeLyrics, themeKeywords, type WriteLyricsOptions, type WrittenLyrics } from './lyrics-writer.js';
export { parseLyrics, type LyricSection } from './lyrics-parse.js';
export { syllabify, lineWords, type SungWord, type Syllable } from './syllables.js';
export { RHYME_GROUPS, rhymeGroupOf } from './rhymes.js';
export { GENRE_PROFILES, MOOD_PROFILES, SECTION_ENERGY, type GenreProfile, type MoodProfile } from './profiles.js';
export { parseKey, resolveSongRequest, MIN_TEMPO_BPM, MAX_TEMPO_BPM, MAX_LYRICS_CHARS, MAX_THEME_CHARS, type SongKey, type ResolvedRequest } from './request.js';
