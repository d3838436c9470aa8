import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { requireAuth } from '../../http/auth-context.js';
import type { HttpApp } from '../../http/server.js';
import type { JobApiRow } from './api-view.js';
import type { JobRow } from './db.js';
import { jobListQuery, jobListSchema, jobParams, jobSchema } from './schemas.js';
import { isFinal } from './types.js';

/** The response body of GET /jobs/{id}, by the (frozen, shared) row it was made from. */
const serializedJobs = new WeakMap<object, ReturnType<FastifyReply['serialize']>>();
const JSON_UTF8 = 'application/json; charset=utf-8';

const SSE_POLL_MS = 500;
const SSE_HEARTBEAT_MS = 15_000;

/** Thin HTTP layer over JobsService. Jobs are created by feature endpoints (/music_videos, …). */
export async function jobsRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const jobs = () => ctx.services.jobs;

  app.get(
    '/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'List jobs',
        description: 'Newest first; filter by status and type.',
        querystring: jobListQuery,
        response: { 200: jobListSchema },
      },
    },
    async (req) => {
      const auth = requireAuth(req, 'jobs:read');
      const { data, hasMore } = await jobs().list(auth.userId, req.query);
      return { object: 'list' as const, data: data.map((r) => jobs().toApi(r)), has_more: hasMore };
    },
  );

  // getForApi hands out one frozen row per job while the database is unchanged: its response
  // body is serialised once (by this route's serializer, so byte for byte what returning the
  // object gives) and sent as is by every request for it until then.
  const sendJob = (reply: FastifyReply, row: Readonly<JobApiRow>): void => {
    let body = serializedJobs.get(row);
    if (body === undefined) {
      body = reply.serialize(jobs().toApiReadOnly(row));
      serializedJobs.set(row, body);
    }
    reply.type(JSON_UTF8).send(body as never);
  };

  app.get(
    '/jobs/:id',
    { schema: { tags: ['jobs'], summary: 'Retrieve a job', params: jobParams, response: { 200: jobSchema } } },
    (req, reply) => {
      const auth = requireAuth(req, 'jobs:read');
      // Polled by clients: a cached row is answered without a promise; otherwise the read.
      const cached = jobs().cachedForApi(auth.userId, req.params.id);
      if (cached) return void sendJob(reply, cached);
      jobs()
        .getForApi(auth.userId, req.params.id)
        .then((row) => sendJob(reply, row), (err: unknown) => void reply.send(err as never));
    },
  );

  app.post(
    '/jobs/:id/cancel',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Cancel a job',
        description: 'A queued job is canceled at once; a running one is stopped (its processes killed). Credits are refunded.',
        params: jobParams,
        response: { 200: jobSchema },
      },
    },
    async (req) => {
      const auth = requireAuth(req, 'jobs:write');
      return jobs().toApi(await jobs().cancel(auth.userId, req.params.id));
    },
  );

  app.post(
    '/jobs/:id/retry',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Retry a failed or canceled job',
        description: 'Queues the job again from scratch and charges its price again.',
        params: jobParams,
        response: { 200: jobSchema },
      },
    },
    async (req) => {
      const auth = requireAuth(req, 'jobs:write');
      return jobs().toApi(await jobs().retry(auth.userId, req.params.id));
    },
  );

  app.delete(
    '/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Delete a job',
        description: 'Cancels it if active, then deletes its outputs and the input files that belong only to it.',
        params: jobParams,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (req, reply) => {
      const auth = requireAuth(req, 'jobs:write');
      await jobs().delete(auth.userId, req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/jobs/:id/events',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Follow a job (Server-Sent Events)',
        description:
          '`text/event-stream`: `progress` events `{"progress":0.42,"status":"running"}` on every change, then one of ' +
          '`succeeded`, `failed`, `canceled` whose data is the job; the stream then ends. A finished job gets its final event at once.',
        params: jobParams,
        produces: ['text/event-stream'],
        response: { 200: z.string().describe('An event stream') },
      },
    },
    async (req, reply) => {
      const auth = requireAuth(req, 'jobs:read');
      const row = await jobs().get(auth.userId, req.params.id);
      streamJobEvents(ctx, req, reply, row);
    },
  );
}

/** Writes a job's events to the raw response until it finishes or the client goes away. */
function streamJobEvents(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, first: JobRow): void {
  const svc = ctx.services.jobs;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    'Request-Id': String(req.id),
  });

  let closed = false;
  let last = { progress: -1, status: '' };
  let checking = false;
  let again = false;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: () => void = () => undefined;

  const cleanup = () => {
    if (closed) return;
    closed = true;
    for (const t of timers) clearInterval(t);
    unsubscribe();
    if (!res.writableEnded) res.end();
  };
  const send = (event: string, data: unknown) => {
    if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const show = (r: JobRow): void => {
    if (isFinal(r.status)) {
      send(r.status, svc.toApi(r));
      cleanup();
      return;
    }
    const progress = Number(r.progress);
    if (progress !== last.progress || r.status !== last.status) {
      last = { progress, status: r.status };
      send('progress', { progress, status: r.status });
    }
  };
  const check = async (): Promise<void> => {
    if (closed) return;
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    try {
      do {
        again = false;
        const r = await svc.find(first.id);
        if (closed) return;
        if (!r || r.user_id !== first.user_id) {
          cleanup(); // deleted meanwhile
          return;
        }
        show(r);
      } while (again && !closed);
    } catch (err) {
      req.log.warn({ err }, 'job event stream poll failed');
    } finally {
      checking = false;
    }
  };

  res.on('close', cleanup);
  req.raw.on('close', cleanup);
  res.write('retry: 2000\n\n');
  show(first);
  if (closed) return;
  // Jobs run by this process wake the stream at once; others (BullMQ workers) are polled.
  unsubscribe = svc.subscribe(first.id, () => void check());
  timers.push(setInterval(() => void check(), SSE_POLL_MS));
  timers.push(
    setInterval(() => {
      if (!closed) res.write(': keep-alive\n\n');
    }, SSE_HEARTBEAT_MS),
  );
}
