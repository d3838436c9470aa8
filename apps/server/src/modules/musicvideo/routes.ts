import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { requireAuth } from '../../http/auth-context.js';
import type { HttpApp } from '../../http/server.js';
import { jobSchema } from '../jobs/schemas.js';
import { MusicVideoPreviews } from './preview.js';
import { createMusicVideoBody, previewMusicVideoBody, styleListSchema, stylesList } from './schemas.js';
import { MusicVideoService } from './service.js';

export async function musicVideoRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const service = new MusicVideoService(ctx);
  const previews = new MusicVideoPreviews(ctx);

  app.post(
    '/music_videos',
    {
      schema: {
        tags: ['music videos'],
        summary: 'Create a music video',
        description:
          'Queues a `music_video` job: the song is analysed (tempo, beats, sections), the photos and clips are cut on the beat ' +
          'in the chosen style, and the job outputs the `video` (H.264/AAC MP4, 30 fps), a `poster` (JPEG) and the `timeline` (JSON). ' +
          'Input files must be your own uploads of the right kind: 404 `resource_missing` for unknown files, 422 `file_kind_mismatch` ' +
          'for a file of another kind. Test-mode keys (`sk_test_`) are not charged and get 480p output with a TEST watermark.',
        body: createMusicVideoBody,
        response: { 202: jobSchema },
      },
    },
    async (req, reply) => {
      const auth = requireAuth(req, 'jobs:write');
      const row = await service.create(auth, req.body);
      return reply.code(202).send(ctx.services.jobs.toApi(row));
    },
  );

  app.post(
    '/music_videos/preview',
    {
      schema: {
        tags: ['music videos'],
        summary: 'Preview a photo in a style',
        description:
          'Renders one of your photos as a music video in `style` and `aspect_ratio` would show it (cover crop, colour look, ' +
          'vignette, letterbox, grain, VHS) as a 320 px wide `image/jpeg`, for style pickers. Beat and audio-reactive layers ' +
          'are not shown. Nothing is stored or charged. 404 `resource_missing` for unknown files, 422 `file_kind_mismatch` ' +
          'for a file that is not an image.',
        body: previewMusicVideoBody,
        produces: ['image/jpeg'],
        // A Buffer payload is sent as is (no serializer); the schema is for OpenAPI's `image/jpeg` response.
        response: { 200: z.any().meta({ type: 'string', format: 'binary' }).describe('The preview frame as a 320 px wide JPEG.') },
      },
    },
    async (req, reply) => {
      const auth = requireAuth(req, 'files:read');
      const frame = await previews.frame(auth, req.body);
      return reply
        .type('image/jpeg')
        .header('Cache-Control', 'private, max-age=86400, immutable')
        .header('ETag', frame.etag)
        .header('X-Content-Type-Options', 'nosniff')
        .send(frame.jpeg);
    },
  );

  app.get(
    '/music_videos/styles',
    {
      schema: {
        tags: ['music videos'],
        summary: 'List music-video styles',
        description: 'The style presets accepted by `style` in POST /api/v1/music_videos.',
        response: { 200: styleListSchema },
      },
    },
    async (req) => {
      requireAuth(req);
      return stylesList();
    },
  );
}
