import { GENRES, MAX_LYRICS_CHARS, MAX_SONG_SECONDS, MAX_TEMPO_BPM, MAX_THEME_CHARS, MIN_SONG_SECONDS, MIN_TEMPO_BPM, MOODS, VOCAL_STYLES } from '@clipmix/engine';
import { z } from 'zod';

/** Longest lyrics accepted (characters): the composer's limit, far beyond a 5-minute song. */
export const MAX_SONG_LYRICS_CHARS = MAX_LYRICS_CHARS;

const genre = z.enum(GENRES, { error: `unknown genre; use one of ${GENRES.join(', ')}` });
const mood = z.enum(MOODS, { error: `unknown mood; use one of ${MOODS.join(', ')}` });

export const createSongBody = z
  .object({
    lyrics: z
      .string()
      .max(MAX_SONG_LYRICS_CHARS, { error: `lyrics are limited to ${MAX_SONG_LYRICS_CHARS} characters` })
      .optional()
      .describe('Lyrics, optionally tagged with [Verse], [Chorus], [Bridge], [Intro], [Outro] lines.'),
    theme: z
      .string()
      .trim()
      .min(1)
      .max(MAX_THEME_CHARS, { error: `the theme is limited to ${MAX_THEME_CHARS} characters` })
      .optional()
      .describe('What the song is about. Without lyrics, lyrics are written from it (locally).'),
    genre: genre.describe(`One of ${GENRES.join(', ')} (GET /api/v1/songs/options).`),
    mood: mood.describe(`One of ${MOODS.join(', ')}.`),
    duration_seconds: z
      .number({ error: 'duration_seconds must be a number of seconds' })
      .min(MIN_SONG_SECONDS, { error: `duration_seconds must be at least ${MIN_SONG_SECONDS}` })
      .max(MAX_SONG_SECONDS, { error: `duration_seconds must be at most ${MAX_SONG_SECONDS}` })
      .describe(`Length of the song, ${MIN_SONG_SECONDS}–${MAX_SONG_SECONDS} s.`),
    tempo_bpm: z
      .number()
      .int({ error: 'tempo_bpm must be a whole number' })
      .min(MIN_TEMPO_BPM, { error: `tempo_bpm must be at least ${MIN_TEMPO_BPM}` })
      .max(MAX_TEMPO_BPM, { error: `tempo_bpm must be at most ${MAX_TEMPO_BPM}` })
      .optional()
      .describe(`Beats per minute (${MIN_TEMPO_BPM}–${MAX_TEMPO_BPM}). Default: chosen from the genre and mood.`),
    key: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .optional()
      .describe('e.g. "C", "F# minor", "Bbm", "A major". Default: chosen from the mood.'),
    vocals: z
      .enum(VOCAL_STYLES, { error: `vocals must be one of ${VOCAL_STYLES.join(', ')}` })
      .optional()
      .describe('`sung`, `spoken` or `none`. Default: `sung` with lyrics or a theme, else `none`.'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe('Same request + same seed → the same song (local provider).'),
    title: z.string().trim().min(1).max(100).optional().describe('Used in the LRC header and download names.'),
  })
  .strict();
export type CreateSongBody = z.infer<typeof createSongBody>;

export const songOptionsSchema = z.object({
  object: z.literal('song_options'),
  genres: z.array(z.object({ id: z.string(), default_tempo_bpm: z.number() })),
  moods: z.array(z.object({ id: z.string() })),
  vocal_styles: z.array(z.enum(VOCAL_STYLES)),
  duration_seconds: z.object({ min: z.number(), max: z.number(), default: z.number() }),
  tempo_bpm: z.object({ min: z.number(), max: z.number() }),
  provider: z.string().describe('The provider new songs are made with.'),
  lyrics_provider: z.string().describe('Who writes lyrics for POST /api/v1/lyrics.'),
});

export const writeLyricsBody = z
  .object({
    theme: z.string().trim().min(1, { error: 'the theme is empty' }).max(MAX_THEME_CHARS, { error: `the theme is limited to ${MAX_THEME_CHARS} characters` }),
    genre,
    mood,
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  })
  .strict();
export type WriteLyricsBody = z.infer<typeof writeLyricsBody>;

export const lyricsSchema = z.object({
  object: z.literal('lyrics'),
  text: z.string(),
  provider: z.string(),
});
