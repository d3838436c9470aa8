import { listStyles, styleIds } from '@clipmix/engine';
import { z } from 'zod';
import { ASPECT_RATIOS, MAX_CLIPS, MAX_IMAGES, PHOTO_ORDERS, RESOLUTION_NAMES } from './pipeline.js';

/** Longest lyrics accepted (characters, any format). */
export const MAX_LYRICS_CHARS = 50_000;

const fileId = z.string().min(1).max(64).describe('file_…');
const STYLE_IDS = styleIds() as [string, ...string[]];

export const lyricsSchema = z
  .object({
    text: z.string().min(1).max(MAX_LYRICS_CHARS).optional().describe('Plain lyrics, one line per line: spread over the vocal sections (approximate timing).'),
    lrc: z.string().min(1).max(MAX_LYRICS_CHARS).optional().describe('LRC with [mm:ss.xx] timestamps (exact timing).'),
    srt: z.string().min(1).max(MAX_LYRICS_CHARS).optional().describe('SubRip subtitles (exact timing).'),
  })
  .strict()
  .refine((l) => [l.text, l.lrc, l.srt].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of text, lrc or srt',
  })
  .describe('Captions: exactly one of `text`, `lrc`, `srt`.');

export const createMusicVideoBody = z
  .object({
    audio_file: fileId.describe('An uploaded audio file (kind `audio`): the song.'),
    image_files: z
      .array(fileId)
      .min(1, { error: 'at least one image is needed to make a music video' })
      .max(MAX_IMAGES, { error: `at most ${MAX_IMAGES} images per music video` })
      .describe(`Uploaded images (kind \`image\`), 1 to ${MAX_IMAGES}, shown in this order (see \`photo_order\`).`),
    video_files: z
      .array(fileId)
      .max(MAX_CLIPS, { error: `at most ${MAX_CLIPS} video clips per music video` })
      .optional()
      .describe('Uploaded video clips (kind `video`), trimmed to their shots, after the images.'),
    style: z
      .enum(STYLE_IDS, { error: `unknown style; available styles: ${STYLE_IDS.join(', ')}` })
      .optional()
      .describe(`Style preset (GET /api/v1/music_videos/styles). Default \`pulse\`.`),
    aspect_ratio: z.enum(ASPECT_RATIOS).default('16:9'),
    resolution: z.enum(RESOLUTION_NAMES).default('720p').describe('Test-mode (`sk_test_`) jobs are capped at 480p and watermarked.'),
    lyrics: lyricsSchema.optional(),
    title: z.string().trim().min(1).max(100).optional().describe('Shown on a title card (and end card) by styles that have them.'),
    photo_order: z
      .enum(PHOTO_ORDERS)
      .optional()
      .describe('`user` (default): photos in the order of `image_files`, repeated in that order if the song is long. `auto`: a shuffle (seeded per job, so a retry plans the same video) that never shows one photo twice in a row.'),
  })
  .strict();
export type CreateMusicVideoBody = z.infer<typeof createMusicVideoBody>;

export const previewMusicVideoBody = z
  .object({
    image_file: fileId.describe('An uploaded image (kind `image`).'),
    style: z
      .enum(STYLE_IDS, { error: `unknown style; available styles: ${STYLE_IDS.join(', ')}` })
      .default('pulse')
      .describe('Style preset (GET /api/v1/music_videos/styles).'),
    aspect_ratio: z.enum(ASPECT_RATIOS).default('16:9'),
  })
  .strict();
export type PreviewMusicVideoBody = z.infer<typeof previewMusicVideoBody>;

export const styleSchema = z
  .object({ id: z.string(), name: z.string(), description: z.string() })
  .describe('A music-video style preset.');

export const styleListSchema = z.object({
  object: z.literal('list'),
  data: z.array(styleSchema),
  has_more: z.boolean(),
});

export function stylesList() {
  return { object: 'list' as const, data: listStyles().map(({ id, name, description }) => ({ id, name, description })), has_more: false };
}
