import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import { compareFingerprints, fingerprintOf, isStreamedFingerprint, withBodyDigest } from '../src/modules/developer/idempotency.js';
import { MultipartDigest } from '../src/modules/developer/idempotent-body.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, installTestJobRoute, settle, withKey, type CreatedKey } from './helpers/keys.js';
import { leftovers, makeTone, noiseBytes, scratch } from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

describe('request fingerprints', () => {
  it('cover method, path with query and body; key order does not matter', () => {
    const base = fingerprintOf('POST', '/api/v1/x', { a: 1, b: [1, { c: 2, d: 3 }] }, {});
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf('post', '/api/v1/x', { b: [1, { d: 3, c: 2 }], a: 1 }, {})).toBe(base);
    expect(fingerprintOf('POST', '/api/v1/x', { a: 2, b: [1, { c: 2, d: 3 }] }, {})).not.toBe(base);
    expect(fingerprintOf('POST', '/api/v1/x?y=1', { a: 1, b: [1, { c: 2, d: 3 }] }, {})).not.toBe(base);
    expect(fingerprintOf('POST', '/api/v1/y', { a: 1, b: [1, { c: 2, d: 3 }] }, {})).not.toBe(base);
    // Streamed (multipart) bodies: method, path and media type now; the route adds the content
    // digest once it has read the body. Neither the boundary nor the length (which changes with
    // the boundary) is part of it.
    const m1 = fingerprintOf('POST', '/api/v1/files', undefined, { 'content-type': 'multipart/form-data; boundary=a', 'content-length': '10' });
    expect(m1).toMatch(/^stream:[0-9a-f]{64}$/);
    expect(isStreamedFingerprint(m1)).toBe(true);
    expect(fingerprintOf('POST', '/api/v1/files', undefined, { 'content-type': 'multipart/form-data; boundary=bb', 'content-length': '11' })).toBe(m1);
    expect(fingerprintOf('POST', '/api/v1/files', undefined, { 'content-type': 'multipart/form-data; boundary=c', 'transfer-encoding': 'chunked' })).toBe(m1);
    expect(fingerprintOf('POST', '/api/v1/uploads', undefined, { 'content-type': 'multipart/form-data; boundary=a', 'content-length': '10' })).not.toBe(m1);
    expect(fingerprintOf('POST', '/api/v1/files', undefined, { 'content-type': 'application/offset+octet-stream', 'content-length': '10' })).not.toBe(m1);
    // A POST without a body keeps the plain form.
    expect(fingerprintOf('POST', '/api/v1/jobs/job_1/cancel', undefined, {})).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf('POST', '/api/v1/jobs/job_1/cancel', undefined, { 'content-length': '0' })).toMatch(/^[0-9a-f]{64}$/);

    const full = withBodyDigest(m1, 'd'.repeat(64));
    expect(isStreamedFingerprint(full)).toBe(false);
    expect(compareFingerprints(full, m1)).toBe('body');
    expect(compareFingerprints(m1, m1)).toBe('same');
    expect(compareFingerprints(base, m1)).toBe('different');
    expect(compareFingerprints(full, base)).toBe('different');
    expect(compareFingerprints(withBodyDigest(fingerprintOf('POST', '/api/v1/uploads', undefined, { 'content-type': 'multipart/form-data', 'content-length': '1' }), 'd'.repeat(64)), m1)).toBe('different');
  });

  it('digest a multipart body by its parts (names, file names, types, bytes), streamed chunk by chunk', () => {
    const digestOf = (parts: Array<[string, string, string, Buffer[]] | [string, string, string]>) => {
      const d = new MultipartDigest();
      for (const p of parts) {
        if (p.length === 3) d.field(p[0], p[1], p[2]);
        else {
          const f = d.file(p[0], p[1], p[2]);
          for (const c of p[3]) f.update(c);
          f.end();
        }
      }
      return d.digest();
    };
    const bytes = noiseBytes(1000);
    const base = digestOf([['purpose', 'text/plain', 'audio'], ['file', 'a.wav', 'audio/wav', [bytes]]]);
    // Chunking does not matter.
    expect(digestOf([['purpose', 'text/plain', 'audio'], ['file', 'a.wav', 'audio/wav', [bytes.subarray(0, 7), bytes.subarray(7)]]])).toBe(base);
    const other = Buffer.from(bytes);
    other[500] = other[500]! ^ 1;
    for (const changed of [
      [['purpose', 'text/plain', 'audio'], ['file', 'a.wav', 'audio/wav', [other]]],
      [['purpose', 'text/plain', 'audio'], ['file', 'b.wav', 'audio/wav', [bytes]]],
      [['purpose', 'text/plain', 'audio'], ['file', 'a.wav', 'audio/x-wav', [bytes]]],
      [['purpose', 'text/plain', 'video'], ['file', 'a.wav', 'audio/wav', [bytes]]],
      [['file', 'a.wav', 'audio/wav', [bytes]], ['purpose', 'text/plain', 'audio']],
      [['file', 'a.wav', 'audio/wav', [bytes]]],
    ] as Array<Array<[string, string, string, Buffer[]] | [string, string, string]>>) {
      expect(digestOf(changed)).not.toBe(base);
    }
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

  describe('uploads (multipart bodies, which stream to the handler)', () => {
    let base: string;
    let work: Awaited<ReturnType<typeof scratch>>;
    /** Two WAV tones of exactly the same size and different content. */
    let toneA: Buffer;
    let toneB: Buffer;

    beforeAll(async () => {
      work = await scratch();
      toneA = await readFile(await makeTone(work.file('a.wav'), { format: 'wav', seconds: 1, freq: 440 }));
      toneB = await readFile(await makeTone(work.file('b.wav'), { format: 'wav', seconds: 1, freq: 660 }));
      expect(toneB.length).toBe(toneA.length);
      expect(toneB.equals(toneA)).toBe(false);
      await t.http.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.http.server.address() as AddressInfo).port}`;
    }, 120_000);
    afterAll(async () => work?.remove());

    /** A form as fetch sends it: encoded by undici with a new random boundary each time. */
    const form = async (file: Buffer, o: { filename?: string; type?: string } = {}) => {
      const fd = new FormData();
      fd.append('purpose', 'audio');
      fd.append('file', new Blob([new Uint8Array(file)], { type: o.type ?? 'audio/wav' }), o.filename ?? 'tone.wav');
      const encoded = new Response(fd);
      return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
    };
    const boundaryOf = (f: { contentType: string }) => /boundary=(.*)$/.exec(f.contentType)![1];
    const send = (secret: string, idemKey: string, f: { body: Buffer | ReadableStream<Uint8Array>; contentType: string }, signal?: AbortSignal) =>
      fetch(`${base}/api/v1/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'idempotency-key': idemKey, 'content-type': f.contentType },
        body: f.body,
        signal,
        ...(f.body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
    const filesOf = async (userId: string) =>
      (await t.ctx.db.selectFrom('files').select('id').where('user_id', '=', userId).where('parent_file_id', 'is', null).execute()).map((r) => r.id);
    /** A body that sends `head` now and the rest when told to (an upload still streaming). */
    const streamed = (body: Buffer, cut: number) => {
      let c!: ReadableStreamDefaultController<Uint8Array>;
      const stream = new ReadableStream<Uint8Array>({ start: (ctl) => void (c = ctl) });
      c.enqueue(new Uint8Array(body.subarray(0, cut)));
      return { stream, finish: () => (c.enqueue(new Uint8Array(body.subarray(cut))), c.close()) };
    };
    const until = async (what: string, cond: () => Promise<boolean>) => {
      for (let i = 0; i < 250; i++) {
        if (await cond()) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`timed out waiting for ${what}`);
    };

    it('replays a re-sent upload (same file, new multipart boundary) with Idempotent-Replayed: true and the same file', async () => {
      const u = await signUp(t);
      const k = await createKey(u);
      const id = ik();
      const f1 = await form(toneA);
      const first = await send(k.secret, id, f1);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const file = await first.json();
      expect(file).toMatchObject({ object: 'file', kind: 'audio', purpose: 'audio', filename: 'tone.wav' });
      const rec = await record(k.id, id);
      expect(rec).toMatchObject({ state: 'completed', response_status: 201, path: '/api/v1/files' });
      expect(rec.fingerprint).toMatch(/^stream:[0-9a-f]{64}:[0-9a-f]{64}$/);

      // A client retry encodes the form again: another boundary (and so other request bytes).
      const f2 = await form(toneA);
      expect(boundaryOf(f2)).not.toBe(boundaryOf(f1));
      expect(f2.body.equals(f1.body)).toBe(false);
      const before = await leftovers(t);
      const again = await send(k.secret, id, f2);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual(file);
      expect(await filesOf(u.id)).toEqual([file.id]);
      expect(await leftovers(t)).toEqual(before);
      expect((await record(k.id, id)).fingerprint).toBe(rec.fingerprint);
    });

    it('same key, different file of the same size → 422 idempotency_key_reused; nothing is stored', async () => {
      const u = await signUp(t);
      const k = await createKey(u);
      const id = ik();
      const first = await send(k.secret, id, await form(toneA));
      expect(first.status).toBe(201);
      const file = await first.json();
      const rec = await record(k.id, id);
      const before = await leftovers(t);

      const fB = await form(toneB); // same file name, type and size; other bytes
      expect(fB.body.length).toBe((await form(toneA)).body.length);
      const other = await send(k.secret, id, fB);
      expect(other.status).toBe(422);
      expect(other.headers.get('idempotent-replayed')).toBeNull();
      expect(await other.json()).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
      // Other file names, part types or fields count as a different request too.
      expect((await send(k.secret, id, await form(toneA, { filename: 'other.wav' }))).status).toBe(422);
      expect((await send(k.secret, id, await form(toneA, { type: 'audio/x-wav' }))).status).toBe(422);

      expect(await filesOf(u.id)).toEqual([file.id]);
      expect(await leftovers(t)).toEqual(before);
      expect(await record(k.id, id)).toEqual(rec);
      // The original upload is still replayed.
      const retry = await send(k.secret, id, await form(toneA));
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect((await retry.json()).id).toBe(file.id);
    });

    it('same key while the first upload is still streaming → 409 idempotency_key_in_use, then the replay', async () => {
      const u = await signUp(t);
      const k = await createKey(u);
      const id = ik();
      const f = await form(toneA);
      const slow = streamed(f.body, Math.floor(f.body.length / 2));
      const firstP = send(k.secret, id, { body: slow.stream, contentType: f.contentType });
      await until('the first upload to claim its key', async () => (await record(k.id, id))?.state === 'in_progress');

      for (const file of [toneA, toneB]) {
        const during = await send(k.secret, id, await form(file));
        expect(during.status).toBe(409);
        expect(await during.json()).toMatchObject({ code: 'idempotency_key_in_use' });
      }
      expect(await filesOf(u.id)).toEqual([]);

      slow.finish();
      const first = await firstP;
      expect(first.status).toBe(201);
      const file = await first.json();
      const after = await send(k.secret, id, await form(toneA));
      expect(after.status).toBe(201);
      expect(after.headers.get('idempotent-replayed')).toBe('true');
      expect((await after.json()).id).toBe(file.id);
      expect(await filesOf(u.id)).toEqual([file.id]);
    });

    it('an aborted upload leaves no record, file or temp file behind: the retry with the same key runs', async () => {
      const u = await signUp(t);
      const k = await createKey(u);
      const id = ik();
      const before = await leftovers(t);
      const f = await form(toneA);
      const slow = streamed(f.body, Math.floor(f.body.length / 2));
      const ac = new AbortController();
      const aborted = send(k.secret, id, { body: slow.stream, contentType: f.contentType }, ac.signal).catch((err: unknown) => err);
      await until('the upload to claim its key', async () => (await record(k.id, id))?.state === 'in_progress');
      ac.abort();
      expect(await aborted).toBeInstanceOf(Error);
      await until('the claim to be released', async () => (await record(k.id, id)) === undefined);
      await until('the temp file to be removed', async () => (await leftovers(t)).tmp.length === before.tmp.length);
      expect(await leftovers(t)).toEqual(before);

      const retry = await send(k.secret, id, await form(toneA));
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(await filesOf(u.id)).toEqual([(await retry.json()).id]);
    });

    it('does not store a refused upload (not media): the corrected file with the same key runs', async () => {
      const u = await signUp(t);
      const k = await createKey(u);
      const id = ik();
      const before = await leftovers(t);
      const bad = await send(k.secret, id, await form(noiseBytes(toneA.length)));
      expect([415, 422]).toContain(bad.status);
      expect(await record(k.id, id)).toBeUndefined();
      expect(await leftovers(t)).toEqual(before);
      const good = await send(k.secret, id, await form(toneA));
      expect(good.status).toBe(201);
      expect(good.headers.get('idempotent-replayed')).toBeNull();
      // A body that never reached the handler's read (missing scope) is not kept either.
      const readOnly = await createKey(u, { scopes: ['files:read'] });
      const id2 = ik();
      expect((await send(readOnly.secret, id2, await form(toneA))).status).toBe(403);
      expect(await record(readOnly.id, id2)).toBeUndefined();
    });
  });
});
