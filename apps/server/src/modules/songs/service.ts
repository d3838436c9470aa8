import { randomInt } from 'node:crypto';
import type { AppContext } from '../../app.js';
import type { AuthContext } from '../../http/auth-context.js';
import { DomainError, unprocessable } from '../../platform/errors.js';
import { createLyricsWriter, LyricsProviderError, type WrittenLyrics } from '../../providers/lyrics/index.js';
import { LocalSongGenerator, SongProviderError, songProviderLabel } from '../../providers/song/index.js';
import type { JobRow } from '../jobs/db.js';
import { paramOf, toGenerationRequest } from './request.js';
import type { CreateSongBody, WriteLyricsBody } from './schemas.js';

export const SONG_JOB = 'song';

/** The input a `song` job is created with: the request body plus the seed chosen for it. */
export type SongJobInput = CreateSongBody & { seed: number };

/**
 * Songs: validates a request (the local composer checks it fully, so a bad key or unsingable
 * lyrics are refused before anything is charged), then creates the `song` job. Also writes
 * lyrics from a theme (POST /lyrics).
 */
export class SongsService {
  constructor(private readonly ctx: AppContext) {}

  /** The provider label new jobs will run with. */
  providerLabel(): string {
    return songProviderLabel(this.ctx.config);
  }

  async create(auth: AuthContext, body: CreateSongBody): Promise<JobRow> {
    // A seed fixed at creation makes retries (and the job's recorded input) reproducible.
    const input: SongJobInput = { ...body, seed: body.seed ?? randomInt(0, 2 ** 31 - 1) };
    if (input.vocals !== undefined && input.vocals !== 'none' && !input.lyrics?.trim() && !input.theme) {
      throw unprocessable('lyrics_required', `vocals "${input.vocals}" need lyrics or a theme to write them from.`, [
        { param: 'lyrics', message: 'give lyrics or a theme, or set vocals to "none"' },
      ]);
    }
    try {
      new LocalSongGenerator().compose(toGenerationRequest(input));
    } catch (err) {
      if (err instanceof SongProviderError) {
        const param = paramOf(err.field);
        throw unprocessable('invalid_song_request', `${param}: ${err.message}`, [{ param, message: err.message }]);
      }
      throw err;
    }
    return this.ctx.services.jobs.create({
      userId: auth.userId,
      type: SONG_JOB,
      input: input as unknown as Record<string, unknown>,
      apiKeyId: auth.apiKeyId ?? null,
      livemode: auth.livemode,
      provider: this.providerLabel(),
    });
  }

  async writeLyrics(body: WriteLyricsBody): Promise<WrittenLyrics> {
    const writer = createLyricsWriter(this.ctx.config);
    try {
      return await writer.write({ theme: body.theme, genre: body.genre, mood: body.mood, ...(body.seed !== undefined ? { seed: body.seed } : {}) });
    } catch (err) {
      if (err instanceof LyricsProviderError) {
        throw new DomainError(502, 'lyrics_provider_failed', `The lyrics writer (${err.provider}) failed: ${err.message}. Try again, or write the lyrics yourself.`);
      }
      throw err;
    } finally {
      await writer.close?.();
    }
  }

  lyricsProviderLabel(): string {
    const llm = this.ctx.config.llm;
    if (llm.anthropic.apiKey) return 'anthropic';
    if (llm.openai.apiKey) return 'openai';
    if (llm.gemini.apiKey) return 'gemini';
    return 'local-template';
  }
}
