/**
 * GET /jobs/{id} sends the body serialised once per cached row (jobs/routes.ts): byte for byte
 * what the route's serializer writes for toApi(row), and fresh as soon as the job changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createKey, installTestJobRoute, withKey } from './helpers/keys.js';
import { signUp, type TestUser } from './helpers/session.js';
import { DB_KINDS } from './helpers/db.js';

describe.each(DB_KINDS)('GET /jobs/{id} body on %s', (db) => {
  let t: TestApp;
  let alice: TestUser;
  let secret: string;
  beforeAll(async () => {
    t = await createTestApp({ db });
    alice = await signUp(t, { name: 'Alice' });
    await installTestJobRoute(t);
    secret = (await createKey(alice, { name: 'jobs' })).secret;
  });
  afterAll(async () => t?.close());

  it('is the serialised toApi() of the row, the same for repeated requests, and new once the job changes', async () => {
    const created = await withKey(t, secret, { method: 'POST', url: '/api/v1/test_jobs', payload: { type: 'test.sleep', input: { a: [1, 'two'] } } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const get = () => withKey(t, secret, { method: 'GET', url: `/api/v1/jobs/${id}` });

    const first = await get();
    const second = await get();
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(second.body).toBe(first.body);
    const row = await t.ctx.services.jobs.getForApi(alice.id, id);
    expect(first.json()).toEqual(JSON.parse(JSON.stringify(t.ctx.services.jobs.toApi(row))));
    expect(first.json()).toMatchObject({ id, object: 'job', status: 'queued', input: { a: [1, 'two'] } });
    expect(Number(first.headers['content-length'])).toBe(Buffer.byteLength(first.body));

    const canceled = await withKey(t, secret, { method: 'POST', url: `/api/v1/jobs/${id}/cancel` });
    expect(canceled.statusCode).toBe(200);
    const after = await get();
    expect(after.json()).toMatchObject({ id, status: 'canceled' });
    expect(after.body).toBe(canceled.body);
  });

  it("another account's job is still a 404 problem, though the owner's read is cached", async () => {
    const created = await withKey(t, secret, { method: 'POST', url: '/api/v1/test_jobs', payload: { type: 'test.sleep' } });
    // The owner's read puts the row in the cache first.
    expect((await withKey(t, secret, { method: 'GET', url: `/api/v1/jobs/${created.json().id}` })).statusCode).toBe(200);
    const bob = await signUp(t, { name: 'Bob' });
    const bobKey = (await createKey(bob, { name: 'bob' })).secret;
    const res = await withKey(t, bobKey, { method: 'GET', url: `/api/v1/jobs/${created.json().id}` });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
