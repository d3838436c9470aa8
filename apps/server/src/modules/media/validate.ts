/**
 * Upload validation by decoding (F2). The extension and the client's Content-Type are never
 * trusted: file-type sniffs the bytes for a hint, then images go through sharp (header first,
 * so a pixel bomb is refused before any decoding) and audio/video through ffprobe + a real
 * decode of the first and the last second (a file cut short decodes nothing near its declared
 * end).
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromFile } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import { DomainError, unprocessable, unsupportedMedia } from '../../platform/errors.js';
import { randomBase62 } from '../../platform/ids.js';
import { decodeHeadAndTail, displayDimensions, probe, ProbeError, type MediaInfo } from './engine.js';

export const PURPOSES = ['audio', 'image', 'video', 'voice_sample', 'face'] as const;
export type Purpose = (typeof PURPOSES)[number];
export type MediaKind = 'audio' | 'image' | 'video';

/** Which kind of file each purpose needs. */
export const PURPOSE_KIND: Record<Purpose, MediaKind> = {
  audio: 'audio',
  image: 'image',
  video: 'video',
  voice_sample: 'audio',
  face: 'image',
};

export interface ValidationLimits {
  mediaSeconds: number;
  imagePixels: number;
}

export interface ValidatedMedia {
  kind: MediaKind;
  mime: string;
  /** Extension of the detected format (used for the blob key and download names). */
  ext: string;
  durationSeconds: number | null;
  /** Displayed (upright) dimensions. */
  width: number | null;
  height: number | null;
  /** The bytes to store: the input itself, or an upright re-encode in tmpDir. */
  path: string;
  /** Whether `path` is a temp file this module created (the caller removes it). */
  reencoded: boolean;
  metadata: Record<string, unknown>;
}

export interface ValidateOptions {
  limits: ValidationLimits;
  /** Where re-encoded images go (the data dir's tmp/). */
  tmpDir: string;
  purpose?: Purpose | null;
  signal?: AbortSignal;
}

/** How long the decode checks of one file may take. */
const DECODE_TIMEOUT_MS = 120_000;

interface ImageFormat {
  mime: string;
  ext: string;
  /** sharp's metadata().format for this family. */
  sharpFormat: string;
}

const IMAGE_FORMATS: Record<string, ImageFormat> = {
  jpg: { mime: 'image/jpeg', ext: 'jpg', sharpFormat: 'jpeg' },
  png: { mime: 'image/png', ext: 'png', sharpFormat: 'png' },
  webp: { mime: 'image/webp', ext: 'webp', sharpFormat: 'webp' },
  avif: { mime: 'image/avif', ext: 'avif', sharpFormat: 'heif' },
  heic: { mime: 'image/heic', ext: 'heic', sharpFormat: 'heif' },
  heif: { mime: 'image/heif', ext: 'heif', sharpFormat: 'heif' },
};

type Container = 'mp3' | 'wav' | 'flac' | 'aac' | 'mp4' | 'ogg' | 'webm';

/** file-type extension → container family, and the token ffprobe's format_name must contain. */
const AV_CONTAINERS: Record<string, { family: Container; probeToken: string }> = {
  mp3: { family: 'mp3', probeToken: 'mp3' },
  wav: { family: 'wav', probeToken: 'wav' },
  flac: { family: 'flac', probeToken: 'flac' },
  aac: { family: 'aac', probeToken: 'aac' },
  m4a: { family: 'mp4', probeToken: 'mp4' },
  m4b: { family: 'mp4', probeToken: 'mp4' },
  mp4: { family: 'mp4', probeToken: 'mp4' },
  m4v: { family: 'mp4', probeToken: 'mp4' },
  mov: { family: 'mp4', probeToken: 'mov' },
  ogg: { family: 'ogg', probeToken: 'ogg' },
  oga: { family: 'ogg', probeToken: 'ogg' },
  opus: { family: 'ogg', probeToken: 'ogg' },
  webm: { family: 'webm', probeToken: 'webm' },
};

const SUPPORTED_LIST = 'MP3, WAV, FLAC, AAC/M4A, OGG/Opus audio; JPEG, PNG, WebP, AVIF images; MP4, MOV, WebM video';

/**
 * Validates a local file by content. Throws DomainError: 415 `unsupported_media_type`,
 * 422 `media_invalid` | `media_too_long` | `image_too_large` | `video_too_large` |
 * `purpose_mismatch`. On success the caller owns `result.path` when `result.reencoded`.
 */
export async function validateMedia(file: string, opts: ValidateOptions): Promise<ValidatedMedia> {
  const size = (await stat(file)).size;
  if (size === 0) throw unprocessable('media_invalid', 'The file is empty.');

  let sniffed: { ext: string; mime: string } | undefined;
  try {
    sniffed = await fileTypeFromFile(file);
  } catch {
    sniffed = undefined;
  }
  if (!sniffed) {
    throw unsupportedMedia(`The file is not in a supported format (${SUPPORTED_LIST}).`);
  }
  const image = IMAGE_FORMATS[sniffed.ext];
  if (image) {
    checkPurpose(opts.purpose, 'image');
    return validateImage(file, image, sniffed.ext, opts);
  }
  const av = AV_CONTAINERS[sniffed.ext];
  if (av) return validateAudioVideo(file, av, sniffed.ext, opts);
  throw unsupportedMedia(`Files of type ${sniffed.mime} are not supported (${SUPPORTED_LIST}).`);
}

