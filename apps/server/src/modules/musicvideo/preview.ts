/**
 * Style preview frames for the music-video wizard: one of the caller's photos in a style and
 * aspect, as a small JPEG. The photo is first made upright and small with sharp (EXIF rotation,
 * HEIC/AVIF/CMYK, huge photos), then the engine applies the crop, the look and the static layers.
 * A picker asks for every style of a photo at once, so the first request renders all styles in
 * one ffmpeg run and the others wait for it. Files never change, so frames are cached in memory
 * per (user, file, style, aspect).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { renderStylePreviews, styleIds, type Aspect } from '@clipmix/engine';
import sharp from 'sharp';
import type { AppContext } from '../../app.js';
import type { AuthContext } from '../../http/auth-context.js';
import { DomainError, unprocessable } from '../../platform/errors.js';
import type { MediaService } from '../media/service.js';
import type { PreviewMusicVideoBody } from './schemas.js';

/** Previews run ffmpeg inside the request: at most this many at once per process. */
const CONCURRENCY = 2;
/** Cached frames (each ~5–30 kB). */
const CACHE_ENTRIES = 300;
/** The normalised photo is bounded to this many pixels on its longer side (enough for any crop at 320 px). */
const NORMALISED_SIDE = 1024;

export interface PreviewFrame {
  jpeg: Buffer;
  etag: string;
}

export class MusicVideoPreviews {
  private readonly cache = new Map<string, PreviewFrame>();
  /** Renders in progress, per (user, file, aspect). */
  private readonly inFlight = new Map<string, Promise<Map<string, PreviewFrame>>>();
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly ctx: AppContext) {}

  private get media(): MediaService {
    return this.ctx.services.media as MediaService;
  }

  async frame(auth: AuthContext, body: PreviewMusicVideoBody): Promise<PreviewFrame> {
    const row = await this.media.repo.find(auth.userId, body.image_file);
    if (!row) {
      throw new DomainError(404, 'resource_missing', `No such file: ${body.image_file}.`, [
        { param: 'image_file', message: `No such file: ${body.image_file}` },
      ]);
    }
    if (row.kind !== 'image') {
      const message = `${body.image_file} is ${row.kind === 'audio' ? 'an' : 'a'} ${row.kind} file; an image file is needed`;
      throw unprocessable('file_kind_mismatch', `image_file: ${message}.`, [{ param: 'image_file', message }]);
    }
    const key = (style: string) => `${auth.userId}\n${row.id}\n${style}\n${body.aspect_ratio}`;
    const cached = this.fromCache(key(body.style));
    if (cached) return cached;
    const batchKey = `${auth.userId}\n${row.id}\n${body.aspect_ratio}`;
    let batch = this.inFlight.get(batchKey);
    if (!batch) {
      batch = this.limited(() => this.render(auth.userId, row.id, body.aspect_ratio))
        .then((jpegs) => new Map([...jpegs].map(([style, jpeg]) => [style, this.remember(key(style), jpeg)])))
        .finally(() => this.inFlight.delete(batchKey));
      this.inFlight.set(batchKey, batch);
    }
    const frame = (await batch).get(body.style);
    if (!frame) throw new Error(`style preview ${body.style} missing after rendering`);
    return frame;
  }

  private fromCache(key: string): PreviewFrame | undefined {
    const hit = this.cache.get(key);
    if (hit) {
      // Refresh its place in the LRU order.
      this.cache.delete(key);
      this.cache.set(key, hit);
    }
    return hit;
  }

  private remember(key: string, jpeg: Buffer): PreviewFrame {
    const frame = { jpeg, etag: `"mvp-${createHash('sha256').update(key).digest('base64url').slice(0, 22)}"` };
    this.cache.set(key, frame);
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return frame;
  }

  private async render(userId: string, fileId: string, aspect: Aspect): Promise<Map<string, Buffer>> {
    const tmpRoot = path.join(this.ctx.config.dataDir, 'tmp');
    await mkdir(tmpRoot, { recursive: true });
    const work = await mkdtemp(path.join(tmpRoot, 'mv-preview-'));
    const local = await this.media.localPath(userId, fileId);
    try {
      const upright = path.join(work, 'photo.png');
      try {
        await sharp(local.path, { limitInputPixels: 268_402_689 })
          .rotate()
          .resize({ width: NORMALISED_SIDE, height: NORMALISED_SIDE, fit: 'inside', withoutEnlargement: true })
          .toColourspace('srgb')
          .png({ compressionLevel: 1 })
          .toFile(upright);
      } catch (err) {
        throw unprocessable('image_unreadable', `The image ${fileId} could not be read: ${(err as Error).message}`);
      }
      const frames = await renderStylePreviews(upright, { styles: styleIds(), aspect });
      return new Map(frames.map((f) => [f.style, f.preview.jpeg]));
    } finally {
      await local.release().catch(() => undefined);
      await rm(work, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async limited<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
