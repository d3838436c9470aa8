import { createHash } from 'node:crypto';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALL_SCOPES } from '../src/http/auth-context.js';
import { developer } from '../src/modules/developer/index.js';
import { digestMatches, generateSecret, parseSecret, secretDigest } from '../src/modules/developer/key-format.js';
import { SecretBox } from '../src/modules/developer/secret-box.js';
import { ManualClock } from '../src/platform/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, settle, withKey } from './helpers/keys.js';
import { signUp, type TestUser } from './helpers/session.js';

describe('API key secrets', () => {
  it('are sk_live_/sk_test_ + 30 random base62 + 6-char CRC32 checksum, and parse back', () => {
    const live = generateSecret(true);
    const test = generateSecret(false);
    expect(live).toMatch(/^sk_live_[0-9A-Za-z]{36}$/);
    expect(test).toMatch(/^sk_test_[0-9A-Za-z]{36}$/);
    expect(parseSecret(live)).toEqual({ livemode: true });
    expect(parseSecret(test)).toEqual({ livemode: false });
    expect(new Set(Array.from({ length: 200 }, () => generateSecret(true))).size).toBe(200);
  });

  it('refuses any single-character change, a swapped mode, truncation and junk by the checksum alone', () => {
    const s = generateSecret(true);
    for (let i = 8; i < s.length; i++) {
      const c = s[i] === 'a' ? 'b' : 'a';
      expect(parseSecret(s.slice(0, i) + c + s.slice(i + 1)), `changed at ${i}`).toBeNull();
    }
    expect(parseSecret(s.replace('sk_live_', 'sk_test_'))).toBeNull();
    expect(parseSecret(s.slice(0, -1))).toBeNull();
    expect(parseSecret(`${s}x`)).toBeNull();
    expect(parseSecret('sk_live_unknown')).toBeNull();
    expect(parseSecret('')).toBeNull();
  });

  it('compares digests in constant time, by value', () => {
    const s = generateSecret(true);
    const hex = createHash('sha256').update(s).digest('hex');
    expect(digestMatches(secretDigest(s), hex)).toBe(true);
    expect(digestMatches(secretDigest(generateSecret(true)), hex)).toBe(false);
    expect(digestMatches(secretDigest(s), 'abcd')).toBe(false);
  });

  it('secret box: AES-256-GCM round trip, bound to its row and to the deployment secret', () => {
    const box = new SecretBox('a'.repeat(40), 'webhook-secret');
    const sealed = box.seal('whsec_abc', 'key_1');
    expect(sealed).toMatch(/^sb1\.[0-9a-f]{8}\./);
    expect(sealed).not.toContain('whsec_abc');
    expect(box.open(sealed, 'key_1')).toBe('whsec_abc');
    expect(() => box.open(sealed, 'key_2')).toThrow();
    expect(() => new SecretBox('b'.repeat(40), 'webhook-secret').open(sealed, 'key_1')).toThrow(/another key/);
    expect(box.seal('whsec_abc', 'key_1')).not.toBe(sealed); // fresh IV each time
  });
});

