import type { AppContext } from '../../app.js';

export interface JobOutputSpec {
  /** Output role, e.g. `video`, `poster`, `timeline`, `thumbnail`, `waveform` (API.md). */
  role: string;
  /** Local file produced by the handler (moved into the blob store). */
  path: string;
  mime: string;
  kind: 'audio' | 'image' | 'video' | 'other';
  /** For derived files (thumbnail/waveform of an upload). */
  parentFileId?: string;
  durationSeconds?: number | null;
  width?: number | null;
  height?: number | null;
  metadata?: Record<string, unknown>;
  /** Download name (Content-Disposition), e.g. `song.lrc`. */
  originalName?: string | null;
}

/** What a handler gets for one attempt of one job. */
export interface JobRunContext {
  readonly ctx: AppContext;
  readonly job: {
    id: string;
    userId: string;
    type: string;
    input: any;
    attempt: number;
    livemode: boolean;
  };
  /** Aborted when the job is canceled, its lease is lost, or the worker shuts down. */
  readonly signal: AbortSignal;
  /** A private temp directory for this attempt, removed afterwards. */
  readonly tmpDir: string;
  /** Reports progress 0..1 (throttled writes; never goes backwards). */
  progress(fraction: number): void;
  /** A local path with the bytes of one of the user's files (checks ownership). */
  inputPath(fileId: string): Promise<string>;
  /** Stores an output file and links it to the job; returns the new file id. */
  addOutput(spec: JobOutputSpec): Promise<string>;
  /** Records which provider produced the result (local or a cloud vendor). */
  setProvider(name: string): void;
}

export interface JobHandler {
  /** Provider recorded on the job when it is created (the handler may refine it). */
  provider: string;
  run(run: JobRunContext): Promise<void>;
}

/** Errors that should fail the job immediately, without retries (bad input, unsupported media). */
export class PermanentJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
