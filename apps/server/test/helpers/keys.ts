import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../src/app.js';
import { requireAuth } from '../../src/http/auth-context.js';
import { buildHttp, type HttpApp } from '../../src/http/server.js';
import type { RequestLogRow } from '../../src/modules/developer/db.js';
import { developer } from '../../src/modules/developer/index.js';
import { installTestJobs } from '../fixtures/test-jobs.js';
import type { TestApp } from './app.js';
import type { TestUser } from './session.js';

export interface CreatedKey {
  id: string;
  secret: string;
  webhook_secret: string | null;
  api: Record<string, any>;
}

/** Creates a key through POST /api/v1/api_keys with the user's session. */
export async function createKey(user: TestUser, body: Record<string, unknown> = {}): Promise<CreatedKey> {
  const res = await user.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'test key', ...body } });
  if (res.statusCode !== 201) throw new Error(`creating a key failed: ${res.statusCode} ${res.body}`);
  const api = res.json();
  return { id: api.id, secret: api.secret, webhook_secret: api.webhook_secret, api };
}

/** inject() with `Authorization: Bearer <secret>`. */
export function withKey(t: TestApp, secret: string, opts: InjectOptions): Promise<LightMyRequestResponse> {
  return t.http.inject({ ...opts, headers: { ...(opts.headers as Record<string, string> | undefined), authorization: `Bearer ${secret}` } });
}

/** Waits for the module's background writes (request logs, last_used_at, webhook attempts). */
/** A request-log row as the API hooks record it (for tests that write rows directly). */
export function requestLogRow(id: string, userId: string, apiKeyId: string): RequestLogRow {
  return {
    id,
    user_id: userId,
    api_key_id: apiKeyId,
    method: 'GET',
    path: '/api/v1/account',
    status: 200,
    latency_ms: 1,
    credits_charged: 0,
    ip_hash: 'h',
    livemode: 1,
    idempotent_replayed: 0,
    created_at: new Date().toISOString(),
  };
}

export async function settle(t: TestApp): Promise<void> {
  const dev = developer(t.ctx);
  await dev.webhooks.idle();
  await dev.requestLogs.idle();
  await dev.keys.idle();
}

/**
 * Rebuilds the app's HTTP server with extra test-only routes (under /api/v1), closing the old one.
 * Product code has no such routes; this stands in for feature endpoints (music videos, songs, …)
 * that create jobs with the caller's key.
 */
export async function addTestRoutes(t: TestApp, register: (app: HttpApp, ctx: AppContext) => Promise<void>): Promise<void> {
  (t.ctx.routes as Array<(app: HttpApp, ctx: AppContext) => Promise<void>>).push(register);
  const old = t.http;
  t.http = await buildHttp(t.ctx, {});
  await t.http.ready();
  await old.close();
}

const testJobBody = z
  .object({
    type: z.string().default('test.sleep'),
    input: z.record(z.string(), z.unknown()).default({}),
    price: z.number().int().min(0).optional(),
    delay_ms: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

/**
 * `POST /api/v1/test_jobs {type?, input?, price?, delay_ms?}` (scope jobs:write) creates a job
 * like a feature endpoint would: with the caller's key id and mode. `delay_ms` waits before
 * creating (an in-flight request for idempotency tests). Registers the test job types too.
 */
export async function installTestJobRoute(t: TestApp): Promise<void> {
  installTestJobs(t.ctx);
  await addTestRoutes(t, async (app, ctx) => {
    app.post('/test_jobs', { schema: { hide: true, body: testJobBody } }, async (req, reply) => {
      const auth = requireAuth(req, 'jobs:write');
      const b = req.body;
      if (b.delay_ms) await new Promise((r) => setTimeout(r, b.delay_ms));
      const row = await ctx.services.jobs.create({
        userId: auth.userId,
        type: b.type,
        input: b.input,
        price: b.price,
        apiKeyId: auth.apiKeyId ?? null,
        livemode: auth.livemode,
      });
      return reply.code(201).send(ctx.services.jobs.toApi(row));
    });
  });
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface Receiver {
  url: string;
  /** Every request, with the status it was answered with. */
  requests: ReceivedWebhook[];
  /** Only the ones answered 2xx. */
  accepted(): ReceivedWebhook[];
  /** Decides the status of each request (default 200). */
  respond: (req: { n: number; body: string }) => number | { status: number; headers?: Record<string, string>; delayMs?: number };
  close(): Promise<void>;
}

/** A local HTTP server that records webhook POSTs. */
export async function startReceiver(): Promise<Receiver> {
  const r: Receiver = {
    url: '',
    requests: [],
    accepted: () => r.requests.filter((x) => x.status >= 200 && x.status < 300),
    respond: () => 200,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const decision = r.respond({ n: r.requests.length + 1, body });
      const d = typeof decision === 'number' ? { status: decision } : decision;
      r.requests.push({ headers: req.headers, body, status: d.status });
      if (d.delayMs) await new Promise((x) => setTimeout(x, d.delayMs));
      res.writeHead(d.status, { 'content-type': 'text/plain', ...(d.headers ?? {}) });
      res.end(d.status >= 200 && d.status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}
