/**
 * Decode any audio (or the audio of a video) to mono 32-bit float PCM with ffmpeg.
 * ffmpeg is spawned with an argument array (no shell); the input is addressed through the
 * `file:` protocol so a name can never be read as an option or another protocol.
 *
 * With `decoder: 'auto'`, mono or stereo WAV, AIFF and FLAC files (recognised by their header,
 * not their name) go through SoX instead when it is installed: it starts in ~10 ms where ffmpeg,
 * linked against ~200 shared libraries, needs ~100 ms before its first sample. The PCM is the
 * same up to the resampler (same length, level and stereo downmix; the two anti-alias filters
 * differ only near the new Nyquist frequency). Anything else, or any SoX failure before the
 * first sample, goes through ffmpeg.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface DecodeOptions {
  /** Output sample rate (Hz). Default 22050. */
  sampleRate?: number;
  signal?: AbortSignal;
  /** ffmpeg executable. Default `ffmpeg` (from PATH). */
  ffmpegPath?: string;
  /** Decode at most this many seconds. */
  maxSeconds?: number;
  /**
   * Called as PCM arrives: `samples[0 .. available)` is the (finite) signal decoded so far. The
   * array may be replaced by a larger one between calls; do not keep it past the call. Lets a
   * consumer work while the decoder is still running. An exception thrown here fails the decode.
   */
  onData?: (samples: Float32Array, available: number) => void;
  /** 'ffmpeg' (default) or 'auto': SoX for WAV/AIFF/FLAC when available (see above). */
  decoder?: 'ffmpeg' | 'auto';
  /** SoX executable for `decoder: 'auto'`. Default `sox` (from PATH). */
  soxPath?: string;
  /**
   * Decode into SharedArrayBuffer memory, so `onData` can hand the signal decoded so far to
   * another thread without a copy (the STFT helper).
   */
  shared?: boolean;
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

/**
 * SoX's input type and the channel count of a mono or stereo WAV / AIFF / FLAC file, from its
 * header, with its duration when the header tells it; null for anything else (ffmpeg's business).
 */
