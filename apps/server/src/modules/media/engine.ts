/**
 * The media module's view of @clipmix/engine: the few engine calls upload validation and
 * processing need, normalised into the shapes this module uses.
 *
 * TEMPORARY: the engine's probe/extractVideoFrame/computeWaveformPeaks/runFfmpeg are being written;
 * until they land this file spawns ffprobe/ffmpeg itself. Swap the bodies for engine calls then.
 */
import { spawn } from 'node:child_process';

export interface ProbedStream {
  index: number;
  type: 'audio' | 'video' | 'other';
  codec: string;
  width: number | null;
  height: number | null;
  /** Cover art in audio files (mp3/m4a/flac): not a video track. */
  attachedPic: boolean;
  durationSeconds: number | null;
  sampleRate: number | null;
  channels: number | null;
}

export interface ProbedMedia {
  /** ffprobe's format_name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, `mp3`. */
  formatName: string;
  durationSeconds: number | null;
  streams: ProbedStream[];
}

export class MediaProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaProbeError';
  }
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], signal?: AbortSignal, maxOut = 8 * 1024 * 1024): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < maxOut) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const num = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : null;
};

/** ffprobe → streams and duration. Throws MediaProbeError when ffprobe cannot read the file. */
export async function probeMedia(file: string, signal?: AbortSignal): Promise<ProbedMedia> {
  const r = await run(
    'ffprobe',
    ['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_format', '-show_streams', '-i', file],
    signal,
  );
  if (r.code !== 0) throw new MediaProbeError(r.stderr.trim().split('\n').pop() || 'ffprobe failed');
  let j: { format?: Record<string, unknown>; streams?: Array<Record<string, any>> };
  try {
    j = JSON.parse(r.stdout);
  } catch {
    throw new MediaProbeError('unreadable ffprobe output');
  }
  if (!j.format) throw new MediaProbeError('no format');
  const streams: ProbedStream[] = (j.streams ?? []).map((s) => ({
    index: Number(s.index),
    type: s.codec_type === 'audio' ? 'audio' : s.codec_type === 'video' ? 'video' : 'other',
    codec: String(s.codec_name ?? ''),
    width: num(s.width),
    height: num(s.height),
    attachedPic: Number(s.disposition?.attached_pic ?? 0) === 1,
    durationSeconds: num(s.duration),
    sampleRate: num(s.sample_rate),
    channels: num(s.channels),
  }));
  return { formatName: String(j.format.format_name ?? ''), durationSeconds: num(j.format.duration), streams };
}

/**
 * Decodes `seconds` of the first audio and first video stream starting at `startSeconds` and
 * counts the decoded frames per type. A file whose data ends early decodes zero frames near its
 * declared end; a corrupt one makes ffmpeg fail.
 */
export async function decodeFrames(
  file: string,
  opts: { startSeconds: number; seconds: number; audio: boolean; video: boolean; signal?: AbortSignal },
): Promise<{ ok: boolean; audioFrames: number; videoFrames: number; error: string }> {
  const args = ['-nostdin', '-v', 'error', '-hide_banner'];
  if (opts.startSeconds > 0) args.push('-ss', opts.startSeconds.toFixed(3));
  args.push('-i', file, '-t', String(opts.seconds));
  // Output stream 0 is the video (when mapped), then the audio.
  if (opts.video) args.push('-map', '0:v:0');
  if (opts.audio) args.push('-map', '0:a:0');
  args.push('-f', 'framecrc', '-');
  const r = await run('ffmpeg', args, opts.signal, 4 * 1024 * 1024);
  let audioFrames = 0;
  let videoFrames = 0;
  for (const line of r.stdout.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const idx = Number(line.split(',', 1)[0]);
    if (opts.video && idx === 0) videoFrames++;
    else audioFrames++;
  }
  return { ok: r.code === 0, audioFrames, videoFrames, error: r.stderr.trim().split('\n').slice(-1)[0] ?? '' };
}

/** One frame at `atSeconds` as an image file (format from the output extension), ≤ maxWidth wide. */
export async function videoFrame(input: string, atSeconds: number, output: string, opts: { maxWidth: number; signal?: AbortSignal }): Promise<void> {
  const r = await run(
    'ffmpeg',
    [
      '-nostdin', '-v', 'error', '-y', '-ss', Math.max(0, atSeconds).toFixed(3), '-i', input,
      '-frames:v', '1', '-vf', `scale='min(${opts.maxWidth},iw)':-2`, output,
    ],
    opts.signal,
  );
  if (r.code !== 0) throw new Error(`frame extraction failed: ${r.stderr.trim().split('\n').pop()}`);
}

/** Waveform peaks: `peaks` (min,max) pairs, interleaved, in −1..1. */
export async function waveformPeaks(
  input: string,
  opts: { peaks: number; signal?: AbortSignal },
): Promise<{ peaks: number[]; durationSeconds: number; sampleRate: number }> {
  const sampleRate = 8000;
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('ffmpeg', ['-nostdin', '-v', 'error', '-i', input, '-map', '0:a:0', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: opts.signal,
    });
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`audio decode failed (${code})`))));
  });
  const buf = Buffer.concat(chunks);
  const n = Math.floor(buf.byteLength / 4);
  const samples = new Float32Array(buf.buffer, buf.byteOffset, n);
  const peaks: number[] = [];
  for (let i = 0; i < opts.peaks; i++) {
    const a = Math.floor((i * n) / opts.peaks);
    const b = Math.max(a + 1, Math.floor(((i + 1) * n) / opts.peaks));
    let lo = 0;
    let hi = 0;
    for (let k = a; k < b && k < n; k++) {
      const v = samples[k]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    peaks.push(lo, hi);
  }
  return { peaks, durationSeconds: n / sampleRate, sampleRate };
}
