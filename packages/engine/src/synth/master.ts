/**
 * Pass 2 — the master: the linear gain that brings the measured mix to the target loudness, a
 * look-ahead limiter under the true-peak ceiling, then song.wav (44.1 kHz 16-bit, measured on the
 * way out) and song.mp3 (192 kb/s) written by two ffmpeg processes side by side.
 *
 * This is loudnorm's two-pass linear mode done directly: loudnorm always resamples to 192 kHz
 * (about 2 s per minute of audio here) and, whenever linear gain would break the peak ceiling,
 * silently switches to dynamic mode; a fixed gain plus alimiter never does.
 */
import { ffmpegPath, localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import { EBUR128_FILTER, parseEbur128Summary, type Loudness } from './loudness.js';
import { runTool } from './process.js';

export interface MasterOptions {
  premix: string;
  wav: string;
  mp3: string;
  gainDb: number;
  /** Limiter ceiling on sample peaks (dBFS). */
  limitDb: number;
  durationSeconds: number;
  signal?: AbortSignal;
  binaries?: FfmpegBinaries;
}

export function masterChain(gainDb: number, limitDb: number): string {
  const limit = Math.min(1, Math.max(0.0625, 10 ** (limitDb / 20)));
  return `volume=${gainDb.toFixed(2)}dB,alimiter=limit=${limit.toFixed(4)}:attack=5:release=60:level=false:latency=1`;
}

/** Writes wav and mp3; returns the loudness of the wav as written. */
export async function masterMix(opts: MasterOptions): Promise<Loudness> {
  const ffmpeg = ffmpegPath(opts.binaries);
  const base = ['-hide_banner', '-nostdin', '-nostats', '-y', '-i', localPath(opts.premix)];
  const chain = masterChain(opts.gainDb, opts.limitDb);
  const wavJob = runTool(ffmpeg, [
    ...base.slice(0, 4), '-loglevel', 'info', ...base.slice(4),
    '-filter_complex', `[0:a]${chain},asplit=2[out][meter];[meter]${EBUR128_FILTER},anullsink`,
    '-map', '[out]', '-c:a', 'pcm_s16le', '-ar', '44100', '-ac', '2', localPath(opts.wav),
  ], { signal: opts.signal });
  const mp3Job = runTool(ffmpeg, [
    ...base, '-loglevel', 'error', '-af', chain,
    '-c:a', 'libmp3lame', '-b:a', '192k', '-compression_level', '5', '-ar', '44100', '-ac', '2', localPath(opts.mp3),
  ], { signal: opts.signal });
  const [wav] = await Promise.all([wavJob, mp3Job]);
  return parseEbur128Summary(wav.stderr);
}