async function soxInput(path: string): Promise<{ type: string; channels: number; seconds: number; fileSize: number } | null> {
  let head: Buffer;
  let fileSize: number;
  try {
    const fh = await open(path, 'r');
    try {
      fileSize = (await fh.stat()).size;
      head = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return null; // let ffmpeg report the problem
  }
  if (head.length < 12) return null;
  const tag = (a: number): string => head.toString('latin1', a, a + 4);
  let type: string | null = null;
  let channels = 0;
  let seconds = 0;
  if (tag(0) === 'RIFF' && tag(8) === 'WAVE') {
    type = 'wav';
    let bytesPerSecond = 0;
    for (let o = 12; o + 8 <= head.length; ) {
      const size = head.readUInt32LE(o + 4);
      if (tag(o) === 'fmt ' && o + 16 <= head.length) {
        channels = head.readUInt16LE(o + 10);
        bytesPerSecond = head.readUInt32LE(o + 16);
      }
      if (tag(o) === 'data') {
        if (bytesPerSecond > 0 && size < 0xffffffff) seconds = size / bytesPerSecond;
        break;
      }
      o += 8 + size + (size & 1);
    }
  } else if (tag(0) === 'FORM' && (tag(8) === 'AIFF' || tag(8) === 'AIFC')) {
    type = tag(8) === 'AIFF' ? 'aiff' : 'aifc';
    for (let o = 12; o + 8 <= head.length; ) {
      const size = head.readUInt32BE(o + 4);
      if (tag(o) === 'COMM' && o + 10 <= head.length) {
        channels = head.readUInt16BE(o + 8);
        break;
      }
      o += 8 + size + (size & 1);
    }
  } else if (tag(0) === 'fLaC' && head.length > 20 && (head[4]! & 0x7f) === 0) {
    // STREAMINFO: … 20 bits sample rate, 3 bits (channels − 1), …
    type = 'flac';
    channels = ((head[20]! >> 1) & 7) + 1;
    const rate = (head[18]! << 12) | (head[19]! << 4) | (head[20]! >> 4);
    const frames = (head[21]! & 0x0f) * 2 ** 32 + head.readUInt32BE(22);
    if (rate > 0) seconds = frames / rate;
  }
  return type && (channels === 1 || channels === 2) ? { type, channels, seconds, fileSize } : null;
}

/** SoX executables that could not be started: not tried again in this process. */
const soxMissing = new Set<string>();

export async function decodeToPcm(file: string, opts: DecodeOptions = {}): Promise<DecodedPcm> {
  const sampleRate = opts.sampleRate ?? 22050;
  if (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 192000) {
    throw new RangeError(`sampleRate must be an integer in 1000..192000, got ${sampleRate}`);
  }
  const { signal } = opts;
  if (signal?.aborted) throw abortError(signal);
  const path = resolve(file);
  const soxPath = opts.soxPath ?? 'sox';
  if (opts.decoder === 'auto' && !soxMissing.has(soxPath)) {
    const input = await soxInput(path);
    if (signal?.aborted) throw abortError(signal);
    if (input) {
      // --no-glob and an explicit input type: the name is only ever a file name (an absolute
      // path, so never '-' or '|command'), whatever characters or extension it has.
      const args = ['-V1', '--buffer', '65536', '--no-glob', '-t', input.type, path];
      args.push('-t', 'raw', '-e', 'floating-point', '-b', '32', '-L', '-r', String(sampleRate), '-D', '-');
      if (opts.maxSeconds !== undefined) args.push('trim', '0', String(opts.maxSeconds));
      // The same stereo downmix as ffmpeg's -ac 1: (L + R)·√½.
      if (input.channels === 2) args.push('remix', `1v${Math.SQRT1_2},2v${Math.SQRT1_2}`);
      // Size the PCM buffer from the header, but never believe it (streamed WAVs, broken files)
      // beyond a few samples per byte of file (8-bit mono at 8 kHz to 22 kHz makes ~3).
      let expected = Math.min(Math.ceil(input.seconds * sampleRate) + 64, 4 * input.fileSize);
      if (opts.maxSeconds !== undefined) expected = Math.min(expected, Math.ceil(opts.maxSeconds * sampleRate) + 64);
      const sox = await runDecoder(soxPath, args, 'sox', sampleRate, opts, expected).catch((e: unknown) => e as Error);
      if (!(sox instanceof Error)) return sox;
      if (sox instanceof DecoderFailedEarly) {
        if (sox.notFound) soxMissing.add(soxPath);
      } else throw sox;
    }
  }
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', `file:${path}`];
  if (opts.maxSeconds !== undefined) args.push('-t', String(opts.maxSeconds));
  // Large frames written straight to the pipe (no 32 KB AVIO buffering) cut the number of
  // pipe reads, wake-ups and 'data' events several-fold; the samples are bit-identical.
  args.push('-vn', '-sn', '-dn', '-af', 'asetnsamples=n=16384:p=0', '-ac', '1', '-ar', String(sampleRate));
  args.push('-avioflags', 'direct', '-f', 'f32le', 'pipe:1');
  return runDecoder(opts.ffmpegPath ?? 'ffmpeg', args, 'ffmpeg', sampleRate, opts);
}

/** A decoder that failed (or could not start) before producing any sample: safe to retry elsewhere. */
class DecoderFailedEarly extends AudioDecodeError {
  constructor(message: string, stderr: string, readonly notFound: boolean) {
    super(message, stderr);
  }
}

/** Run a decoder that writes mono f32le PCM to stdout; collects it (and streams it to onData). */
function runDecoder(
  cmd: string,
  args: string[],
  name: string,
  sampleRate: number,
  opts: DecodeOptions,
  expectedSamples = 0,
): Promise<DecodedPcm> {
  const { signal } = opts;
  return new Promise<DecodedPcm>((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // PCM is copied straight into one Float32Array (sized from the header when known, else
    // growing by doubling), so there is no list of chunks to join at the end and a streaming
    // consumer can read every sample decoded so far.
    const allocate = (length: number): Float32Array =>
      new Float32Array(opts.shared ? new SharedArrayBuffer(length * 4) : new ArrayBuffer(length * 4));
    let samples = allocate(expectedSamples > 0 ? Math.max(1 << 16, expectedSamples) : 1 << 18);
    let view = new Uint8Array(samples.buffer);
    let bytes = 0;
    let available = 0;
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
      if (settled) return;
      if (bytes + c.length > view.length) {
        let cap = samples.length;
        while (cap * 4 < bytes + c.length) cap *= 2;
        const grown = allocate(cap);
        new Uint8Array(grown.buffer).set(view.subarray(0, bytes));
        samples = grown;
        view = new Uint8Array(grown.buffer);
      }
      view.set(c, bytes);
      bytes += c.length;
      const n = bytes >> 2;
      // Replace non-finite values (never produced by sane decoders, but cheap to guarantee).
      for (let i = available; i < n; i++) {
        const v = samples[i]!;
        if (v - v !== 0) samples[i] = 0;
      }
      available = n;
      if (opts.onData && n > 0) {
        try {
          opts.onData(samples, n);
        } catch (e) {
          child.kill('SIGKILL');
          finish(e instanceof Error ? e : new Error(String(e)));
        }
      }
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-4000);
    });
    child.on('error', (e) =>
      finish(new DecoderFailedEarly(`could not run ${name}: ${e.message}`, stderr, (e as NodeJS.ErrnoException).code === 'ENOENT')),
    );
    child.on('close', (code, sig) => {
      if (settled) return;
      if (code !== 0) {
        const msg = `${name} failed (${code ?? sig}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
        finish(bytes === 0 ? new DecoderFailedEarly(msg, stderr, false) : new AudioDecodeError(msg, stderr));
        return;
      }
      // Give back a tight array when the doubling left much unused room.
      const out = samples.length - available > available >> 2 ? samples.slice(0, available) : samples.subarray(0, available);
      finish(null, { samples: out, sampleRate, durationSeconds: available / sampleRate });
    });
  });
}
