import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import { JOB_TYPES } from '../src/modules/jobs/types.js';
import { attemptsSeen, spawnedPids } from './fixtures/test-jobs.js';
import type { TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createJobsTestApp, makeUser, pidAlive, waitFor } from './helpers/jobs.js';
import { signUp } from './helpers/session.js';

describe.each(DB_KINDS)('jobs lifecycle on %s', (db) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  const jobs = () => t.ctx.services.jobs;
  const credits = () => t.ctx.services.credits;

  beforeAll(async () => {
    t = await createJobsTestApp({ db, clock });
  });
  afterAll(async () => t?.close());

  it('creates a queued job, runs it to succeeded with progress 1', async () => {
    const u = await makeUser(t, { credits: 100 });
    const row = await jobs().create({ userId: u.id, type: 'test.sleep', input: { ms: 20 }, price: 7 });
    expect(row).toMatchObject({ status: 'queued', attempts: 0, credits_charged: 7, provider: 'test', max_attempts: 3 });
    expect(row.id).toMatch(/^job_[0-9A-Za-z]{22}$/);
    expect(await credits().balance(u.id)).toBe(93);

    expect(await jobs().drain()).toBe(1);
    const res = await u.request({ method: 'GET', url: `/api/v1/jobs/${row.id}` });
    expect(res.statusCode).toBe(200);
    const job = res.json();
    expect(job).toMatchObject({
      object: 'job',
      id: row.id,
      type: 'test.sleep',
      status: 'succeeded',
      progress: 1,
      input: { ms: 20 },
      output: { files: [], size_bytes: 0 },
      error: null,
      credits_charged: 7,
      provider: 'test',
      attempts: 1,
      livemode: true,
    });
    expect(job.started_at).toBeTruthy();
    expect(job.finished_at).toBeTruthy();
    expect(await credits().balance(u.id)).toBe(93); // success keeps the charge
  });

  it('keeps progress monotonic and throttled', async () => {
    const u = await makeUser(t);
    const row = await jobs().create({ userId: u.id, type: 'test.progress', input: { values: [0.2, 0.6, 0.3, 0.1, 0.8, 0.7], delayMs: 60 } });
    const seen: number[] = [];
    const dbSeen: number[] = [];
    const off = jobs().subscribe(row.id, (e) => {
      if (e.type === 'progress' && e.status === 'running') seen.push(e.progress);
    });
    const poll = setInterval(async () => {
      const r = await jobs().find(row.id);
      if (r) dbSeen.push(Number(r.progress));
    }, 15);
    await jobs().drain();
    clearInterval(poll);
    off();
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    for (let i = 1; i < dbSeen.length; i++) expect(dbSeen[i]).toBeGreaterThanOrEqual(dbSeen[i - 1]);
    expect(seen).not.toContain(0.3);
    expect(seen).not.toContain(0.7);
    expect((await jobs().get(u.id, row.id)).progress).toBe(1);
  });

  it('retries transient failures with exponential backoff, then fails and refunds', async () => {
    const u = await makeUser(t, { credits: 10 });
    const row = await jobs().create({ userId: u.id, type: 'test.fail', input: {}, price: 4 });
    expect(await credits().balance(u.id)).toBe(6);

    expect(await jobs().drain()).toBe(1);
    let r = await jobs().get(u.id, row.id);
    expect(r).toMatchObject({ status: 'queued', attempts: 1, error_code: 'job_failed' });
    expect(Date.parse(r.run_after) - clock.now().getTime()).toBe(2_000); // 2^1 s
    expect(jobs().toApi(r).error).toBeNull(); // not failed yet
    expect(await jobs().drain()).toBe(0); // not due yet

    clock.advance(2_000);
    expect(await jobs().drain()).toBe(1);
    r = await jobs().get(u.id, row.id);
    expect(r).toMatchObject({ status: 'queued', attempts: 2 });
    expect(Date.parse(r.run_after) - clock.now().getTime()).toBe(4_000); // 2^2 s

    clock.advance(4_000);
    expect(await jobs().drain()).toBe(1);
    r = await jobs().get(u.id, row.id);
    expect(r).toMatchObject({ status: 'failed', attempts: 3, error_code: 'job_failed' });
    expect(jobs().toApi(r).error).toEqual({ code: 'job_failed', message: 'transient failure on attempt 3' });
    expect(attemptsSeen.get(row.id)).toEqual([1, 2, 3]);
    expect(await credits().balance(u.id)).toBe(10);
    // Refunding again changes nothing.
    expect(await credits().refund(u.id, row.id)).toBe(0);
    expect(await credits().balance(u.id)).toBe(10);
  });

  it('succeeds on a later attempt after transient failures', async () => {
    const u = await makeUser(t, { credits: 5 });
    const row = await jobs().create({ userId: u.id, type: 'test.fail', input: { failTimes: 1 }, price: 5 });
    await jobs().drain();
    clock.advance(2_000);
    await jobs().drain();
    const r = await jobs().get(u.id, row.id);
    expect(r).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(jobs().toApi(r).error).toBeNull();
    expect(await credits().balance(u.id)).toBe(0);
  });

  it('fails a PermanentJobError at once, without retries, and refunds', async () => {
    const u = await makeUser(t, { credits: 3 });
    const row = await jobs().create({ userId: u.id, type: 'test.fail', input: { permanent: true, code: 'corrupt_media', message: 'The audio cannot be decoded.' }, price: 3 });
    expect(await jobs().drain()).toBe(1);
    const r = await jobs().get(u.id, row.id);
    expect(r).toMatchObject({ status: 'failed', attempts: 1 });
    expect(jobs().toApi(r).error).toEqual({ code: 'corrupt_media', message: 'The audio cannot be decoded.' });
    expect(await credits().balance(u.id)).toBe(3);
    const ledger = await credits().ledger(u.id, { limit: 10 });
    expect(ledger.data.map((e) => [e.delta, e.reason, e.job_id])).toEqual(
      expect.arrayContaining([
        [-3, 'job_charge', row.id],
        [3, 'job_refund', row.id],
      ]),
    );
  });

  it('cancels a queued job at once and refunds it', async () => {
    const u = await makeUser(t, { credits: 10 });
    const row = await jobs().create({ userId: u.id, type: 'test.sleep', input: {}, price: 10 });
    expect(await credits().balance(u.id)).toBe(0);
    const res = await u.request({ method: 'POST', url: `/api/v1/jobs/${row.id}/cancel` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'canceled', error: null });
    expect(res.json().finished_at).toBeTruthy();
    expect(await credits().balance(u.id)).toBe(10);
    expect(await jobs().drain()).toBe(0); // never runs
    // Canceling again is idempotent; a finished job cannot be canceled.
    expect((await u.request({ method: 'POST', url: `/api/v1/jobs/${row.id}/cancel` })).json().status).toBe('canceled');
    expect(await credits().balance(u.id)).toBe(10);
  });

  it('cancels a running job: its child process is killed, the job is canceled and refunded', async () => {
    const u = await makeUser(t, { credits: 8 });
    const row = await jobs().create({ userId: u.id, type: 'test.spawn', input: { command: ['sleep', '30'] }, price: 8 });
    const running = jobs().drain();
    const pid = await waitFor(async () => spawnedPids.get(row.id), 10_000, 'the child process');
    expect(pidAlive(pid)).toBe(true);
    expect((await jobs().get(u.id, row.id)).status).toBe('running');

    const res = await u.request({ method: 'POST', url: `/api/v1/jobs/${row.id}/cancel` });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('canceled');
    await running;
    expect(pidAlive(pid)).toBe(false);
    expect(await credits().balance(u.id)).toBe(8);
    const r = await jobs().get(u.id, row.id);
    expect(r).toMatchObject({ status: 'canceled', cancel_requested: 1, lease_owner: null });
  });

  it('cancels a job running in another context (cancel request seen by the heartbeat)', async () => {
    const { createContext } = await import('../src/app.js');
    const { prepareJobsContext } = await import('./helpers/jobs.js');
    const other = await createContext(t.config, { clock });
    prepareJobsContext(other);
    try {
      const u = await makeUser(t, { credits: 2 });
      const row = await jobs().create({ userId: u.id, type: 'test.spawn', input: {}, price: 2 });
      const running = other.services.jobs.drain();
      const pid = await waitFor(async () => spawnedPids.get(row.id), 10_000, 'the child process');
      const canceled = await jobs().cancel(u.id, row.id);
      expect(canceled.status).toBe('canceled');
      await running;
      expect(pidAlive(pid)).toBe(false);
      expect(await credits().balance(u.id)).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('graceful stop puts a running job back to queued without counting the attempt', async () => {
    const { createContext } = await import('../src/app.js');
    const { prepareJobsContext } = await import('./helpers/jobs.js');
    const other = await createContext(t.config, { clock });
    prepareJobsContext(other);
    const u = await makeUser(t, { credits: 1 });
    const row = await jobs().create({ userId: u.id, type: 'test.spawn', input: {}, price: 1 });
    void other.services.jobs.drain();
    const pid = await waitFor(async () => spawnedPids.get(row.id), 10_000, 'the child process');
    expect((await jobs().get(u.id, row.id)).attempts).toBe(1);
    await other.close();
    expect(pidAlive(pid)).toBe(false);
    const r = await jobs().get(u.id, row.id);
    expect(r).toMatchObject({ status: 'queued', attempts: 0, lease_owner: null });
    expect(await credits().balance(u.id)).toBe(0); // still charged: it will run again
    await jobs().cancel(u.id, row.id);
  });

  it('stop() gives up on a handler that ignores its signal after shutdownTimeoutMs', async () => {
    const { createContext } = await import('../src/app.js');
    const { prepareJobsContext } = await import('./helpers/jobs.js');
    const other = await createContext(t.config, { clock });
    prepareJobsContext(other, { shutdownTimeoutMs: 200 });
    const u = await makeUser(t);
    const row = await jobs().create({ userId: u.id, type: 'test.stubborn', input: { ms: 4000 } });
    const running = other.services.jobs.drain();
    await waitFor(async () => (await jobs().get(u.id, row.id)).status === 'running', 5_000, 'the claim');
    const started = Date.now();
    await other.services.jobs.stop();
    // Well under the handler's 4 s, with room for a loaded CI machine around the 200 ms timeout.
    expect(Date.now() - started).toBeLessThan(2_000);
    await other.close(); // the process goes away while its handler still runs
    // The row stays with the stopped worker's lease; the watchdog re-queues it once it expires.
    expect((await jobs().get(u.id, row.id)).status).toBe('running');
    await running; // its late result cannot be written any more
    expect((await jobs().get(u.id, row.id)).status).toBe('running');
    clock.advance(31_000);
    expect((await jobs().runWatchdog()).requeued).toBe(1);
    await jobs().cancel(u.id, row.id);
  });

  it('cancelAll cancels every active job of a user', async () => {
    const u = await makeUser(t, { credits: 9 });
    const a = await jobs().create({ userId: u.id, type: 'test.spawn', input: {}, price: 3 }); // will be running
    clock.advance(1); // claims are oldest first
    const b = await jobs().create({ userId: u.id, type: 'test.sleep', input: {}, price: 3 }); // stays queued
    const c = await jobs().create({ userId: u.id, type: 'test.sleep', input: {}, price: 3 });
    await jobs().cancel(u.id, c.id);
    const running = jobs().drain({ max: 1 });
    await waitFor(async () => spawnedPids.get(a.id), 5_000, 'the running job');
    expect((await jobs().get(u.id, b.id)).status).toBe('queued');
    expect(await jobs().cancelAll(u.id)).toBe(2);
    await running;
    for (const id of [a.id, b.id, c.id]) expect((await jobs().get(u.id, id)).status).toBe('canceled');
    expect(await credits().balance(u.id)).toBe(9);
  });

  it('refuses unknown job types with 400 unknown_job_type', async () => {
    const u = await makeUser(t, { credits: 10 });
    await expect(jobs().create({ userId: u.id, type: 'nope.nothing', input: {} })).rejects.toMatchObject({ status: 400, code: 'unknown_job_type' });
  });

  it('insufficient credits → 402 and no job row', async () => {
    const u = await makeUser(t, { credits: 4 });
    await expect(jobs().create({ userId: u.id, type: 'test.sleep', input: {}, price: 5 })).rejects.toMatchObject({ status: 402, code: 'insufficient_credits' });
    const rows = await t.ctx.db.selectFrom('jobs').select('id').where('user_id', '=', u.id).execute();
    expect(rows).toEqual([]);
    expect(await credits().balance(u.id)).toBe(4);
    const ledger = await credits().ledger(u.id, { limit: 10 });
    expect(ledger.data).toHaveLength(1); // only the grant
  });

  it('test-mode jobs (livemode=false) cost nothing', async () => {
    const u = await makeUser(t, { credits: 1 });
    const row = await jobs().create({ userId: u.id, type: 'test.sleep', input: {}, price: 50, livemode: false });
    expect(row.credits_charged).toBe(0);
    expect(jobs().toApi(row).livemode).toBe(false);
    expect(await credits().balance(u.id)).toBe(1);
    await jobs().cancel(u.id, row.id);
  });

  it('charges prices from the table unless a price is given', async () => {
    const u = await makeUser(t, { credits: 100 });
    credits().setPrices({ 'test.sleep': 6 });
    const row = await jobs().create({ userId: u.id, type: 'test.sleep', input: {} });
    expect(row.credits_charged).toBe(6);
    expect(await credits().balance(u.id)).toBe(94);
    credits().setPrices({ 'test.sleep': 0 });
    expect(credits().priceOf('music_video')).toBe(10);
    expect(credits().priceOf('music_video', { livemode: false })).toBe(0);
    await jobs().cancel(u.id, row.id);
  });

  it('retries a failed job by hand: attempts reset, charged again', async () => {
    const u = await makeUser(t, { credits: 10 });
    const row = await jobs().create({ userId: u.id, type: 'test.fail', input: { permanent: true }, price: 4 });
    await jobs().drain();
    expect((await jobs().get(u.id, row.id)).status).toBe('failed');
    expect(await credits().balance(u.id)).toBe(10);

    const res = await u.request({ method: 'POST', url: `/api/v1/jobs/${row.id}/retry` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'queued', attempts: 0, progress: 0, error: null, finished_at: null, credits_charged: 4 });
    expect(await credits().balance(u.id)).toBe(6);
    await jobs().drain();
    expect((await jobs().get(u.id, row.id)).status).toBe('failed');
    expect(await credits().balance(u.id)).toBe(10);

    // A succeeded job cannot be retried or canceled.
    const ok = await jobs().create({ userId: u.id, type: 'test.sleep', input: {} });
    await jobs().drain();
    expect((await u.request({ method: 'POST', url: `/api/v1/jobs/${ok.id}/retry` })).json()).toMatchObject({ status: 409, code: 'job_not_retryable' });
    expect((await u.request({ method: 'POST', url: `/api/v1/jobs/${ok.id}/cancel` })).json()).toMatchObject({ status: 409, code: 'job_finished' });
  });

  it('a manual retry without credits → 402, job stays failed', async () => {
    const u = await makeUser(t, { credits: 4 });
    const row = await jobs().create({ userId: u.id, type: 'test.fail', input: { permanent: true }, price: 4 });
    await jobs().drain();
    await credits().charge(u.id, 2, { reason: 'test_spend' });
    const res = await u.request({ method: 'POST', url: `/api/v1/jobs/${row.id}/retry` });
    expect(res.statusCode).toBe(402);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await jobs().get(u.id, row.id)).status).toBe('failed');
  });

  it('lists jobs newest first with status/type filters and Stripe pagination', async () => {
    const u = await makeUser(t, { credits: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1);
      ids.push((await jobs().create({ userId: u.id, type: i % 2 ? 'test.fail' : 'test.sleep', input: { i } })).id);
    }
    await jobs().cancel(u.id, ids[0]);
    const all = (await u.request({ method: 'GET', url: '/api/v1/jobs?limit=2' })).json();
    expect(all.object).toBe('list');
    expect(all.data.map((j: { id: string }) => j.id)).toEqual([ids[4], ids[3]]);
    expect(all.has_more).toBe(true);
    const next = (await u.request({ method: 'GET', url: `/api/v1/jobs?limit=2&starting_after=${ids[3]}` })).json();
    expect(next.data.map((j: { id: string }) => j.id)).toEqual([ids[2], ids[1]]);
    const prev = (await u.request({ method: 'GET', url: `/api/v1/jobs?limit=2&ending_before=${ids[2]}` })).json();
    expect(prev.data.map((j: { id: string }) => j.id)).toEqual([ids[4], ids[3]]);
    const fails = (await u.request({ method: 'GET', url: '/api/v1/jobs?type=test.fail' })).json();
    expect(fails.data.map((j: { id: string }) => j.id)).toEqual([ids[3], ids[1]]);
    const canceled = (await u.request({ method: 'GET', url: '/api/v1/jobs?status=canceled' })).json();
    expect(canceled.data.map((j: { id: string }) => j.id)).toEqual([ids[0]]);
    const bad = await u.request({ method: 'GET', url: '/api/v1/jobs?status=exploded' });
    expect(bad.statusCode).toBe(400);
    // As Stripe: one cursor at a time, and a cursor must be one of the caller's objects.
    const both = await u.request({ method: 'GET', url: `/api/v1/jobs?starting_after=${ids[3]}&ending_before=${ids[1]}` });
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({ code: 'invalid_request', errors: [{ param: 'ending_before' }] });
    for (const param of ['starting_after', 'ending_before']) {
      const unknown = await u.request({ method: 'GET', url: `/api/v1/jobs?${param}=job_doesnotexist` });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'resource_missing', errors: [{ param }] });
    }
    for (const id of ids.slice(1)) await jobs().cancel(u.id, id);
  });

  it('gives another user 404 on every job route and needs the right scopes', async () => {
    const owner = await makeUser(t, { credits: 0 });
    const other = await makeUser(t, { credits: 0 });
    const row = await jobs().create({ userId: owner.id, type: 'test.sleep', input: {} });
    const routes: Array<{ method: 'GET' | 'POST' | 'DELETE'; url: string }> = [
      { method: 'GET', url: `/api/v1/jobs/${row.id}` },
      { method: 'GET', url: `/api/v1/jobs/${row.id}/events` },
      { method: 'POST', url: `/api/v1/jobs/${row.id}/cancel` },
      { method: 'POST', url: `/api/v1/jobs/${row.id}/retry` },
      { method: 'DELETE', url: `/api/v1/jobs/${row.id}` },
    ];
    for (const r of routes) {
      const res = await other.request(r);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(404);
      expect(res.json()).toMatchObject({ status: 404, code: 'resource_missing' });
      const missing = await other.request({ ...r, url: r.url.replace(row.id, 'job_doesnotexist') });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().detail).toBe(res.json().detail); // same problem as a missing id
    }
    const list = (await other.request({ method: 'GET', url: '/api/v1/jobs' })).json();
    expect(list.data).toEqual([]);
    const paged = await other.request({ method: 'GET', url: `/api/v1/jobs?starting_after=${row.id}` });
    expect(paged.statusCode).toBe(404);
    expect(paged.json().detail).toBe((await other.request({ method: 'GET', url: '/api/v1/jobs?starting_after=job_doesnotexist' })).json().detail.replace('job_doesnotexist', row.id));
    expect((await jobs().get(owner.id, row.id)).status).toBe('queued');

    // Scopes: jobs:read cannot cancel; no auth → 401.
    const readOnly = await owner.request({ method: 'POST', url: `/api/v1/jobs/${row.id}/cancel`, scopes: ['jobs:read'] });
    expect(readOnly.statusCode).toBe(403);
    expect((await owner.request({ method: 'GET', url: `/api/v1/jobs/${row.id}`, scopes: ['files:read'] })).statusCode).toBe(403);
    expect((await t.http.inject({ method: 'GET', url: `/api/v1/jobs/${row.id}` })).statusCode).toBe(401);
    await jobs().cancel(owner.id, row.id);
  });

  it('DELETE cancels a running job and removes the row → 204, then 404', async () => {
    const u = await makeUser(t, { credits: 3 });
    const row = await jobs().create({ userId: u.id, type: 'test.spawn', input: {}, price: 3 });
    const running = jobs().drain();
    const pid = await waitFor(async () => spawnedPids.get(row.id), 10_000, 'the child process');
    const res = await u.request({ method: 'DELETE', url: `/api/v1/jobs/${row.id}` });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    await running;
    expect(pidAlive(pid)).toBe(false);
    expect((await u.request({ method: 'GET', url: `/api/v1/jobs/${row.id}` })).statusCode).toBe(404);
    expect(await credits().balance(u.id)).toBe(3);
    const links = await t.ctx.db.selectFrom('job_files').select('file_id').where('job_id', '=', row.id).execute();
    expect(links).toEqual([]);
  });

  it('works with a real browser session (cookie + CSRF token)', async () => {
    const u = await signUp(t);
    const balance = await credits().balance(u.id);
    const credit = await u.request({ method: 'GET', url: '/api/v1/credits' });
    expect(credit.statusCode).toBe(200);
    expect(credit.json().balance).toBe(balance);
    const row = await jobs().create({ userId: u.id, type: 'test.sleep', input: {} });
    const list = (await u.request({ method: 'GET', url: '/api/v1/jobs' })).json();
    expect(list.data.map((j: { id: string }) => j.id)).toContain(row.id);
    const noCsrf = await u.request({ method: 'POST', url: `/api/v1/jobs/${row.id}/cancel`, headers: { 'x-csrf-token': 'wrong' } });
    expect(noCsrf.statusCode).toBe(403);
    const ok = await u.request({ method: 'POST', url: `/api/v1/jobs/${row.id}/cancel` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('canceled');
  });

  it('samples job metrics by status and type', async () => {
    await jobs().sampleMetrics();
    const text = await t.ctx.metrics.registry.metrics();
    expect(text).toMatch(/clipmix_jobs\{status="succeeded",type="test.sleep"\} \d+/);
    expect(text).toMatch(/clipmix_queue_depth \d+/);
    expect(text).toMatch(/clipmix_jobs_finished_total\{type="test.fail",status="failed"\} \d+/);
  });

  it('exposes the job routes in the OpenAPI document', async () => {
    const spec = (await t.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const p of ['/api/v1/jobs', '/api/v1/jobs/{id}', '/api/v1/jobs/{id}/events', '/api/v1/jobs/{id}/cancel', '/api/v1/jobs/{id}/retry', '/api/v1/credits']) {
      expect(Object.keys(spec.paths), p).toContain(p);
    }
  });
});

