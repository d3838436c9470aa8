import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttp } from '../src/http/server.js';
import { deriveKey } from '../src/platform/crypto/index.js';
import { ManualClock } from '../src/platform/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, installTestJobRoute, settle, withKey } from './helpers/keys.js';
import { signUp, type TestUser } from './helpers/session.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLIENT_IP = '203.0.113.77';

/** Every value of every row of every table, as one string (to prove something is NOT stored). */
async function dumpDatabase(t: TestApp): Promise<string> {
  const tables = (await t.ctx.db.introspection.getTables()).map((x) => x.name);
  const parts: string[] = [];
  for (const name of tables) {
    const rows = await t.ctx.db.selectFrom(name as any).selectAll().execute();
    parts.push(JSON.stringify(rows));
  }
  return parts.join('\n');
}

describe.each(DB_KINDS)('request logs and per-key rate limits on %s', (db) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ db, clock, env: { CLIPMIX_ALLOW_LOOPBACK_URLS: '1' } });
    await installTestJobRoute(t);
    alice = await signUp(t, { name: 'Alice' });
    bob = await signUp(t, { name: 'Bob' });
    await t.ctx.services.credits.grant(alice.id, 100, 'test_grant');
  });
  afterAll(async () => t?.close());

  const logs = async (u: TestUser, query = '') => {
    await settle(t);
    const res = await u.request({ method: 'GET', url: `/api/v1/request_logs${query}` });
    expect(res.statusCode).toBe(200);
    return res.json() as { object: 'list'; data: any[]; has_more: boolean };
  };

  describe('request logs', () => {
    it('records method, route, status, latency, request id and a keyed hash of the IP — never the IP', async () => {
      const k = await createKey(alice, { name: 'logger' });
      const res = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/jobs/job_missing?x=1', remoteAddress: CLIENT_IP });
      expect(res.statusCode).toBe(404);
      clock.advance(10);
      const ok = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account', remoteAddress: CLIENT_IP });
      expect(ok.statusCode).toBe(200);

      const list = await logs(alice, `?api_key=${k.id}`);
      expect(list.data).toHaveLength(2);
      const [second, first] = list.data;
      expect(first).toMatchObject({
        object: 'request_log',
        id: res.headers['request-id'],
        request_id: res.headers['request-id'],
        api_key: k.id,
        method: 'GET',
        path: '/api/v1/jobs/:id',
        status: 404,
        credits_charged: 0,
        livemode: true,
        idempotent_replayed: false,
      });
      expect(second).toMatchObject({ path: '/api/v1/account', status: 200, request_id: ok.headers['request-id'] });
      expect(first.latency_ms).toBeGreaterThanOrEqual(0);
      const expected = createHmac('sha256', deriveKey(t.config.secret, 'request-log-ip')).update(CLIENT_IP).digest('hex');
      expect(first.ip_hash).toBe(expected);
      expect(first.ip_hash).not.toContain(CLIENT_IP);
      expect(second.ip_hash).toBe(first.ip_hash);

      // No raw IP anywhere in the database.
      expect(await dumpDatabase(t)).not.toContain(CLIENT_IP);
    });

    it('logs only key requests: session and anonymous requests are not logged', async () => {
      const u = await signUp(t);
      const k = await createKey(u);
      await u.request({ method: 'GET', url: '/api/v1/account' });
      await t.http.inject({ method: 'GET', url: '/api/v1/account' });
      await withKey(t, k.secret, { method: 'GET', url: '/api/v1/credits' });
      const list = await logs(u);
      expect(list.data.map((r) => r.path)).toEqual(['/api/v1/credits']);
    });

    it('records credits charged by jobs created in the request, 0 for test keys', async () => {
      const live = await createKey(alice, { name: 'live jobs' });
      const test = await createKey(alice, { name: 'test jobs', livemode: false });
      const a = await withKey(t, live.secret, { method: 'POST', url: '/api/v1/test_jobs', payload: { price: 7 } });
      expect(a.statusCode).toBe(201);
      expect(a.json()).toMatchObject({ credits_charged: 7, livemode: true });
      clock.advance(10);
      const b = await withKey(t, test.secret, { method: 'POST', url: '/api/v1/test_jobs', payload: { price: 7 } });
      expect(b.json()).toMatchObject({ credits_charged: 0, livemode: false });
      const jobRow = await t.ctx.db.selectFrom('jobs').select(['api_key_id']).where('id', '=', a.json().id).executeTakeFirstOrThrow();
      expect(jobRow.api_key_id).toBe(live.id);

      expect((await logs(alice, `?api_key=${live.id}`)).data[0]).toMatchObject({ method: 'POST', path: '/api/v1/test_jobs', status: 201, credits_charged: 7 });
      expect((await logs(alice, `?api_key=${test.id}`)).data[0]).toMatchObject({ status: 201, credits_charged: 0, livemode: false });
      // Concurrent requests of one key each count only their own jobs.
      const many = await Promise.all([1, 2, 3].map((p) => withKey(t, live.secret, { method: 'POST', url: '/api/v1/test_jobs', payload: { price: p } })));
      const byId = new Map((await logs(alice, `?api_key=${live.id}&limit=10`)).data.map((r) => [r.request_id, r.credits_charged]));
      expect(many.map((r) => byId.get(r.headers['request-id'] as string))).toEqual([1, 2, 3]);
      // A retry charges the job's price again, and says so.
      const failing = await withKey(t, live.secret, { method: 'POST', url: '/api/v1/test_jobs', payload: { type: 'test.fail', input: { permanent: true }, price: 4 } });
      await t.ctx.services.jobs.drain();
      clock.advance(10);
      const retry = await withKey(t, live.secret, { method: 'POST', url: `/api/v1/jobs/${failing.json().id}/retry` });
      expect(retry.statusCode).toBe(200);
      expect((await logs(alice, `?api_key=${live.id}&limit=1`)).data[0]).toMatchObject({ path: '/api/v1/jobs/:id/retry', credits_charged: 4 });
    });

    it('filters by method, status and path, and paginates newest first', async () => {
      const u = await signUp(t);
      const k = await createKey(u);
      const ids: string[] = [];
      for (const url of ['/api/v1/jobs', '/api/v1/jobs/job_a', '/api/v1/jobs/job_b', '/api/v1/credits']) {
        ids.push((await withKey(t, k.secret, { method: 'GET', url })).headers['request-id'] as string);
        clock.advance(10);
      }
      ids.push((await withKey(t, k.secret, { method: 'DELETE', url: '/api/v1/jobs/job_c' })).headers['request-id'] as string);
      expect((await logs(u, '?status=404')).data.map((r) => r.id)).toEqual([ids[4], ids[2], ids[1]]);
      expect((await logs(u, '?method=delete')).data.map((r) => r.id)).toEqual([ids[4]]);
      expect((await logs(u, `?path=${encodeURIComponent('/api/v1/jobs/:id')}&method=GET`)).data.map((r) => r.id)).toEqual([ids[2], ids[1]]);
      const p1 = await logs(u, '?limit=2');
      expect(p1.data.map((r) => r.id)).toEqual([ids[4], ids[3]]);
      expect(p1.has_more).toBe(true);
      const p2 = await logs(u, `?limit=2&starting_after=${ids[3]}`);
      expect(p2.data.map((r) => r.id)).toEqual([ids[2], ids[1]]);
      const back = await logs(u, `?limit=2&ending_before=${ids[2]}`);
      expect(back.data.map((r) => r.id)).toEqual([ids[4], ids[3]]);
      const bad = await u.request({ method: 'GET', url: '/api/v1/request_logs?status=99' });
      expect(bad.statusCode).toBe(400);
    });

    it('filters by status class, route prefix and time range, combined with the other filters', async () => {
      const u = await signUp(t);
      const k = await createKey(u);
      const other = await createKey(u);
      const start = clock.now().toISOString();
      const at: string[] = [];
      const ids: string[] = [];
      for (const url of ['/api/v1/jobs', '/api/v1/jobs/job_a', '/api/v1/credits', '/api/v1/jobs/job_b/events', '/api/v1/account']) {
        at.push(clock.now().toISOString());
        ids.push((await withKey(t, k.secret, { method: 'GET', url })).headers['request-id'] as string);
        clock.advance(1_000);
      }
      const byOther = (await withKey(t, other.secret, { method: 'GET', url: '/api/v1/jobs/job_c' })).headers['request-id'] as string;
      const ids_ = async (query: string) => (await logs(u, query)).data.map((r) => r.id);

      expect(await ids_('?status_class=4xx')).toEqual([byOther, ids[3], ids[1]]);
      expect(await ids_(`?status_class=2xx&api_key=${k.id}`)).toEqual([ids[4], ids[2], ids[0]]);
      expect(await ids_('?status_class=5xx')).toEqual([]);
      expect(await ids_(`?path_prefix=${encodeURIComponent('/api/v1/jobs')}`)).toEqual([byOther, ids[3], ids[1], ids[0]]);
      expect(await ids_(`?path_prefix=${encodeURIComponent('/api/v1/jobs/:id')}&api_key=${k.id}`)).toEqual([ids[3], ids[1]]);
      // A prefix is literal: no wildcards.
      expect(await ids_(`?path_prefix=${encodeURIComponent('/api/v1/%')}`)).toEqual([]);
      expect(await ids_(`?path_prefix=${encodeURIComponent('/API/v1')}`)).toEqual([]);
      expect(await ids_(`?created_gte=${encodeURIComponent(at[1]!)}&created_lt=${encodeURIComponent(at[3]!)}`)).toEqual([ids[2], ids[1]]);
      expect(await ids_(`?created_lt=${encodeURIComponent(start)}`)).toEqual([]);
      // Offsets are instants: +02:00 two hours later on the clock is the same time.
      const shifted = new Date(Date.parse(at[4]!) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
      expect(await ids_(`?created_gte=${encodeURIComponent(shifted)}&api_key=${k.id}`)).toEqual([ids[4]]);
      expect(await ids_(`?status_class=2xx&created_gte=${encodeURIComponent(at[1]!)}&path_prefix=${encodeURIComponent('/api/v1/c')}`)).toEqual([ids[2]]);

      for (const bad of ['?status_class=4XX', '?status_class=6xx', '?created_gte=yesterday', '?path_prefix=']) {
        const res = await u.request({ method: 'GET', url: `/api/v1/request_logs${bad}` });
        expect(res.statusCode, bad).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    });

    it('a key request is readable from GET /request_logs at once (the batch is flushed first)', async () => {
      const u = await signUp(t);
      const k = await createKey(u, { scopes: ['logs:read', 'jobs:read'] });
      const first = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/jobs' });
      // No settle(): the listing itself must write what this process has buffered.
      const res = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/request_logs' });
      expect(res.statusCode).toBe(200);
      expect(res.json().data.map((r: { id: string }) => r.id)).toContain(first.headers['request-id']);
    });

    it("logs refused (revoked) key requests too, and never shows another account's logs", async () => {
      const k = await createKey(bob);
      await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' });
      clock.advance(10);
      await bob.request({ method: 'DELETE', url: `/api/v1/api_keys/${k.id}` });
      const refused = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' });
      expect(refused.statusCode).toBe(401);
      const list = await logs(bob, `?api_key=${k.id}`);
      expect(list.data.map((r) => r.status)).toEqual([401, 200]);
      // Alice sees none of Bob's rows, even by filtering on his key or paging from his row.
      expect((await logs(alice, `?api_key=${k.id}`)).data).toEqual([]);
      const paged = await alice.request({ method: 'GET', url: `/api/v1/request_logs?starting_after=${list.data[0].id}` });
      expect(paged.statusCode).toBe(404); // not one of hers: the same answer as an unknown id
      expect(paged.json()).toMatchObject({ code: 'resource_missing', errors: [{ param: 'starting_after' }] });
      const aliceKey = await createKey(alice, { scopes: ['logs:read'] });
      const viaKey = await withKey(t, aliceKey.secret, { method: 'GET', url: `/api/v1/request_logs?api_key=${k.id}` });
      expect(viaKey.json().data).toEqual([]);
    });
  });

  describe('per-key rate limits', () => {
    it('allows rate_limit_per_minute requests per window, then 429 with Retry-After and IETF RateLimit headers', async () => {
      clock.set(new Date(Math.ceil(clock.now().getTime() / 60_000) * 60_000 + 5_000)); // 5 s into a window
      const k = await createKey(alice, { rate_limit_per_minute: 3 });
      const other = await createKey(alice, { rate_limit_per_minute: 3 });
      const get = (secret: string) => withKey(t, secret, { method: 'GET', url: '/api/v1/account' });
      for (let i = 1; i <= 3; i++) {
        clock.advance(1);
        const r = await get(k.secret);
        expect(r.statusCode).toBe(200);
        expect(r.headers['ratelimit-policy']).toBe('3;w=60');
        expect(r.headers.ratelimit).toBe(`limit=3, remaining=${3 - i}, reset=55`);
      }
      clock.advance(1);
      const limited = await get(k.secret);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(limited.headers['retry-after']).toBe('55');
      expect(limited.headers['ratelimit-policy']).toBe('3;w=60');
      expect(limited.headers.ratelimit).toBe('limit=3, remaining=0, reset=55');
      // POST bodies are not even parsed when over the limit.
      clock.advance(1);
      const post = await withKey(t, k.secret, { method: 'POST', url: '/api/v1/test_jobs', payload: { price: 1 } });
      expect(post.statusCode).toBe(429);
      // Per key: another key of the same account is unaffected.
      expect((await get(other.secret)).statusCode).toBe(200);
      // 429s are logged.
      const statuses = (await logs(alice, `?api_key=${k.id}`)).data.map((r) => r.status);
      expect(statuses).toEqual([429, 429, 200, 200, 200]);
      // The next window starts afresh.
      clock.advance(56_000);
      expect((await get(k.secret)).statusCode).toBe(200);
    });

    it('limits and logs key requests to unknown /api/v1 routes like any other (path as sent, no query)', async () => {
      clock.set(new Date(Math.ceil(clock.now().getTime() / 60_000) * 60_000 + 5_000)); // 5 s into a window
      const k = await createKey(alice, { rate_limit_per_minute: 3 });
      const ids: string[] = [];
      for (let i = 1; i <= 3; i++) {
        clock.advance(1);
        const r = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/nope?token=hush', remoteAddress: CLIENT_IP });
        expect(r.statusCode).toBe(404);
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect(r.json()).toMatchObject({ status: 404, code: 'route_not_found', detail: 'No route GET /api/v1/nope.', request_id: r.headers['request-id'] });
        expect(r.headers['ratelimit-policy']).toBe('3;w=60');
        expect(r.headers.ratelimit).toBe(`limit=3, remaining=${3 - i}, reset=55`);
        ids.push(r.headers['request-id'] as string);
      }
      clock.advance(1);
      const limited = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/nope', remoteAddress: CLIENT_IP });
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(limited.headers['retry-after']).toBe('55');
      expect(limited.headers.ratelimit).toBe('limit=3, remaining=0, reset=55');
      ids.push(limited.headers['request-id'] as string);

      const rows = (await logs(alice, `?api_key=${k.id}`)).data;
      expect(rows.map((r) => [r.id, r.method, r.path, r.status])).toEqual(
        [...ids].reverse().map((id, i) => [id, 'GET', '/api/v1/nope', i === 0 ? 429 : 404]),
      );

      // Other methods and deeper paths too; a very long path is cut; an Idempotency-Key on an
      // unknown route is neither claimed nor stored (the corrected request runs with it).
      const other = await createKey(alice);
      const long = `/api/v1/${'x'.repeat(2_000)}`;
      expect((await withKey(t, other.secret, { method: 'DELETE', url: `${long}?q=1` })).statusCode).toBe(404);
      const headers = { 'idempotency-key': `unknown-route-${other.id}` };
      for (let i = 0; i < 2; i++) {
        clock.advance(1);
        const r = await withKey(t, other.secret, { method: 'POST', url: '/api/v1/test_job', payload: { price: 1 }, headers });
        expect(r.statusCode).toBe(404);
        expect(r.headers['idempotent-replayed']).toBeUndefined();
      }
      clock.advance(1);
      const fixed = await withKey(t, other.secret, { method: 'POST', url: '/api/v1/test_jobs', payload: { price: 1 }, headers });
      expect(fixed.statusCode).toBe(201);
      const otherRows = (await logs(alice, `?api_key=${other.id}`)).data;
      expect(otherRows.map((r) => [r.method, r.path, r.status])).toEqual([
        ['POST', '/api/v1/test_jobs', 201],
        ['POST', '/api/v1/test_job', 404],
        ['POST', '/api/v1/test_job', 404],
        ['DELETE', long.slice(0, 512), 404],
      ]);
    });
  });
});

describe.each(DB_KINDS)('per-key rate limits in Redis are shared by every API process (%s)', (db) => {
  let t: TestApp;
  let second: FastifyInstance | null = null;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    t = await createTestApp({ db, env: { REDIS_URL } });
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
    redis.disconnect();
  });

  it('counts requests to two servers against one limit', async () => {
    // A second HTTP server on the same deployment = another process with its own limiter.
    second = await buildHttp(t.ctx, {});
    await second.ready();
    const u = await signUp(t);
    const k = await createKey(u, { rate_limit_per_minute: 4 });
    const get = (app: FastifyInstance) => app.inject({ method: 'GET', url: '/api/v1/account', headers: { authorization: `Bearer ${k.secret}` } });
    const statuses = [];
    for (const app of [t.http, second, t.http, second, t.http, second]) statuses.push((await get(app)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const stored = await redis.keys(`clipmix:rl:*key:${k.id}:*`);
    expect(stored.length).toBe(1);
    expect(await redis.pttl(stored[0]!)).toBeGreaterThan(0);
  });
});
