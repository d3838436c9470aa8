import { GENRES, MAX_SONG_SECONDS, MAX_TEMPO_BPM, MIN_SONG_SECONDS, MIN_TEMPO_BPM, MOODS, VOCAL_STYLES } from '@clipmix/engine';
import type { AppContext } from '../../app.js';
import { requireAuth } from '../../http/auth-context.js';
import type { HttpApp } from '../../http/server.js';
import { jobSchema } from '../jobs/schemas.js';
import { defaultTempoOf } from './defaults.js';
import { createSongBody, lyricsSchema, songOptionsSchema, writeLyricsBody, type CreateSongBody, type WriteLyricsBody } from './schemas.js';
import { SongsService } from './service.js';
import { throwIfInvalid } from './validation.js';

export async function songRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const service = new SongsService(ctx);

  app.post(
    '/songs',
    {
      attachValidation: true,
      schema: {
        tags: ['songs'],
        summary: 'Create a song',
        description:
          'Queues a `song` job: lyrics (or a theme), genre, mood and duration → a finished, mastered song (about −14 LUFS). ' +
          'The local composer outputs `audio` (MP3 and WAV), `stems` (one file per instrument group and the vocal), `midi` and ' +
          '`lyrics_lrc` (timed lyrics for music-video captions); cloud providers (MiniMax, Replicate YuE; chosen by the server ' +
          'configuration) output `audio` only. Invalid requests answer 422 with one `errors[]` entry per parameter. ' +
          'Test-mode keys (`sk_test_`) are not charged.',
        body: createSongBody,
        response: { 202: jobSchema },
      },
    },
    async (req, reply) => {
      const auth = requireAuth(req, 'jobs:write');
      throwIfInvalid(req);
      const row = await service.create(auth, req.body as CreateSongBody);
      return reply.code(202).send(ctx.services.jobs.toApi(row));
    },
  );

  app.get(
    '/songs/options',
    {
      schema: {
        tags: ['songs'],
        summary: 'List song options',
        description: 'Genres (with their default tempo), moods, vocal styles and limits accepted by POST /api/v1/songs.',
        response: { 200: songOptionsSchema },
      },
    },
    async (req) => {
      requireAuth(req);
      return {
        object: 'song_options' as const,
        genres: GENRES.map((id) => ({ id, default_tempo_bpm: defaultTempoOf(id) })),
        moods: MOODS.map((id) => ({ id })),
        vocal_styles: [...VOCAL_STYLES],
        duration_seconds: { min: MIN_SONG_SECONDS, max: MAX_SONG_SECONDS, default: 60 },
        tempo_bpm: { min: MIN_TEMPO_BPM, max: MAX_TEMPO_BPM },
        provider: service.providerLabel(),
        lyrics_provider: service.lyricsProviderLabel(),
      };
    },
  );

  app.post(
    '/lyrics',
    {
      attachValidation: true,
      schema: {
        tags: ['songs'],
        summary: 'Write lyrics from a theme',
        description:
          'Returns tagged lyrics ([Verse], [Chorus], [Bridge]) for a theme, genre and mood. Written by an LLM when the server has ' +
          'an Anthropic, OpenAI or Gemini key, otherwise by the local rhyme-and-template writer; `provider` says which. ' +
          'A failing LLM answers 502 `lyrics_provider_failed`.',
        body: writeLyricsBody,
        response: { 200: lyricsSchema },
      },
    },
    async (req) => {
      requireAuth(req, 'jobs:write');
      throwIfInvalid(req);
      const written = await service.writeLyrics(req.body as WriteLyricsBody);
      return { object: 'lyrics' as const, text: written.text, provider: written.provider };
    },
  );
}
