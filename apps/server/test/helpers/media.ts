/**
 * Media test helpers: generate real media with ffmpeg/sharp (no binary fixtures), build multipart
 * bodies, and snapshot what an upload may leave behind (rows, blobs, temp files).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { randomBase62 } from '../../src/platform/ids.js';
import type { TestApp } from './app.js';
import type { TestUser } from './session.js';

const run = promisify(execFile);

export async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args], { maxBuffer: 64 * 1024 * 1024 });
}

export async function ffprobeJson(file: string): Promise<{ format: { duration?: string; format_name: string }; streams: Array<Record<string, any>> }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout);
}

/** A scratch directory for generated media; remove() at the end. */
export async function scratch(): Promise<{ dir: string; file(name: string): string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-media-'));
  return { dir, file: (name) => path.join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

export type AudioFormat = 'mp3' | 'wav' | 'flac' | 'm4a' | 'aac' | 'ogg' | 'opus' | 'webm';
const AUDIO_CODEC: Record<AudioFormat, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '96k'],
  wav: ['-c:a', 'pcm_s16le'],
  flac: ['-c:a', 'flac'],
  m4a: ['-c:a', 'aac', '-b:a', '96k'],
  aac: ['-c:a', 'aac', '-b:a', '96k', '-f', 'adts'],
  ogg: ['-c:a', 'libvorbis'],
  opus: ['-c:a', 'libopus', '-b:a', '64k'],
  webm: ['-c:a', 'libopus', '-b:a', '64k', '-f', 'webm'],
};

/** A sine tone (or silence) of `seconds` in the given format. */
export async function makeTone(out: string, o: { format: AudioFormat; seconds: number; freq?: number; silent?: boolean }): Promise<string> {
  const src = o.silent ? `anullsrc=r=44100:cl=mono` : `sine=f=${o.freq ?? 440}:r=44100`;
  await ffmpeg(['-f', 'lavfi', '-i', src, '-t', String(o.seconds), '-ac', '1', ...AUDIO_CODEC[o.format], out]);
  return out;
}

export type VideoFormat = 'mp4' | 'mov' | 'webm';

/** A test-pattern video, optionally with a tone. */
export async function makeVideo(
  out: string,
  o: { format: VideoFormat; seconds: number; width?: number; height?: number; audio?: boolean; faststart?: boolean },
): Promise<string> {
  const w = o.width ?? 320;
  const h = o.height ?? 240;
  const args = ['-f', 'lavfi', '-i', `testsrc=s=${w}x${h}:r=25`];
  if (o.audio) args.push('-f', 'lavfi', '-i', 'sine=f=330:r=44100');
  args.push('-t', String(o.seconds));
  if (o.format === 'webm') args.push('-c:v', 'libvpx', '-b:v', '300k', '-deadline', 'realtime');
  else args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (o.audio) args.push(...(o.format === 'webm' ? ['-c:a', 'libopus'] : ['-c:a', 'aac']));
  if (o.faststart && o.format !== 'webm') args.push('-movflags', '+faststart');
  args.push(out);
  await ffmpeg(args);
  return out;
}

/** A solid-colour image (with a red top-left quadrant so orientation can be checked). */
export async function makeImage(
  format: 'jpeg' | 'png' | 'webp' | 'avif',
  o: { width: number; height: number; orientation?: number },
): Promise<Buffer> {
  const { width, height } = o;
  const marker = await sharp({ create: { width: Math.ceil(width / 2), height: Math.ceil(height / 2), channels: 3, background: { r: 255, g: 0, b: 0 } } })
    .png()
    .toBuffer();
  let img = sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 255 } } }).composite([{ input: marker, top: 0, left: 0 }]);
  if (format === 'jpeg') img = img.jpeg({ quality: 90 });
  else if (format === 'png') img = img.png();
  else if (format === 'webp') img = img.webp({ quality: 90 });
  else img = img.avif({ quality: 60, effort: 0 });
  if (o.orientation) img = img.withMetadata({ orientation: o.orientation });
  return img.toBuffer();
}

/**
 * A PNG whose header claims width×height but whose data is one tiny compressed row: decoding it
 * would need width×height pixels of memory; reading the header needs nothing.
 */
export function pixelBombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  // Rows of zeros compress to almost nothing: 64 rows here, the rest missing.
  const raw = Buffer.alloc((width + 1) * 64);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Deterministic pseudo-random bytes (xorshift), so a "random" file never happens to match a signature. */
export function noiseBytes(n: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export interface MultipartPart {
  name: string;
  value?: string;
  filename?: string;
  contentType?: string;
  data?: Buffer;
}

/** A multipart/form-data body and its Content-Type header. */
export function multipartBody(parts: MultipartPart[]): { payload: Buffer; contentType: string } {
  const boundary = `----clipmix${randomBase62(16)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    head += '\r\n';
    chunks.push(Buffer.from(head, 'utf8'), p.data ?? Buffer.from(p.value ?? '', 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /api/v1/files with one file (and optional purpose). */
export async function upload(
  user: TestUser,
  o: { data: Buffer; filename?: string; contentType?: string; purpose?: string; extraParts?: MultipartPart[] },
): Promise<LightMyRequestResponse> {
  const parts: MultipartPart[] = [];
  if (o.purpose !== undefined) parts.push({ name: 'purpose', value: o.purpose });
  parts.push({ name: 'file', filename: o.filename ?? 'upload.bin', contentType: o.contentType ?? 'application/octet-stream', data: o.data });
  parts.push(...(o.extraParts ?? []));
  const { payload, contentType } = multipartBody(parts);
  return user.request({ method: 'POST', url: '/api/v1/files', payload, headers: { 'content-type': contentType } });
}

export async function uploadFile(user: TestUser, file: string, o: { filename?: string; contentType?: string; purpose?: string } = {}) {
  return upload(user, { data: await readFile(file), filename: o.filename ?? path.basename(file), contentType: o.contentType, purpose: o.purpose });
}

export interface Leftovers {
  rows: number;
  blobs: string[];
  tmp: string[];
  tus: string[];
}

/** What is stored right now: file rows, blob keys, temp files, tus uploads. */
export async function leftovers(t: TestApp): Promise<Leftovers> {
  const row = await t.ctx.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const blobs: string[] = [];
  for await (const k of t.ctx.blobs.list()) blobs.push(k);
  const list = (d: string) => (existsSync(d) ? readdirSync(d) : []);
  return {
    rows: Number(row?.n ?? 0),
    blobs: blobs.sort(),
    tmp: list(path.join(t.config.dataDir, 'tmp')),
    tus: list(path.join(t.config.dataDir, 'tus')),
  };
}

/** The pixel at (x, y) of an image, as [r, g, b]. */
export async function pixelAt(image: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}
