import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitNamespace } from '../src/modules/accounts/session.js';
import { generateSecret } from '../src/modules/developer/key-format.js';
import { ManualClock } from '../src/platform/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, withKey } from './helpers/keys.js';
import { signUp, type TestUser } from './helpers/session.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IP = '198.51.100.23';
const OTHER_IP = '203.0.113.9';

/** Moves the clock to 10 s into the next minute window. */
const nextWindow = (clock: ManualClock) => clock.set(new Date(Math.floor(clock.now().getTime() / 60_000) * 60_000 + 70_000));

describe.each(DB_KINDS)('per-IP rate limit for unauthenticated API requests (memory) on %s', (db) => {
  let t: TestApp;
  let user: TestUser;
  let keySecret: string;
  const clock = new ManualClock(new Date('2026-05-01T12:00:00.000Z'));

  beforeAll(async () => {
    t = await createTestApp({ db, clock, env: { CLIPMIX_IP_RATE_LIMIT: '5' } });
    user = await signUp(t);
    keySecret = (await createKey(user)).secret;
  });
  afterAll(async () => t?.close());

  const anon = (url: string, remoteAddress = IP) => t.http.inject({ method: 'GET', url, remoteAddress });

  it('allows CLIPMIX_IP_RATE_LIMIT requests per minute per IP, then 429 problem with Retry-After and RateLimit headers', async () => {
    nextWindow(clock);
    const urls = ['/api/v1/jobs', '/api/v1/openapi.json', '/api/v1/auth/session', '/api/v1/files/file_x', '/api/v1/nope'];
    const seen: Array<[number, unknown, unknown]> = [];
    for (const url of urls) {
      const r = await anon(url);
      seen.push([r.statusCode, r.headers['ratelimit-policy'], r.headers.ratelimit]);
    }
    expect(seen).toEqual([
      [401, '5;w=60', 'limit=5, remaining=4, reset=50'],
      [200, '5;w=60', 'limit=5, remaining=3, reset=50'],
      [401, '5;w=60', 'limit=5, remaining=2, reset=50'],
      [401, '5;w=60', 'limit=5, remaining=1, reset=50'],
      [404, '5;w=60', 'limit=5, remaining=0, reset=50'],
    ]);
    const limited = await t.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@example.com', password: 'whatever1' }, remoteAddress: IP });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.headers['retry-after']).toBe('50');
    expect(limited.headers['ratelimit-policy']).toBe('5;w=60');
    expect(limited.headers.ratelimit).toBe('limit=5, remaining=0, reset=50');
    expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(limited.json().request_id).toBe(limited.headers['request-id']);

    // Another IP has its own budget.
    expect((await anon('/api/v1/jobs', OTHER_IP)).statusCode).toBe(401);
    // The next window starts afresh.
    clock.advance(50_000);
    expect((await anon('/api/v1/jobs')).statusCode).toBe(401);
  });

  it('never limits health, readiness, metrics or web pages and assets', async () => {
    nextWindow(clock);
    for (let i = 0; i < 6; i++) await anon('/api/v1/jobs');
    expect((await anon('/api/v1/jobs')).statusCode).toBe(429);
    for (const url of ['/healthz', '/readyz', '/metrics', '/', '/developers', '/assets/index-abc.js', '/favicon.ico']) {
      for (let i = 0; i < 3; i++) {
        const r = await anon(url);
        expect(r.statusCode, url).not.toBe(429);
        expect(r.headers['ratelimit-policy'], url).toBeUndefined();
      }
    }
  });

  it('does not count or limit requests with a session or an API key', async () => {
    nextWindow(clock);
    for (let i = 0; i < 6; i++) await anon('/api/v1/jobs');
    expect((await anon('/api/v1/jobs')).statusCode).toBe(429);

    const viaSession = await user.request({ method: 'GET', url: '/api/v1/account', remoteAddress: IP });
    expect(viaSession.statusCode).toBe(200);
    expect(viaSession.headers['ratelimit-policy']).toBeUndefined();
    const viaKey = await withKey(t, keySecret, { method: 'GET', url: '/api/v1/account', remoteAddress: IP });
    expect(viaKey.statusCode).toBe(200);
    // The key's own limit, not the IP's.
    expect(viaKey.headers['ratelimit-policy']).toBe('600;w=60');
    // A refused key is no way around the IP's budget (spent above): 429, not 401.
    const badKey = await withKey(t, generateSecret(true), { method: 'GET', url: '/api/v1/account', remoteAddress: IP });
    expect(badKey.statusCode).toBe(429);
  });

  it('counts requests with refused credentials against the IP, on any path: 429 once the budget is spent', async () => {
    nextWindow(clock);
    // Well-formed keys (valid checksum) that do not exist: each costs a hash and a lookup.
    const madeUp = () => generateSecret(true);
    const revoked = await createKey(user);
    expect((await user.request({ method: 'DELETE', url: `/api/v1/api_keys/${revoked.id}` })).statusCode).toBe(200);
    const attempts: Array<[string, string]> = [
      [madeUp(), '/api/v1/account'],
      ['sk_live_nope', '/api/v1/jobs'],
      [revoked.secret, '/api/v1/account'],
      [madeUp(), '/healthz'],
      [madeUp(), '/api/v1/nope'],
    ];
    const seen: Array<[number, unknown, unknown]> = [];
    for (const [secret, url] of attempts) {
      const r = await withKey(t, secret, { method: 'GET', url, remoteAddress: IP });
      seen.push([r.statusCode, r.json().code, r.headers.ratelimit]);
    }
    expect(seen).toEqual([
      [401, 'invalid_api_key', 'limit=5, remaining=4, reset=50'],
      [401, 'invalid_api_key', 'limit=5, remaining=3, reset=50'],
      [401, 'api_key_revoked', 'limit=5, remaining=2, reset=50'],
      [401, 'invalid_api_key', 'limit=5, remaining=1, reset=50'],
      [401, 'invalid_api_key', 'limit=5, remaining=0, reset=50'],
    ]);
    for (const secret of [madeUp(), revoked.secret]) {
      const limited = await withKey(t, secret, { method: 'GET', url: '/api/v1/account', remoteAddress: IP });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited' });
      expect(limited.headers['retry-after']).toBe('50');
      expect(limited.headers['ratelimit-policy']).toBe('5;w=60');
      expect(limited.headers.ratelimit).toBe('limit=5, remaining=0, reset=50');
    }
    // The same budget as anonymous requests from that IP…
    expect((await anon('/api/v1/jobs')).statusCode).toBe(429);
    // …while a valid key from the same IP is not limited by it, and other IPs have their own.
    expect((await withKey(t, keySecret, { method: 'GET', url: '/api/v1/account', remoteAddress: IP })).statusCode).toBe(200);
    const elsewhere = await withKey(t, madeUp(), { method: 'GET', url: '/api/v1/account', remoteAddress: OTHER_IP });
    expect(elsewhere.statusCode).toBe(401);
    expect(elsewhere.headers.ratelimit).toBe('limit=5, remaining=4, reset=50');
  });
});

