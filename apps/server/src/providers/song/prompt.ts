import { writeLyrics } from '@clipmix/engine';
import type { SongGenerationRequest } from './types.js';

const GENRE_WORDS: Record<string, string> = {
  pop: 'pop',
  rock: 'rock, electric guitars',
  'hip-hop': 'hip-hop, boom bap drums',
  edm: 'EDM, synths, four-on-the-floor',
  lofi: 'lo-fi hip-hop, dusty keys',
  ballad: 'ballad, piano',
  country: 'country, acoustic guitar',
  jazz: 'jazz, swing',
};

/** A style description for text-to-music models: genre, mood, tempo, key, vocals, length. */
export function stylePrompt(r: SongGenerationRequest): string {
  const parts = [GENRE_WORDS[r.genre] ?? r.genre, r.mood];
  if (r.tempoBpm) parts.push(`${r.tempoBpm} BPM`);
  if (r.key) parts.push(`in ${r.key}`);
  if (r.vocals === 'none') parts.push('instrumental');
  else if (r.vocals === 'spoken') parts.push('spoken-word vocals');
  if (r.theme) parts.push(`about ${r.theme.trim().slice(0, 300)}`);
  parts.push(`about ${Math.round(r.durationSeconds)} seconds long`);
  return parts.join(', ');
}

/**
 * The lyrics a cloud model should sing: the user's, or (with a theme and vocals wanted) ones
 * written by the local template writer. Undefined for instrumentals.
 */
export function lyricsToSing(r: SongGenerationRequest): { text: string; source: 'user' | 'local-template' } | undefined {
  if (r.vocals === 'none') return undefined;
  if (r.lyrics?.trim()) return { text: r.lyrics.trim(), source: 'user' };
  if (r.theme?.trim()) {
    const written = writeLyrics({ theme: r.theme, genre: r.genre, mood: r.mood, ...(r.seed !== undefined ? { seed: r.seed } : {}) });
    return { text: written.text, source: 'local-template' };
  }
  return undefined;
}

/** Audio MIME and file extension from a result URL's path (default MP3). */
export function audioTypeOf(url: string): { ext: string; mime: string } {
  let p = '';
  try {
    p = new URL(url).pathname.toLowerCase();
  } catch {
    /* default below */
  }
  if (p.endsWith('.wav')) return { ext: '.wav', mime: 'audio/wav' };
  if (p.endsWith('.flac')) return { ext: '.flac', mime: 'audio/flac' };
  if (p.endsWith('.ogg')) return { ext: '.ogg', mime: 'audio/ogg' };
  return { ext: '.mp3', mime: 'audio/mpeg' };
}
