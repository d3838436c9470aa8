import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createJobsTestApp, makeUser } from './helpers/jobs.js';

describe.each(DB_KINDS)('credit ledger on %s', (db) => {
  let t: TestApp;
  const credits = () => t.ctx.services.credits;

  beforeAll(async () => {
    t = await createJobsTestApp({ db });
  });
  afterAll(async () => t?.close());

  it('grants, charges and records balance_after in the ledger', async () => {
    const u = await makeUser(t);
    expect(await credits().balance(u.id)).toBe(0);
    const g = await credits().grant(u.id, 50, 'purchase');
    expect(g).toMatchObject({ object: 'credit_transaction', delta: 50, balance_after: 50, reason: 'purchase', job_id: null });
    expect(g.id).toMatch(/^txn_[0-9A-Za-z]{22}$/);
    const c = await credits().charge(u.id, 20, { reason: 'test_charge', jobId: 'job_x' });
    expect(c).toMatchObject({ delta: -20, balance_after: 30, job_id: 'job_x' });
    expect(await credits().charge(u.id, 0, { reason: 'free' })).toBeNull();
    expect(await credits().balance(u.id)).toBe(30);
    await expect(credits().charge(u.id, 31, { reason: 'too much' })).rejects.toMatchObject({ status: 402, code: 'insufficient_credits' });
    await expect(credits().charge(u.id, -1, { reason: 'negative' })).rejects.toMatchObject({ status: 400 });
    await expect(credits().charge(u.id, 1.5, { reason: 'fraction' })).rejects.toMatchObject({ status: 400 });
    await expect(credits().grant(u.id, 0, 'nothing')).rejects.toMatchObject({ status: 400 });
    await expect(credits().grant('usr_missing', 5, 'x')).rejects.toMatchObject({ status: 404 });
    expect(await credits().balance(u.id)).toBe(30);
  });

  it('refunds exactly what a job was charged, once', async () => {
    const u = await makeUser(t, { credits: 10 });
    await credits().charge(u.id, 4, { reason: 'job_charge', jobId: 'job_a' });
    await credits().charge(u.id, 3, { reason: 'job_charge', jobId: 'job_b' });
    expect(await credits().balance(u.id)).toBe(3);
    expect(await credits().refund(u.id, 'job_a')).toBe(4);
    expect(await credits().refund(u.id, 'job_a')).toBe(0);
    expect(await credits().balance(u.id)).toBe(7);
    // Concurrent refunds of one job still refund once.
    const results = await Promise.all(Array.from({ length: 10 }, () => credits().refund(u.id, 'job_b')));
    expect(results.filter((n) => n === 3)).toHaveLength(1);
    expect(results.filter((n) => n === 0)).toHaveLength(9);
    expect(await credits().balance(u.id)).toBe(10);
    expect(await credits().refund(u.id, 'job_never_charged')).toBe(0);
    // A job charged again after its refund (manual retry) can be refunded again.
    await credits().charge(u.id, 4, { reason: 'job_charge', jobId: 'job_a' });
    expect(await credits().refund(u.id, 'job_a')).toBe(4);
    expect(await credits().balance(u.id)).toBe(10);
  });

  it('never goes negative under 50 concurrent charges', async () => {
    const u = await makeUser(t, { credits: 30 });
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => credits().charge(u.id, 1, { reason: 'race', jobId: `job_${i}` })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(30);
    expect(refused).toHaveLength(20);
    for (const r of refused) expect(r.reason).toMatchObject({ status: 402, code: 'insufficient_credits' });
    expect(await credits().balance(u.id)).toBe(0);
    const after = ok.map((r) => (r as PromiseFulfilledResult<{ balance_after: number }>).value.balance_after).sort((a, b) => a - b);
    expect(after).toEqual(Array.from({ length: 30 }, (_, i) => i)); // each balance seen once: serialised
    const rows = await t.ctx.db.selectFrom('credit_ledger').select(['delta', 'balance_after']).where('user_id', '=', u.id).execute();
    expect(rows.reduce((s, r) => s + Number(r.delta), 0)).toBe(0);
    expect(rows.every((r) => Number(r.balance_after) >= 0)).toBe(true);
  });

  it('never goes negative under 50 concurrent paid job creations', async () => {
    const u = await makeUser(t, { credits: 20 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => t.ctx.services.jobs.create({ userId: u.id, type: 'test.sleep', input: { i }, price: 2 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(await credits().balance(u.id)).toBe(0);
    const jobs = await t.ctx.db.selectFrom('jobs').select('id').where('user_id', '=', u.id).execute();
    expect(jobs).toHaveLength(10); // refused creations left no row
    for (const j of jobs) await t.ctx.services.jobs.cancel(u.id, j.id);
    expect(await credits().balance(u.id)).toBe(20);
  });

  it('GET /credits returns the balance and a paginated ledger, newest first', async () => {
    const u = await makeUser(t);
    await credits().grant(u.id, 10, 'starter');
    await new Promise((r) => setTimeout(r, 3));
    await credits().charge(u.id, 4, { reason: 'job_charge', jobId: 'job_q' });
    await new Promise((r) => setTimeout(r, 3));
    await credits().refund(u.id, 'job_q');
    const res = await u.request({ method: 'GET', url: '/api/v1/credits?limit=2' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ object: 'credit_balance', balance: 10, ledger: { object: 'list', has_more: true } });
    expect(body.ledger.data).toHaveLength(2);
    expect(body.ledger.data[0]).toMatchObject({ object: 'credit_transaction', delta: 4, balance_after: 10, reason: 'job_refund', job_id: 'job_q' });
    expect(body.ledger.data[1]).toMatchObject({ delta: -4, balance_after: 6, reason: 'job_charge' });
    expect(Object.keys(body.ledger.data[0]).sort()).toEqual(['balance_after', 'created_at', 'delta', 'id', 'job_id', 'object', 'reason']);
    const rest = (await u.request({ method: 'GET', url: `/api/v1/credits?limit=2&starting_after=${body.ledger.data[1].id}` })).json();
    expect(rest.ledger.data.map((e: { reason: string }) => e.reason)).toEqual(['starter']);
    expect(rest.ledger.has_more).toBe(false);

    expect((await u.request({ method: 'GET', url: '/api/v1/credits', scopes: ['jobs:read'] })).statusCode).toBe(403);
    expect((await u.request({ method: 'GET', url: '/api/v1/credits', scopes: ['account:read'] })).statusCode).toBe(200);
    expect((await t.http.inject({ method: 'GET', url: '/api/v1/credits' })).statusCode).toBe(401);
    // Another user sees only their own ledger, and cannot page from someone else's entry.
    const other = await makeUser(t);
    expect((await other.request({ method: 'GET', url: '/api/v1/credits' })).json()).toMatchObject({ balance: 0, ledger: { data: [], has_more: false } });
    const theirs = await other.request({ method: 'GET', url: `/api/v1/credits?starting_after=${body.ledger.data[1].id}` });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toMatchObject({ code: 'resource_missing', errors: [{ param: 'starting_after' }] });
  });

  it('rejects a negative balance even at the schema level', async () => {
    const u = await makeUser(t, { credits: 1 });
    await expect(t.ctx.db.updateTable('users').set({ credits_balance: -1 }).where('id', '=', u.id).execute()).rejects.toThrow();
  });
});
