import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type RunningContext } from '../src/app.js';
import { randomBase62 } from '../src/platform/ids.js';
import { spawnedPids } from './fixtures/test-jobs.js';
import type { TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createJobsTestApp, makeUser, pidAlive, prepareJobsContext, waitFor } from './helpers/jobs.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

// Scale mode: the API context only enqueues ids; a separate worker context (its own ctx,
// services, queue connections — as a `clipmix worker` process would have) runs the jobs.
describe.each(DB_KINDS)('BullMQ scale mode on %s', (db) => {
  const prefix = `clipmix-test-${randomBase62(10)}`;
  const tuning = { queuePrefix: prefix, backoffBaseMs: 100, resendAfterMs: 0, watchdogMs: 60_000 };
  let api: TestApp;
  let worker: RunningContext;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    api = await createJobsTestApp({ db, env: { REDIS_URL }, tuning });
    worker = await createContext(api.config);
    prepareJobsContext(worker, tuning);
    await worker.services.jobs.startWorkers(2);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('runs a job created in one context in a separate worker context', async () => {
    expect(api.ctx.services.jobs.queueKind).toBe('bullmq');
    const u = await makeUser(api, { credits: 10 });
    const row = await api.ctx.services.jobs.create({ userId: u.id, type: 'test.progress', input: { values: [0.3, 0.6], delayMs: 30 }, price: 10 });
    expect(await redis.keys(`${prefix}:jobs:*`)).not.toEqual([]);
    const done = await waitFor(async () => {
      const r = await api.ctx.services.jobs.get(u.id, row.id);
      return r.status === 'succeeded' ? r : null;
    }, 20_000, 'the BullMQ worker');
    expect(done).toMatchObject({ attempts: 1, progress: 1, lease_owner: null });
    expect(await api.ctx.services.credits.balance(u.id)).toBe(0);
    // Nothing ran in the API context.
    expect(api.ctx.services.jobs.owner).not.toBe(worker.services.jobs.owner);
  });

  it('re-adds a retried row to BullMQ after its backoff', async () => {
    const u = await makeUser(api, { credits: 1 });
    const row = await api.ctx.services.jobs.create({ userId: u.id, type: 'test.fail', input: { failTimes: 1 }, price: 1 });
    const done = await waitFor(async () => {
      const r = await api.ctx.services.jobs.get(u.id, row.id);
      return r.status === 'succeeded' ? r : null;
    }, 20_000, 'the retried job');
    expect(done.attempts).toBe(2);
  });

  it('re-sends a queued row whose message was lost (watchdog)', async () => {
    const u = await makeUser(api);
    const row = await api.ctx.services.jobs.create({ userId: u.id, type: 'test.sleep', input: { ms: 10 } });
    // Lose the message: remove the BullMQ job, keep the row queued.
    await waitFor(async () => (await api.ctx.services.jobs.get(u.id, row.id)).status === 'succeeded', 20_000, 'first run');
    const lostId = `job_${randomBase62(22)}`;
    const now = new Date().toISOString();
    await api.ctx.db
      .insertInto('jobs')
      .values({ ...row, id: lostId, status: 'queued', attempts: 0, progress: 0, output: null, started_at: null, finished_at: null, run_after: now, created_at: now, updated_at: now } as never)
      .execute();
    expect((await api.ctx.services.jobs.get(u.id, lostId)).status).toBe('queued');
    const result = await worker.services.jobs.runWatchdog();
    expect(result.resent).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await api.ctx.services.jobs.get(u.id, lostId)).status === 'succeeded', 20_000, 'the re-sent job');
  });

  it('cancels a job running in the worker context from the API context', async () => {
    const u = await makeUser(api, { credits: 3 });
    const row = await api.ctx.services.jobs.create({ userId: u.id, type: 'test.spawn', input: {}, price: 3 });
    const pid = await waitFor(async () => spawnedPids.get(row.id), 20_000, 'the child process');
    const res = await u.request({ method: 'POST', url: `/api/v1/jobs/${row.id}/cancel` });
    expect(res.json().status).toBe('canceled');
    await waitFor(async () => !pidAlive(pid), 5_000, 'the child to die');
    expect(await api.ctx.services.credits.balance(u.id)).toBe(3);
  });
});
