import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developer } from '../src/modules/developer/index.js';
import { KeyCache, KEY_CACHE_TTL_MS } from '../src/modules/developer/key-cache.js';
import { FLUSH_ROWS, RequestLogBuffer } from '../src/modules/developer/request-log-buffer.js';
import { unpackRows, type PackedBatch } from '../src/platform/db/packed-rows.js';
import { withStatementCache } from '../src/platform/db/statement-cache.js';
import { z } from 'zod';
import { sql } from 'kysely';
import { compileFastSerializer, compileFastValidator, serializerCompiler, validatorCompiler } from '../src/http/fast-serializer.js';
import { knownJsonOf, rememberJson } from '../src/platform/known-json.js';
import { jobSchema } from '../src/modules/jobs/schemas.js';
import { isoFromMs, isoNow, ManualClock, systemClock } from '../src/platform/clock.js';
import { SAFETY_NET_PAGES } from '../src/platform/db/checkpointer.js';
import { connectDb } from '../src/platform/db/connect.js';
import { QueryTemplate } from '../src/platform/db/query-template.js';
import { newRequestId } from '../src/platform/ids.js';
import { MemoryRateLimitStore, RateLimiter } from '../src/platform/ratelimit/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, requestLogRow, withKey } from './helpers/keys.js';
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

describe('SQLite rows built from raw values', () => {
  let dir: string;
  let raw: SQLite.Database;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-rows-'));
    raw = new SQLite(path.join(dir, 'db.sqlite'));
    raw.exec("create table a (id integer primary key, name text, n real, b blob, \"__proto__\" text, \"weird \"\"col\"\"\" text)");
    raw.exec("insert into a values (1, 'x', 1.5, x'0102', 'p', 'w'), (2, null, null, null, null, null)");
    raw.exec('create table c (id integer primary key, name text)');
    raw.exec("insert into c values (1, 'other')");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns exactly the objects better-sqlite3 builds (names, order, values, repeated names)', () => {
    const db = withStatementCache(raw);
    for (const q of ['select * from a order by id', 'select a.*, c.* from a join c on c.id = a.id', 'select id, name, id as id from a', 'select count(*) as n from a']) {
      const expected = raw.prepare(q).all();
      const rows = db.prepare(q).all([]) as Record<string, unknown>[];
      expect(rows).toEqual(expected);
      expect(rows.map((r) => Object.keys(r))).toEqual(expected.map((r) => Object.keys(r as object)));
      expect(rows.map((r) => Object.getPrototypeOf(r))).toEqual(expected.map((r) => Object.getPrototypeOf(r)));
      expect([...db.prepare(q).iterate([])]).toEqual(expected);
    }
  });

  it('writes still report changes, and a DDL statement through the cache drops cached statements', () => {
    const db = withStatementCache(raw);
    expect(db.prepare('insert into c (name) values (?)').run(['two']).changes).toBe(1);
    const select = db.prepare('select * from c order by id');
    db.prepare('alter table c add column z integer default 7').run([]);
    expect(db.prepare('select * from c order by id')).not.toBe(select);
    expect(db.prepare('select * from c order by id').all([])).toEqual(raw.prepare('select * from c order by id').all());
  });
});

describe('query templates', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-tpl-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compile once and bind new values by position, directly or inside a transaction', async () => {
    const db = connectDb({ kind: 'sqlite', file: path.join(dir, 'db.sqlite') }) as any;
    try {
      await sql`create table t (id text primary key, owner text, v integer)`.execute(db);
      const insert = new QueryTemplate(3, (d: any, id: string, owner: string, v: number) => d.insertInto('t').values({ id, owner, v }));
      const byIdAndOwner = new QueryTemplate(2, (d: any, id: string, owner: string) =>
        d.selectFrom('t').select(['id', 'v']).where('id', '=', id).where('owner', '=', owner).where('v', '>', 0),
      );
      await insert.execute(db, 'a', 'u1', 1);
      await insert.execute(db, 'b', 'u2', 2);
      expect(await byIdAndOwner.executeTakeFirst(db, 'a', 'u1')).toEqual({ id: 'a', v: 1 });
      expect(await byIdAndOwner.executeTakeFirst(db, 'a', 'u2')).toBeUndefined();
      expect(byIdAndOwner.compile(db, 'b', 'u2').parameters).toEqual(['b', 'u2', 0]);

      // While a transaction holds the connection, a template queues behind it (never runs inside it).
      let seenInside: unknown = 'not yet';
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const trx = db.transaction().execute(async (t: any) => {
        await t.insertInto('t').values({ id: 'c', owner: 'u3', v: 3 }).execute();
        await gate;
      });
      await new Promise((r) => setTimeout(r, 20));
      const read = byIdAndOwner.executeTakeFirst(db, 'c', 'u3').then((r) => (seenInside = r));
      await new Promise((r) => setTimeout(r, 20));
      expect(seenInside).toBe('not yet');
      release();
      await trx;
      await read;
      expect(seenInside).toEqual({ id: 'c', v: 3 });
    } finally {
      await db.destroy();
    }
  });

  it('refuses a template whose argument is not a bound parameter', () => {
    const db = connectDb({ kind: 'sqlite', file: ':memory:' }) as any;
    const bad = new QueryTemplate(1, (d: any, col: string) => d.selectFrom('t').select(sql.ref(col).as('x')));
    expect(() => bad.compile(db, 'id')).toThrow(/QueryTemplate/);
  });
});

