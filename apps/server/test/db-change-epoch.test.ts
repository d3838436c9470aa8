/**
 * The SQLite change epoch (platform/db/change-epoch.ts) and the GET /jobs/{id} row cache built
 * on it: a cached row must never outlive a commit by this connection, and never outlive one by
 * another connection or process (simulated by a second better-sqlite3 connection to the same
 * file) by more than CHANGE_EPOCH_REUSE_MS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_EPOCH_REUSE_MS, changeEpochOf, EpochCache, registerChangeEpoch } from '../src/platform/db/change-epoch.js';
import { connectDb, type Db } from '../src/platform/db/connect.js';
import type { TestApp } from './helpers/app.js';
import { createJobsTestApp, makeUser } from './helpers/jobs.js';

describe('SQLite change epoch', () => {
  let dir = '';
  let db: Db;
  let other: SQLite.Database;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-epoch-'));
    const file = path.join(dir, 'e.sqlite');
    db = connectDb({ kind: 'sqlite', file });
    await sql`create table t (x integer)`.execute(db);
    other = new SQLite(file);
  });

  afterAll(async () => {
    other?.close();
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Long enough for a commit by another connection to be seen (the reuse window has passed). */
  const pastReuseWindow = () => new Promise((r) => setTimeout(r, CHANGE_EPOCH_REUSE_MS + 2));

  it('stands while nothing is committed and moves with every commit, from any connection', async () => {
    const epoch = changeEpochOf(db)!;
    expect(epoch).toBeTypeOf('function');
    const e0 = epoch();
    expect(e0).toBeTypeOf('number');
    await sql`select count(*) from t`.execute(db);
    other.prepare('select count(*) from t').get();
    await pastReuseWindow();
    expect(epoch()).toBe(e0); // reads change nothing

    other.prepare('insert into t values (1)').run(); // another connection (another process)
    await pastReuseWindow();
    const e1 = epoch();
    expect(e1).not.toBe(e0);
    expect(epoch()).toBe(e1);

    await sql`insert into t values (2)`.execute(db); // this connection: at once, no waiting
    const e2 = epoch();
    expect(e2).not.toBe(e1);
    await db.insertInto('t' as never).values({ x: 3 } as never).execute(); // through Kysely's driver
    const e3 = epoch();
    expect(e3).not.toBe(e2);
    await db.transaction().execute(async (trx) => {
      await sql`insert into t values (4)`.execute(trx);
    });
    expect(epoch()).not.toBe(e3); // a committed transaction

    const e4 = epoch();
    other.pragma('wal_checkpoint(TRUNCATE)'); // a WAL restart
    other.prepare('insert into t values (5)').run();
    await pastReuseWindow();
    expect(epoch()).not.toBe(e4);
  });

  it('reads the header at most once per reuse window for other connections, and at once after its own writes', async () => {
    // A second epoch on the same file with a hand-driven clock: the window is about time only.
    let clock = 0;
    const probe = connectDb({ kind: 'sqlite', file: path.join(dir, 'e.sqlite') });
    const registered = registerChangeEpoch(probe, path.join(dir, 'e.sqlite'), () => clock);
    try {
      const epoch = changeEpochOf(probe)!;
      const e0 = epoch();
      other.prepare('insert into t values (10)').run();
      clock += CHANGE_EPOCH_REUSE_MS / 2;
      expect(epoch()).toBe(e0); // inside the window: the header is not read again
      clock += CHANGE_EPOCH_REUSE_MS;
      const e1 = epoch();
      expect(e1).not.toBe(e0); // past it: the other connection's commit is seen

      registered.noteWrite(); // this connection wrote (even uncommitted): moves at once
      expect(epoch()).not.toBe(e1);
    } finally {
      registered.drop();
      await probe.destroy();
    }
  });

  it('is absent where it cannot be read: in-memory databases', async () => {
    const mem = connectDb({ kind: 'sqlite', file: ':memory:' });
    expect(changeEpochOf(mem)).toBeNull();
    await mem.destroy();
  });

  it('EpochCache hands a value back only under the epoch it was stored with, and stays bounded', () => {
    const c = new EpochCache<string>(2);
    c.set('a', 1, 'A');
    expect(c.get('a', 1)).toBe('A');
    expect(c.get('a', 2)).toBeUndefined();
    c.set('b', 1, 'B');
    c.set('c', 1, 'C');
    expect(c.get('a', 1)).toBeUndefined(); // the oldest went
    expect(c.get('c', 1)).toBe('C');
  });
});

describe('GET /jobs/{id} on SQLite reuses the row until the next commit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createJobsTestApp({ db: 'sqlite' });
  });
  afterAll(async () => t?.close());

  it('serves a polled job from the cache, a change by another process within the reuse window, its own at once', async () => {
    const u = await makeUser(t, { credits: 100 });
    const jobs = t.ctx.services.jobs;
    const row = await jobs.create({ userId: u.id, type: 'test.sleep', input: { ms: 20 }, price: 1 });

    const first = await jobs.getForApi(u.id, row.id);
    expect(first.status).toBe('queued');
    expect(Object.isFrozen(first)).toBe(true);
    expect(await jobs.getForApi(u.id, row.id)).toBe(first); // nothing committed: the same row

    // Another process (e.g. `clipmix worker`) moves the job on: the next poll sees it.
    const file = t.config.database.kind === 'sqlite' ? t.config.database.file : '';
    const other = new SQLite(file);
    try {
      other.prepare("update jobs set status = 'running', progress = 0.5 where id = ?").run(row.id);
    } finally {
      other.close();
    }
    await new Promise((r) => setTimeout(r, CHANGE_EPOCH_REUSE_MS + 2));
    const res = await u.request({ method: 'GET', url: `/api/v1/jobs/${row.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: row.id, status: 'running', progress: 0.5 });

    // This process's own change (canceling a queued job) shows at once too.
    const queued = await jobs.create({ userId: u.id, type: 'test.sleep', input: { ms: 20 }, price: 1 });
    expect((await u.request({ method: 'GET', url: `/api/v1/jobs/${queued.id}` })).json()).toMatchObject({ status: 'queued' });
    const canceled = await u.request({ method: 'POST', url: `/api/v1/jobs/${queued.id}/cancel` });
    expect(canceled.json()).toMatchObject({ status: 'canceled' });
    const after = await u.request({ method: 'GET', url: `/api/v1/jobs/${queued.id}` });
    expect(after.json()).toMatchObject({ status: 'canceled' });

    // Another user still gets 404 for it (the cache is per user).
    const stranger = await makeUser(t);
    expect((await stranger.request({ method: 'GET', url: `/api/v1/jobs/${row.id}` })).statusCode).toBe(404);
  });
});
