import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { requireAuth } from '../../http/auth-context.js';
import type { HttpApp } from '../../http/server.js';
import { jobSchema } from '../jobs/schemas.js';
import { createEditBody, filterListSchema, previewEditBody } from './schemas.js';
import { EditorService } from './service.js';

const FILE_ERRORS =
  'The source must be your own video (404 `resource_missing` for unknown files, 422 `file_kind_mismatch` for another kind); ' +
  'concat `inputs` and audio `file` are file ids checked the same way. A bad operation is a 422 `invalid_operations` whose ' +
  '`errors[].param` names it, e.g. `operations[3].end`.';

export async function editorRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const service = new EditorService(ctx);

  app.post(
    '/edits',
    {
      schema: {
        tags: ['edits'],
        summary: 'Edit a video',
        description:
          'Queues an `edit` job that applies the edit list to the source video non-destructively and outputs the `video` ' +
          `(H.264/AAC MP4) and a \`poster\` (JPEG). ${FILE_ERRORS} Test-mode keys (\`sk_test_\`) are not charged and get ` +
          'output at most 480 px high with a TEST watermark.',
        body: createEditBody,
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
    '/edits/preview',
    {
      schema: {
        tags: ['edits'],
        summary: 'Preview one frame of an edit',
        description:
          'Renders the frame at `time` (seconds of the edited output) of the edit list as `image/jpeg`, for editing UIs ' +
          `(filter thumbnails, the paused player). Nothing is stored. ${FILE_ERRORS}`,
        body: previewEditBody,
        produces: ['image/jpeg'],
        // A Buffer payload is sent as is (no serializer); the schema is for OpenAPI's `image/jpeg` response.
        response: { 200: z.any().meta({ type: 'string', format: 'binary' }).describe('The frame as a JPEG.') },
      },
    },
    async (req, reply) => {
      const auth = requireAuth(req, 'files:read');
      const jpeg = await service.preview(auth, req.body);
      return reply.type('image/jpeg').header('Cache-Control', 'private, no-store').send(jpeg);
    },
  );

  app.get(
    '/edits/filters',
    {
      schema: {
        tags: ['edits'],
        summary: 'List edit filters',
        description: 'The looks accepted by `name` in the `filter` operation.',
        response: { 200: filterListSchema },
      },
    },
    async (req) => {
      requireAuth(req);
      return service.filters();
    },
  );
}