function checkPurpose(purpose: Purpose | null | undefined, kind: MediaKind): void {
  if (!purpose) return;
  const need = PURPOSE_KIND[purpose];
  if (need !== kind) {
    throw unprocessable(
      'purpose_mismatch',
      `A file with purpose "${purpose}" must be ${need === 'image' ? 'an image' : `${need === 'audio' ? 'an' : 'a'} ${need} file`}; this one is ${kind === 'image' ? 'an image' : `${kind === 'audio' ? 'an' : 'a'} ${kind} file`}.`,
      [{ param: 'purpose', message: `expects ${need}, got ${kind}` }],
    );
  }
}

// ───────────────────────────── images ─────────────────────────────

async function validateImage(file: string, fmt: ImageFormat, sniffedExt: string, opts: ValidateOptions): Promise<ValidatedMedia> {
  const limit = opts.limits.imagePixels;
  // Header only: no pixel is decoded here.
  let meta: Metadata;
  try {
    meta = await sharp(file, { failOn: 'none', limitInputPixels: false }).metadata();
  } catch {
    throw unprocessable('media_invalid', 'The image could not be read; it is corrupt or truncated.');
  }
  if (meta.format !== fmt.sharpFormat || !meta.width || !meta.height) {
    throw unprocessable('media_invalid', 'The image could not be read; it is corrupt or truncated.');
  }
  const pageHeight = meta.pageHeight ?? meta.height;
  if (meta.width * pageHeight > limit || meta.width * meta.height > limit * 64) {
    throw unprocessable(
      'image_too_large',
      `The image is ${meta.width}×${pageHeight} pixels; the limit is ${(limit / 1e6).toLocaleString('en')} megapixels.`,
    );
  }
  const isHevc = meta.format === 'heif' && meta.compression === 'hevc';

  // A real decode (downscaled: JPEG and WebP shrink on load) catches corrupt and truncated data.
  try {
    await sharp(file, { failOn: 'error', limitInputPixels: limit })
      .rotate()
      .resize({ width: 64, height: 64, fit: 'inside' })
      .raw()
      .toBuffer();
  } catch (err) {
    if (isHevc) {
      throw unsupportedMedia('HEIC (HEVC) images cannot be decoded on this server; convert them to JPEG, or upload AVIF, PNG or WebP.');
    }
    if (/pixel limit/i.test(String((err as Error)?.message))) {
      throw unprocessable('image_too_large', `The image is larger than ${(limit / 1e6).toLocaleString('en')} megapixels.`);
    }
    throw unprocessable('media_invalid', 'The image could not be decoded; it is corrupt or truncated.');
  }

  const orientation = meta.orientation ?? 1;
  const metadata: Record<string, unknown> = {
    format: sniffedExt === 'jpg' ? 'jpeg' : sniffedExt,
    has_alpha: meta.hasAlpha ?? false,
    exif_orientation: orientation,
  };
  if (meta.pages && meta.pages > 1) metadata.pages = meta.pages;
  if (orientation === 1) {
    return { kind: 'image', mime: fmt.mime, ext: fmt.ext, durationSeconds: null, width: meta.width, height: pageHeight, path: file, reencoded: false, metadata };
  }

  // Orientation 2–8: store an upright re-encode so every consumer sees upright pixels.
  const out = fmt.sharpFormat === 'heif' ? IMAGE_FORMATS.jpg! : fmt;
  const target = path.join(opts.tmpDir, `orient-${randomBase62(16)}.${out.ext}`);
  try {
    let pipeline = sharp(file, { failOn: 'error', limitInputPixels: limit }).rotate().keepIccProfile();
    if (out.ext === 'jpg') pipeline = pipeline.jpeg({ quality: 92, chromaSubsampling: '4:4:4' });
    else if (out.ext === 'png') pipeline = pipeline.png();
    else if (out.ext === 'webp') pipeline = pipeline.webp({ quality: 92 });
    const info = await pipeline.toFile(target);
    return {
      kind: 'image',
      mime: out.mime,
      ext: out.ext,
      durationSeconds: null,
      width: info.width,
      height: info.height,
      path: target,
      reencoded: true,
      metadata: { ...metadata, format: out.ext === 'jpg' ? 'jpeg' : out.ext, orientation_applied: true },
    };
  } catch (err) {
    await rm(target, { force: true }).catch(() => {});
    if (err instanceof DomainError) throw err;
    throw unprocessable('media_invalid', 'The image could not be decoded; it is corrupt or truncated.');
  }
}

// ───────────────────────────── audio and video ─────────────────────────────

