import { GENRE_PROFILES, type Genre } from '@clipmix/engine';

/**
 * The tempo the web app shows for a genre before the user sets one: the middle of the genre's
 * range (the composer then leans it by mood).
 */
export function defaultTempoOf(genre: Genre): number {
  const [lo, hi] = GENRE_PROFILES[genre].tempo;
  return Math.round((lo + hi) / 2);
}
