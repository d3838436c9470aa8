/**
 * Decode any audio (or the audio of a video) to mono 32-bit float PCM with ffmpeg.
 * ffmpeg is spawned with an argument array (no shell); the input is addressed through the
 * `file:` protocol so a name can never be read as an option or another protocol.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface DecodeOptions {
  /** Output sample rate (Hz). Default 22050. */
  sampleRate?: number;
  signal?: AbortSignal;
  /** ffmpeg executable. Default `ffmpeg` (from PATH). */
  ffmpegPath?: string;
  /** Decode at most this many seconds. */
  maxSeconds?: number;
}

export interface DecodedPcm {
  samples: Float32Array;
  sampleRate: number;
  durationSeconds: number;
}

export class AudioDecodeError extends Error {
  constructor(message: string, readonly stderr: string) {
    super(message);
    this.name = 'AudioDecodeError';
  }
}

function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}

export function decodeToPcm(file: string, opts: DecodeOptions = {}): Promise<DecodedPcm> {
  const sampleRate = opts.sampleRate ?? 22050;
  if (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 192000) {
    return Promise.reject(new RangeError(`sampleRate must be an integer in 1000..192000, got ${sampleRate}`));
  }
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', `file:${resolve(file)}`];
  if (opts.maxSeconds !== undefined) args.push('-t', String(opts.maxSeconds));
  args.push('-vn', '-sn', '-dn', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1');

  return new Promise<DecodedPcm>((resolvePromise, reject) => {
    const child = spawn(opts.ffmpegPath ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    let settled = false;
    const finish = (err: Error | null, value?: DecodedPcm): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolvePromise(value!);
    };
    const onAbort = (): void => {
      child.kill('SIGKILL');
      finish(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => {
      chunks.push(c);
      bytes += c.length;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-4000);
    });
    child.on('error', (e) => finish(new AudioDecodeError(`could not run ffmpeg: ${e.message}`, stderr)));
    child.on('close', (code, sig) => {
      if (settled) return;
      if (code !== 0) {
        finish(new AudioDecodeError(`ffmpeg failed (${code ?? sig}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`, stderr));
        return;
      }
      const n = Math.floor(bytes / 4);
      const samples = new Float32Array(n);
      const view = new Uint8Array(samples.buffer);
      let o = 0;
      for (const c of chunks) {
        const take = Math.min(c.length, n * 4 - o);
        if (take <= 0) break;
        view.set(take === c.length ? c : c.subarray(0, take), o);
        o += take;
      }
      chunks.length = 0;
      // Replace non-finite values (never produced by sane decoders, but cheap to guarantee).
      for (let i = 0; i < n; i++) if (!Number.isFinite(samples[i]!)) samples[i] = 0;
      finish(null, { samples, sampleRate, durationSeconds: n / sampleRate });
    });
  });
}
