import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type RunningContext } from '../src/app.js';
import { loadConfig, type Config } from '../src/config/env.js';
import { ManualClock } from '../src/platform/clock.js';
import type { TestApp } from './helpers/app.js';
import { DB_KINDS, freshDatabase, type FreshDatabase } from './helpers/db.js';
import { createJobsTestApp, makeUser, pidAlive, prepareJobsContext, waitFor } from './helpers/jobs.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverDir = path.resolve(here, '..');

describe.each(DB_KINDS)('a worker killed mid-job on %s', (db) => {
  let fresh: FreshDatabase;
  let dataDir: string;
  let config: Config;
  let ctx: RunningContext | undefined;

  beforeAll(async () => {
    fresh = await freshDatabase(db);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-crash-'));
    config = loadConfig({ CLIPMIX_DATA_DIR: dataDir, CLIPMIX_LOG_LEVEL: 'silent', CLIPMIX_WORKERS: '0', ...(fresh.url ? { DATABASE_URL: fresh.url } : {}) });
    if (fresh.config.kind === 'sqlite') config.database = fresh.config;
  });
  afterAll(async () => {
    await ctx?.close();
    await fresh?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGKILL → after restart the watchdog re-queues the job and it succeeds on attempt 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/jobs-crash-child.ts')], {
      cwd: serverDir,
      env: {
        ...process.env,
        CRASH_DATA_DIR: dataDir,
        ...(fresh.config.kind === 'sqlite' ? { CRASH_DB_FILE: fresh.config.file } : { CRASH_DB_URL: fresh.url! }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const ready = await new Promise<string[]>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const line = out.split('\n').find((l) => l.startsWith('READY '));
        if (line) resolve(line.split(' ').slice(1));
      });
      void exited.then(({ code }) => reject(new Error(`child exited (${code}) before READY: ${stderr}`)));
      setTimeout(() => reject(new Error(`child not ready in time: ${stderr}`)), 45_000);
    });
    const [jobId, userId, childPid] = ready;
    expect(pidAlive(Number(childPid))).toBe(true);

    child.kill('SIGKILL');
    expect(await exited).toMatchObject({ signal: 'SIGKILL' });
    const orphanDirs = () => readdirSync(os.tmpdir()).filter((n) => n.startsWith(`clipmix-job-${childPid}-${jobId}-`));
    expect(orphanDirs()).toHaveLength(1); // the killed attempt could not clean up

    // Restart: a new context on the same database, its clock past the dead worker's lease.
    const clock = new ManualClock(new Date(Date.now() + 31_000));
    ctx = await createContext(config, { clock });
    prepareJobsContext(ctx);
    const jobs = ctx.services.jobs;
    const orphan = await jobs.get(userId, jobId);
    expect(orphan).toMatchObject({ status: 'running', attempts: 1 });
    expect(orphan.lease_owner).not.toBe(jobs.owner);
    expect(await ctx.services.credits.balance(userId)).toBe(0);
    expect(await jobs.sweepTempDirs()).toBeGreaterThanOrEqual(1);
    expect(orphanDirs()).toEqual([]);

    expect(await jobs.runWatchdog()).toMatchObject({ requeued: 1, failed: 0, canceled: 0 });
    const requeued = await jobs.get(userId, jobId);
    expect(requeued).toMatchObject({ status: 'queued', attempts: 1, lease_owner: null, error_code: 'lease_expired' });
    expect(Date.parse(requeued.run_after)).toBe(clock.now().getTime() + 2_000);

    clock.advance(2_000);
    expect(await jobs.drain()).toBe(1);
    const done = await jobs.get(userId, jobId);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, progress: 1 });
    expect(jobs.toApi(done).error).toBeNull();
    expect(await ctx.services.credits.balance(userId)).toBe(0); // charged once, not refunded
  });
});

describe.each(DB_KINDS)('the lease watchdog on %s', (db) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    t = await createJobsTestApp({ db, clock });
  });
  afterAll(async () => t?.close());

  /** Pretends a worker in another process claimed the row and died. */
  async function orphan(id: string, attempts: number, extra: { cancel_requested?: number } = {}) {
    await t.ctx.db
      .updateTable('jobs')
      .set({ status: 'running', attempts, lease_owner: 'dead-host:1:x', lease_expires_at: new Date(clock.now().getTime() - 1).toISOString(), started_at: clock.now().toISOString(), ...extra })
      .where('id', '=', id)
      .execute();
  }

  it('fails a job whose attempts are exhausted with lease_expired and refunds it', async () => {
    const u = await makeUser(t, { credits: 6 });
    const row = await t.ctx.services.jobs.create({ userId: u.id, type: 'test.sleep', input: {}, price: 6 });
    await orphan(row.id, 3);
    expect(await t.ctx.services.jobs.runWatchdog()).toMatchObject({ failed: 1 });
    const r = await t.ctx.services.jobs.get(u.id, row.id);
    expect(t.ctx.services.jobs.toApi(r)).toMatchObject({ status: 'failed', error: { code: 'lease_expired' } });
    expect(await t.ctx.services.credits.balance(u.id)).toBe(6);
  });

  it('cancels an orphaned job whose cancel was requested', async () => {
    const u = await makeUser(t, { credits: 2 });
    const row = await t.ctx.services.jobs.create({ userId: u.id, type: 'test.sleep', input: {}, price: 2 });
    await orphan(row.id, 1, { cancel_requested: 1 });
    expect(await t.ctx.services.jobs.runWatchdog()).toMatchObject({ canceled: 1 });
    expect((await t.ctx.services.jobs.get(u.id, row.id)).status).toBe('canceled');
    expect(await t.ctx.services.credits.balance(u.id)).toBe(2);
  });

  it('leaves live leases alone', async () => {
    const u = await makeUser(t);
    const row = await t.ctx.services.jobs.create({ userId: u.id, type: 'test.sleep', input: {} });
    await orphan(row.id, 1);
    await t.ctx.db.updateTable('jobs').set({ lease_expires_at: new Date(clock.now().getTime() + 10_000).toISOString() }).where('id', '=', row.id).execute();
    expect(await t.ctx.services.jobs.runWatchdog()).toMatchObject({ requeued: 0, failed: 0, canceled: 0 });
    expect((await t.ctx.services.jobs.get(u.id, row.id)).status).toBe('running');
    await t.ctx.db.updateTable('jobs').set({ status: 'canceled' }).where('id', '=', row.id).execute();
  });

  it('runs at worker start-up, and the worker then re-runs the job', async () => {
    const u = await makeUser(t);
    const row = await t.ctx.services.jobs.create({ userId: u.id, type: 'test.sleep', input: { ms: 10 } });
    await orphan(row.id, 1);
    t.ctx.services.jobs.configure({ backoffBaseMs: 0 });
    await t.ctx.services.jobs.startWorkers(1);
    const done = await waitFor(async () => {
      const r = await t.ctx.services.jobs.get(u.id, row.id);
      return r.status === 'succeeded' ? r : null;
    }, 10_000, 'the re-run');
    expect(done.attempts).toBe(2);
  });
});
