import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developer } from '../src/modules/developer/index.js';
import { KeyCache, KEY_CACHE_TTL_MS } from '../src/modules/developer/key-cache.js';
import { FLUSH_ROWS, RequestLogBuffer } from '../src/modules/developer/request-log-buffer.js';
import { withStatementCache } from '../src/platform/db/statement-cache.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, withKey } from './helpers/keys.js';
import { signUp } from './helpers/session.js';

/** The pieces that keep an authenticated API request cheap (bench: `npm run bench api-get-job`). */

describe('SQLite statement cache', () => {
  let dir: string;
  let raw: SQLite.Database;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-stmt-'));
    raw = new SQLite(path.join(dir, 'db.sqlite'));
    raw.exec('create table t (id integer primary key, v text)');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands out one prepared statement per SQL text and keeps at most `max` of them (LRU)', () => {
    const db = withStatementCache(raw, 2);
    const a = db.prepare('select * from t where id = ?');
    expect(db.prepare('select * from t where id = ?')).toBe(a);
    const b = db.prepare('select v from t');
    db.prepare('select * from t where id = ?'); // a is now the most recently used
    db.prepare('select id from t'); // evicts b
    expect(db.prepare('select * from t where id = ?')).toBe(a);
    expect(db.prepare('select v from t')).not.toBe(b);
  });

  it('a cached statement still answers correctly after writes and a schema change', () => {
    const db = withStatementCache(raw);
    db.prepare('insert into t (v) values (?)').run(['one']);
    const select = db.prepare('select * from t order by id');
    expect(select.all([])).toEqual([{ id: 1, v: 'one' }]);
    db.prepare('insert into t (v) values (?)').run(['two']);
    raw.exec('alter table t add column w text default \'x\'');
    expect(db.prepare('select * from t order by id')).toBe(select);
    expect(select.all([])).toEqual([
      { id: 1, v: 'one', w: 'x' },
      { id: 2, v: 'two', w: 'x' },
    ]);
  });
});

describe('API key cache', () => {
  const row = (id: string) => ({ id, user_id: 'usr_1' }) as never;

  it('keeps a row for KEY_CACHE_TTL_MS (≤ 2 s), and forgets a key at once when invalidated', () => {
    expect(KEY_CACHE_TTL_MS).toBeLessThanOrEqual(2_000);
    let now = 1_000;
    const cache = new KeyCache(KEY_CACHE_TTL_MS, () => now);
    cache.set('digest-a', row('key_a'));
    cache.set('digest-b', row('key_b'));
    now += KEY_CACHE_TTL_MS - 1;
    expect(cache.get('digest-a')).toMatchObject({ id: 'key_a' });
    cache.invalidate('key_a');
    expect(cache.get('digest-a')).toBeUndefined();
    expect(cache.get('digest-b')).toMatchObject({ id: 'key_b' });
    now += 1;
    expect(cache.get('digest-b')).toBeUndefined();
  });
});

describe('request-log buffer', () => {
  const row = (id: string) => ({ id }) as never;

  it('writes nothing per row: one write per FLUSH_ROWS rows, or per flush(), in order', async () => {
    const writes: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const buffer = new RequestLogBuffer(async (rows) => {
      await gate;
      writes.push(rows.map((r) => r.id));
    });
    for (let i = 0; i < FLUSH_ROWS - 1; i++) buffer.add(row(`a${i}`));
    expect(buffer.size).toBe(FLUSH_ROWS - 1);
    buffer.add(row('full'));
    expect(buffer.size).toBe(0); // handed to one write
    buffer.add(row('b'));
    const flushed = buffer.flush();
    expect(writes).toEqual([]);
    release();
    await flushed;
    expect(writes.map((w) => w.length)).toEqual([FLUSH_ROWS, 1]);
    expect(writes[0]![FLUSH_ROWS - 1]).toBe('full');
    expect(writes[1]).toEqual(['b']);
    await buffer.flush(); // nothing buffered: no empty write
    expect(writes).toHaveLength(2);
  });

  it('a lone row is written by the timer', async () => {
    const writes: number[] = [];
    const buffer = new RequestLogBuffer(async (rows) => void writes.push(rows.length));
    buffer.add(row('x'));
    expect(writes).toEqual([]);
    const deadline = Date.now() + 10_000;
    while (!writes.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(writes).toEqual([1]);
  });
});

describe.each(DB_KINDS)('batched request logs and cached keys on %s', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ db });
  });
  afterAll(async () => t?.close());

  const countLogs = async (keyId: string) =>
    Number((await t.ctx.db.selectFrom('request_logs').select((eb) => eb.fn.countAll().as('n')).where('api_key_id', '=', keyId).executeTakeFirstOrThrow()).n);

  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`never: ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('writes every row of API requests once a batch is full or its timer fires', async () => {
    const u = await signUp(t);
    const k = await createKey(u);
    await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' });
    // The timer writes it without anyone asking.
    await eventually(async () => (await countLogs(k.id)) === 1, 'the timer flushes the batch');

    await Promise.all(Array.from({ length: FLUSH_ROWS }, () => withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' })));
    await eventually(async () => (await countLogs(k.id)) === FLUSH_ROWS + 1, 'a full batch is written');
  });

  it('keeps the rest of a batch when one row cannot be written (its account was deleted meanwhile)', async () => {
    const keep = await signUp(t);
    const gone = await signUp(t);
    await t.ctx.db.deleteFrom('users').where('id', '=', gone.id).execute();
    const logs = developer(t.ctx).requestLogs;
    const row = (id: string, userId: string) => ({
      id,
      user_id: userId,
      api_key_id: `key_${userId}`,
      method: 'GET',
      path: '/api/v1/account',
      status: 200,
      latency_ms: 1,
      credits_charged: 0,
      ip_hash: 'h',
      livemode: 1,
      idempotent_replayed: 0,
      created_at: new Date().toISOString(),
    });
    // One batch: the middle row's user no longer exists (foreign key).
    logs.record(row('req_keep1', keep.id));
    logs.record(row('req_gone', gone.id));
    logs.record(row('req_keep2', keep.id));
    await logs.flush();
    expect(await countLogs(`key_${keep.id}`)).toBe(2);
    expect(await countLogs(`key_${gone.id}`)).toBe(0);
  });

  it('a clean shutdown writes every buffered row', async () => {
    const other = await createTestApp({ db });
    try {
      const u = await signUp(other);
      const k = await createKey(u);
      for (let i = 0; i < 3; i++) await withKey(other, k.secret, { method: 'GET', url: '/api/v1/account' });
      await other.http.close();
      const n = await other.ctx.db.selectFrom('request_logs').select('id').where('api_key_id', '=', k.id).execute();
      expect(n).toHaveLength(3);
    } finally {
      await other.close();
    }
  });

  it('a key revoked in this process is refused on the very next request, though its row was cached', async () => {
    const u = await signUp(t);
    const k = await createKey(u);
    expect((await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' })).statusCode).toBe(200);
    expect((await u.request({ method: 'DELETE', url: `/api/v1/api_keys/${k.id}` })).statusCode).toBe(200);
    const refused = await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('api_key_revoked');
  });
});
