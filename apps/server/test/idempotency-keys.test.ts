import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import { fingerprintOf } from '../src/modules/developer/idempotency.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, installTestJobRoute, settle, withKey, type CreatedKey } from './helpers/keys.js';
import { signUp, type TestUser } from './helpers/session.js';

describe('request fingerprints', () => {
  it('cover method, path with query and body; key order does not matter', () => {
    const base = fingerprintOf('POST', '/api/v1/x', { a: 1, b: [1, { c: 2, d: 3 }] }, {});
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf('post', '/api/v1/x', { b: [1, { d: 3, c: 2 }], a: 1 }, {})).toBe(base);
    expect(fingerprintOf('POST', '/api/v1/x', { a: 2, b: [1, { c: 2, d: 3 }] }, {})).not.toBe(base);
    expect(fingerprintOf('POST', '/api/v1/x?y=1', { a: 1, b: [1, { c: 2, d: 3 }] }, {})).not.toBe(base);
    expect(fingerprintOf('POST', '/api/v1/y', { a: 1, b: [1, { c: 2, d: 3 }] }, {})).not.toBe(base);
    // Streamed (multipart) bodies: media type without boundary + length.
    const m1 = fingerprintOf('POST', '/api/v1/files', undefined, { 'content-type': 'multipart/form-data; boundary=a', 'content-length': '10' });
    expect(fingerprintOf('POST', '/api/v1/files', undefined, { 'content-type': 'multipart/form-data; boundary=b', 'content-length': '10' })).toBe(m1);
    expect(fingerprintOf('POST', '/api/v1/files', undefined, { 'content-type': 'multipart/form-data; boundary=a', 'content-length': '11' })).not.toBe(m1);
  });
});

