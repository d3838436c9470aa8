import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORPHAN_GRACE_MS, sweepOrphanBlobs } from '../src/modules/privacy/orphans.js';
import { purgeExpired, type PurgeCounts } from '../src/modules/privacy/retention.js';
import { RETENTION_QUEUE, runRetentionLocked, startRetentionScheduler } from '../src/modules/privacy/scheduler.js';
import { DAY_MS, ManualClock } from '../src/platform/clock.js';
import { newId } from '../src/platform/ids.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { signUp, type TestUser } from './helpers/session.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.each(DB_KINDS)('retention with a controllable clock on %s', (db) => {
  let t: TestApp;
  let u: TestUser;
  const T0 = new Date('2026-05-01T00:00:00.000Z');
  const clock = new ManualClock(T0);
  const at = (ms: number) => new Date(T0.getTime() + ms);

  beforeAll(async () => {
    t = await createTestApp({ db, clock });
    u = await signUp(t);
  });
  afterAll(async () => t?.close());

  async function file(opts: { jobId?: string; parent?: string; name: string }): Promise<{ id: string; key: string }> {
    const p = path.join(t.config.dataDir, `${opts.name}.bin`);
    writeFileSync(p, randomBytes(64));
    const id = await t.ctx.services.media.createFromLocalFile({
      userId: u.id,
      path: p,
      mime: 'application/octet-stream',
      kind: 'other',
      jobId: opts.jobId ?? null,
      parentFileId: opts.parent ?? null,
      role: opts.parent ? 'thumbnail' : opts.jobId ? 'video' : null,
      originalName: opts.name,
    });
    const row = await t.ctx.db.selectFrom('files').select('blob_key').where('id', '=', id).executeTakeFirstOrThrow();
    return { id, key: row.blob_key };
  }

  async function job(type: string, finishedAt: Date | null, inputs: string[]): Promise<string> {
    const id = newId('job');
    const now = T0.toISOString();
    await t.ctx.db
      .insertInto('jobs')
      .values({
        id, user_id: u.id, api_key_id: null, type, status: finishedAt ? 'succeeded' : 'running', progress: finishedAt ? 1 : 0.5,
        input: '{}', output: null, output_size_bytes: 0, error_code: null, error_message: null, attempts: 1, max_attempts: 3,
        credits_charged: 0, provider: 'local', cancel_requested: 0, livemode: 1, lease_owner: null, lease_expires_at: null,
        run_after: now, created_at: now, started_at: now, finished_at: finishedAt?.toISOString() ?? null, updated_at: now,
      })
      .execute();
    for (const f of inputs) await t.ctx.db.insertInto('job_files').values({ job_id: id, file_id: f, direction: 'input', role: 'photo' }).execute();
    return id;
  }

  const fileIds = async () => (await t.ctx.db.selectFrom('files').select('id').where('user_id', '=', u.id).execute()).map((r) => r.id).sort();
  const blobExists = async (key: string) => (await t.ctx.blobs.stat(key)) !== null;

  it('Memory Studio media goes exactly 30 days after its job completed, with derived files and blobs', async () => {
    const p1 = await file({ name: 'p1' });
    const p1thumb = await file({ name: 'p1t', parent: p1.id });
    const shared = await file({ name: 'shared' });
    const p2 = await file({ name: 'p2' });
    const p3 = await file({ name: 'p3' });
    const job1 = await job('memory_video', T0, [p1.id, shared.id]);
    const out1 = await file({ name: 'out1', jobId: job1 });
    await job('memory_video', at(10 * DAY_MS), [p2.id]);
    await job('music_video', T0, [p3.id]); // not Memory Studio: kept
    await job('memory_video', null, [shared.id]); // still running: its input stays
    const before = await fileIds();

    const key = 'job_media:memory_video';
    expect((await purgeExpired(t.ctx, at(30 * DAY_MS - 1)))[key]).toBe(0);
    expect(await fileIds()).toEqual(before);

    expect((await purgeExpired(t.ctx, at(30 * DAY_MS)))[key]).toBe(3);
    const gone = [p1, p1thumb, out1];
    expect(await fileIds()).toEqual(before.filter((id) => !gone.some((g) => g.id === id)));
    for (const g of gone) expect(await blobExists(g.key), g.id).toBe(false);
    for (const k of [shared, p2, p3]) expect(await blobExists(k.key), k.id).toBe(true);
    const links = await t.ctx.db.selectFrom('job_files').select('file_id').where('job_id', '=', job1).execute();
    expect(links.map((l) => l.file_id)).toEqual([shared.id]);

    expect((await purgeExpired(t.ctx, at(40 * DAY_MS - 1)))[key]).toBe(0);
    expect((await purgeExpired(t.ctx, at(40 * DAY_MS)))[key]).toBe(1);
    expect(await blobExists(p2.key)).toBe(false);
    expect(await blobExists(p3.key)).toBe(true);
  });

  it('analytics events are kept 13 months; consent 13 months after the last change', async () => {
    clock.set(T0);
    // A fresh sign-in: the purges above (40 days on) removed the first session.
    const v = await signUp(t);
    expect((await v.request({ method: 'PUT', url: '/api/v1/account/privacy', payload: { analytics: true } })).statusCode).toBe(200);
    const send = () =>
      v.request({
        method: 'POST',
        url: '/api/v1/analytics/events',
        payload: { device_id: 'device_retention_1', session_id: 'session_1', events: [{ type: 'page_view', path: '/', occurred_at: clock.now().toISOString() }] },
      });
    expect((await send()).statusCode).toBe(202);
    clock.set(at(DAY_MS));
    expect((await send()).statusCode).toBe(202);
    const r1 = await purgeExpired(t.ctx, at(395 * DAY_MS - 1));
    expect([r1.analytics_events, r1.privacy_consents]).toEqual([0, 0]);
    const r2 = await purgeExpired(t.ctx, at(395 * DAY_MS));
    expect([r2.analytics_events, r2.privacy_consents]).toEqual([1, 1]);
    expect((await purgeExpired(t.ctx, at(396 * DAY_MS))).analytics_events).toBe(1);
  });

  it('orphaned blobs go on the first sweep a grace period after they were first seen; referenced ones never', async () => {
    const sweep = (ms: number) => sweepOrphanBlobs(t.ctx, at(ms));
    const orphan = `u/${u.id}/orphan.bin`;
    const inflight = `u/${u.id}/inflight.bin`;
    await t.ctx.blobs.put(orphan, Buffer.from('x'));
    await t.ctx.blobs.put(inflight, Buffer.from('y'));
    const kept = await file({ name: 'kept' });
    expect(await sweep(0)).toBe(0);
    const candidates = await t.ctx.db.selectFrom('blob_orphans').select('blob_key').execute();
    expect(candidates.map((c) => c.blob_key).sort()).toEqual([inflight, orphan].sort());
    // The in-flight upload's row arrives: it is no orphan any more.
    await t.ctx.db
      .insertInto('files')
      .values({
        id: newId('file'), user_id: u.id, kind: 'other', purpose: null, role: null, parent_file_id: null, job_id: null, mime: 'application/octet-stream',
        size_bytes: 1, duration_seconds: null, width: null, height: null, original_name: null, blob_key: inflight, metadata: '{}', status: 'ready',
        processing_job_id: null, created_at: T0.toISOString(),
      })
      .execute();
    expect(await sweep(ORPHAN_GRACE_MS - 1)).toBe(0);
    expect(await blobExists(orphan)).toBe(true);
    expect(await sweep(ORPHAN_GRACE_MS)).toBe(1);
    expect(await blobExists(orphan)).toBe(false);
    expect(await blobExists(inflight)).toBe(true);
    expect(await blobExists(kept.key)).toBe(true);
    expect(await t.ctx.db.selectFrom('blob_orphans').selectAll().execute()).toEqual([]);
  });
});

