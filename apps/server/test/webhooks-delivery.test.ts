import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { developer } from '../src/modules/developer/index.js';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, retryDelayMs } from '../src/modules/developer/webhooks.js';
import { startBackgroundTasks } from '../src/modules/module.js';
import { ManualClock } from '../src/platform/clock.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, installTestJobRoute, settle, startReceiver, withKey, type CreatedKey, type Receiver, type ReceivedWebhook } from './helpers/keys.js';
import { signUp, type TestUser } from './helpers/session.js';

describe('webhook retry schedule', () => {
  it('is immediate, then ≈ 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (about 3.3 days), with ±10 % jitter', () => {
    const H = 3_600_000;
    expect(RETRY_DELAYS_MS).toEqual([5_000, 300_000, 1_800_000, 2 * H, 5 * H, 10 * H, 14 * H, 20 * H, 24 * H]);
    expect(MAX_ATTEMPTS).toBe(10);
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total / (24 * H)).toBeGreaterThan(3);
    expect(total / (24 * H)).toBeLessThan(3.5);
    expect(retryDelayMs(1, () => 0.5)).toBe(5_000);
    expect(retryDelayMs(1, () => 0)).toBe(4_500);
    expect(retryDelayMs(1, () => 0.999999)).toBe(5_500);
    expect(retryDelayMs(9, () => 0.5)).toBe(24 * H);
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(2);
      expect(d).toBeGreaterThanOrEqual(270_000);
      expect(d).toBeLessThanOrEqual(330_000);
    }
  });
});

