/**
 * The fast path: an edit of only trim/cut/concat whose pieces start (and end) on keyframes of
 * sources with identical codec parameters is joined with the concat demuxer and `-c copy` — no
 * decoding, no encoding, so it runs at disk speed and the pictures are bit-identical.
 */
import { execFile } from 'node:child_process';
import type { MediaInfo } from '../ffmpeg/probe.js';
import { ffprobePath, localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import type { Piece } from './model.js';
import { num } from './pieces.js';
import type { EditOperation } from './types.js';

/** Why the fast path is not taken (for logs), or undefined when it may be. */
export function streamCopyBlocker(
  operations: readonly EditOperation[],
  pieces: readonly Piece[],
  infos: readonly MediaInfo[],
  opts: { watermark?: string; maxHeight?: number },
): string | undefined {
  if (operations.length === 0) return 'nothing to edit';
  const other = operations.find((op) => op.type !== 'trim' && op.type !== 'cut' && op.type !== 'concat');
  if (other) return `operation "${other.type}" needs re-encoding`;
  if (opts.watermark?.trim()) return 'the watermark needs re-encoding';
  const used = [...new Set(pieces.map((p) => p.source))].map((i) => infos[i]!);
  const first = used[0]!;
  if (opts.maxHeight !== undefined && (first.video?.height ?? 0) > opts.maxHeight) return 'the output height cap needs re-encoding';
  for (const info of used) {
    const v = info.video;
    const a = info.audio;
    if (!v || v.codec !== 'h264' || v.pixFmt !== 'yuv420p') return 'a source is not H.264 yuv420p';
    if (!a || a.codec !== 'aac') return 'a source has no AAC audio';
    const f = first.video!;
    if (v.width !== f.width || v.height !== f.height || v.rotation !== f.rotation || Math.abs(v.fps - f.fps) > 0.01) return 'sources differ in size or frame rate';
    if (a.sampleRate !== first.audio!.sampleRate || a.channels !== first.audio!.channels) return 'sources differ in audio format';
  }
  if (pieces.some((p) => p.speed !== 1)) return 'speed changes need re-encoding';
  return undefined;
}

/**
 * Video keyframe times near `points` of a file: each point is looked up with a seek (ffprobe
 * `-read_intervals`), so long files are not read in full.
 */
export function keyframesNear(path: string, points: readonly number[], opts: { binaries?: FfmpegBinaries; signal?: AbortSignal } = {}): Promise<number[]> {
  const intervals = points.map((p) => `${num(Math.max(0, p + 0.001))}%+0.3`).join(',');
  const args = ['-v', 'error', '-select_streams', 'v:0', '-read_intervals', intervals, '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', localPath(path)];
  return new Promise((resolve, reject) => {
    execFile(ffprobePath(opts.binaries), args, { maxBuffer: 16 * 1024 * 1024, signal: opts.signal }, (error, stdout) => {
      if (error) return reject(error);
      const times: number[] = [];
      for (const line of stdout.split('\n')) {
        const [pts, flags] = line.trim().split(',');
        if (flags?.includes('K') && pts !== undefined && Number.isFinite(Number(pts))) times.push(Number(pts));
      }
      resolve(times);
    });
  });
}

/**
 * Snap each piece to its source's keyframes: start on a keyframe, end on a keyframe or at the
 * source's end. Undefined when a point is more than `tolerance` seconds off.
 */
export function snapToKeyframes(
  pieces: readonly Piece[],
  keyframes: ReadonlyMap<number, readonly number[]>,
  durations: readonly number[],
  tolerance: number,
): Array<{ source: number; inpoint: number; outpoint: number | undefined }> | undefined {
  const out: Array<{ source: number; inpoint: number; outpoint: number | undefined }> = [];
  for (const p of pieces) {
    const keys = keyframes.get(p.source) ?? [];
    const near = (t: number) => keys.find((k) => Math.abs(k - t) <= tolerance);
    const inpoint = p.start <= tolerance ? 0 : near(p.start);
    if (inpoint === undefined) return undefined;
    const atEnd = p.end >= durations[p.source]! - tolerance;
    const outpoint = atEnd ? undefined : near(p.end);
    if (!atEnd && outpoint === undefined) return undefined;
    out.push({ source: p.source, inpoint, outpoint });
  }
  return out;
}

/** The concat demuxer script (ffconcat) for snapped pieces; undefined when a path cannot be written in it. */
export function concatScript(pieces: ReadonlyArray<{ source: number; inpoint: number; outpoint: number | undefined }>, paths: readonly string[]): string | undefined {
  const lines = ['ffconcat version 1.0'];
  for (const p of pieces) {
    const path = paths[p.source]!;
    if (/[\n\r]/.test(path)) return undefined;
    lines.push(`file '${path.replaceAll("'", "'\\''")}'`);
    if (p.inpoint > 0) lines.push(`inpoint ${num(p.inpoint)}`);
    if (p.outpoint !== undefined) lines.push(`outpoint ${num(p.outpoint)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `oneFile`: every piece comes from the same file, so its packets can be copied untouched. Across
 * files the concat demuxer converts H.264 to Annex B (parameter sets in every keyframe), so a
 * second file's pictures never decode with the first file's SPS/PPS.
 */
export function streamCopyArgs(listFile: string, output: string, oneFile: boolean): string[] {
  return ['-f', 'concat', '-safe', '0', ...(oneFile ? ['-auto_convert', '0'] : []), '-i', localPath(listFile), '-map', '0:v:0', '-map', '0:a:0', '-c', 'copy', '-avoid_negative_ts', 'make_zero', '-movflags', '+faststart', '-f', 'mp4', localPath(output)];
}
