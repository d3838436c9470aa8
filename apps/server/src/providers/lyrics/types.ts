import type { Genre, Mood } from '@clipmix/engine';

export interface LyricsRequest {
  theme: string;
  genre: Genre;
  mood: Mood;
  seed?: number;
}

export interface WrittenLyrics {
  /** Tagged lyrics: [Verse], [Chorus], [Bridge] sections, one line per line. */
  text: string;
  /** Who wrote them, e.g. `local-template`, `anthropic (claude-haiku-4-5)`. */
  provider: string;
}

export interface LyricsWriter {
  readonly id: string;
  write(request: LyricsRequest, opts?: { signal?: AbortSignal }): Promise<WrittenLyrics>;
  close?(): Promise<void>;
}

/** The writer could not deliver (vendor error, empty answer). */
export class LyricsProviderError extends Error {
  override name = 'LyricsProviderError';
  constructor(
    readonly provider: string,
    message: string,
  ) {
    super(message);
  }
}
