/** Errors raised by the ffmpeg/ffprobe layer. Callers branch on the class (or `name`), not on text. */

/** ffmpeg (or another tool run through `runFfmpeg`) exited unsuccessfully or could not start. */
export class FfmpegError extends Error {
  override name = 'FfmpegError';
  constructor(
    message: string,
    /** Process exit code; `null` when it was killed by a signal or never started. */
    readonly exitCode: number | null,
    /** The last few KB of the tool's stderr (with `-loglevel error` this is the error itself). */
    readonly stderrTail: string,
    /** Signal that ended the process, if any. */
    readonly exitSignal: NodeJS.Signals | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** ffprobe could not read the input as media (missing, empty, truncated, corrupt, unsupported). */
export class ProbeError extends Error {
  override name = 'ProbeError';
  constructor(
    message: string,
    readonly file: string,
    readonly stderrTail = '',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The caller's AbortSignal fired; the tool process has been stopped. `name === 'AbortError'`. */
export class AbortError extends Error {
  override name = 'AbortError';
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True for our AbortError and for Node/DOM abort errors (they all use the name 'AbortError'). */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
