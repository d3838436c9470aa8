import { writeLyrics } from '@clipmix/engine';
import type { LyricsRequest, LyricsWriter, WrittenLyrics } from './types.js';

/** Rhyme- and template-based lyrics from the engine: offline, deterministic for a seed. */
export class LocalLyricsWriter implements LyricsWriter {
  readonly id = 'local-template';

  async write(request: LyricsRequest): Promise<WrittenLyrics> {
    const out = writeLyrics({ theme: request.theme, genre: request.genre, mood: request.mood, ...(request.seed !== undefined ? { seed: request.seed } : {}) });
    return { text: out.text, provider: out.provider };
  }
}