async function validateAudioVideo(
  file: string,
  container: { family: Container; probeToken: string },
  sniffedExt: string,
  opts: ValidateOptions,
): Promise<ValidatedMedia> {
  const timeout = AbortSignal.timeout(DECODE_TIMEOUT_MS);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    return await checkAudioVideo(file, container, sniffedExt, opts, signal);
  } catch (err) {
    if (timeout.aborted && !opts.signal?.aborted) {
      throw unprocessable('media_invalid', 'The file could not be decoded in reasonable time.');
    }
    throw err;
  }
}

async function checkAudioVideo(
  file: string,
  container: { family: Container; probeToken: string },
  sniffedExt: string,
  opts: ValidateOptions,
  signal: AbortSignal,
): Promise<ValidatedMedia> {
  let info: MediaInfo;
  try {
    info = await probe(file, { signal });
  } catch (err) {
    if (err instanceof ProbeError) throw unprocessable('media_invalid', 'The file could not be read; it is corrupt or truncated.');
    throw err;
  }
  const formats = info.formatName.split(',');
  if (!formats.includes(container.probeToken)) {
    throw unprocessable('media_invalid', 'The file could not be read; its contents do not match its format.');
  }
  const { video, audio } = info;
  if (!video && !audio) throw unprocessable('media_invalid', 'The file has no audio or video stream.');
  const kind: MediaKind = video ? 'video' : 'audio';
  checkPurpose(opts.purpose, kind);

  const type = avType(container.family, kind, sniffedExt, audio?.codec ?? '');
  if (!type) throw unsupportedMedia(`This kind of ${kind} file is not supported (${SUPPORTED_LIST}).`);

  const duration = Math.max(info.durationSeconds, audio?.durationSeconds ?? 0);
  if (!(duration > 0)) throw unprocessable('media_invalid', 'The file has no playable duration; it is corrupt or truncated.');
  if (duration > opts.limits.mediaSeconds) {
    throw unprocessable('media_too_long', `The file is ${Math.round(duration)} s long; the limit is ${opts.limits.mediaSeconds} s.`);
  }

  let width: number | null = null;
  let height: number | null = null;
  if (video) {
    if (!video.width || !video.height) throw unprocessable('media_invalid', 'The video stream has no frame size.');
    if (video.width * video.height > opts.limits.imagePixels) {
      throw unprocessable('video_too_large', `The video frame is ${video.width}×${video.height} pixels, larger than this server accepts.`);
    }
    ({ width, height } = displayDimensions(video));
  }

  // Decode the first second and the last: both must yield frames of the main stream.
  const decoded = await decodeHeadAndTail(file, {
    audio: !!audio,
    video: !!video,
    tailFrom: duration > 1 ? Math.max(0, duration - 0.75) : null,
    signal,
  });
  if (!decoded.ok || decoded.headFrames === 0) throw unprocessable('media_invalid', 'The file could not be decoded; it is corrupt.');
  if (decoded.tailFrames === 0) throw unprocessable('media_invalid', 'The file ends before its declared duration; it is truncated or corrupt.');

  const metadata: Record<string, unknown> = {
    container: info.formatName,
    has_audio: !!audio,
    has_video: !!video,
  };
  if (audio) {
    metadata.audio_codec = audio.codec;
    if (audio.sampleRate) metadata.sample_rate = audio.sampleRate;
    if (audio.channels) metadata.channels = audio.channels;
  }
  if (video) {
    metadata.video_codec = video.codec;
    if (video.rotation) metadata.rotation = video.rotation;
  }
  return {
    kind,
    mime: type.mime,
    ext: type.ext,
    durationSeconds: Math.round(duration * 1000) / 1000,
    width,
    height,
    path: file,
    reencoded: false,
    metadata,
  };
}

/** MIME type and extension for a container holding this kind of media; null = unsupported. */
function avType(family: Container, kind: MediaKind, sniffedExt: string, audioCodec: string): { mime: string; ext: string } | null {
  if (kind === 'audio') {
    switch (family) {
      case 'mp3':
        return { mime: 'audio/mpeg', ext: 'mp3' };
      case 'wav':
        return { mime: 'audio/wav', ext: 'wav' };
      case 'flac':
        return { mime: 'audio/flac', ext: 'flac' };
      case 'aac':
        return { mime: 'audio/aac', ext: 'aac' };
      case 'mp4':
        return { mime: 'audio/mp4', ext: 'm4a' };
      case 'ogg':
        return audioCodec === 'opus' ? { mime: 'audio/ogg', ext: 'opus' } : { mime: 'audio/ogg', ext: 'ogg' };
      case 'webm':
        return { mime: 'audio/webm', ext: 'webm' };
    }
  }
  switch (family) {
    case 'mp4':
      return sniffedExt === 'mov' ? { mime: 'video/quicktime', ext: 'mov' } : { mime: 'video/mp4', ext: 'mp4' };
    case 'webm':
      return { mime: 'video/webm', ext: 'webm' };
    default:
      return null;
  }
}
