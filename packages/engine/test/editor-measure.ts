/** Measurements of rendered edits for the editor tests: ffprobe facts, signalstats, pixels, audio. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { filter } from '../src/ffmpeg/filtergraph.js';
import { runFfmpeg } from '../src/ffmpeg/run.js';

const run = promisify(execFile);

export interface StreamFacts {
  codec: string;
  width?: number;
  height?: number;
  pixFmt?: string;
  fps?: number;
  duration: number;
  frames?: number;
  sampleRate?: number;
  profile?: string;
}

export async function streams(path: string): Promise<{ video?: StreamFacts; audio?: StreamFacts; formatDuration: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-count_frames', '-select_streams', 'v:0', path]);
  const { stdout: aout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-select_streams', 'a:0', path]);
  type Raw = { codec_name: string; width?: number; height?: number; pix_fmt?: string; r_frame_rate?: string; duration?: string; nb_read_frames?: string; sample_rate?: string; profile?: string };
  const v = (JSON.parse(stdout) as { streams: Raw[]; format: { duration: string } });
  const a = (JSON.parse(aout) as { streams: Raw[] }).streams[0];
  const rate = (r?: string) => {
    const [x, y] = (r ?? '0/1').split('/').map(Number);
    return x! / (y || 1);
  };
  const vs = v.streams[0];
  return {
    formatDuration: Number(v.format.duration),
    ...(vs
      ? {
          video: {
            codec: vs.codec_name, width: vs.width!, height: vs.height!, pixFmt: vs.pix_fmt!, fps: rate(vs.r_frame_rate),
            duration: Number(vs.duration), frames: Number(vs.nb_read_frames), ...(vs.profile ? { profile: vs.profile } : {}),
          },
        }
      : {}),
    ...(a ? { audio: { codec: a.codec_name, duration: Number(a.duration), sampleRate: Number(a.sample_rate) } } : {}),
  };
}

/** signalstats per frame: YAVG, YMAX, SATAVG … */
export async function signalstats(path: string): Promise<Array<Record<string, number>>> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-vf', 'signalstats,metadata=mode=print:file=-', '-an', '-f', 'null', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const frames: Array<Record<string, number>> = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('frame:')) frames.push({});
    const m = /^lavfi\.signalstats\.(\w+)=([-\d.]+)/.exec(line);
    if (m && frames.length) frames[frames.length - 1]![m[1]!] = Number(m[2]);
  }
  return frames;
}

/** Every frame as 8-bit grey, width × height bytes each. */
export async function grayFrames(path: string, width: number, height: number): Promise<Buffer[]> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-an', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  const size = width * height;
  const out: Buffer[] = [];
  for (let o = 0; o + size <= stdout.length; o += size) out.push(stdout.subarray(o, o + size));
  return out;
}

/** One image file (JPEG/PNG) as 8-bit grey. */
export async function grayImage(path: string): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export function meanAbsDiff(a: Buffer, b: Buffer): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

/** max_volume in dB from volumedetect (-91 is digital silence). */
export async function maxVolume(path: string, from?: number, to?: number): Promise<number> {
  const range = from !== undefined && to !== undefined ? ['-ss', String(from), '-t', String(to - from)] : [];
  const { stderr } = await run('ffmpeg', ['-hide_banner', ...range, '-i', path, '-vn', '-af', 'volumedetect', '-f', 'null', '-']);
  const m = /max_volume: (-?[\d.]+|-inf) dB/.exec(stderr);
  if (!m) throw new Error(`no volumedetect output: ${stderr.slice(-400)}`);
  return m[1] === '-inf' ? -Infinity : Number(m[1]);
}

/** Dominant frequency of the first channel between `from` and `to` seconds, by zero crossings. */
export async function toneFrequency(path: string, from: number, to: number): Promise<number> {
  const rate = 48000;
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-ss', String(from), '-t', String(to - from), '-i', path, '-vn', '-ac', '1', '-ar', String(rate), '-f', 's16le', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  const n = Math.floor(stdout.length / 2);
  let crossings = 0;
  let prev = stdout.readInt16LE(0);
  for (let i = 1; i < n; i++) {
    const s = stdout.readInt16LE(i * 2);
    if ((prev < 0 && s >= 0) || (prev >= 0 && s < 0)) crossings++;
    prev = s;
  }
  return crossings / 2 / (n / rate);
}

/** A clip of one flat colour (with a tone unless silent), for pixel-exact overlay checks. */
export async function makeSolidVideo(path: string, opts: { seconds: number; width: number; height: number; fps?: number; color?: string; gop?: number; audio?: boolean }): Promise<string> {
  await runFfmpeg([
    '-f', 'lavfi', '-i', filter('color', { c: opts.color ?? '0x2040a0', s: `${opts.width}x${opts.height}`, r: opts.fps ?? 25, d: opts.seconds }),
    ...(opts.audio === false ? [] : ['-f', 'lavfi', '-i', filter('sine', { frequency: 440, sample_rate: 48000, d: opts.seconds })]),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...(opts.gop ? ['-g', String(opts.gop)] : []),
    ...(opts.audio === false ? [] : ['-c:a', 'aac', '-b:a', '96k']), path,
  ]);
  return path;
}

/** A moving test pattern with a keyframe every `gop` frames (for stream-copy cuts). */
export async function makeGopVideo(path: string, opts: { seconds: number; width: number; height: number; fps: number; gop: number }): Promise<string> {
  await runFfmpeg([
    '-f', 'lavfi', '-i', filter('testsrc2', { s: `${opts.width}x${opts.height}`, r: opts.fps, d: opts.seconds }),
    '-f', 'lavfi', '-i', filter('sine', { frequency: 440, sample_rate: 48000, d: opts.seconds }),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(opts.gop), '-keyint_min', String(opts.gop), '-sc_threshold', '0',
    '-c:a', 'aac', '-b:a', '96k', path,
  ]);
  return path;
}

/** MD5 of each video packet's data. */
export async function videoPacketHashes(path: string): Promise<string[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_data_hash', 'MD5', '-show_entries', 'packet=data_hash', '-of', 'csv=p=0', path], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}