describe('WAL checkpoints in a worker thread', () => {
  it('copies committed pages into the database file without the main connection checkpointing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-ckpt-'));
    const file = path.join(dir, 'db.sqlite');
    const db = connectDb({ kind: 'sqlite', file });
    try {
      const autocheckpoint = async () => Number(Object.values((await sql`pragma wal_autocheckpoint`.execute(db)).rows[0] as object)[0]);
      const deadline = Date.now() + 10_000;
      while ((await autocheckpoint()) !== SAFETY_NET_PAGES) {
        if (Date.now() > deadline) throw new Error('the checkpoint worker never took over');
        await new Promise((r) => setTimeout(r, 50));
      }
      await sql`create table t (id integer primary key, v text)`.execute(db);
      const before = statSync(file).size;
      for (let i = 0; i < 200; i++) await sql`insert into t (v) values (${'x'.repeat(2_000)})`.execute(db);
      // 200 × 2 kB is far below the main connection's threshold: only the worker copies it over.
      while (statSync(file).size < before + 300_000) {
        if (Date.now() > deadline) throw new Error('no checkpoint happened');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await sql`select count(*) as n from t`.execute(db)).rows).toEqual([{ n: 200 }]);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fast response serializer', () => {
  const stringify = (schema: z.ZodType, value: unknown) => {
    const r = z.safeEncode(schema, value);
    return r.success ? JSON.stringify(r.data) : null;
  };
  const job = {
    object: 'job',
    id: 'job_1',
    type: 'media.process',
    status: 'running',
    progress: 0.25,
    created_at: '2026-01-01T00:00:00.000Z',
    started_at: null,
    finished_at: null,
    input: { file: 'file_1', nested: { a: [1, 'two', null], b: true }, 'quote"key': 'é\u2028' },
    output: { files: [{ file: 'file_2', role: 'video', extra: 'dropped' }], size_bytes: 12 },
    error: null,
    credits_charged: 3,
    provider: 'local',
    attempts: 1,
    livemode: true,
    not_in_schema: 'dropped',
  };

  it('compiles the job schema and writes exactly what zod + JSON.stringify write', () => {
    const fast = compileFastSerializer(jobSchema)!;
    expect(fast).not.toBeNull();
    const variants: unknown[] = [
      job,
      { ...job, output: null, error: { code: 'x', message: 'y' }, status: 'failed' },
      { ...job, input: {} },
      { ...job, input: Object.create(null) },
      { ...job, progress: 1, attempts: 0 },
      { ...job, provider: 'a"b\\c\n\u0001\ud800 \ud83d\ude00 \u2028 é' },
    ];
    for (const v of variants) expect(fast(v)).toBe(stringify(jobSchema, v));
  });

  it('writes a remembered frozen record from its text, and walks anything else', () => {
    const fast = compileFastSerializer(jobSchema)!;
    const input = Object.freeze({ file: 'file_1', n: 2 });
    // A differently spaced but equal text shows which path wrote the field.
    rememberJson(input, '{"file": "file_1", "n": 2}');
    expect(fast({ ...job, input })).toContain('"input":{"file": "file_1", "n": 2}');
    const thawed = { file: 'file_1', n: 2 };
    rememberJson(thawed, '{"never": "used"}'); // not frozen: not remembered
    expect(fast({ ...job, input: thawed })).toBe(stringify(jobSchema, { ...job, input: thawed }));
    expect(knownJsonOf(null)).toBeUndefined();
    const odd = Object.freeze(JSON.parse('{"__proto__": 1}'));
    rememberJson(odd, '{"__proto__":1}'); // left to zod, as before
    expect(knownJsonOf(odd)).toBeUndefined();
  });

  it('gives up (null) on anything zod would refuse or copy differently', () => {
    const fast = compileFastSerializer(jobSchema)!;
    const invalid: unknown[] = [
      { ...job, status: 'nope' },
      { ...job, progress: 1.5 },
      { ...job, progress: Number.NaN },
      { ...job, attempts: 1.5 },
      { ...job, id: 7 },
      { ...job, started_at: undefined },
      { ...job, input: [] },
      { ...job, input: new Map() },
      { ...job, input: JSON.parse('{"__proto__": 1}') },
      { ...job, input: Object.defineProperty({}, 'hidden', { value: 1, enumerable: false }) },
      { ...job, input: { [Symbol('s')]: 1 } },
      { ...job, output: { files: [{ file: 'f' }], size_bytes: 1 } },
      { ...job, object: 'jobs' },
      null,
      'job',
    ];
    for (const v of invalid) expect(fast(v)).toBeNull();
  });

  it('handles optional, nullable, arrays, unknowns and bounds like zod', () => {
    const schema = z.object({
      a: z.string().min(1).max(3).optional(),
      b: z.number().min(0).max(10).nullable(),
      c: z.array(z.unknown()),
      d: z.unknown(),
      e: z.enum(['x', 'y']),
      f: z.literal([1, 'one', null]),
      g: z.int().gt(0),
      h: z.boolean(),
    });
    const fast = compileFastSerializer(schema)!;
    expect(fast).not.toBeNull();
    const cases: unknown[] = [
      { b: null, c: [undefined, () => 1, { x: 1 }], d: undefined, e: 'x', f: null, g: 1, h: false },
      { a: 'abc', b: 10, c: [], d: () => 1, e: 'y', f: 'one', g: 2 ** 40, h: true },
      { a: undefined, b: 0, c: [1], d: { toJSON: () => 'j' }, e: 'x', f: 1, g: 5, h: true, extra: 1 },
      { a: '', b: 0, c: [], d: 1, e: 'x', f: 1, g: 1, h: true },
      { a: 'abcd', b: 0, c: [], d: 1, e: 'x', f: 1, g: 1, h: true },
      { b: -1, c: [], d: 1, e: 'x', f: 1, g: 1, h: true },
      { b: 0, c: [], d: 1, e: 'x', f: 2, g: 1, h: true },
      { b: 0, c: [], d: 1, e: 'x', f: 1, g: 0, h: true },
      { b: 0, c: {}, d: 1, e: 'x', f: 1, g: 1, h: true },
      { b: 0, c: [], d: 1, e: 'z', f: 1, g: 1, h: 'true' },
    ];
    for (const v of cases) expect(fast(v)).toBe(stringify(schema, v));
  });

  it('validates plain string params like zod, and leaves everything else to zod', () => {
    const params = z.object({ id: z.string().min(1).max(5), other: z.string() });
    const fast = compileFastValidator(params)!;
    expect(fast).not.toBeNull();
    for (const v of [{ id: 'abc', other: '', extra: 1 }, Object.assign(Object.create(null), { other: 'x', id: 'a' })]) {
      expect(fast(v)).toEqual({ value: z.parse(params, v) });
      expect(Object.keys(fast(v)!.value)).toEqual(Object.keys(z.parse(params, v)));
    }
    for (const v of [{ id: '', other: '' }, { id: 'abcdef', other: '' }, { id: 1, other: '' }, { other: '' }, null, ['a']]) {
      expect(fast(v)).toBeNull();
      expect(z.safeParse(params, v).success).toBe(false);
    }
    expect(compileFastValidator(z.object({ id: z.string().optional() }))).toBeNull();
    expect(compileFastValidator(z.object({ n: z.coerce.number() }))).toBeNull();
    expect(compileFastValidator(z.object({ id: z.string().trim() }))).toBeNull();
    const validate = validatorCompiler({ schema: params, method: 'GET', url: '/x', httpPart: 'params' } as never) as (d: unknown) => any;
    expect(validate({ id: 'a', other: 'b' })).toEqual({ value: { id: 'a', other: 'b' } });
    expect(validate({ id: '', other: 'b' }).error).toBeDefined();
  });

  it('leaves schemas it does not understand to zod, and falls back to zod for invalid values', () => {
    expect(compileFastSerializer(z.object({ a: z.string().email() }))).toBeNull();
    expect(compileFastSerializer(z.object({ a: z.union([z.string(), z.number()]) }))).toBeNull();
    expect(compileFastSerializer(z.object({ a: z.string().transform((s) => s.length) }))).toBeNull();
    expect(compileFastSerializer(z.object({ a: z.string() }).passthrough())).toBeNull();
    const serialize = serializerCompiler({ schema: jobSchema, method: 'GET', url: '/x', httpStatus: '200' } as never);
    expect(serialize(job)).toBe(stringify(jobSchema, job));
    expect(() => serialize({ ...job, status: 'nope' })).toThrow();
  });
});

