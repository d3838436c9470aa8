import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOrphanBlobs } from '../src/modules/privacy/orphans.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { withKey, type Receiver } from './helpers/keys.js';
import { expectRowsEverywhere, giveDataEverywhere, startReceiver, type Footprint } from './helpers/privacy-data.js';
import { startS3rver, S3RVER_ACCESS_KEY_ID, S3RVER_SECRET_ACCESS_KEY, S3RVER_REGION, type S3rverHandle } from './helpers/s3rver.js';
import { signUp, type TestUser } from './helpers/session.js';

/** Every file path under dir (including hidden temp dirs). */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? [p, ...walk(p)] : [p];
  });
}

// SQLite + local disk, PostgreSQL + S3 (s3rver).
describe.each(DB_KINDS)('account deletion on %s', (db) => {
  let t: TestApp;
  let s3: S3rverHandle | undefined;
  let rx: Receiver;
  let a: TestUser;
  let b: TestUser;
  let fa: Footprint;
  let fb: Footprint;

  beforeAll(async () => {
    if (db === 'postgres') s3 = await startS3rver();
    t = await createTestApp({
      db,
      env: { CLIPMIX_ALLOW_LOOPBACK_URLS: '1', CLIPMIX_AUTH_RATE_LIMIT: '1000' },
      configure: (c) => {
        if (s3) c.blob = s3.config;
      },
    });
    rx = await startReceiver();
    a = await signUp(t, { name: 'Ada Deleteme' });
    b = await signUp(t, { name: 'Bob Staying' });
    fa = await giveDataEverywhere(t, a, rx);
    fb = await giveDataEverywhere(t, b, rx);
  }, 180_000);
  afterAll(async () => {
    await rx?.close();
    await t?.close();
    await s3?.stop();
  });

  async function blobKeys(): Promise<string[]> {
    if (!s3) return walk(path.join(t.config.dataDir, 'blobs')).map((p) => path.relative(path.join(t.config.dataDir, 'blobs'), p));
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: S3RVER_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: S3RVER_ACCESS_KEY_ID, secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
    });
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, ContinuationToken: token }));
      keys.push(...(res.Contents ?? []).map((o) => o.Key!));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    client.destroy();
    return keys;
  }

  it('has data of both users in every declared table and in the blob store', async () => {
    await expectRowsEverywhere(t, a.id);
    await expectRowsEverywhere(t, b.id);
    expect(fa.fileIds.length).toBeGreaterThanOrEqual(5); // 2 uploads, thumbnail, waveform, export
    const keys = await blobKeys();
    for (const k of fa.blobKeys) expect(keys.join('\n')).toContain(k);
  });

  it('refuses API keys, a missing CSRF token and a wrong password', async () => {
    const viaKey = await withKey(t, fb.keySecret, { method: 'DELETE', url: '/api/v1/account', payload: { password: b.password } });
    expect(viaKey.statusCode).toBe(403);
    expect(viaKey.json().code).toBe('session_required');
    const noCsrf = await a.request({ method: 'DELETE', url: '/api/v1/account', payload: { password: a.password }, headers: { 'x-csrf-token': 'nope' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf_invalid');
    const wrong = await a.request({ method: 'DELETE', url: '/api/v1/account', payload: { password: 'not my password' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.json().code).toBe('invalid_password');
    const missing = await a.request({ method: 'DELETE', url: '/api/v1/account', payload: {} });
    expect(missing.statusCode).toBe(400);
    expect((await a.request({ method: 'GET', url: '/api/v1/account' })).statusCode).toBe(200);
  });

  it('deletes every row and every blob of the user; the other user is intact', async () => {
    const res = await a.request({ method: 'DELETE', url: '/api/v1/account', payload: { password: a.password } });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.headers['set-cookie']).toBeDefined();

    // Every table of the schema (introspected, not the registry), every column, as text.
    const needles = [a.id, a.email, ...fa.fileIds, ...fa.blobKeys, ...fa.jobIds, ...fa.keyIds, fa.deviceId, fa.webhookSecret];
    const tables = (await t.ctx.db.introspection.getTables()).filter((x) => !x.name.startsWith('kysely_'));
    expect(tables.length).toBeGreaterThanOrEqual(17);
    const found: string[] = [];
    for (const table of tables) {
      const rows = await t.ctx.db.selectFrom(table.name as any).selectAll().execute();
      for (const r of rows) {
        const text = JSON.stringify(r);
        for (const n of needles) if (text.includes(n)) found.push(`${table.name}: ${n}`);
      }
    }
    expect(found).toEqual([]);

    const keys = await blobKeys();
    expect(keys.filter((k) => k.includes(a.id) || fa.blobKeys.includes(k))).toEqual([]);
    for (const k of fb.blobKeys) expect(keys, k).toContain(k);
    // Nothing of the user left on local disk either (tus uploads, temp files).
    const onDisk = walk(t.config.dataDir).filter((p) => !p.endsWith('.sqlite') && statSync(p).isFile());
    const leaks = onDisk.filter((p) => p.includes(a.id) || (p.endsWith('.json') && readFileSync(p, 'utf8').includes(a.id)));
    expect(leaks).toEqual([]);

    // The other user: every table still has their rows, their session works.
    await expectRowsEverywhere(t, b.id);
    expect((await b.request({ method: 'GET', url: '/api/v1/account' })).statusCode).toBe(200);
    expect((await withKey(t, fb.keySecret, { method: 'GET', url: '/api/v1/account' })).statusCode).toBe(200);
  });

  it('logs the user out, refuses the old key and the old password', async () => {
    expect((await a.request({ method: 'GET', url: '/api/v1/account' })).statusCode).toBe(401);
    expect((await withKey(t, fa.keySecret, { method: 'GET', url: '/api/v1/account' })).statusCode).toBe(401);
    const login = await t.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: a.email, password: a.password } });
    expect(login.statusCode).toBe(401);
  });

  it('the orphan sweep removes blobs of an interrupted deletion at once, and nothing of live users', async () => {
    // As if a deletion crashed after its rows committed: blobs under a user who no longer exists.
    await t.ctx.blobs.put(`u/${a.id}/late.bin`, Buffer.from('late'));
    const removed = await sweepOrphanBlobs(t.ctx, t.ctx.clock.now());
    expect(removed).toBe(1);
    const keys = await blobKeys();
    expect(keys.filter((k) => k.includes(a.id))).toEqual([]);
    for (const k of fb.blobKeys) expect(keys, k).toContain(k);
  });
});
