/** ffprobe → typed MediaInfo. */
import { execFile } from 'node:child_process';
import { AbortError, FfmpegError, ProbeError } from './errors.js';
import { ffprobePath, localPath, type FfmpegBinaries } from './tools.js';

/** Clockwise rotation, in degrees, that a player applies to the coded frames for display. */
export type Rotation = 0 | 90 | 180 | 270;

export interface VideoStreamInfo {
  codec: string;
  /** Coded (stored) size; see `displayDimensions` for the size as shown. */
  width: number;
  height: number;
  /** Average frame rate; 0 when unknown. */
  fps: number;
  rotation: Rotation;
  pixFmt: string | null;
  /** Frame count when the container states it. */
  frames?: number;
}

export interface AudioStreamInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  durationSeconds: number;
}

export interface MediaInfo {
  /** ffprobe's format name, e.g. 'mov,mp4,m4a,3gp,3g2,mj2', 'wav', 'png_pipe'. */
  formatName: string;
  /** Container duration; 0 when there is none (still images). */
  durationSeconds: number;
  sizeBytes: number;
  /** Overall bit rate in bits per second, when known. */
  bitRate: number | null;
  /** Number of streams of any kind in the container. */
  streamCount: number;
  /** First video stream that is not attached cover art. */
  video?: VideoStreamInfo;
  /** First audio stream. */
  audio?: AudioStreamInfo;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  binaries?: FfmpegBinaries;
}

const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** Probe a media file. Rejects with ProbeError when ffprobe cannot read it as media. */
export async function probe(file: string, opts: ProbeOptions = {}): Promise<MediaInfo> {
  // `-pattern_type none`: a `%` in a still image's name is part of the name, not an image2
  // sequence pattern (ffprobe accepts the option for every demuxer).
  const args = ['-v', 'error', '-pattern_type', 'none', '-print_format', 'json', '-show_format', '-show_streams', localPath(file)];
  const command = ffprobePath(opts.binaries);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(command, args, { maxBuffer: MAX_JSON_BYTES, signal: opts.signal, windowsHide: true }, (error, out, err) => {
      if (!error) return resolve(out);
      const stderr = String(err ?? '');
      if (error.name === 'AbortError') return reject(new AbortError(undefined, { cause: opts.signal?.reason }));
      if (typeof error.code === 'string') {
        // A system error (e.g. ENOENT for the ffprobe binary itself), not a verdict on the file.
        return reject(new FfmpegError(`could not run ${command}: ${error.message}`, null, stderr, null, { cause: error }));
      }
      const reason = stderr.trim().split('\n').pop()?.trim() || `ffprobe exited with code ${String(error.code)}`;
      reject(new ProbeError(`not readable as media: ${reason}`, file, stderr.slice(-4096), { cause: error }));
    });
  });
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (error) {
    throw new ProbeError('ffprobe printed invalid JSON', file, '', { cause: error });
  }
  return mediaInfoFromProbeJson(json, file);
}

/** Width and height as displayed: swapped for 90° and 270° rotation. */
export function displayDimensions(video: Pick<VideoStreamInfo, 'width' | 'height' | 'rotation'>): {
  width: number;
  height: number;
} {
  return video.rotation === 90 || video.rotation === 270
    ? { width: video.height, height: video.width }
    : { width: video.width, height: video.height };
}

/** Snap any angle in degrees to 0, 90, 180 or 270. */
export function normalizeRotation(degrees: number): Rotation {
  if (!Number.isFinite(degrees)) return 0;
  const quarter = ((Math.round(degrees / 90) % 4) + 4) % 4;
  return (quarter * 90) as Rotation;
}

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
}

interface RawFormat {
  format_name?: string;
  duration?: string;
  size?: string;
  bit_rate?: string;
  nb_streams?: number;
}

/** Build MediaInfo from ffprobe's `-print_format json -show_format -show_streams` output. */
export function mediaInfoFromProbeJson(json: unknown, file: string): MediaInfo {
  const root = (json ?? {}) as { format?: RawFormat; streams?: RawStream[] };
  const format = root.format;
  const streams = Array.isArray(root.streams) ? root.streams : [];
  if (!format || streams.length === 0) throw new ProbeError('no media streams found', file);

  const streamDurations = streams.map((s) => positive(s.duration)).filter((d): d is number => d !== undefined);
  const durationSeconds = positive(format.duration) ?? (streamDurations.length ? Math.max(...streamDurations) : 0);

  const v = streams.find((s) => s.codec_type === 'video' && s.codec_name && s.disposition?.attached_pic !== 1);
  const a = streams.find((s) => s.codec_type === 'audio' && s.codec_name);

  const info: MediaInfo = {
    formatName: format.format_name ?? '',
    durationSeconds,
    sizeBytes: positive(format.size) ?? 0,
    bitRate: positive(format.bit_rate) ?? null,
    streamCount: streams.length,
  };
  if (v) {
    const frames = positive(v.nb_frames);
    info.video = {
      codec: v.codec_name!,
      width: v.width ?? 0,
      height: v.height ?? 0,
      fps: rate(v.avg_frame_rate) || rate(v.r_frame_rate),
      rotation: streamRotation(v),
      pixFmt: v.pix_fmt ?? null,
      ...(frames !== undefined ? { frames: Math.round(frames) } : {}),
    };
  }
  if (a) {
    info.audio = {
      codec: a.codec_name!,
      sampleRate: positive(a.sample_rate) ?? 0,
      channels: a.channels ?? 0,
      durationSeconds: positive(a.duration) ?? durationSeconds,
    };
  }
  return info;
}

function streamRotation(stream: RawStream): Rotation {
  const matrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number');
  // The display matrix angle is counter-clockwise; ffmpeg's autorotate turns the frame by its negation.
  if (matrix?.rotation !== undefined) return normalizeRotation(-matrix.rotation);
  // Older ffprobe builds export the legacy `rotate` tag, which is already clockwise.
  const tag = stream.tags?.rotate;
  return tag !== undefined ? normalizeRotation(Number(tag)) : 0;
}

function positive(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function rate(value: string | undefined): number {
  if (!value) return 0;
  const [num, den] = value.split('/').map(Number);
  if (den === undefined) return Number.isFinite(num) ? num! : 0;
  return Number.isFinite(num) && Number.isFinite(den) && den !== 0 ? num! / den : 0;
}
