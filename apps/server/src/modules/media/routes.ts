import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { requireAuth } from '../../http/auth-context.js';
import { listOf, listQuery } from '../../http/pagination.js';
import { problem, sendProblem } from '../../http/problem.js';
import type { HttpApp } from '../../http/server.js';
import { badRequest, DomainError, payloadTooLarge } from '../../platform/errors.js';
import { MultipartDigest, streamedBodyIdempotency, type FilePartDigest } from '../developer/idempotent-body.js';
import { contentDisposition, parseRange } from './content.js';
import type { FileRow } from './repo.js';
import { formatBytes, type MediaService } from './service.js';
import { PURPOSES, type Purpose } from './validate.js';

const KINDS = ['audio', 'image', 'video', 'other'] as const;

export const fileSchema = z
  .object({
    object: z.literal('file'),
    id: z.string().describe('file_…'),
    kind: z.enum(KINDS),
    purpose: z.enum(PURPOSES).or(z.string()).nullable(),
    role: z.string().nullable().describe('Output role for job outputs and derived files (thumbnail, waveform, video, …).'),
    parent_file: z.string().nullable().describe('The upload a thumbnail or waveform was derived from.'),
    job: z.string().nullable().describe('The job that produced this file.'),
    mime: z.string(),
    size_bytes: z.number().int(),
    duration_seconds: z.number().nullable(),
    width: z.number().int().nullable().describe('Upright pixel width (EXIF orientation and video rotation applied).'),
    height: z.number().int().nullable(),
    filename: z.string(),
    status: z.enum(['processing', 'ready']).describe('ready once the thumbnail and waveform job has finished.'),
    thumbnail_url: z.string().nullable(),
    waveform_url: z.string().nullable().describe('JSON {peaks:[min,max,…], duration_seconds}'),
    content_url: z.string(),
    processing_job: z.string().nullable(),
    created_at: z.string(),
  })
  .describe('A stored file.');

const fileParams = z.object({ id: z.string().max(64) });
const fileListQuery = listQuery.extend({
  kind: z.enum(KINDS).optional(),
  purpose: z.enum(PURPOSES).optional(),
});
const contentQuery = z.object({
  download: z.enum(['0', '1', 'true', 'false']).optional().describe('1 → Content-Disposition: attachment'),
});
const purposeSchema = z.enum(PURPOSES);
const uploadJson = z.object({
  upload_id: z.string().min(1).max(64).describe('A finished tus upload (POST /api/v1/uploads).'),
  purpose: purposeSchema.optional(),
});
/** Documentation only: the route parses multipart and JSON bodies itself. */
const createBodyDoc = z.object({
  file: z.string().meta({ format: 'binary' }).optional().describe('multipart/form-data: the file.'),
  purpose: purposeSchema.optional(),
  upload_id: z.string().optional().describe('application/json: a finished tus upload instead of a file.'),
});

/** Multipart overhead allowed on top of the file itself before a request is refused unread. */
const MULTIPART_SLACK = 64 * 1024;

