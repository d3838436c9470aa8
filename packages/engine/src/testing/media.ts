/**
 * Test media generators: real files written by ffmpeg from lavfi sources, each in well under a
 * second. Exported from the engine as `testing` for tests anywhere in the repo.
 */
import { rename, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { filter, chain } from '../ffmpeg/filtergraph.js';
import type { Rotation } from '../ffmpeg/probe.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import { imageEncoderArgs } from '../media/image-codec.js';

export interface ToneOptions {
  /** Output file; the codec follows the extension: .wav .mp3 .flac .aac .m4a .ogg .opus */
  path: string;
  seconds: number;
  /** Sine frequency in Hz (default 440). */
  freq?: number;
  /** Peak amplitude, 0 (digital silence) to 1 (full scale); default 0.5. */
  amplitude?: number;
  sampleRate?: number;
  channels?: 1 | 2;
  binaries?: FfmpegBinaries;
}

export interface VideoOptions {
  /** Output file: .mp4 .mov .mkv (H.264/AAC) or .webm (VP8/Opus). */
  path: string;
  seconds: number;
  /** Even sizes (H.264 4:2:0 needs them). */
  width: number;
  height: number;
  fps?: number;
  /** Add a 440 Hz tone as an audio stream. */
  withAudio?: boolean;
  /** Clockwise display rotation stored as a display matrix (.mp4/.mov only). */
  rotation?: Rotation;
  binaries?: FfmpegBinaries;
}

export interface ImageOptions {
  /** Output file: .png .jpg/.jpeg .webp */
  path: string;
  width: number;
  height: number;
  /** 'testsrc' (default): colour bars and a counter; 'solid': one colour. */
  pattern?: 'testsrc' | 'solid';
  /** Colour for 'solid' (ffmpeg colour syntax, default 'red'). */
  color?: string;
  binaries?: FfmpegBinaries;
}

export interface ClickTrackOptions {
  /** Output file, as for makeTone. */
  path: string;
  bpm: number;
  seconds: number;
  /** Click pitch in Hz (default 1000). */
  freq?: number;
  /** Every Nth beat (from the first) is an accented, higher, louder click: a downbeat. */
  accentEvery?: number;
  sampleRate?: number;
  binaries?: FfmpegBinaries;
}

const AUDIO_CODECS: Record<string, string[]> = {
  '.wav': ['-c:a', 'pcm_s16le'],
  '.mp3': ['-c:a', 'libmp3lame', '-b:a', '128k'],
  '.flac': ['-c:a', 'flac'],
  '.aac': ['-c:a', 'aac', '-b:a', '128k', '-f', 'adts'],
  '.m4a': ['-c:a', 'aac', '-b:a', '128k'],
  '.ogg': ['-c:a', 'libvorbis', '-q:a', '4'],
  '.opus': ['-c:a', 'libopus', '-b:a', '96k'],
};

const VIDEO_CODECS: Record<string, { video: string[]; audio: string[] }> = {
  '.mp4': { video: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'], audio: ['-c:a', 'aac', '-b:a', '96k'] },
  '.mov': { video: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'], audio: ['-c:a', 'aac', '-b:a', '96k'] },
  '.mkv': { video: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'], audio: ['-c:a', 'aac', '-b:a', '96k'] },
  '.webm': {
    video: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '500k'],
    audio: ['-c:a', 'libopus', '-b:a', '64k'],
  },
};


/** A sine tone (amplitude 0 gives digital silence). */
export async function makeTone(opts: ToneOptions): Promise<string> {
  const codec = codecFor(AUDIO_CODECS, opts.path, 'audio');
  const amplitude = opts.amplitude ?? 0.5;
  const source = sineSource(opts.seconds, opts.freq ?? 440, amplitude, opts.sampleRate ?? 44100, opts.channels ?? 1);
  await runFfmpeg(['-f', 'lavfi', '-i', source, ...codec, localPath(opts.path)], { binaries: opts.binaries });
  return opts.path;
}

/** A moving test pattern (testsrc2), optionally with a tone and a rotation flag. */
export async function makeVideo(opts: VideoOptions): Promise<string> {
  const ext = extname(opts.path).toLowerCase();
  const codecs = VIDEO_CODECS[ext];
  if (!codecs) throw new TypeError(`makeVideo: unsupported extension ${JSON.stringify(ext)}`);
  if (opts.width % 2 || opts.height % 2) throw new TypeError('makeVideo: width and height must be even');
  const rotation = opts.rotation ?? 0;
  if (rotation && ext !== '.mp4' && ext !== '.mov') throw new TypeError('makeVideo: rotation needs .mp4 or .mov');

  const video = filter('testsrc2', { s: `${opts.width}x${opts.height}`, r: opts.fps ?? 25, d: opts.seconds });
  const args = ['-f', 'lavfi', '-i', video];
  if (opts.withAudio) args.push('-f', 'lavfi', '-i', sineSource(opts.seconds, 440, 0.5, 48000, 1));
  args.push(...codecs.video, ...(opts.withAudio ? codecs.audio : []));

  if (!rotation) {
    await runFfmpeg([...args, localPath(opts.path)], { binaries: opts.binaries });
    return opts.path;
  }
  // ffmpeg 5.1 writes a display matrix only when stream-copying with a `rotate` tag, and that tag
  // turns out counter-clockwise on playback: encode, then remux with the complementary angle.
  const encoded = `${opts.path}.encoding${ext}`;
  try {
    await runFfmpeg([...args, localPath(encoded)], { binaries: opts.binaries });
    const tag = String((360 - rotation) % 360);
    await runFfmpeg(['-i', localPath(encoded), '-map', '0', '-c', 'copy', '-metadata:s:v:0', `rotate=${tag}`, localPath(`${opts.path}.rotated${ext}`)], {
      binaries: opts.binaries,
    });
    await rename(`${opts.path}.rotated${ext}`, opts.path);
  } finally {
    await rm(encoded, { force: true });
  }
  return opts.path;
}

/** A still image of exactly width × height. */
export async function makeImage(opts: ImageOptions): Promise<string> {
  const codec = imageEncoderArgs(opts.path);
  // testsrc (RGB) keeps odd sizes exact; color/testsrc2 would round them to even.
  const pattern = filter('testsrc', { s: `${opts.width}x${opts.height}`, d: 1 });
  const source = opts.pattern === 'solid' ? chain(pattern, filter('drawbox', { c: opts.color ?? 'red', t: 'fill' })) : pattern;
  await runFfmpeg(['-f', 'lavfi', '-i', source, '-frames:v', '1', '-update', '1', ...codec, '-f', 'image2', localPath(opts.path)], {
    binaries: opts.binaries,
  });
  return opts.path;
}

/** A click (30 ms decaying sine burst) on every beat, starting at t = 0. */
export async function makeClickTrack(opts: ClickTrackOptions): Promise<string> {
  const codec = codecFor(AUDIO_CODECS, opts.path, 'audio');
  if (!(opts.bpm > 0)) throw new TypeError('makeClickTrack: bpm must be positive');
  const period = 60 / opts.bpm;
  const freq = opts.freq ?? 1000;
  const inBeat = `mod(t,${period})`;
  const click = (f: number, amp: number) => `${amp}*exp(-${inBeat}*150)*sin(2*PI*${f}*${inBeat})*lt(${inBeat},0.03)`;
  const expr = opts.accentEvery && opts.accentEvery > 1
    ? `if(eq(mod(floor(t/${period}),${opts.accentEvery}),0),${click(freq * 1.5, 0.9)},${click(freq, 0.6)})`
    : click(freq, 0.8);
  const source = filter('aevalsrc', { exprs: expr, s: opts.sampleRate ?? 44100, d: opts.seconds });
  await runFfmpeg(['-f', 'lavfi', '-i', source, ...codec, localPath(opts.path)], { binaries: opts.binaries });
  return opts.path;
}

function sineSource(seconds: number, freq: number, amplitude: number, sampleRate: number, channels: 1 | 2): string {
  return filter('aevalsrc', {
    exprs: `${amplitude}*sin(2*PI*${freq}*t)`,
    c: channels === 2 ? 'stereo' : 'mono',
    s: sampleRate,
    d: seconds,
  });
}

function codecFor<T>(table: Record<string, T>, path: string, kind: string): T {
  const ext = extname(path).toLowerCase();
  const codec = table[ext];
  if (!codec) throw new TypeError(`unsupported ${kind} extension ${JSON.stringify(ext)} (${Object.keys(table).join(' ')})`);
  return codec;
}