describe('per-IP rate limit can be turned off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { CLIPMIX_IP_RATE_LIMIT: '0' } });
  });
  afterAll(async () => t?.close());

  it('CLIPMIX_IP_RATE_LIMIT=0: no limit and no RateLimit headers', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await t.http.inject({ method: 'GET', url: '/api/v1/jobs', remoteAddress: IP });
      expect(r.statusCode).toBe(401);
      expect(r.headers['ratelimit-policy']).toBeUndefined();
    }
  });

  it('rejects a malformed value at start-up', async () => {
    const { loadConfig } = await import('../src/config/env.js');
    expect(() => loadConfig({ CLIPMIX_DATA_DIR: t.dataDir, CLIPMIX_IP_RATE_LIMIT: 'lots' })).toThrow(/CLIPMIX_IP_RATE_LIMIT/);
  });
});

describe.each(DB_KINDS)('per-IP rate limit shared through Redis on %s', (db) => {
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;
  // One secret for both instances (one deployment), unique to this run (its own Redis namespace).
  const secret = randomBytes(32).toString('base64url');
  const clock = new ManualClock(new Date('2026-05-01T12:00:05.000Z'));
  beforeAll(async () => {
    const env = { REDIS_URL, CLIPMIX_SECRET: secret, CLIPMIX_IP_RATE_LIMIT: '4' };
    a = await createTestApp({ db, env, clock });
    b = await createTestApp({ db, env, clock });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.quit();
  });

  it('counts anonymous requests to two app instances against one limit, without the IP in any key', async () => {
    const get = (t: TestApp) => t.http.inject({ method: 'GET', url: '/api/v1/jobs', remoteAddress: IP });
    const statuses = [];
    for (const t of [a, b, a, b, a, b]) statuses.push((await get(t)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const last = await get(b);
    expect(last.headers['retry-after']).toBe('55');
    expect(last.headers.ratelimit).toBe('limit=4, remaining=0, reset=55');

    const ns = rateLimitNamespace(a.ctx);
    const ours = await redis.keys(`clipmix:rl:${ns}:ip:*`);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^clipmix:rl:[\w-]+:ip:[\w-]+:\d+$/);
    expect(await redis.get(ours[0]!)).toBe('7');
    for (const k of await redis.keys(`clipmix:rl:${ns}:*`)) expect(k).not.toContain(IP);
    const ttl = await redis.pttl(ours[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
