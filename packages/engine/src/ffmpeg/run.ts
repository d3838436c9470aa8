/**
 * Run ffmpeg as a child process (argument array, never a shell): progress from `-progress pipe:1`,
 * a bounded stderr tail for errors, and abort by AbortSignal (SIGTERM, then SIGKILL after 2 s).
 */
import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { AbortError, FfmpegError } from './errors.js';
import { createProgressTracker } from './progress.js';
import { ffmpegPath, type FfmpegBinaries } from './tools.js';

export interface RunFfmpegOptions {
  signal?: AbortSignal;
  /** Length of the output being produced, in seconds; enables fractional progress. */
  durationSeconds?: number;
  /** Called with a fraction in 0..1, never decreasing; 1 is always reported on success. */
  onProgress?: (fraction: number) => void;
  cwd?: string;
  binaries?: FfmpegBinaries;
}

export interface StreamFfmpegOptions {
  signal?: AbortSignal;
  cwd?: string;
  binaries?: FfmpegBinaries;
  /** Receives ffmpeg's stdout chunk by chunk (the args must write to `pipe:1`). Throwing stops ffmpeg. */
  onStdout: (chunk: Buffer) => void;
}

const BASE_ARGS = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
const STDERR_TAIL_BYTES = 4096;
const KILL_GRACE_MS = 2000;

/** Run `ffmpeg -hide_banner -nostdin -y -loglevel error -progress pipe:1 ...args`. */
export async function runFfmpeg(args: readonly string[], opts: RunFfmpegOptions = {}): Promise<void> {
  const progress = createProgressTracker(opts.durationSeconds, opts.onProgress);
  await runProcess(ffmpegPath(opts.binaries), [...BASE_ARGS, '-progress', 'pipe:1', ...args], {
    signal: opts.signal,
    cwd: opts.cwd,
    // Progress output is ASCII key=value lines, so a byte-wise decode never splits a character.
    onStdout: (chunk) => progress.write(chunk.toString('latin1')),
  });
  progress.complete();
}

/**
 * Run `ffmpeg -hide_banner -nostdin -y -loglevel error ...args` and hand its stdout to `onStdout`
 * as it arrives (for decoding to raw PCM etc. without holding the output in memory).
 */
export async function streamFfmpeg(args: readonly string[], opts: StreamFfmpegOptions): Promise<void> {
  await runProcess(ffmpegPath(opts.binaries), [...BASE_ARGS, ...args], opts);
}

interface ProcessOptions {
  signal?: AbortSignal;
  cwd?: string;
  onStdout: (chunk: Buffer) => void;
}

function runProcess(command: string, args: string[], opts: ProcessOptions): Promise<void> {
  const { signal } = opts;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError(undefined, { cause: signal.reason }));
      return;
    }
    const child = spawn(command, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stderrTail = Buffer.alloc(0);
    let aborted = false;
    let handlerError: unknown;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const stop = (): void => {
      if (killTimer) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (error) reject(error);
      else resolve();
    };

    signal?.addEventListener('abort', onAbort, { once: true });

    child.stderr.on('data', (chunk: Buffer) => {
      const joined = Buffer.concat([stderrTail, chunk]);
      stderrTail = joined.length > STDERR_TAIL_BYTES ? joined.subarray(joined.length - STDERR_TAIL_BYTES) : joined;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (aborted || handlerError !== undefined) return;
      try {
        opts.onStdout(chunk);
      } catch (error) {
        handlerError = error;
        stop();
      }
    });

    child.on('error', (error) => {
      // After a successful spawn, 'close' follows and decides; here only a failed start settles.
      if (child.pid === undefined) {
        settle(new FfmpegError(`could not start ${command}: ${error.message}`, null, '', null, { cause: error }));
      }
    });
    child.on('close', (code, exitSignal) => {
      if (aborted) return settle(new AbortError(undefined, { cause: signal?.reason }));
      if (handlerError !== undefined) {
        return settle(handlerError instanceof Error ? handlerError : new Error(String(handlerError)));
      }
      if (code === 0) return settle();
      const tail = stderrTail.toString('utf8');
      const lastLine = tail.trimEnd().split('\n').pop()?.trim() ?? '';
      const how = code !== null ? `exited with code ${code}` : `was killed by ${exitSignal ?? 'a signal'}`;
      settle(new FfmpegError(`${basename(command)} ${how}${lastLine ? `: ${lastLine}` : ''}`, code, tail, exitSignal));
    });
  });
}
