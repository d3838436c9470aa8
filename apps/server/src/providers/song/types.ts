import type { Genre, Mood, VocalStyle } from '@clipmix/engine';

/** What every song provider is asked for (the API body, camelCased, defaults applied). */
export interface SongGenerationRequest {
  genre: Genre;
  mood: Mood;
  durationSeconds: number;
  lyrics?: string;
  theme?: string;
  tempoBpm?: number;
  key?: string;
  vocals?: VocalStyle;
  seed?: number;
  title?: string;
}

export type SongOutputRole = 'audio' | 'stems' | 'midi' | 'lyrics_lrc';

export interface GeneratedFile {
  path: string;
  role: SongOutputRole;
  mime: string;
  kind: 'audio' | 'other';
  /** Download name, e.g. `song.mp3`, `song-drums.wav`. */
  name: string;
  durationSeconds?: number;
  metadata?: Record<string, unknown>;
}

export interface SongGenerationResult {
  files: GeneratedFile[];
  /** Recorded on the job: says plainly what made the song. */
  provider: string;
  meta: Record<string, unknown>;
}

export interface SongGenerationContext {
  signal?: AbortSignal;
  /** Fraction 0..1 of the whole generation. */
  onProgress?: (fraction: number) => void;
  /** Scratch directory owned by the caller; outputs are written inside it. */
  workDir: string;
}

export interface SongGenerator {
  /** Stable id: `local`, `minimax`, `replicate`. */
  readonly id: string;
  /** The provider label recorded on a job before it runs. */
  readonly label: string;
  generate(request: SongGenerationRequest, ctx: SongGenerationContext): Promise<SongGenerationResult>;
  /** Releases connections (cloud adapters). */
  close?(): Promise<void>;
}

/**
 * A provider refused or failed the request. `permanent` errors (bad input, vendor rejection,
 * auth) fail the job at once; others (5xx, network) may be retried by the job system.
 */
export class SongProviderError extends Error {
  override name = 'SongProviderError';
  constructor(
    readonly code: string,
    message: string,
    readonly permanent: boolean,
    /** The request field at fault, when the error is about one. */
    readonly field?: string,
  ) {
    super(message);
  }
}
