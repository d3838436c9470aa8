import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developer } from '../src/modules/developer/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, startReceiver, type Receiver } from './helpers/keys.js';
import { signUp } from './helpers/session.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/clipmix.js');

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(DB_KINDS)('module background work in `clipmix worker` (%s)', (db) => {
  let t: TestApp;
  let rx: Receiver;
  let worker: ChildProcess | null = null;

  beforeAll(async () => {
    t = await createTestApp({
      db,
      env: { CLIPMIX_ALLOW_LOOPBACK_URLS: '1' },
      // The worker child finds SQLite through CLIPMIX_DATA_DIR, so the database lives there.
      configure: (c) => {
        if (c.database.kind === 'sqlite') c.database = { kind: 'sqlite', file: path.join(c.dataDir, 'clipmix.sqlite') };
      },
    });
    rx = await startReceiver();
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await rx?.close();
    await t?.close();
  });

  it('a delivery scheduled for retry is sent by a process running only workers', { timeout: 90_000 }, async () => {
    const u = await signUp(t);
    const key = await createKey(u, { callback_url: rx.url });
    const webhooks = developer(t.ctx).webhooks;
    const keyRow = (await developer(t.ctx).keys.find(key.id))!;

    // First attempt fails: the delivery is pending with a retry scheduled.
    rx.respond = () => 500;
    const row = await webhooks.enqueue(keyRow, { id: 'evt_background', type: 'job.succeeded', created_at: new Date().toISOString(), data: { object: { id: 'job_x' } } });
    const failed = await webhooks.attemptById(row.id);
    expect(failed).toMatchObject({ status: 'pending', attempt_count: 1 });
    expect(failed!.next_attempt_at).not.toBeNull();
    // Let the retry be due now rather than in ≈ 5 s.
    await t.ctx.db.updateTable('webhook_deliveries').set({ next_attempt_at: new Date().toISOString() }).where('id', '=', row.id).execute();
    rx.respond = () => 200;

    // This process runs no workers, hence no poller: nothing sends the retry.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(rx.requests).toHaveLength(1);

    worker = spawn(process.execPath, [CLI, 'worker', '--concurrency', '1'], {
      env: {
        ...process.env,
        CLIPMIX_DATA_DIR: t.dataDir,
        CLIPMIX_SECRET: t.config.secret,
        CLIPMIX_ALLOW_LOOPBACK_URLS: '1',
        CLIPMIX_LOG_LEVEL: 'warn',
        DATABASE_URL: t.config.database.kind === 'postgres' ? t.config.database.url : '',
        REDIS_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    worker.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => worker!.once('exit', (code) => resolve(code)));

    await waitFor(() => rx.accepted().length === 1 || worker!.exitCode !== null, 60_000, 'the worker to send the retry');
    if (worker.exitCode !== null) throw new Error(`clipmix worker exited ${worker.exitCode}: ${stderr}`);
    expect(rx.accepted()).toHaveLength(1);
    const delivered = rx.accepted()[0]!;
    expect(delivered.headers['webhook-id']).toBe('evt_background');
    await waitFor(
      async () => (await webhooks.get(u.id, row.id)).status === 'succeeded',
      10_000,
      'the delivery row to be marked succeeded',
    );
    expect(await webhooks.get(u.id, row.id)).toMatchObject({ status: 'succeeded', attempt_count: 2, last_status_code: 200 });

    // A clean stop (SIGTERM) stops the poller too.
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