describe.each(DB_KINDS)('Idempotency-Key on %s', (db) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  let alice: TestUser;
  let key: CreatedKey;
  let n = 0;
  const ik = () => `idem-${db}-${++n}-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    t = await createTestApp({ db, clock, env: { CLIPMIX_ALLOW_LOOPBACK_URLS: '1' } });
    await installTestJobRoute(t);
    alice = await signUp(t, { name: 'Alice' });
    await t.ctx.services.credits.grant(alice.id, 10_000, 'test_grant');
    key = await createKey(alice, { name: 'idempotent' });
  });
  afterAll(async () => t?.close());

  const post = (secret: string, idemKey: string | undefined, payload: Record<string, unknown>, url = '/api/v1/test_jobs') =>
    withKey(t, secret, { method: 'POST', url, payload, headers: idemKey === undefined ? {} : { 'idempotency-key': idemKey } });
  const jobsOfKey = async (apiKeyId: string) =>
    (await t.ctx.db.selectFrom('jobs').select('id').where('api_key_id', '=', apiKeyId).execute()).map((r) => r.id);
  const record = (scopeKey: string, k: string) =>
    t.ctx.db.selectFrom('idempotency_records' as any).selectAll().where('scope_key', '=', scopeKey).where('idempotency_key', '=', k).executeTakeFirst() as Promise<any>;

  describe('happy paths', () => {
    it('replays the first response (status + body) with Idempotent-Replayed: true; one job only', async () => {
      const k = await createKey(alice);
      const id = ik();
      const first = await post(k.secret, id, { input: { n: 1 }, price: 3 });
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await post(k.secret, id, { price: 3, input: { n: 1 } }); // same parameters, other order
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['content-type']).toContain('application/json');
      expect(again.json()).toEqual(first.json());
      expect(again.headers['request-id']).not.toBe(first.headers['request-id']);
      expect(await jobsOfKey(k.id)).toEqual([first.json().id]);
      expect(await t.ctx.services.credits.balance(alice.id)).toBeGreaterThan(0);

      const rec = await record(k.id, id);
      expect(rec).toMatchObject({ state: 'completed', response_status: 201, method: 'POST', path: '/api/v1/test_jobs', user_id: alice.id });
      expect(rec.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(Date.parse(rec.expires_at) - Date.parse(rec.created_at)).toBe(24 * 3_600_000);

      // The replay is in the request log, flagged.
      await settle(t);
      const log = (await withKey(t, k.secret, { method: 'GET', url: `/api/v1/request_logs?api_key=${k.id}&method=POST` })).json().data;
      expect(log.find((r: any) => r.request_id === again.headers['request-id'])).toMatchObject({ idempotent_replayed: true, status: 201 });
    });

    it('is scoped to the API key (or the session user): the same key string elsewhere is a new request', async () => {
      const k1 = await createKey(alice);
      const k2 = await createKey(alice);
      const id = ik();
      const a = await post(k1.secret, id, {});
      const b = await post(k2.secret, id, {});
      expect(a.statusCode).toBe(201);
      expect(b.statusCode).toBe(201);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(b.json().id).not.toBe(a.json().id);
      // Session requests are scoped to the user.
      const s1 = await alice.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'via session' }, headers: { 'idempotency-key': id } });
      const s2 = await alice.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'via session' }, headers: { 'idempotency-key': id } });
      expect(s1.statusCode).toBe(201);
      expect(s2.statusCode).toBe(201);
      expect(s2.headers['idempotent-replayed']).toBe('true');
      expect(s2.json().id).toBe(s1.json().id);
      expect(await record(alice.id, id)).toBeTruthy();
    });

    it('never stores a new key\'s secrets: a replay returns the key without them', async () => {
      const id = ik();
      const first = await alice.request({
        method: 'POST',
        url: '/api/v1/api_keys',
        payload: { name: 'secretive', callback_url: 'http://127.0.0.1:9/x' },
        headers: { 'idempotency-key': id },
      });
      expect(first.json().secret).toMatch(/^sk_live_/);
      expect(first.json().webhook_secret).toMatch(/^whsec_/);
      const replay = await alice.request({
        method: 'POST',
        url: '/api/v1/api_keys',
        payload: { name: 'secretive', callback_url: 'http://127.0.0.1:9/x' },
        headers: { 'idempotency-key': id },
      });
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json()).toMatchObject({ id: first.json().id, prefix: first.json().prefix });
      expect(replay.json()).not.toHaveProperty('secret');
      expect(replay.json()).not.toHaveProperty('webhook_secret');
      const rec = await record(alice.id, id);
      expect(rec.response_body).not.toContain(first.json().secret);
      expect(rec.response_body).not.toContain(first.json().webhook_secret.slice(6));
    });

    it('replays stored errors that are not validation failures (e.g. 402)', async () => {
      const poor = await signUp(t);
      const k = await createKey(poor);
      const id = ik();
      const first = await post(k.secret, id, { price: 999_999 });
      expect(first.statusCode).toBe(402);
      const again = await post(k.secret, id, { price: 999_999 });
      expect(again.statusCode).toBe(402);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['content-type']).toContain('application/problem+json');
      expect(again.json()).toEqual(first.json());
    });

    it('ignores Idempotency-Key on other methods', async () => {
      const res = await withKey(t, key.secret, { method: 'GET', url: '/api/v1/request_logs', headers: { 'idempotency-key': 'x'.repeat(300) } });
      expect(res.statusCode).toBe(200);
    });
  });

  describe('errors', () => {
    it('same key, different request → 422 idempotency_key_reused (body, path)', async () => {
      const id = ik();
      expect((await post(key.secret, id, { price: 1 })).statusCode).toBe(201);
      const other = await post(key.secret, id, { price: 2 });
      expect(other.statusCode).toBe(422);
      expect(other.json()).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
      const otherPath = await post(key.secret, id, { price: 1 }, '/api/v1/webhook_deliveries/whdel_x/replay');
      expect(otherPath.statusCode).toBe(422);
    });

    it('same key while the first request is still running → 409 idempotency_key_in_use, then the replay', async () => {
      const id = ik();
      const slow = post(key.secret, id, { delay_ms: 600, price: 1 });
      await new Promise((r) => setTimeout(r, 150));
      const during = await post(key.secret, id, { delay_ms: 600, price: 1 });
      expect(during.statusCode).toBe(409);
      expect(during.json()).toMatchObject({ code: 'idempotency_key_in_use' });
      const first = await slow;
      expect(first.statusCode).toBe(201);
      const after = await post(key.secret, id, { delay_ms: 600, price: 1 });
      expect(after.headers['idempotent-replayed']).toBe('true');
      expect(after.json().id).toBe(first.json().id);
    });

    it('does not store validation failures: a corrected retry with the same key runs', async () => {
      const k = await createKey(alice);
      const id = ik();
      const invalid = await post(k.secret, id, { price: -1 });
      expect(invalid.statusCode).toBe(400);
      // A 400 raised by the handler after the key was claimed is forgotten too.
      const unknownType = await post(k.secret, id, { type: 'no.such.type' });
      expect(unknownType.statusCode).toBe(400);
      expect(unknownType.json().code).toBe('unknown_job_type');
      expect(await record(k.id, id)).toBeUndefined();
      const fixed = await post(k.secret, id, { price: 1 });
      expect(fixed.statusCode).toBe(201);
      expect(fixed.headers['idempotent-replayed']).toBeUndefined();
      expect(await jobsOfKey(k.id)).toEqual([fixed.json().id]);
    });

    it('does not store a 422 a route answers after the key was claimed: the corrected song request runs', async () => {
      const k = await createKey(alice);
      const id = ik();
      const songs = (payload: Record<string, unknown>) => post(k.secret, id, payload, '/api/v1/songs');
      const invalid = await songs({ genre: 'polka', mood: 'happy', duration_seconds: 15 });
      expect(invalid.statusCode).toBe(422);
      expect(invalid.json().code).toBe('invalid_song_request');
      expect(await record(k.id, id)).toBeUndefined();
      const fixed = await songs({ genre: 'pop', mood: 'happy', duration_seconds: 15, theme: 'a summer road trip' });
      expect(fixed.statusCode).toBe(202);
      expect(fixed.headers['idempotent-replayed']).toBeUndefined();
      const again = await songs({ genre: 'pop', mood: 'happy', duration_seconds: 15, theme: 'a summer road trip' });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json().id).toBe(fixed.json().id);
    });

    it('does not store 429s: after the window the same key runs the request', async () => {
      clock.set(new Date(Math.ceil(clock.now().getTime() / 60_000) * 60_000 + 1_000));
      const k = await createKey(alice, { rate_limit_per_minute: 1 });
      expect((await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' })).statusCode).toBe(200);
      const id = ik();
      const limited = await post(k.secret, id, { price: 1 });
      expect(limited.statusCode).toBe(429);
      expect(await record(k.id, id)).toBeUndefined();
      clock.advance(60_000);
      const ok = await post(k.secret, id, { price: 1 });
      expect(ok.statusCode).toBe(201);
      expect(ok.headers['idempotent-replayed']).toBeUndefined();
    });

    it('Idempotency-Key longer than 255 characters (or empty) → 400', async () => {
      const long = await post(key.secret, 'k'.repeat(256), { price: 1 });
      expect(long.statusCode).toBe(400);
      expect(long.json()).toMatchObject({ code: 'invalid_idempotency_key', errors: [{ param: 'Idempotency-Key' }] });
      const empty = await post(key.secret, '', { price: 1 });
      expect(empty.statusCode).toBe(400);
      expect((await post(key.secret, `${'k'.repeat(250)}${n++}`.slice(0, 255), { price: 1 })).statusCode).toBe(201);
    });
  });

  describe('crashes and expiry', () => {
    it('takes over an in-progress record whose process stopped heartbeating (> 60 s), not a live one', async () => {
      const k = await createKey(alice);
      const now = clock.now();
      const mk = async (id: string, lockedAgoMs: number) =>
        t.ctx.db
          .insertInto('idempotency_records' as any)
          .values({
            id: `idem_${id}`,
            user_id: alice.id,
            scope_key: k.id,
            idempotency_key: id,
            fingerprint: fingerprintOf('POST', '/api/v1/test_jobs', { price: 1 }, {}),
            method: 'POST',
            path: '/api/v1/test_jobs',
            state: 'in_progress',
            lock_token: 'dead',
            locked_at: new Date(now.getTime() - lockedAgoMs).toISOString(),
            created_at: new Date(now.getTime() - lockedAgoMs).toISOString(),
            expires_at: new Date(now.getTime() + 3_600_000).toISOString(),
          } as any)
          .execute();
      const live = ik();
      const dead = ik();
      await mk(live, 10_000);
      await mk(dead, 61_000);
      expect((await post(k.secret, live, { price: 1 })).statusCode).toBe(409);
      const taken = await post(k.secret, dead, { price: 1 });
      expect(taken.statusCode).toBe(201);
      expect((await record(k.id, dead)).state).toBe('completed');
      expect((await post(k.secret, dead, { price: 1 })).headers['idempotent-replayed']).toBe('true');
    });

    it('forgets a key after 24 hours', async () => {
      const k = await createKey(alice);
      const id = ik();
      const first = await post(k.secret, id, { price: 1 });
      clock.advance(23 * 3_600_000);
      expect((await post(k.secret, id, { price: 2 })).statusCode).toBe(422);
      clock.advance(3_600_000);
      const fresh = await post(k.secret, id, { price: 2 });
      expect(fresh.statusCode).toBe(201);
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
      expect(fresh.json().id).not.toBe(first.json().id);
    });
  });

  describe('concurrency', () => {
    it('50 concurrent POSTs with one key and one Idempotency-Key create exactly one job', async () => {
      const k = await createKey(alice, { name: 'burst' });
      const id = ik();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => post(k.secret, id, { input: { burst: true }, price: 2, delay_ms: 20 })),
      );
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.every((s) => s === 201 || s === 409), statuses.join(',')).toBe(true);
      const created = results.filter((r) => r.statusCode === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(results.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
      expect(new Set(created.map((r) => r.json().id)).size).toBe(1);
      expect(await jobsOfKey(k.id)).toEqual([created[0]!.json().id]);
      // Charged once.
      const charges = await t.ctx.db.selectFrom('credit_ledger').select('delta').where('job_id', '=', created[0]!.json().id).execute();
      expect(charges.map((c) => c.delta)).toEqual([-2]);
    });

    it('50 concurrent session POSTs /api_keys with one Idempotency-Key create exactly one key', async () => {
      const u = await signUp(t);
      const id = ik();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => u.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'once' }, headers: { 'idempotency-key': id } })),
      );
      expect(results.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
      const keys = await t.ctx.db.selectFrom('api_keys' as any).select('id').where('user_id', '=', u.id).execute();
      expect(keys).toHaveLength(1);
      expect(results.filter((r) => r.json().secret)).toHaveLength(1);
    });
  });
});