describe('retention scheduler in scale mode (BullMQ)', () => {
  let t: TestApp;
  let redis: Redis;
  const prefix = `cmtest${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await createTestApp({ env: { REDIS_URL } });
    t.ctx.services.jobs.configure({ queuePrefix: prefix });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await t?.close();
  });

  it('one repeatable schedule however many processes start it; a run under the lock', async () => {
    const runs: Array<PurgeCounts | null> = [];
    let first!: () => void;
    const ran = new Promise<void>((r) => (first = r));
    const s1 = await startRetentionScheduler(t.ctx, { onRun: (c) => (runs.push(c), first()) });
    const s2 = await startRetentionScheduler(t.ctx, { onRun: (c) => (runs.push(c), first()) });
    try {
      expect(s1.kind).toBe('bullmq');
      const q = new Queue(RETENTION_QUEUE, { connection: { url: REDIS_URL } as never, prefix });
      expect((await q.getJobSchedulers()).map((s) => s.key)).toEqual(['daily-retention']);
      await q.close();
      await ran;
      expect(runs[0]).toHaveProperty('orphan_blobs');
    } finally {
      await s1.stop();
      await s2.stop();
    }
  });

  it('never runs twice at once: a held lock skips the run', async () => {
    const lock = `${prefix}:retention:lock`;
    await redis.set(lock, 'someone-else');
    expect(await runRetentionLocked(t.ctx, redis, lock)).toBeNull();
    expect(await redis.get(lock)).toBe('someone-else');
    await redis.del(lock);
    expect(await runRetentionLocked(t.ctx, redis, lock)).toHaveProperty('orphan_blobs');
    expect(await redis.get(lock)).toBeNull();
  });
});
