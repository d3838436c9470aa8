import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developer } from '../src/modules/developer/index.js';
import { DAY_MS, HOUR_MS, ManualClock } from '../src/platform/clock.js';
import { allModules } from '../src/modules/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, settle, startReceiver, withKey, type Receiver } from './helpers/keys.js';
import { signUp, type TestUser } from './helpers/session.js';

describe.each(DB_KINDS)('developer data retention on %s', (db) => {
  let t: TestApp;
  const T0 = new Date('2026-03-01T00:00:00.000Z');
  const clock = new ManualClock(T0);
  let u: TestUser;
  let rx: Receiver;

  beforeAll(async () => {
    t = await createTestApp({ db, clock, env: { CLIPMIX_ALLOW_LOOPBACK_URLS: '1' } });
    u = await signUp(t);
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx?.close();
    await t?.close();
  });

  const ids = async (table: string) =>
    (await t.ctx.db.selectFrom(table as any).select('id').where('user_id', '=', u.id).execute()).map((r: any) => r.id as string).sort();
  const at = (ms: number) => clock.set(new Date(T0.getTime() + ms));

  it('declares its tables with the promised retention', () => {
    const dev = allModules.find((m) => m.name === 'developer')!;
    const byTable = Object.fromEntries(dev.data.tables.map((d) => [d.table, d]));
    expect(byTable.request_logs!.retention).toMatchObject({ days: 90, column: 'created_at' });
    expect(byTable.webhook_deliveries!.retention).toMatchObject({ days: 90, column: 'created_at' });
    expect(byTable.webhook_delivery_attempts!.retention).toMatchObject({ days: 90, column: 'created_at' });
    expect(byTable.idempotency_records!.retention).toMatchObject({ days: 1, column: 'created_at' });
    expect(byTable.idempotency_records!.export).toBe(false);
    expect(byTable.api_keys!.retention).toMatchObject({ days: 90, column: 'revoked_at' });
    expect(byTable.api_keys!.redact).toEqual(expect.arrayContaining(['key_hash', 'webhook_secret']));
    for (const d of dev.data.tables) expect(d.deleteWithAccount, d.table).toBe(true);
  });

  it('purgeExpired removes exactly the expired rows: idempotency 24 h, logs and deliveries 90 d, revoked keys 90 d after revocation', async () => {
    const dev = developer(t.ctx);
    // T0: key A (revoked now), key B (revoked in 29 days), key C (never revoked).
    at(0);
    const a = await createKey(u, { name: 'A', callback_url: rx.url });
    const b = await createKey(u, { name: 'B' });
    const c = await createKey(u, { name: 'C' });
    await withKey(t, a.secret, { method: 'GET', url: '/api/v1/account' }); // log @T0
    await u.request({ method: 'POST', url: `/api/v1/api_keys/${a.id}/test_webhook` }); // delivery + attempt @T0
    await u.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'idem0' }, headers: { 'idempotency-key': 'k0' } }); // idempotency @T0
    await settle(t);
    await u.request({ method: 'DELETE', url: `/api/v1/api_keys/${a.id}` });
    const log0 = await ids('request_logs');
    const delivery0 = await ids('webhook_deliveries');
    const attempt0 = await ids('webhook_delivery_attempts');
    const idem0 = await ids('idempotency_records');
    expect([log0.length, delivery0.length, attempt0.length, idem0.length]).toEqual([1, 1, 1, 1]);

    at(23 * HOUR_MS);
    await u.request({ method: 'POST', url: '/api/v1/api_keys', payload: { name: 'idem23' }, headers: { 'idempotency-key': 'k23' } });
    const idem23 = (await ids('idempotency_records')).filter((id) => !idem0.includes(id));

    at(29 * DAY_MS); // (the test's session cookie is valid for 30 days)
    const keyCAfter30 = await withKey(t, c.secret, { method: 'GET', url: '/api/v1/account' }); // log @T0+29d
    expect(keyCAfter30.statusCode).toBe(200);
    const keyWithHook = await createKey(u, { name: 'D', callback_url: rx.url });
    await u.request({ method: 'POST', url: `/api/v1/api_keys/${keyWithHook.id}/test_webhook` });
    await u.request({ method: 'DELETE', url: `/api/v1/api_keys/${b.id}` });
    await settle(t);
    const log29 = (await ids('request_logs')).filter((id) => !log0.includes(id));
    const delivery29 = (await ids('webhook_deliveries')).filter((id) => !delivery0.includes(id));
    expect([log29.length, delivery29.length]).toEqual([1, 1]);
    const keysBefore = await ids('api_keys');

    // Just under 24 h after the first idempotency record: nothing goes.
    expect(await dev.purgeExpired(new Date(T0.getTime() + DAY_MS - 1))).toEqual({
      request_logs: 0,
      webhook_deliveries: 0,
      webhook_delivery_attempts: 0,
      idempotency_records: 0,
      api_keys: 0,
    });
    // 24 h: the first idempotency record, only.
    expect((await dev.purgeExpired(new Date(T0.getTime() + DAY_MS))).idempotency_records).toBe(1);
    expect(await ids('idempotency_records')).toEqual(idem23);

    // 90 days after T0 (+1 ms): T0 logs, deliveries (with attempts) and key A; the second idempotency record.
    const r90 = await dev.purgeExpired(new Date(T0.getTime() + 90 * DAY_MS + 1));
    expect(r90).toMatchObject({ request_logs: 1, webhook_deliveries: 1, idempotency_records: 1, api_keys: 1 });
    expect(await ids('request_logs')).toEqual(log29);
    expect(await ids('webhook_deliveries')).toEqual(delivery29);
    expect((await ids('webhook_delivery_attempts')).some((id) => attempt0.includes(id))).toBe(false);
    expect(await ids('webhook_delivery_attempts')).toHaveLength(1);
    expect(await ids('idempotency_records')).toEqual([]);
    expect(await ids('api_keys')).toEqual(keysBefore.filter((id) => id !== a.id));

    // 120 days (+1 ms): the T0+29d rows and key B (revoked at T0+29d); never-revoked keys stay.
    const r120 = await dev.purgeExpired(new Date(T0.getTime() + 120 * DAY_MS + 1));
    expect(r120).toMatchObject({ request_logs: 1, webhook_deliveries: 1, api_keys: 1 });
    expect(await ids('request_logs')).toEqual([]);
    expect(await ids('webhook_deliveries')).toEqual([]);
    expect(await ids('webhook_delivery_attempts')).toEqual([]);
    const left = await ids('api_keys');
    expect(left).toContain(c.id);
    expect(left).toContain(keyWithHook.id);
    expect(left).not.toContain(b.id);
    expect(left).not.toContain(a.id);
  });

  it('account deletion removes every developer row (ON DELETE CASCADE)', async () => {
    at(200 * DAY_MS);
    const v = await signUp(t);
    const k = await createKey(v, { callback_url: rx.url });
    await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' });
    await v.request({ method: 'POST', url: `/api/v1/api_keys/${k.id}/test_webhook`, headers: { 'idempotency-key': 'x' } });
    await settle(t);
    const tables = ['api_keys', 'request_logs', 'idempotency_records', 'webhook_deliveries', 'webhook_delivery_attempts'];
    const count = async (table: string) => (await t.ctx.db.selectFrom(table as any).select('id').where('user_id', '=', v.id).execute()).length;
    for (const table of tables) expect(await count(table), table).toBeGreaterThan(0);
    await t.ctx.db.deleteFrom('users').where('id', '=', v.id).execute();
    for (const table of tables) expect(await count(table), table).toBe(0);
  });
});
