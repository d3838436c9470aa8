/**
 * Request-log rows on SQLite are written by the background thread (platform/db/checkpointer.ts),
 * off the event loop, and fall back to the main connection whenever that cannot be done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundWriterOf } from '../src/platform/db/connect.js';
import { FLUSH_ROWS } from '../src/modules/developer/request-log-buffer.js';
import { developer } from '../src/modules/developer/service.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createKey, requestLogRow, withKey } from './helpers/keys.js';
import { signUp, type TestUser } from './helpers/session.js';
import { waitFor } from './helpers/jobs.js';

describe('request logs through the SQLite background thread', () => {
  let t: TestApp;
  let alice: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ db: 'sqlite' });
    alice = await signUp(t, { name: 'Alice' });
  });
  afterAll(async () => t?.close());

  const countLogs = async (keyId: string) =>
    Number((await t.ctx.db.selectFrom('request_logs').select((e) => e.fn.countAll().as('n')).where('api_key_id', '=', keyId).executeTakeFirstOrThrow()).n);

  it('writes the batches on the background thread once it runs, and they are readable at once', async () => {
    const writer = backgroundWriterOf(t.ctx.db)!;
    expect(writer).not.toBeNull();
    await waitFor(async () => writer.ready, 10_000); // the thread starts a second after the database opens
    const write = writer.write.bind(writer);
    let backgroundWrites = 0;
    (writer as { write: typeof writer.write }).write = (statements) => {
      backgroundWrites++;
      return write(statements);
    };
    const k = await createKey(alice, { name: 'bg' });
    for (let i = 0; i < 5; i++) expect((await withKey(t, k.secret, { method: 'GET', url: '/api/v1/account' })).statusCode).toBe(200);
    const list = await alice.request({ method: 'GET', url: `/api/v1/request_logs?api_key=${k.id}` });
    expect(list.json().data).toHaveLength(5);
    expect(backgroundWrites).toBeGreaterThan(0);
    expect(await countLogs(k.id)).toBe(5);
  });

  it('sends each batch as one message, and runs the statements of a message as one transaction', async () => {
    const writer = backgroundWriterOf(t.ctx.db)!;
    expect(writer.ready).toBe(true);
    const k = await createKey(alice, { name: 'one-commit' });
    const logs = developer(t.ctx).requestLogs;
    const calls: number[] = [];
    const write = writer.write;
    let committed = 0;
    (writer as { write: typeof writer.write }).write = (statements) => {
      calls.push(statements.length);
      return write(statements).then(() => void committed++);
    };
    try {
      const rows = FLUSH_ROWS * 2 + 7;
      for (let i = 0; i < rows; i++) logs.record(requestLogRow(`req_batch_${i}`, alice.id, k.id));
      await logs.flush();
      expect(calls).toHaveLength(3); // two full batches and the flushed rest: three messages
      expect(committed).toBe(3); // each committed by the background thread (none fell back)
      expect(await countLogs(k.id)).toBe(rows);
    } finally {
      (writer as { write: typeof writer.write }).write = write;
    }

    // All or none: a message whose second statement fails commits nothing of the first.
    const insert = "insert into request_logs (id, user_id, api_key_id, method, path, status, latency_ms, credits_charged, ip_hash, livemode, idempotent_replayed, created_at) values (?, ?, ?, 'GET', '/x', 200, 1, 0, 'h', 1, 0, '2026-01-01T00:00:00.000Z')";
    await expect(
      writer.write([
        { sql: insert, runs: [['req_tx_first', alice.id, k.id]] },
        { sql: insert, runs: [['req_tx_second', 'usr_no_such_user', k.id]] }, // foreign key
      ]),
    ).rejects.toThrow(/FOREIGN KEY/i);
    expect(await t.ctx.db.selectFrom('request_logs').select('id').where('id', '=', 'req_tx_first').executeTakeFirst()).toBeUndefined();
    await writer.write([
      { sql: insert, runs: [['req_tx_first', alice.id, k.id]] },
      { sql: insert, runs: [['req_tx_second', alice.id, k.id]] },
    ]);
    expect(await countLogs(k.id)).toBe(FLUSH_ROWS * 2 + 7 + 2);
  });

  it('stores every column of a row as recorded, whatever its path holds', async () => {
    expect(backgroundWriterOf(t.ctx.db)!.ready).toBe(true);
    const k = await createKey(alice, { name: 'columns' });
    const logs = developer(t.ctx).requestLogs;
    const row = {
      ...requestLogRow('req_columns_1', alice.id, k.id),
      method: 'DELETE',
      path: '/api/v1/odd\tpath\\with\nescapes\\N',
      status: 429,
      latency_ms: 12345,
      credits_charged: 7,
      ip_hash: 'f'.repeat(64),
      livemode: 0,
      idempotent_replayed: 1,
      created_at: '2026-11-30T01:02:03.456Z',
    };
    const writer = backgroundWriterOf(t.ctx.db)!;
    const write = writer.write;
    let committed = 0;
    (writer as { write: typeof writer.write }).write = (statements) => write(statements).then(() => void committed++);
    try {
      logs.record(row);
      logs.record({ ...row, id: 'req_columns_2', path: '\\N' });
      await logs.flush();
    } finally {
      (writer as { write: typeof writer.write }).write = write;
    }
    expect(committed).toBe(1); // by the background thread, not the fallback
    const stored = await t.ctx.db.selectFrom('request_logs').selectAll().where('api_key_id', '=', k.id).orderBy('id').execute();
    expect(stored).toEqual([row, { ...row, id: 'req_columns_2', path: '\\N' }]);
  });

  it('a batch the background thread refuses (a deleted account: foreign key) keeps its other rows', async () => {
    const k = await createKey(alice, { name: 'fk' });
    const logs = developer(t.ctx).requestLogs;
    const row = (id: string, userId: string) => requestLogRow(id, userId, k.id);
    expect(backgroundWriterOf(t.ctx.db)!.ready).toBe(true);
    logs.record(row('req_fk_ok_1', alice.id));
    logs.record(row('req_fk_gone', 'usr_no_such_user'));
    logs.record(row('req_fk_ok_2', alice.id));
    await logs.flush();
    expect(await countLogs(k.id)).toBe(2);
  });
});