describe.each(DB_KINDS)('job handler registry on %s', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createJobsTestApp({ db });
  });
  afterAll(async () => t?.close());

  it('refuses to start workers when a declared job type has no handler', async () => {
    const handlers = t.ctx.jobHandlers as Map<string, unknown>;
    const declared = JOB_TYPES[0];
    const saved = handlers.get(declared);
    handlers.delete(declared);
    try {
      await expect(t.ctx.services.jobs.startWorkers(1)).rejects.toThrow(new RegExp(`no handler registered for job type ${declared.replace('.', '\\.')}`));
    } finally {
      handlers.set(declared, saved);
    }
    expect(() => t.ctx.services.jobs.assertHandlers(['test.sleep', 'voiceover'])).toThrow(/voiceover/);
    // With every declared type handled, workers start and run jobs on their own.
    await t.ctx.services.jobs.startWorkers(2);
    const u = await makeUser(t);
    const row = await t.ctx.services.jobs.create({ userId: u.id, type: 'test.sleep', input: { ms: 10 } });
    await waitFor(async () => (await t.ctx.services.jobs.get(u.id, row.id)).status === 'succeeded', 10_000, 'the worker');
    await expect(t.ctx.services.jobs.startWorkers(1)).rejects.toThrow(/already running/);
  });
});