export async function mediaRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const media = (): MediaService => ctx.services.media;
  const limit = ctx.config.limits.uploadBytes;

  await app.register(async (instance) => {
    const scope = instance as unknown as HttpApp;
    await scope.register(multipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: limit, files: 1, fields: 10, fieldSize: 1024, parts: 20, headerPairs: 100 },
    });
    // Only multipart and JSON reach POST /files; text/plain bodies are refused with 415.
    scope.removeContentTypeParser('text/plain');
    // tus PATCH bodies stay unread: @tus/server streams them from the raw request.
    scope.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null));

    scope.post(
      '/files',
      {
        schema: {
          tags: ['files'],
          summary: 'Upload a file',
          description:
            'multipart/form-data with field `file` (and optional `purpose`), or JSON `{upload_id, purpose?}` for a finished tus upload. ' +
            'The content is validated by decoding it: 415 `unsupported_media_type`, 422 `media_invalid` | `media_too_long` | ' +
            '`image_too_large` | `purpose_mismatch`, 413 over the upload limit. A `media.process` job then makes the thumbnail and waveform. ' +
            'With `Idempotency-Key`, a multipart body is compared by its content (field names, file names, part types and bytes; not the boundary): ' +
            'a retry of the same form gets the first response again, a different file with the same key 422 `idempotency_key_reused`.',
          consumes: ['multipart/form-data', 'application/json'],
          body: createBodyDoc,
          response: { 201: fileSchema },
        },
        // The body is parsed here (streamed multipart or JSON), not by the schema.
        validatorCompiler: () => (data: unknown) => ({ value: data }),
      },
      async (req, reply) => {
        const auth = requireAuth(req, 'files:write');
        let row: FileRow;
        if (req.isMultipart()) {
          const created = await createFromMultipart(req, auth.userId);
          if (!created) return reply; // an Idempotency-Key retry: the stored response was sent
          row = created;
        } else if (isJson(req)) {
          const parsed = uploadJson.safeParse(req.body ?? {});
          if (!parsed.success) {
            throw badRequest(
              'invalid_request',
              'The request body must be {upload_id, purpose?}.',
              parsed.error.issues.map((i) => ({ param: i.path.join('.') || 'body', message: i.message })),
            );
          }
          row = await media().createFromUpload({ userId: auth.userId, uploadId: parsed.data.upload_id, purpose: parsed.data.purpose ?? null });
        } else {
          throw new DomainError(415, 'unsupported_content_type', 'Send multipart/form-data (field `file`) or JSON {upload_id}.');
        }
        const [file] = await media().describe(auth.userId, [row]);
        return reply.code(201).send(file);
      },
    );

    /**
     * Reads the multipart body (the file is spooled to a temp file as it streams) and creates the
     * file. With an Idempotency-Key the body's content is digested on the way and recorded before
     * the file is created; a retry of a completed request only drains and digests its body, then
     * gets the stored response (returns null: already sent) or 422 (idempotent-body.ts).
     */
    async function createFromMultipart(req: FastifyRequest, userId: string): Promise<FileRow | null> {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit + MULTIPART_SLACK) {
        throw payloadTooLarge(`The request is larger than the ${Math.round(limit / 1024 / 1024)} MB upload limit.`);
      }
      const idem = streamedBodyIdempotency(req);
      const digest = idem ? new MultipartDigest() : null;
      let tmp: string | null = null;
      try {
        let filename: string | null = null;
        let purposeRaw: string | undefined;
        let sawFile = false;
        try {
          for await (const part of req.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'file' || sawFile) {
                part.file.resume();
                throw badRequest('invalid_request', `Unexpected file field "${part.fieldname}"; send one file in the field "file".`, [
                  { param: part.fieldname, message: 'unexpected file' },
                ]);
              }
              sawFile = true;
              const fileDigest = digest?.file(part.fieldname, part.filename, part.mimetype);
              if (idem?.compareOnly) {
                await drain(part.file, fileDigest!, limit);
              } else {
                tmp = await media().spool(part.file, fileDigest && ((chunk) => fileDigest.update(chunk)));
                fileDigest?.end();
              }
              filename = part.filename || null;
            } else {
              digest?.field(part.fieldname, part.mimetype, String(part.value ?? ''), part.valueTruncated);
              if (part.fieldname === 'purpose') purposeRaw = String(part.value ?? '');
            }
          }
        } catch (err) {
          throw multipartError(err);
        }
        // The whole body is read: record its fingerprint before acting on it (or replay / 422).
        if (idem && digest && (await idem.bodyRead(digest.digest()))) return null;
        if (!tmp) throw badRequest('file_missing', 'The multipart body has no file in the field "file".', [{ param: 'file', message: 'is required' }]);
        let purpose: Purpose | null = null;
        if (purposeRaw !== undefined && purposeRaw !== '') {
          const p = purposeSchema.safeParse(purposeRaw);
          if (!p.success) {
            throw badRequest('invalid_request', `purpose must be one of ${PURPOSES.join(', ')}.`, [{ param: 'purpose', message: 'is invalid' }]);
          }
          purpose = p.data;
        }
        return await media().createUpload({ userId, path: tmp, originalName: filename, purpose });
      } finally {
        if (tmp) await rm(tmp, { force: true }).catch(() => {});
      }
    }

    scope.get(
      '/files',
      {
        schema: {
          tags: ['files'],
          summary: 'List files',
          description: 'Newest first. Uploads and job outputs; thumbnails and waveforms appear as links on their file.',
          querystring: fileListQuery,
          response: { 200: listOf(fileSchema) },
        },
      },
      async (req) => {
        const auth = requireAuth(req, 'files:read');
        const { data, hasMore } = await media().list(auth.userId, req.query);
        return { object: 'list' as const, data: await media().describe(auth.userId, data), has_more: hasMore };
      },
    );

    scope.get(
      '/files/:id',
      { schema: { tags: ['files'], summary: 'Retrieve a file', params: fileParams, response: { 200: fileSchema } } },
      async (req) => {
        const auth = requireAuth(req, 'files:read');
        const [file] = await media().describe(auth.userId, [await media().get(auth.userId, req.params.id)]);
        return file!;
      },
    );

    scope.get(
      '/files/:id/content',
      {
        schema: {
          tags: ['files'],
          summary: 'Download a file',
          description: 'The bytes, with HTTP Range support (single ranges: 206 Partial Content; 416 when unsatisfiable). `?download=1` → attachment.',
          params: fileParams,
          querystring: contentQuery,
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req, 'files:read');
        return sendContent(req, reply, auth.userId, req.params.id, req.query.download === '1' || req.query.download === 'true');
      },
    );

    async function sendContent(req: FastifyRequest, reply: FastifyReply, userId: string, id: string, download: boolean) {
      const { row, size } = await media().contentInfo(userId, id);
      const etag = `"${row.id}-${size}"`;
      const file = media().toApi(row);
      reply.header('Accept-Ranges', 'bytes');
      reply.header('ETag', etag);
      reply.header('Cache-Control', 'private, max-age=3600');
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Content-Disposition', contentDisposition(download ? 'attachment' : 'inline', file.filename));
      const inm = req.headers['if-none-match'];
      if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}` || t.trim() === '*')) {
        return reply.code(304).send();
      }
      const ifRange = req.headers['if-range'];
      const rangeHeader = typeof ifRange === 'string' && ifRange.trim() !== etag ? undefined : req.headers.range;
      const range = parseRange(rangeHeader, size);
      if (range.kind === 'unsatisfiable') {
        reply.header('Content-Range', `bytes */${size}`);
        return sendProblem(reply, problem(req, 416, 'range_not_satisfiable', `The file has ${size} bytes; the requested range is outside it.`));
      }
      const body = await media().readContent(row, range.kind === 'partial' ? { start: range.start, end: range.end } : undefined);
      reply.type(row.mime);
      if (range.kind === 'partial') {
        reply.code(206);
        reply.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
        reply.header('Content-Length', String(range.end - range.start + 1));
      } else {
        reply.header('Content-Length', String(size));
      }
      return reply.send(body);
    }

    scope.delete(
      '/files/:id',
      {
        schema: {
          tags: ['files'],
          summary: 'Delete a file',
          description: 'Removes the file, its bytes and its thumbnail/waveform.',
          params: fileParams,
          response: { 204: z.null().describe('Deleted') },
        },
      },
      async (req, reply) => {
        const auth = requireAuth(req, 'files:write');
        await media().get(auth.userId, req.params.id); // 404 for unknown and other users' files
        await media().deleteFile(auth.userId, req.params.id);
        return reply.code(204).send(null);
      },
    );

    // ───────────────────────────── tus resumable uploads ─────────────────────────────
    const tusDoc = {
      tags: ['files'],
      description:
        'tus 1.0 resumable upload (creation, creation-with-upload, termination, expiration). Upload-Length ≤ the upload limit. ' +
        'When finished, call POST /api/v1/files with {"upload_id": "<last path segment of Location>"}.',
    };
    const tusIdParams = z.object({ id: z.string().max(64) });
    scope.route({ method: 'OPTIONS', url: '/uploads', schema: { ...tusDoc, summary: 'tus: capabilities', security: [] }, handler: (req, reply) => tus(req, reply, null) });
    scope.route({
      method: 'POST',
      url: '/uploads',
      schema: { ...tusDoc, summary: 'tus: create an upload', response: { 201: z.null().describe('Created: the upload URL is in `Location`, the bytes received so far in `Upload-Offset`') } },
      handler: (req, reply) => tus(req, reply, null),
    });
    for (const method of ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
      scope.route({
        method,
        url: '/uploads/:id',
        schema: {
          ...tusDoc,
          params: tusIdParams,
          summary: `tus: ${method === 'HEAD' ? 'upload offset' : method === 'PATCH' ? 'append bytes' : method === 'DELETE' ? 'terminate' : 'capabilities'}`,
          // Capabilities need no credentials (tus clients ask before they authenticate).
          ...(method === 'OPTIONS' ? { security: [] } : {}),
        },
        handler: (req, reply) => tus(req, reply, (req.params as { id: string }).id),
      });
    }

    async function tus(req: FastifyRequest, reply: FastifyReply, uploadId: string | null) {
      const userId = req.method === 'OPTIONS' ? null : requireAuth(req, 'files:write').userId;
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (v === undefined) continue;
        headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
      }
      const hasBody = (req.method === 'POST' || req.method === 'PATCH') && !!req.headers['content-type'];
      const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers };
      if (hasBody) {
        init.body = Readable.toWeb(req.raw) as unknown as ReadableStream<Uint8Array>;
        init.duplex = 'half';
      }
      const webReq = new Request(new URL(req.url, 'http://clipmix.invalid'), init);
      const res = await media().tus.handle(webReq, userId, uploadId);
      reply.code(res.status);
      res.headers.forEach((value, key) => {
        if (key.toLowerCase() !== 'content-length') reply.header(key, value);
      });
      const text = res.body ? Buffer.from(await res.arrayBuffer()) : null;
      if (text && text.length) {
        if (!res.headers.has('content-type')) reply.type('text/plain; charset=utf-8');
        return reply.send(text);
      }
      return reply.send();
    }
  });
}

/**
 * Reads a file part only to digest it (an Idempotency-Key retry whose first request completed):
 * chunk by chunk, nothing kept. Cut at the upload limit → 413, as when it is stored.
 */
async function drain(file: Readable & { truncated?: boolean }, digest: FilePartDigest, limit: number): Promise<void> {
  for await (const chunk of file) digest.update(chunk as Buffer);
  if (file.truncated) throw payloadTooLarge(`The file is larger than the ${formatBytes(limit)} upload limit.`);
  digest.end();
}

function isJson(req: FastifyRequest): boolean {
  const ct = String(req.headers['content-type'] ?? '').toLowerCase();
  return ct.startsWith('application/json') || ct.includes('+json');
}

/** Multipart parser failures → 400 (malformed), 413 (limits) or the original domain error. */
function multipartError(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e?.code === 'FST_FILES_LIMIT') {
    return badRequest('invalid_request', 'Send exactly one file, in the field "file".', [{ param: 'file', message: 'only one file is allowed' }]);
  }
  if (e?.code === 'FST_PARTS_LIMIT' || e?.code === 'FST_FIELDS_LIMIT' || e?.code === 'FST_REQ_FILE_TOO_LARGE') {
    return new DomainError(413, 'payload_too_large', 'The multipart body has too many parts or fields.');
  }
  return badRequest('invalid_multipart', 'The multipart/form-data body is malformed.');
}
