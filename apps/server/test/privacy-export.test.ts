import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privacyIdle } from '../src/modules/privacy/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { withKey, type Receiver } from './helpers/keys.js';
import { makeImage } from './helpers/media.js';
import { giveDataEverywhere, startReceiver, type Footprint } from './helpers/privacy-data.js';
import { signUp, waitForMail, type TestUser } from './helpers/session.js';

const run = promisify(execFile);
const unzip = async (...args: string[]) => (await run('unzip', args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 })).stdout as Buffer;

describe.each(DB_KINDS)('account export on %s', (db) => {
  let t: TestApp;
  let rx: Receiver;
  let a: TestUser;
  let b: TestUser;
  let fa: Footprint;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-export-'));
  const zipPath = path.join(dir, `export-${db}.zip`);
  let job: any;

  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_ALLOW_LOOPBACK_URLS: '1', CLIPMIX_AUTH_RATE_LIMIT: '1000', PUBLIC_URL: 'http://clipmix.test' } });
    rx = await startReceiver();
    a = await signUp(t, { name: 'Ada Export' });
    b = await signUp(t, { name: 'Bob Other' });
    fa = await giveDataEverywhere(t, a, rx);
    await giveDataEverywhere(t, b, rx);
  }, 180_000);
  afterAll(async () => {
    await rx?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('POST /account/export queues a free account.export job (sessions only)', async () => {
    const viaKey = await withKey(t, fa.keySecret, { method: 'POST', url: '/api/v1/account/export' });
    expect(viaKey.statusCode).toBe(403);
    const res = await a.request({ method: 'POST', url: '/api/v1/account/export' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ object: 'job', type: 'account.export', status: 'queued', credits_charged: 0 });
    await t.ctx.services.jobs.drain();
    await privacyIdle(t.ctx);
    job = (await a.request({ method: 'GET', url: `/api/v1/jobs/${res.json().id}` })).json();
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const out = job.output.files.find((f: { role: string }) => f.role === 'export');
    expect(out).toBeDefined();
    const content = await a.request({ method: 'GET', url: `/api/v1/files/${out.file}/content` });
    expect(content.statusCode).toBe(200);
    expect(content.headers['content-type']).toBe('application/zip');
    writeFileSync(zipPath, content.rawPayload);
  });

  it('emails a link to the job and logs the export', async () => {
    const mail = await waitForMail(t, a.email, 'account_export_ready');
    expect(mail.text).toContain(`http://clipmix.test/jobs/${job.id}`);
    const log = (await a.request({ method: 'GET', url: '/api/v1/account/privacy/log' })).json();
    const actions = log.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['export_requested', 'export_ready', 'consent_changed', 'objection_set']));
  });

  it('holds one JSON per module with the user’s rows, and the user’s files byte for byte', async () => {
    const listing = (await unzip('-Z1', zipPath)).toString('utf8').trim().split('\n');
    for (const m of ['accounts', 'notify', 'jobs', 'media', 'credits', 'developer', 'privacy', 'analytics']) expect(listing).toContain(`${m}.json`);
    expect(listing).toContain('manifest.json');
    const json = async (name: string) => JSON.parse((await unzip('-p', zipPath, name)).toString('utf8'));

    const accounts = await json('accounts.json');
    expect(accounts.tables.users.rows).toHaveLength(1);
    expect(accounts.tables.users.rows[0]).toMatchObject({ id: a.id, email: a.email, name: 'Ada Export' });
    expect(accounts.tables.users.rows[0]).not.toHaveProperty('password_hash');
    expect(accounts.tables).not.toHaveProperty('sessions');

    const developer = await json('developer.json');
    expect(developer.tables.api_keys.rows.map((k: { id: string }) => k.id).sort()).toEqual([...fa.keyIds].sort());
    expect(developer.tables.api_keys.rows[0]).not.toHaveProperty('key_hash');
    expect(developer.tables.api_keys.rows[0]).not.toHaveProperty('webhook_secret');
    expect(developer.tables.request_logs.rows.length).toBeGreaterThan(0);
    expect(developer.tables.request_logs.rows[0]).not.toHaveProperty('ip_hash');
    expect(developer.tables.webhook_deliveries.rows.length).toBeGreaterThan(0);
    expect(developer.tables).not.toHaveProperty('idempotency_records');

    const jobs = await json('jobs.json');
    expect(jobs.tables.jobs.rows.map((j: { id: string }) => j.id)).toEqual(expect.arrayContaining(fa.jobIds));
    expect(jobs.tables.job_files.rows.length).toBeGreaterThan(0);
    expect((await json('credits.json')).tables.credit_ledger.rows.length).toBeGreaterThan(0);
    expect((await json('notify.json')).tables.mail_outbox.rows[0]).not.toHaveProperty('text_body');
    expect((await json('privacy.json')).tables.privacy_consents.rows[0]).toMatchObject({ analytics: 1, objection: 1 });
    expect((await json('analytics.json')).tables.analytics_events.rows[0]).toMatchObject({ path: '/library', screen: '1280x720' });

    const manifest = await json('manifest.json');
    const media = await json('media.json');
    const photoRow = media.tables.files.rows.find((f: { original_name: string }) => f.original_name === 'holiday.png');
    const entry = manifest.files.find((f: { id: string }) => f.id === photoRow.id);
    expect(listing).toContain(entry.path);
    expect((await unzip('-p', zipPath, entry.path)).equals(await makeImage('png', { width: 320, height: 200 }))).toBe(true);
    // Every file of the user except earlier exports; nothing of the other user.
    const expected = media.tables.files.rows.filter((f: { role: string | null }) => f.role !== 'export').map((f: { id: string }) => f.id).sort();
    expect(manifest.files.map((f: { id: string }) => f.id).sort()).toEqual(expected);
  });

  it('contains no secret, hash or other user anywhere (every entry decompressed)', async () => {
    const everything = (await unzip('-p', zipPath)).toString('latin1');
    const user = await t.ctx.db.selectFrom('users').select('password_hash').where('id', '=', a.id).executeTakeFirstOrThrow();
    const keyRows = await t.ctx.db.selectFrom('api_keys').select(['key_hash', 'webhook_secret']).where('user_id', '=', a.id).execute();
    const ipHashes = await t.ctx.db.selectFrom('request_logs').select('ip_hash').where('user_id', '=', a.id).execute();
    const tokens = await t.ctx.db.selectFrom('auth_tokens').select('token_hash').where('user_id', '=', a.id).execute();
    expect(everything).toContain(a.email); // the search itself works on this text
    for (const secret of [
      '$2b$',
      user.password_hash,
      createHash('sha256').update(fa.keySecret).digest('hex'),
      fa.keySecret,
      'whsec_',
      fa.webhookSecret.slice(6),
      ...keyRows.flatMap((k) => [k.key_hash, k.webhook_secret!].filter(Boolean)),
      ...ipHashes.map((r) => r.ip_hash),
      ...tokens.map((r) => r.token_hash),
      b.id,
      b.email,
    ]) {
      expect(everything.includes(secret), `export contains ${secret.slice(0, 12)}…`).toBe(false);
    }
  });
});
