import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { createKey, settle, startReceiver, withKey, type Receiver } from './keys.js';
import { makeImage, makeTone, scratch, upload } from './media.js';
import type { TestUser } from './session.js';
import { declaredTables, userRows } from '../../src/modules/privacy/registry.js';
import { sweepOrphanBlobs } from '../../src/modules/privacy/orphans.js';
import { privacyIdle } from '../../src/modules/privacy/index.js';

export interface Footprint {
  fileIds: string[];
  blobKeys: string[];
  jobIds: string[];
  keyIds: string[];
  keySecret: string;
  webhookSecret: string;
  deviceId: string;
  exportJobId: string;
}

let media: { photo: Buffer; tone: Buffer } | undefined;
async function sampleMedia() {
  if (!media) {
    const work = await scratch();
    const tone = await makeTone(work.file('tone.wav'), { format: 'wav', seconds: 1 });
    const { readFile } = await import('node:fs/promises');
    media = { photo: await makeImage('png', { width: 320, height: 200 }), tone: await readFile(tone) };
    await work.remove();
  }
  return media;
}

/**
 * Gives `u` data in every module: uploads with their thumbnail and waveform (media.process jobs
 * with outputs), an API key with a callback, request logs, a webhook delivery with its attempt,
 * an idempotency record, consent with an objection, analytics events, a privacy log, a finished
 * export (output file + ready email), an unfinished tus upload, an orphan-blob candidate. The
 * credit ledger, sessions, verification token and mail outbox come with sign-up.
 */
export async function giveDataEverywhere(t: TestApp, u: TestUser, rx: Receiver): Promise<Footprint> {
  const m = await sampleMedia();
  const photo = await upload(u, { data: m.photo, filename: 'holiday.png' });
  expect(photo.statusCode, photo.body).toBe(201);
  const song = await upload(u, { data: m.tone, filename: 'song.wav' });
  expect(song.statusCode, song.body).toBe(201);
  await t.ctx.services.jobs.drain();

  const key = await createKey(u, { name: 'ci', callback_url: rx.url });
  expect((await withKey(t, key.secret, { method: 'GET', url: '/api/v1/account' })).statusCode).toBe(200);
  expect((await u.request({ method: 'POST', url: `/api/v1/api_keys/${key.id}/test_webhook` })).statusCode).toBeLessThan(300);
  const idem = await u.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'idem' }, headers: { 'idempotency-key': `k-${u.id}` } });
  expect(idem.statusCode, idem.body).toBe(201);

  expect((await u.request({ method: 'PUT', url: '/api/v1/account/privacy', payload: { analytics: true, objection: true } })).statusCode).toBe(200);
  const deviceId = `dev_${u.id.slice(-20)}`;
  const ev = await u.request({
    method: 'POST',
    url: '/api/v1/analytics/events',
    payload: {
      device_id: deviceId,
      session_id: 'sess_12345678',
      events: [{ type: 'page_view', path: '/library', referrer: null, device_type: 'desktop', screen: '1280x720', language: 'en-US', occurred_at: new Date().toISOString() }],
    },
  });
  expect(ev.statusCode, ev.body).toBe(202);

  const exp = await u.request({ method: 'POST', url: '/api/v1/account/export' });
  expect(exp.statusCode, exp.body).toBe(202);
  await t.ctx.services.jobs.drain();
  await privacyIdle(t.ctx);
  await settle(t);

  const tus = await u.request({ method: 'POST', url: '/api/v1/uploads', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': 'filename aGkudHh0' } });
  expect(tus.statusCode, tus.body).toBe(201);

  // A blob of the user no row references: the sweep notes it as a candidate.
  await t.ctx.blobs.put(`u/${u.id}/stray.bin`, Buffer.from('stray'));
  await sweepOrphanBlobs(t.ctx, t.ctx.clock.now());

  const db = t.ctx.db;
  const files = await db.selectFrom('files').select(['id', 'blob_key']).where('user_id', '=', u.id).execute();
  const jobs = await db.selectFrom('jobs').select(['id']).where('user_id', '=', u.id).execute();
  const keys = await db.selectFrom('api_keys').select(['id']).where('user_id', '=', u.id).execute();
  return {
    fileIds: files.map((f) => f.id),
    blobKeys: [...files.map((f) => f.blob_key), `u/${u.id}/stray.bin`],
    jobIds: jobs.map((j) => j.id),
    keyIds: keys.map((k) => k.id),
    keySecret: key.secret,
    webhookSecret: key.webhook_secret!,
    deviceId,
    exportJobId: exp.json().id,
  };
}

/** Fails naming each declared table in which `u` has no row (so the deletion scan covers it). */
export async function expectRowsEverywhere(t: TestApp, userId: string): Promise<void> {
  const all = declaredTables(t.ctx.modules);
  const empty: string[] = [];
  for (const d of all) {
    if (!d.deleteWithAccount) continue;
    const q = userRows(t.ctx.db as unknown as Kysely<any>, d, all, userId);
    if (q) {
      const n = await q.select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst();
      if (!Number((n as { n: unknown } | undefined)?.n ?? 0)) empty.push(d.table);
    } else if (d.table === 'blob_orphans') {
      const n = await t.ctx.db.selectFrom('blob_orphans').select('blob_key').where('blob_key', 'like', `u/${userId}/%`).execute();
      if (!n.length) empty.push(d.table);
    }
  }
  expect(empty, `tables without a row of the user (give the user data there in giveDataEverywhere)`).toEqual([]);
}

export { startReceiver };
