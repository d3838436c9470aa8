import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitNamespace } from '../src/modules/accounts/session.js';
import { ManualClock } from '../src/platform/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { signUp, waitForMail } from './helpers/session.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const OTHER_IP = '203.0.113.77';

/** Every value of every text-ish column of every table, as one string per row. */
async function allRowsAsText(t: TestApp): Promise<string[]> {
  const tables = (await t.ctx.db.introspection.getTables()).map((x) => x.name);
  const out: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.ctx.db);
    for (const r of rows) out.push(`${table}: ${JSON.stringify(r)}`);
  }
  return out;
}

describe.each(DB_KINDS)('accounts: per-IP rate limits (memory) on %s', (db) => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-05-01T12:00:10.000Z'));
  beforeAll(async () => {
    t = await createTestApp({ db, clock, env: { CLIPMIX_AUTH_RATE_LIMIT: '3' } });
  });
  afterAll(async () => t?.close());

  const login = (remoteAddress = '127.0.0.1') =>
    t.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'who@example.com', password: 'whatever1' }, remoteAddress });

  it('allows N attempts per minute per route and IP, then 429 problem with Retry-After and RateLimit headers', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await login();
      expect(r.statusCode).toBe(401);
      expect(r.headers['ratelimit-policy']).toBe('3;w=60');
      seen.push(String(r.headers['ratelimit']));
    }
    expect(seen).toEqual(['limit=3, remaining=2, reset=50', 'limit=3, remaining=1, reset=50', 'limit=3, remaining=0, reset=50']);
    const limited = await login();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.headers['retry-after']).toBe('50');
    expect(limited.headers['ratelimit-policy']).toBe('3;w=60');
    expect(limited.headers['ratelimit']).toBe('limit=3, remaining=0, reset=50');
    expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited', title: 'Too Many Requests' });
    expect(limited.json().request_id).toBe(limited.headers['request-id']);

    // Other IPs and other routes have their own budget.
    expect((await login(OTHER_IP)).statusCode).toBe(401);
    const reset = await t.http.inject({ method: 'POST', url: '/api/v1/auth/password_reset', payload: { email: 'who@example.com' } });
    expect(reset.statusCode).toBe(202);
    expect(reset.headers['ratelimit']).toBe('limit=3, remaining=2, reset=50');

    // The next window starts fresh.
    clock.advance(50_000);
    expect((await login()).statusCode).toBe(401);
  });

  it('limits sign-up, password reset, verification and resend too', async () => {
    clock.advance(60_000);
    const ip = '198.51.100.7';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await t.http.inject({ method: 'POST', url: '/api/v1/auth/verify_email', payload: { token: `nope${i}` }, remoteAddress: ip });
      statuses.push(r.statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    const su: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await t.http.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email: 'bad', name: 'x', password: 'x' }, remoteAddress: ip });
      su.push(r.statusCode);
    }
    expect(su).toEqual([400, 400, 400, 429]);
    const pr: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await t.http.inject({ method: 'POST', url: '/api/v1/auth/password_reset/confirm', payload: { token: 'x', password: 'long enough 1' }, remoteAddress: ip });
      pr.push(r.statusCode);
    }
    expect(pr).toEqual([400, 400, 400, 429]);
  });

  it('never stores the client IP: no table holds 127.0.0.1 or the other test IPs', async () => {
    clock.advance(60_000);
    const u = await signUp(t);
    await t.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password }, headers: { 'x-forwarded-for': '192.0.2.55' } });
    await t.http.inject({ method: 'POST', url: '/api/v1/auth/password_reset', payload: { email: u.email }, remoteAddress: OTHER_IP });
    await waitForMail(t, u.email, 'password_reset');
    await u.request({ method: 'PATCH', url: '/api/v1/account', payload: { name: 'Renamed' } });
    const rows = await allRowsAsText(t);
    expect(rows.length).toBeGreaterThan(3);
    for (const ip of ['127.0.0.1', OTHER_IP, '198.51.100.7', '192.0.2.55']) {
      expect(rows.filter((r) => r.includes(ip)), ip).toEqual([]);
    }
  });
});

describe.each(DB_KINDS)('accounts: rate limits shared through Redis on %s', (db) => {
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;
  // One secret for both instances (as in a real deployment) and unique to this run, so the
  // Redis key namespace derived from it is unique too.
  const secret = randomBytes(32).toString('base64url');
  // Both instances see the same time, a few seconds into a window.
  const clock = new ManualClock(new Date('2026-05-01T12:00:05.000Z'));
  beforeAll(async () => {
    const env = { REDIS_URL, CLIPMIX_SECRET: secret, CLIPMIX_AUTH_RATE_LIMIT: '4' };
    a = await createTestApp({ db, env, clock });
    b = await createTestApp({ db, env, clock });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.quit();
  });

  it('counts attempts on two app instances against one limit, without the IP in any key', async () => {
    const attempt = (t: TestApp) =>
      t.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'shared@example.com', password: 'whatever1' } });
    const statuses = [];
    for (const t of [a, b, a, b]) statuses.push((await attempt(t)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const onA = await attempt(a);
    const onB = await attempt(b);
    expect(onA.statusCode).toBe(429);
    expect(onB.statusCode).toBe(429);
    expect(onB.headers['retry-after']).toBe('55');
    expect(onB.headers['ratelimit']).toBe('limit=4, remaining=0, reset=55');

    const ns = rateLimitNamespace(a.ctx);
    expect(rateLimitNamespace(b.ctx)).toBe(ns);
    // (The per-IP limit of all anonymous API requests has its own `ip:` counter beside it.)
    const ours = await redis.keys(`clipmix:rl:${ns}:auth:*`);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^clipmix:rl:[\w-]+:auth:login:[\w-]+:\d+$/);
    expect(await redis.get(ours[0]!)).toBe('6');
    const keys = await redis.keys('clipmix:rl:*');
    for (const k of keys) expect(k).not.toContain('127.0.0.1');
    const ttl = await redis.pttl(ours[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
