import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalisedEmailHash, sendPurchaseConversion } from '../src/modules/analytics/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, withKey } from './helpers/keys.js';
import { signUp, type TestUser } from './helpers/session.js';

/** A stand-in for Google's Measurement Protocol endpoint: records every request. */
async function fakeGa4(): Promise<{ url: string; hits: Array<{ url: string; body: any }>; close(): Promise<void> }> {
  const hits: Array<{ url: string; body: any }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ url: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const event = (o: Record<string, unknown> = {}) => ({ type: 'page_view', path: '/library?q=secret#x', occurred_at: new Date().toISOString(), ...o });

describe.each(DB_KINDS)('consent, analytics and conversions on %s', (db) => {
  let t: TestApp;
  let ga: Awaited<ReturnType<typeof fakeGa4>>;
  let u: TestUser;

  beforeAll(async () => {
    ga = await fakeGa4();
    t = await createTestApp({
      db,
      env: { CLIPMIX_GA4_MEASUREMENT_ID: 'G-TEST123', CLIPMIX_GA4_API_SECRET: 'mp-secret', CLIPMIX_GA4_BASE_URL: ga.url, CLIPMIX_AUTH_RATE_LIMIT: '1000' },
    });
    u = await signUp(t, { email: `Ada.Lovelace.${Date.now()}@Example.com`.toLowerCase() });
  });
  afterAll(async () => {
    await t?.close();
    await ga?.close();
  });

  it('GET /privacy/config tells what this deployment runs and keeps, publicly', async () => {
    const res = await t.http.inject({ method: 'GET', url: '/api/v1/privacy/config' });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.integrations).toEqual({
      database: db,
      file_storage: 'local',
      queue: 'embedded',
      email: 'local_mailbox',
      analytics: 'first_party',
      ga4_conversions: true,
    });
    const days = Object.fromEntries(c.retention.map((r: { table: string; days: number; description: string }) => [r.description.includes('Memory') ? 'memory' : r.table, r.days]));
    expect(days).toMatchObject({ request_logs: 90, webhook_deliveries: 90, idempotency_records: 1, api_keys: 90, analytics_events: 395, memory: 30 });
    expect(c.data.map((d: { table: string }) => d.table)).toEqual(expect.arrayContaining(['users', 'files', 'analytics_events', 'privacy_log']));
    expect(JSON.stringify(c)).not.toContain('mp-secret');
  });

  it('stores consent per user, logs changes, refuses API keys', async () => {
    expect((await u.request({ method: 'GET', url: '/api/v1/account/privacy' })).json()).toMatchObject({ analytics: null, objection: false });
    const on = await u.request({ method: 'PUT', url: '/api/v1/account/privacy', payload: { analytics: true, source: 'banner' } });
    expect(on.json()).toMatchObject({ analytics: true, objection: false, source: 'banner' });
    const bad = await u.request({ method: 'PUT', url: '/api/v1/account/privacy', payload: {} });
    expect(bad.statusCode).toBe(400);
    const key = await createKey(u);
    expect((await withKey(t, key.secret, { method: 'GET', url: '/api/v1/account/privacy' })).statusCode).toBe(403);
    const log = (await u.request({ method: 'GET', url: '/api/v1/account/privacy/log' })).json();
    expect(log.data.map((e: { action: string; detail: any }) => [e.action, e.detail.analytics])).toEqual([['consent_changed', true]]);
  });

  it('accepts analytics only with consent; anonymous browsers by device id; no IP stored', async () => {
    const device = 'anon_device_0123456789';
    const batch = { device_id: device, session_id: 'sess_abcdefgh', events: [event({ referrer: 'https://search.example/q?who=ada' })] };
    const refused = await t.http.inject({ method: 'POST', url: '/api/v1/analytics/events', payload: batch });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('consent_required');
    const none = await t.http.inject({ method: 'GET', url: `/api/v1/privacy/consent?device_id=${device}` });
    expect(none.json().analytics).toBeNull();
    expect((await t.http.inject({ method: 'PUT', url: '/api/v1/privacy/consent', payload: { device_id: device, analytics: true } })).statusCode).toBe(200);
    const ok = await t.http.inject({ method: 'POST', url: '/api/v1/analytics/events', payload: batch, headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(ok.statusCode, ok.body).toBe(202);
    expect(ok.json()).toEqual({ object: 'analytics_batch', accepted: 1 });
    const rows = await t.ctx.db.selectFrom('analytics_events').selectAll().where('device_id', '=', device).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: null, path: '/library', referrer: 'https://search.example' });
    expect(JSON.stringify(rows)).not.toMatch(/203\.0\.113\.9|127\.0\.0\.1/);
    // Withdrawn → refused again.
    await t.http.inject({ method: 'PUT', url: '/api/v1/privacy/consent', payload: { device_id: device, analytics: false } });
    expect((await t.http.inject({ method: 'POST', url: '/api/v1/analytics/events', payload: batch })).statusCode).toBe(403);

    // Signed in: the user's consent decides (given above), events carry the user id.
    const mine = await u.request({ method: 'POST', url: '/api/v1/analytics/events', payload: { ...batch, device_id: 'user_device_0123456789' } });
    expect(mine.statusCode).toBe(202);
    const userRows = await t.ctx.db.selectFrom('analytics_events').select('user_id').where('device_id', '=', 'user_device_0123456789').execute();
    expect(userRows).toEqual([{ user_id: u.id }]);
    const invalid = await u.request({ method: 'POST', url: '/api/v1/analytics/events', payload: { ...batch, events: [] } });
    expect(invalid.statusCode).toBe(400);
  });

  it('GA4: a purchase conversion carries the SHA-256 of the normalised email; none after an objection', async () => {
    expect(normalisedEmailHash('  John.Doe@GoogleMail.com ')).toBe(createHash('sha256').update('johndoe@googlemail.com').digest('hex'));
    expect(normalisedEmailHash('Jo.Ann@Example.com')).toBe(createHash('sha256').update('jo.ann@example.com').digest('hex'));

    const buy = (n: number) => sendPurchaseConversion(t.ctx, { userId: u.id, transactionId: `txn_${n}`, value: 9.99, currency: 'EUR', credits: 100 });
    expect(await buy(1)).toBe('sent');
    expect(ga.hits).toHaveLength(1);
    const hit = ga.hits[0]!;
    expect(hit.url).toBe('/mp/collect?measurement_id=G-TEST123&api_secret=mp-secret');
    expect(hit.body.user_data.sha256_email_address).toEqual([createHash('sha256').update(u.email).digest('hex')]);
    expect(hit.body.events[0]).toMatchObject({ name: 'purchase', params: { transaction_id: 'txn_1', value: 9.99, currency: 'EUR' } });
    expect(JSON.stringify(hit.body)).not.toContain(u.email);
    expect(JSON.stringify(hit.body)).not.toContain(u.id);

    const obj = await u.request({ method: 'PUT', url: '/api/v1/account/privacy', payload: { objection: true } });
    expect(obj.json().objection).toBe(true);
    expect(await buy(2)).toBe('objected');
    expect(ga.hits).toHaveLength(1);

    await u.request({ method: 'PUT', url: '/api/v1/account/privacy', payload: { objection: false } });
    expect(await buy(3)).toBe('sent');
    expect(ga.hits.map((h) => h.body.events[0].params.transaction_id)).toEqual(['txn_1', 'txn_3']);
    const actions = (await u.request({ method: 'GET', url: '/api/v1/account/privacy/log' })).json().data.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 2)).toEqual(['objection_withdrawn', 'objection_set']);
  });

  it('GA4 is off unless configured', async () => {
    const plain = await createTestApp({ db: 'sqlite' });
    try {
      const v = await signUp(plain);
      expect(await sendPurchaseConversion(plain.ctx, { userId: v.id, transactionId: 't', value: 1, currency: 'EUR', credits: 1 })).toBe('not_configured');
      expect((await plain.http.inject({ method: 'GET', url: '/api/v1/privacy/config' })).json().integrations.ga4_conversions).toBe(false);
    } finally {
      await plain.close();
    }
  });
});