describe.each(DB_KINDS)('webhooks on %s', (db) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  let alice: TestUser;
  let bob: TestUser;
  let rx: Receiver;
  let key: CreatedKey;

  beforeAll(async () => {
    t = await createTestApp({ db, clock, env: { CLIPMIX_ALLOW_LOOPBACK_URLS: '1' } });
    await installTestJobRoute(t);
    alice = await signUp(t, { name: 'Alice' });
    bob = await signUp(t, { name: 'Bob' });
    await t.ctx.services.credits.grant(alice.id, 10_000, 'test_grant');
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    rx = await startReceiver();
    key = await createKey(alice, { name: 'hooks', callback_url: rx.url });
  });
  afterEach(async () => {
    await settle(t);
    await rx.close();
  });

  const webhooks = () => developer(t.ctx).webhooks;
  const createJob = async (k: CreatedKey, body: Record<string, unknown> = {}) => {
    const res = await withKey(t, k.secret, { method: 'POST', url: '/api/v1/test_jobs', payload: { price: 1, ...body } });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string };
  };
  const runJobs = async () => {
    await t.ctx.services.jobs.drain();
    await settle(t);
  };
  const verify = (k: CreatedKey, r: ReceivedWebhook) => new Webhook(k.webhook_secret!).verify(r.body, r.headers as Record<string, string>) as any;
  const deliveries = async (k: CreatedKey, query = '') => {
    const res = await alice.request({ method: 'GET', url: `/api/v1/webhook_deliveries?api_key=${k.id}${query}` });
    expect(res.statusCode).toBe(200);
    return res.json().data as any[];
  };
  /** Advances the clock and runs due retries (as the poller of any API process would). */
  const advance = async (ms: number) => {
    clock.advance(ms);
    await webhooks().deliverDue();
    await settle(t);
  };

  describe('happy paths', () => {
    it('POSTs job.succeeded with the job as the API returns it, signed per Standard Webhooks', async () => {
      const job = await createJob(key);
      expect(rx.requests).toHaveLength(0);
      await runJobs();
      expect(rx.requests).toHaveLength(1);
      const r = rx.requests[0]!;
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['webhook-id']).toMatch(/^evt_[0-9A-Za-z]{22}$/);
      expect(r.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
      expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
      const event = verify(key, r);
      const apiJob = (await withKey(t, key.secret, { method: 'GET', url: `/api/v1/jobs/${job.id}` })).json();
      expect(event).toEqual({ id: r.headers['webhook-id'], type: 'job.succeeded', created_at: apiJob.finished_at, data: { object: apiJob } });
      expect(apiJob.status).toBe('succeeded');
      // A wrong secret or a tampered body does not verify.
      const other = await createKey(alice, { callback_url: rx.url });
      expect(() => verify(other, r)).toThrow();
      expect(() => new Webhook(key.webhook_secret!).verify(r.body.replace('succeeded', 'failed'), r.headers as Record<string, string>)).toThrow();

      const [d] = await deliveries(key);
      expect(d).toMatchObject({
        object: 'webhook_delivery',
        event_id: event.id,
        event_type: 'job.succeeded',
        api_key: key.id,
        job: job.id,
        url: rx.url,
        status: 'succeeded',
        attempt_count: 1,
        max_attempts: 10,
        next_attempt_at: null,
        last_status_code: 200,
        last_error: null,
        livemode: true,
        payload: event,
      });
      expect(d.attempts).toEqual([expect.objectContaining({ object: 'webhook_attempt', attempt: 1, status_code: 200, error: null, response_excerpt: 'ok' })]);
      expect(d.id).toMatch(/^whdel_/);
    });

    it('sends job.failed and job.canceled too; nothing for session jobs or keys without a callback', async () => {
      const failed = await createJob(key, { type: 'test.fail', input: { permanent: true } });
      await runJobs();
      const queued = await createJob(key, { type: 'test.sleep' });
      const cancel = await withKey(t, key.secret, { method: 'POST', url: `/api/v1/jobs/${queued.id}/cancel` });
      expect(cancel.json().status).toBe('canceled');
      await settle(t);
      const events = rx.requests.map((r) => verify(key, r));
      expect(events.map((e) => [e.type, e.data.object.id])).toEqual([
        ['job.failed', failed.id],
        ['job.canceled', queued.id],
      ]);
      expect(events[0].data.object.error).toMatchObject({ code: 'unsupported_input' });

      const plain = await createKey(alice, { name: 'no callback' });
      await createJob(plain);
      await t.ctx.services.jobs.create({ userId: alice.id, type: 'test.sleep', input: {} }); // session / internal job
      await runJobs();
      expect(rx.requests).toHaveLength(2);
    });

    it('a receiver that fails and then recovers gets every event (retries ≈ 5 s, then ≈ 5 min)', async () => {
      let failing = true;
      rx.respond = () => (failing ? 500 : 200);
      const jobs = [await createJob(key), await createJob(key), await createJob(key)];
      await runJobs();
      expect(rx.requests).toHaveLength(3);
      let ds = await deliveries(key);
      expect(ds.map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
      for (const d of ds) {
        const wait = Date.parse(d.next_attempt_at) - clock.now().getTime();
        expect(wait).toBeGreaterThanOrEqual(4_500);
        expect(wait).toBeLessThanOrEqual(5_500);
        expect(d.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 500, error: 'HTTP 500', response_excerpt: 'nope' })]);
      }
      // Not due yet: nothing is sent.
      await advance(4_000);
      expect(rx.requests).toHaveLength(3);
      await advance(2_000); // attempt 2, still failing
      expect(rx.requests).toHaveLength(6);
      ds = await deliveries(key);
      for (const d of ds) {
        const wait = Date.parse(d.next_attempt_at) - clock.now().getTime();
        expect(wait).toBeGreaterThanOrEqual(270_000);
        expect(wait).toBeLessThanOrEqual(330_000);
      }
      failing = false;
      await advance(60_000); // not due
      expect(rx.requests).toHaveLength(6);
      await advance(5 * 60_000);
      expect(rx.accepted()).toHaveLength(3);
      const got = rx.accepted().map((r) => verify(key, r));
      expect(got.map((e) => e.data.object.id).sort()).toEqual(jobs.map((j) => j.id).sort());
      // Retries carry the same webhook-id (receivers de-duplicate on it).
      const ids = new Set(rx.requests.map((r) => r.headers['webhook-id']));
      expect(ids.size).toBe(3);
      ds = await deliveries(key);
      for (const d of ds) {
        expect(d).toMatchObject({ status: 'succeeded', attempt_count: 3, next_attempt_at: null, last_status_code: 200 });
        expect(d.attempts.map((a: any) => a.status_code)).toEqual([500, 500, 200]);
      }
    });

    it('gives up after 10 attempts over about 3.3 days', async () => {
      rx.respond = () => 503;
      await createJob(key);
      await runJobs();
      for (const delay of RETRY_DELAYS_MS) await advance(delay * 1.11);
      expect(rx.requests).toHaveLength(10);
      const [d] = await deliveries(key);
      expect(d).toMatchObject({ status: 'failed', attempt_count: 10, next_attempt_at: null, last_status_code: 503 });
      await advance(48 * 3_600_000);
      expect(rx.requests).toHaveLength(10);
    });

    it('replays a delivery: same event id and payload, freshly signed, logged as a new delivery', async () => {
      await createJob(key);
      await runJobs();
      const [original] = await deliveries(key);
      const logsKey = await createKey(alice, { scopes: ['logs:read'] });
      const res = await withKey(t, logsKey.secret, { method: 'POST', url: `/api/v1/webhook_deliveries/${original.id}/replay` });
      expect(res.statusCode).toBe(200);
      const replay = res.json();
      expect(replay).toMatchObject({ replay_of: original.id, event_id: original.event_id, status: 'succeeded', attempt_count: 1, max_attempts: 1, payload: original.payload });
      expect(replay.id).not.toBe(original.id);
      expect(rx.requests).toHaveLength(2);
      expect(rx.requests[1]!.headers['webhook-id']).toBe(original.event_id);
      expect(verify(key, rx.requests[1]!)).toEqual(original.payload);
      const one = await alice.request({ method: 'GET', url: `/api/v1/webhook_deliveries/${replay.id}` });
      expect(one.json()).toMatchObject({ id: replay.id, attempts: [expect.objectContaining({ status_code: 200 })] });
    });

    it('sends a test.ping event on request (session) and reports the result', async () => {
      const res = await alice.request({ method: 'POST', url: `/api/v1/api_keys/${key.id}/test_webhook` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ event_type: 'test.ping', status: 'succeeded', attempt_count: 1, last_status_code: 200 });
      const event = verify(key, rx.requests[0]!);
      expect(event).toMatchObject({ type: 'test.ping', data: { object: { object: 'api_key', id: key.id } } });
      rx.respond = () => 500;
      const failed = await alice.request({ method: 'POST', url: `/api/v1/api_keys/${key.id}/test_webhook` });
      expect(failed.json()).toMatchObject({ status: 'failed', last_status_code: 500, last_error: 'HTTP 500' });
    });
  });

  describe('errors', () => {
    it('410 Gone disables the key\'s callback; a successful test event re-enables it', async () => {
      rx.respond = ({ n }) => (n === 1 ? 500 : 410);
      await createJob(key);
      await runJobs();
      expect((await deliveries(key)).map((d) => d.status)).toEqual(['pending']);
      clock.advance(10);
      await createJob(key);
      await runJobs();
      const ds = await deliveries(key);
      // The 410 fails its delivery and ends the pending retries of the key's other deliveries.
      expect(ds.map((d) => [d.status, d.last_status_code])).toEqual([
        ['failed', 410],
        ['failed', 500],
      ]);
      expect(ds[1].last_error).toMatch(/410 Gone/);
      expect(rx.requests).toHaveLength(2);
      const k = (await alice.request({ method: 'GET', url: `/api/v1/api_keys/${key.id}` })).json();
      expect(k.callback_disabled_at).toBeTruthy();
      const sent = rx.requests.length;
      await createJob(key);
      await runJobs();
      await advance(3_600_000);
      expect(rx.requests).toHaveLength(sent); // nothing more while disabled
      expect(await deliveries(key)).toHaveLength(2);

      rx.respond = () => 204;
      const test = await alice.request({ method: 'POST', url: `/api/v1/api_keys/${key.id}/test_webhook` });
      expect(test.json().status).toBe('succeeded');
      expect((await alice.request({ method: 'GET', url: `/api/v1/api_keys/${key.id}` })).json().callback_disabled_at).toBeNull();
      await createJob(key);
      await runJobs();
      expect(rx.accepted().map((r) => verify(key, r).type)).toEqual(['test.ping', 'job.succeeded']);
    });

    it('does not follow redirects: a 3xx is a failed attempt, retried later', async () => {
      const elsewhere = await startReceiver();
      rx.respond = () => ({ status: 302, headers: { location: elsewhere.url } });
      await createJob(key);
      await runJobs();
      const [d] = await deliveries(key);
      expect(d.status).toBe('pending');
      expect(d.attempts[0]).toMatchObject({ status_code: null });
      expect(d.attempts[0].error).toMatch(/^redirect_refused/);
      expect(elsewhere.requests).toHaveLength(0);
      await elsewhere.close();
    });

    it('times out slow receivers (15 s in production; shortened here) and retries', async () => {
      webhooks().timeoutMs = 300;
      try {
        rx.respond = ({ n }) => (n === 1 ? { status: 200, delayMs: 1_500 } : 200);
        await createJob(key);
        await runJobs();
        let [d] = await deliveries(key);
        expect(d.status).toBe('pending');
        expect(d.attempts[0].error).toMatch(/^timeout/);
        await advance(6_000);
        [d] = await deliveries(key);
        expect(d).toMatchObject({ status: 'succeeded', attempt_count: 2 });
      } finally {
        webhooks().timeoutMs = 15_000;
      }
    });

    it('an unreachable receiver is a failed attempt with the reason logged', async () => {
      const gone = await startReceiver();
      await gone.close();
      const k = await createKey(alice, { callback_url: gone.url });
      await createJob(k);
      await runJobs();
      const [d] = await deliveries(k);
      expect(d).toMatchObject({ status: 'pending', last_status_code: null });
      expect(d.last_error).toMatch(/ECONNREFUSED/);
    });

    it('stops retrying when the key is revoked', async () => {
      rx.respond = () => 500;
      await createJob(key);
      await runJobs();
      await alice.request({ method: 'DELETE', url: `/api/v1/api_keys/${key.id}` });
      await advance(6_000);
      const [d] = await deliveries(key);
      expect(d).toMatchObject({ status: 'failed', attempt_count: 2, last_error: 'api_key_revoked' });
      expect(rx.requests).toHaveLength(1);
      const replay = await alice.request({ method: 'POST', url: `/api/v1/webhook_deliveries/${d.id}/replay` });
      expect(replay.statusCode).toBe(409);
      expect(replay.json().code).toBe('api_key_revoked');
    });

    it('test events need a callback URL', async () => {
      const plain = await createKey(alice);
      const res = await alice.request({ method: 'POST', url: `/api/v1/api_keys/${plain.id}/test_webhook` });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('callback_url_missing');
    });

    it('404 for unknown deliveries; list filters validate', async () => {
      expect((await alice.request({ method: 'GET', url: '/api/v1/webhook_deliveries/whdel_nope' })).statusCode).toBe(404);
      expect((await alice.request({ method: 'POST', url: '/api/v1/webhook_deliveries/whdel_nope/replay' })).statusCode).toBe(404);
      expect((await alice.request({ method: 'GET', url: '/api/v1/webhook_deliveries?status=lost' })).statusCode).toBe(400);
    });
  });

  describe('security and concurrency', () => {
    it("another account's deliveries are invisible (404), with a session or a key", async () => {
      await createJob(key);
      await runJobs();
      const [d] = await deliveries(key);
      const bobKey = await createKey(bob, { scopes: ['logs:read'] });
      for (const res of [
        await bob.request({ method: 'GET', url: `/api/v1/webhook_deliveries/${d.id}` }),
        await bob.request({ method: 'POST', url: `/api/v1/webhook_deliveries/${d.id}/replay` }),
        await withKey(t, bobKey.secret, { method: 'GET', url: `/api/v1/webhook_deliveries/${d.id}` }),
        await withKey(t, bobKey.secret, { method: 'POST', url: `/api/v1/webhook_deliveries/${d.id}/replay` }),
      ]) {
        expect(res.statusCode).toBe(404);
      }
      expect((await bob.request({ method: 'GET', url: '/api/v1/webhook_deliveries' })).json().data).toEqual([]);
      expect(rx.requests).toHaveLength(1);
      // Without logs:read a key cannot list or replay.
      const noLogs = await createKey(alice, { scopes: ['jobs:read', 'jobs:write'] });
      expect((await withKey(t, noLogs.secret, { method: 'POST', url: `/api/v1/webhook_deliveries/${d.id}/replay` })).statusCode).toBe(403);
    });

    it('several processes polling at once deliver each attempt exactly once', async () => {
      rx.respond = ({ n }) => (n <= 5 ? 500 : 200);
      for (let i = 0; i < 5; i++) await createJob(key);
      await runJobs();
      expect(rx.requests).toHaveLength(5);
      clock.advance(6_000);
      const counts = await Promise.all([webhooks().deliverDue(), webhooks().deliverDue(), webhooks().deliverDue(), webhooks().deliverDue()]);
      await settle(t);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
      expect(rx.requests).toHaveLength(10);
      expect(rx.accepted()).toHaveLength(5);
    });

    it('the delivery poller of a worker-running process picks up due retries by itself', async () => {
      rx.respond = ({ n }) => (n === 1 ? 500 : 200);
      await createJob(key);
      await runJobs();
      clock.advance(6_000);
      // Nothing polls in a process without workers (this test app): the retry waits.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(rx.accepted()).toHaveLength(0);
      const background = startBackgroundTasks(t.ctx);
      try {
        const deadline = Date.now() + 5_000;
        while (rx.accepted().length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await background.stop();
      }
      expect(rx.accepted()).toHaveLength(1);
    });
  });
});