describe.each(DB_KINDS)('API keys on %s', (db) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ db, clock, env: { CLIPMIX_ALLOW_LOOPBACK_URLS: '1' } });
    alice = await signUp(t, { name: 'Alice' });
    bob = await signUp(t, { name: 'Bob' });
  });
  afterAll(async () => t?.close());

  const keyRow = (id: string) => t.ctx.db.selectFrom('api_keys' as any).selectAll().where('id', '=', id).executeTakeFirst() as Promise<any>;

  describe('happy paths', () => {
    it('creates a key: secret shown once, only its SHA-256 and 12-char prefix stored, all scopes by default', async () => {
      const res = await alice.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'CI' } });
      expect(res.statusCode).toBe(201);
      const k = res.json();
      expect(k).toMatchObject({
        object: 'api_key',
        name: 'CI',
        livemode: true,
        scopes: [...ALL_SCOPES],
        rate_limit_per_minute: 600,
        callback_url: null,
        webhook_secret: null,
        expires_at: null,
        last_used_at: null,
        revoked_at: null,
      });
      expect(k.id).toMatch(/^key_[0-9A-Za-z]{22}$/);
      expect(k.secret).toMatch(/^sk_live_[0-9A-Za-z]{36}$/);
      expect(k.prefix).toBe(k.secret.slice(0, 12));

      const row = await keyRow(k.id);
      expect(row.key_hash).toBe(createHash('sha256').update(k.secret).digest('hex'));
      expect(row.prefix).toHaveLength(12);
      expect(JSON.stringify(row)).not.toContain(k.secret.slice(12));

      const got = await alice.request({ method: 'GET', url: `/api/v1/api_keys/${k.id}` });
      expect(got.statusCode).toBe(200);
      expect(got.json()).not.toHaveProperty('secret');
      expect(got.json()).toMatchObject({ id: k.id, prefix: k.prefix });
      const list = await alice.request({ method: 'GET', url: '/api/v1/api_keys' });
      expect(list.json().object).toBe('list');
      expect(list.json().data.map((x: any) => x.id)).toContain(k.id);
      expect(list.body).not.toContain(k.secret);

      // The key works.
      const use = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/request_logs' });
      expect(use.statusCode).toBe(200);
    });

    it('creates test keys, restricted scopes, custom rate limit, expiry and a callback with a whsec_ secret stored encrypted', async () => {
      const expires = new Date(clock.now().getTime() + 86_400_000).toISOString();
      const k = await createKey(alice, {
        name: 'sandbox',
        livemode: false,
        scopes: ['jobs:read', 'jobs:read', 'files:read'],
        rate_limit_per_minute: 42,
        expires_at: expires,
        callback_url: 'http://127.0.0.1:9/hooks',
      });
      expect(k.secret).toMatch(/^sk_test_/);
      expect(k.api).toMatchObject({ livemode: false, scopes: ['files:read', 'jobs:read'], rate_limit_per_minute: 42, expires_at: expires, callback_url: 'http://127.0.0.1:9/hooks' });
      expect(k.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      expect(Buffer.from(k.webhook_secret!.slice(6), 'base64')).toHaveLength(24);
      const row = await keyRow(k.id);
      expect(row.webhook_secret).toMatch(/^env1\.[0-9a-f]{8}\./); // platform/crypto/envelope.ts
      expect(row.webhook_secret).not.toContain(k.webhook_secret!.slice(6));
      expect(developer(t.ctx).keys.webhookSecretOf(row)).toBe(k.webhook_secret);
    });

    it('lists newest first with Stripe pagination', async () => {
      const u = await signUp(t);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await createKey(u, { name: `k${i}` })).id);
        clock.advance(1000);
      }
      const p1 = (await u.request({ method: 'GET', url: '/api/v1/api_keys?limit=2' })).json();
      expect(p1.data.map((k: any) => k.id)).toEqual([ids[2], ids[1]]);
      expect(p1.has_more).toBe(true);
      const p2 = (await u.request({ method: 'GET', url: `/api/v1/api_keys?limit=2&starting_after=${ids[1]}` })).json();
      expect(p2.data.map((k: any) => k.id)).toEqual([ids[0]]);
      expect(p2.has_more).toBe(false);
    });

    it('revokes: 401 api_key_revoked afterwards; revoking again is harmless', async () => {
      const k = await createKey(alice);
      expect((await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' })).statusCode).toBe(200);
      const del = await alice.request({ method: 'DELETE', url: `/api/v1/api_keys/${k.id}` });
      expect(del.statusCode).toBe(200);
      expect(del.json().revoked_at).toBe(clock.now().toISOString());
      const after = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' });
      expect(after.statusCode).toBe(401);
      expect(after.headers['content-type']).toContain('application/problem+json');
      expect(after.json()).toMatchObject({ status: 401, code: 'api_key_revoked', request_id: after.headers['request-id'] });
      const again = await alice.request({ method: 'DELETE', url: `/api/v1/api_keys/${k.id}` });
      expect(again.statusCode).toBe(200);
      expect(again.json().revoked_at).toBe(del.json().revoked_at);
    });

    it('expires: 401 api_key_expired once expires_at has passed', async () => {
      const k = await createKey(alice, { expires_at: new Date(clock.now().getTime() + 3_600_000).toISOString() });
      expect((await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' })).statusCode).toBe(200);
      clock.advance(3_600_001);
      const res = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('api_key_expired');
    });

    it('updates last_used_at at most once a minute per key (no write per request)', async () => {
      const k = await createKey(alice);
      const get = () => withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' });
      const t0 = clock.now().toISOString();
      await get();
      await settle(t);
      expect((await keyRow(k.id)).last_used_at).toBe(t0);

      const spy = vi.spyOn(t.ctx.db, 'updateTable');
      clock.advance(30_000);
      for (let i = 0; i < 5; i++) await get();
      await settle(t);
      expect(spy.mock.calls.filter((c) => c[0] === ('api_keys' as any))).toHaveLength(0);
      spy.mockRestore();
      expect((await keyRow(k.id)).last_used_at).toBe(t0);

      clock.advance(31_000);
      await get();
      await settle(t);
      expect((await keyRow(k.id)).last_used_at).toBe(clock.now().toISOString());
    });
  });

  describe('errors', () => {
    it.each([
      [{}, 'invalid_request'],
      [{ name: '' }, 'invalid_request'],
      [{ name: 'x', scopes: ['jobs:admin'] }, 'invalid_request'],
      [{ name: 'x', scopes: [] }, 'invalid_request'],
      [{ name: 'x', rate_limit_per_minute: 0 }, 'invalid_request'],
      [{ name: 'x', expires_at: 'tomorrow' }, 'invalid_request'],
      [{ name: 'x', extra: 1 }, 'invalid_request'],
    ])('POST /api_keys %j → 400 %s', async (payload, code) => {
      const res = await alice.request({ method: 'POST', url: '/api/v1/api_keys', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe(code);
    });

    it('refuses an expiry in the past', async () => {
      const res = await alice.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'x', expires_at: new Date(clock.now().getTime() - 1000).toISOString() } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].param).toBe('expires_at');
    });

    it.each(['http://example.com/hook', 'https://10.0.0.1/hook', 'https://169.254.169.254/latest', 'https://[fd00::1]/x', 'https://0x0a000001/x', 'https://[::ffff:10.0.0.1]/x', 'ftp://example.com', 'https://user:pw@example.com/', 'not a url'])(
      'refuses the callback URL %s (SSRF guard)',
      async (url) => {
        const res = await alice.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'x', callback_url: url } });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'invalid_callback_url', errors: [{ param: 'callback_url' }] });
      },
    );

    it('loopback callbacks need CLIPMIX_ALLOW_LOOPBACK_URLS=1', async () => {
      const payload = { name: 'x', callback_url: 'http://127.0.0.1:8080/hooks' };
      t.ctx.config.allowLoopbackUrls = false;
      try {
        const refused = await alice.request({ method: 'POST', url: '/api/v1/api_keys', payload });
        expect(refused.statusCode).toBe(400);
        expect(refused.json().code).toBe('invalid_callback_url');
        const https = await alice.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'x', callback_url: 'https://127.0.0.1/hooks' } });
        expect(https.statusCode).toBe(400);
      } finally {
        t.ctx.config.allowLoopbackUrls = true;
      }
      expect((await alice.request({ method: 'POST', url: '/api/v1/api_keys', payload })).statusCode).toBe(201);
    });

    it('404 for unknown keys', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/api_keys/key_nope'],
        ['DELETE', '/api/v1/api_keys/key_nope'],
        ['POST', '/api/v1/api_keys/key_nope/test_webhook'],
      ] as const) {
        const res = await alice.request({ method, url });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
    });
  });

  it('documents every developer route in the OpenAPI 3.1 document (valid), key management as session-only', async () => {
    const doc = (await t.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(await validate(structuredClone(doc))).toMatchObject({ valid: true });
    const ops: Array<[string, string]> = [
      ['get', '/api/v1/api_keys'],
      ['post', '/api/v1/api_keys'],
      ['get', '/api/v1/api_keys/{id}'],
      ['delete', '/api/v1/api_keys/{id}'],
      ['post', '/api/v1/api_keys/{id}/test_webhook'],
      ['get', '/api/v1/request_logs'],
      ['get', '/api/v1/webhook_deliveries'],
      ['get', '/api/v1/webhook_deliveries/{id}'],
      ['post', '/api/v1/webhook_deliveries/{id}/replay'],
    ];
    for (const [m, p] of ops) {
      const op = doc.paths[p]?.[m];
      expect(op, `${m} ${p}`).toBeTruthy();
      expect(Object.keys(op.responses).some((c) => c.startsWith('2')), `${m} ${p}`).toBe(true);
      if (p.includes('api_keys')) expect(op.security, `${m} ${p}`).toEqual([{ session: [] }]);
    }
    expect(doc.paths['/api/v1/api_keys'].post.responses['201'].content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['secret', 'webhook_secret', 'prefix', 'scopes']),
    );
  });

  describe('security', () => {
    it('an API key can never manage keys (session only), whatever its scopes', async () => {
      const k = await createKey(alice);
      for (const [method, url] of [
        ['GET', '/api/v1/api_keys'],
        ['POST', '/api/v1/api_keys'],
        ['GET', `/api/v1/api_keys/${k.id}`],
        ['DELETE', `/api/v1/api_keys/${k.id}`],
        ['POST', `/api/v1/api_keys/${k.id}/test_webhook`],
      ] as const) {
        const res = await withKey(t, k.secret, { method, url, ...(method === 'POST' && url.endsWith('api_keys') ? { payload: { name: 'x' } } : {}) });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().code).toBe('session_required');
      }
      expect((await keyRow(k.id)).revoked_at).toBeNull();
    });

    it("another account's keys are 404, not 403, and stay untouched", async () => {
      const k = await createKey(alice);
      for (const [method, url] of [
        ['GET', `/api/v1/api_keys/${k.id}`],
        ['DELETE', `/api/v1/api_keys/${k.id}`],
        ['POST', `/api/v1/api_keys/${k.id}/test_webhook`],
      ] as const) {
        const res = await bob.request({ method, url });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
      expect((await bob.request({ method: 'GET', url: '/api/v1/api_keys' })).json().data.map((x: any) => x.id)).not.toContain(k.id);
      expect((await keyRow(k.id)).revoked_at).toBeNull();
    });

    it('key management without a session or without the CSRF token is refused', async () => {
      expect((await t.http.inject({ method: 'GET', url: '/api/v1/api_keys' })).statusCode).toBe(401);
      const noCsrf = await alice.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'x' }, headers: { 'x-csrf-token': 'wrong' } });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().code).toBe('csrf_invalid');
    });

    it.each([
      ['a malformed token', 'Bearer nope'],
      ['an unknown but well-formed key', `Bearer ${generateSecret(true)}`],
      ['a key with a bad checksum', null],
      ['a JWT-looking bearer', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x'],
    ])('%s → 401 invalid_api_key problem', async (_what, header) => {
      const good = generateSecret(true);
      const auth = header ?? `Bearer ${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`;
      const res = await t.http.inject({ method: 'GET', url: '/api/v1/jobs', headers: { authorization: auth } });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 401, code: 'invalid_api_key' });
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    });

    it('a sk_live_ key with a bad checksum is refused without any database query', async () => {
      await settle(t); // earlier tests' buffered request-log rows are written now, not under the spy
      const executor = t.ctx.db.getExecutor();
      const spy = vi.spyOn(executor, 'executeQuery');
      const good = generateSecret(true);
      const bad = `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`;
      const res = await t.http.inject({ method: 'GET', url: '/api/v1/request_logs', headers: { authorization: `Bearer ${bad}` } });
      expect(res.statusCode).toBe(401);
      await settle(t);
      expect(spy).not.toHaveBeenCalled();
      // Control: a well-formed unknown key does reach the database (so the spy sees queries).
      await t.http.inject({ method: 'GET', url: '/api/v1/request_logs', headers: { authorization: `Bearer ${good}` } });
      expect(spy).toHaveBeenCalled();
      spy.mockRestore();
    });

    it('explicit key auth wins over a session cookie sent alongside', async () => {
      const k = await createKey(bob, { scopes: ['account:read'] });
      const res = await t.http.inject({ method: 'GET', url: '/api/v1/account', headers: { cookie: alice.cookie, authorization: `Bearer ${k.secret}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json().id).toBe(bob.id);
    });

    // Every route × scopes, sessions and other accounts: developer-scope-matrix.test.ts.
  });
});
