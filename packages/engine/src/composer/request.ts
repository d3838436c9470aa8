/** Validate a SongRequest and fill in the defaults (tempo, key, vocals, seed) it leaves open. */
import { Note } from 'tonal';
import { SongRequestError } from './errors.js';
import { GENRE_PROFILES, MOOD_PROFILES } from './profiles.js';
import { GENRES, MAX_SONG_SECONDS, MIN_SONG_SECONDS, MOODS, VOCAL_STYLES, type Genre, type Mood, type SongRequest, type VocalStyle } from './types.js';
import { seededRandom } from '../musicvideo/random.js';

export const MIN_TEMPO_BPM = 40;
export const MAX_TEMPO_BPM = 220;
export const MAX_LYRICS_CHARS = 5000;
export const MAX_THEME_CHARS = 500;

export interface SongKey {
  tonic: string;
  mode: 'major' | 'minor';
}

export interface ResolvedRequest {
  genre: Genre;
  mood: Mood;
  durationSeconds: number;
  tempoBpm: number;
  key: SongKey;
  vocals: VocalStyle;
  seed: number;
  lyrics?: string;
  theme?: string;
}

/** Parse "C", "F# minor", "Bbm", "A major", "eb min", "C#M". Returns undefined when unparseable. */
export function parseKey(text: string): SongKey | undefined {
  const m = /^\s*([A-Ga-g])\s*(#|b|♯|♭|sharp|flat)?\s*(m|min|minor|maj|major|M|moll|dur)?\s*$/.exec(text.replace(/\s+/g, ' '));
  if (!m) return undefined;
  const acc = m[2] === '#' || m[2] === '♯' || m[2] === 'sharp' ? '#' : m[2] === 'b' || m[2] === '♭' || m[2] === 'flat' ? 'b' : '';
  const tonic = Note.pitchClass(m[1]!.toUpperCase() + acc);
  if (!tonic) return undefined;
  const q = m[3] ?? '';
  const mode = q === 'm' || q.toLowerCase().startsWith('min') || q === 'moll' ? 'minor' : 'major';
  return { tonic: simplerSpelling(tonic), mode };
}

/** Prefer the conventional key name (Bb, not A#; F#, not Gb). */
function simplerSpelling(pc: string): string {
  const names = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
  return names[Note.chroma(pc)!]!;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Stable 32-bit hash (FNV-1a) so a request without a seed still composes the same song each time. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function resolveSongRequest(input: unknown): ResolvedRequest {
  if (!isRecord(input)) throw new SongRequestError('request', 'expected an object with genre, mood and durationSeconds');
  const req = input as Partial<Record<keyof SongRequest, unknown>>;
  if (typeof req.genre !== 'string' || !(GENRES as readonly string[]).includes(req.genre)) {
    throw new SongRequestError('genre', `unknown genre ${JSON.stringify(req.genre)}; expected one of ${GENRES.join(', ')}`);
  }
  if (typeof req.mood !== 'string' || !(MOODS as readonly string[]).includes(req.mood)) {
    throw new SongRequestError('mood', `unknown mood ${JSON.stringify(req.mood)}; expected one of ${MOODS.join(', ')}`);
  }
  const genre = req.genre as Genre;
  const mood = req.mood as Mood;
  const duration = req.durationSeconds;
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < MIN_SONG_SECONDS || duration > MAX_SONG_SECONDS) {
    throw new SongRequestError('durationSeconds', `must be a number of seconds from ${MIN_SONG_SECONDS} to ${MAX_SONG_SECONDS}, got ${String(duration)}`);
  }
  if (req.tempoBpm !== undefined && (typeof req.tempoBpm !== 'number' || !Number.isFinite(req.tempoBpm) || req.tempoBpm < MIN_TEMPO_BPM || req.tempoBpm > MAX_TEMPO_BPM)) {
    throw new SongRequestError('tempoBpm', `must be from ${MIN_TEMPO_BPM} to ${MAX_TEMPO_BPM} BPM, got ${String(req.tempoBpm)}`);
  }
  if (req.lyrics !== undefined && typeof req.lyrics !== 'string') throw new SongRequestError('lyrics', 'must be text');
  if (typeof req.lyrics === 'string' && req.lyrics.length > MAX_LYRICS_CHARS) {
    throw new SongRequestError('lyrics', `too long: ${req.lyrics.length} characters (at most ${MAX_LYRICS_CHARS})`);
  }
  if (req.theme !== undefined && typeof req.theme !== 'string') throw new SongRequestError('theme', 'must be text');
  if (typeof req.theme === 'string' && req.theme.length > MAX_THEME_CHARS) {
    throw new SongRequestError('theme', `too long: ${req.theme.length} characters (at most ${MAX_THEME_CHARS})`);
  }
  if (req.key !== undefined && typeof req.key !== 'string') throw new SongRequestError('key', 'must be text such as "C", "F# minor" or "Bbm"');
  let key: SongKey | undefined;
  if (typeof req.key === 'string' && req.key.trim() !== '') {
    key = parseKey(req.key);
    if (!key) throw new SongRequestError('key', `cannot read key ${JSON.stringify(req.key)}; write e.g. "C", "F# minor", "Bbm" or "A major"`);
  }
  if (req.vocals !== undefined && (typeof req.vocals !== 'string' || !(VOCAL_STYLES as readonly string[]).includes(req.vocals))) {
    throw new SongRequestError('vocals', `expected one of ${VOCAL_STYLES.join(', ')}, got ${JSON.stringify(req.vocals)}`);
  }
  if (req.seed !== undefined && (typeof req.seed !== 'number' || !Number.isFinite(req.seed))) {
    throw new SongRequestError('seed', 'must be a finite number');
  }
  const lyrics = typeof req.lyrics === 'string' && req.lyrics.trim() !== '' ? req.lyrics : undefined;
  const theme = typeof req.theme === 'string' && req.theme.trim() !== '' ? req.theme.trim() : undefined;
  const vocals = (req.vocals as VocalStyle | undefined) ?? (lyrics || theme ? 'sung' : 'none');
  if (vocals !== 'none' && !lyrics && !theme) {
    throw new SongRequestError('lyrics', `vocals "${vocals}" need lyrics or a theme to write lyrics from (or set vocals to "none")`);
  }
  const seed = req.seed !== undefined ? Math.trunc(req.seed as number) >>> 0 : hashString(JSON.stringify([genre, mood, duration, req.tempoBpm, req.key, lyrics, theme, vocals]));
  const rng = seededRandom(seed ^ 0x5eed);
  const moodProfile = MOOD_PROFILES[mood];
  return {
    genre,
    mood,
    durationSeconds: duration,
    tempoBpm: (req.tempoBpm as number | undefined) ?? defaultTempo(genre, mood, rng.next()),
    key: key ?? { tonic: rng.pick(moodProfile.tonics), mode: moodProfile.mode },
    vocals,
    seed,
    ...(lyrics ? { lyrics } : {}),
    ...(theme ? { theme } : {}),
  };
}

function defaultTempo(genre: Genre, mood: Mood, jitter: number): number {
  const [lo, hi] = GENRE_PROFILES[genre].tempo;
  const mid = ((lo + hi) / 2) * MOOD_PROFILES[mood].tempoFactor;
  const clamped = Math.min(hi * 1.1, Math.max(lo * 0.9, mid));
  return Math.round(clamped + (jitter - 0.5) * 6);
}