describe('per-request helpers', () => {
  it('request ids: req_ + 20 base62 chars, unique, increasing within a process', () => {
    const ids = Array.from({ length: 5_000 }, () => newRequestId());
    for (const id of ids.slice(0, 10)) expect(id).toMatch(/^req_[0-9A-Za-z]{20}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('ISO timestamps: the same text as Date#toISOString', () => {
    for (const ms of [0, 999, 1_000, 1_767_225_599_999, Date.now(), -1, -62_198_755_200_000, 253_402_300_800_000]) {
      expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
    }
    const clock = new ManualClock(new Date('2026-05-01T10:00:00.123Z'));
    expect(isoNow(clock)).toBe('2026-05-01T10:00:00.123Z');
    expect(Date.parse(isoNow(systemClock))).toBeLessThanOrEqual(Date.now());
  });

  it('the in-memory rate limiter counts the same with or without a promise', async () => {
    const clock = new ManualClock(new Date('2026-05-01T10:00:30.000Z'));
    const limiter = new RateLimiter(new MemoryRateLimitStore(), clock);
    const sync = limiter.hitSync('k', 2, 60)!;
    const async1 = await limiter.hit('k', 2, 60);
    const over = limiter.hitSync('k', 2, 60)!;
    expect([sync.remaining, async1.remaining, over.allowed]).toEqual([1, 0, false]);
    expect(over.resetSeconds).toBe(30);
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

  it('forgets every key of a user whose account is being deleted, and caches none of theirs for a while', () => {
    let now = 1_000;
    const cache = new KeyCache(KEY_CACHE_TTL_MS, () => now);
    const keyOf = (id: string, user: string) => ({ id, user_id: user }) as never;
    cache.set('a1', keyOf('key_a1', 'usr_a'));
    cache.set('b1', keyOf('key_b1', 'usr_b'));
    cache.invalidateUser('usr_a', 60_000);
    expect(cache.get('a1')).toBeUndefined();
    expect(cache.get('b1')).toMatchObject({ id: 'key_b1' });
    cache.set('a1', keyOf('key_a1', 'usr_a'));
    expect(cache.get('a1')).toBeUndefined();
    now += 60_000;
    cache.set('a1', keyOf('key_a1', 'usr_a'));
    expect(cache.get('a1')).toMatchObject({ id: 'key_a1' });
  });
});

describe('request-log buffer', () => {
  // Rows of one field; runs of 3 rows to a parameter list.
  const PER_RUN = 3;
  const newBuffer = (write: (batch: PackedBatch) => Promise<void>) => new RequestLogBuffer(write, PER_RUN, () => []);
  const idsOf = (batch: PackedBatch): string[] =>
    [batch.full, batch.rest].flatMap((runs) => (runs ? unpackRows(runs).flat() : [])).map(String);

  it('writes nothing per row: one write per FLUSH_ROWS rows, or per flush(), in order', async () => {
    const writes: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const buffer = newBuffer(async (batch) => {
      await gate;
      expect(batch.rows).toBe(idsOf(batch).length);
      writes.push(idsOf(batch));
    });
    for (let i = 0; i < FLUSH_ROWS - 1; i++) buffer.add(`a${i}`);
    expect(buffer.size).toBe(FLUSH_ROWS - 1);
    buffer.add('full');
    expect(buffer.size).toBe(0); // handed to one write
    buffer.add('b');
    const flushed = buffer.flush();
    expect(writes).toEqual([]);
    release();
    await flushed;
    expect(writes.map((w) => w.length)).toEqual([FLUSH_ROWS, 1]);
    expect(writes[0]!.slice(0, 2)).toEqual(['a0', 'a1']);
    expect(writes[0]![FLUSH_ROWS - 1]).toBe('full');
    expect(writes[1]).toEqual(['b']);
    await buffer.flush(); // nothing buffered: no empty write
    expect(writes).toHaveLength(2);
  });

  it('a lone row is written by the timer', async () => {
    const writes: number[] = [];
    const buffer = newBuffer(async (batch) => void writes.push(batch.rows));
    buffer.add('x');
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
    const row = (id: string, userId: string) => requestLogRow(id, userId, `key_${userId}`);
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

  it('GET /jobs/{id} answers what toApi() gives, sharing frozen parsed input between requests', async () => {
    const row = {
      id: 'job_x',
      type: 'media.process',
      status: 'failed' as const,
      progress: 0.5,
      created_at: '2026-01-01T00:00:00.000Z',
      started_at: null,
      finished_at: null,
      input: '{"file":"file_1","opts":{"a":[1,2]}}',
      output: '{"files":[{"file":"file_2","role":"video"}],"size_bytes":3}',
      error_code: null,
      error_message: null,
      credits_charged: 2,
      provider: 'local',
      attempts: 1,
      livemode: 1,
    };
    const jobs = t.ctx.services.jobs;
    const a = jobs.toApiReadOnly(row);
    expect(a).toEqual(jobs.toApi(row));
    expect(jobs.toApiReadOnly({ ...row }).input).toBe(a.input);
    expect(Object.isFrozen((a.input as { opts: object }).opts)).toBe(true);
    expect(jobs.toApi(row).input).not.toBe(a.input); // everyone else still gets their own copy
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
