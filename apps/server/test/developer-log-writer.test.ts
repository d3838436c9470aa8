/**
 * Request-log rows on SQLite are written by the background thread (platform/db/checkpointer.ts),
 * off the event loop, and fall back to the main connection whenever that cannot be done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundWriterOf } from '../src/platform/db/connect.js';
import { INSERT_CHUNK } from '../src/modules/developer/request-logs.js';
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

  it('sends a batch of several INSERT chunks as one message, committed as one transaction', async () => {
    const writer = backgroundWriterOf(t.ctx.db)!;
    expect(writer.ready).toBe(true);
    const k = await createKey(alice, { name: 'one-commit' });
    const logs = developer(t.ctx).requestLogs;
    const calls: number[] = [];
    const write = writer.write;
    (writer as { write: typeof writer.write }).write = (statements) => {
      calls.push(statements.length);
      return write(statements);
    };
    try {
      const rows = INSERT_CHUNK * 2 + 7;
      for (let i = 0; i < rows; i++) logs.record(requestLogRow(`req_batch_${i}`, alice.id, k.id));
      await logs.flush();
      expect(calls).toEqual([3]); // three INSERTs, one message
      expect(await countLogs(k.id)).toBe(rows);
    } finally {
      (writer as { write: typeof writer.write }).write = write;
    }
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
