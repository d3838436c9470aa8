/**
 * Migration 20261130000100: request_logs rebuilt keyed by (user_id, created_at, id) with a unique
 * index on id, and back. Rows survive both directions, and the queries the API and the purge
 * run use the key (SQLite's plan), not a scan.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connectDb, type Db } from '../src/platform/db/connect.js';
import { migrateDown, migrateToLatest, migrator } from '../src/platform/db/migrate.js';
import { DB_KINDS, freshDatabase, type FreshDatabase } from './helpers/db.js';

const BEFORE = '20261129000600_privacy';

async function seed(db: Db): Promise<void> {
  const now = '2026-11-01T00:00:00.000Z';
  await db
    .insertInto('users')
    .values({ id: 'usr_a', email: 'a@example.com', name: 'A', password_hash: 'h', email_verified_at: null, locale: 'en', credits_balance: 0, created_at: now, updated_at: now })
    .execute();
  for (let i = 0; i < 3; i++) {
    await db
      .insertInto('request_logs')
      .values({
        id: `req_${i}`,
        user_id: 'usr_a',
        api_key_id: 'key_a',
        method: 'GET',
        path: '/api/v1/jobs/:id',
        status: 200,
        latency_ms: i,
        credits_charged: 0,
        ip_hash: 'h',
        livemode: 1,
        idempotent_replayed: 0,
        created_at: `2026-11-0${i + 1}T00:00:00.000Z`,
      })
      .execute();
  }
}

const ids = async (db: Db) => (await db.selectFrom('request_logs').select(['id', 'latency_ms']).orderBy('id').execute()).map((r) => `${r.id}:${r.latency_ms}`);
const columnNames = async (db: Db) => (await db.introspection.getTables()).find((t) => t.name === 'request_logs')!.columns.map((c) => c.name);

describe.each(DB_KINDS)('request_logs keyed migration on %s', (kind) => {
  let fresh: FreshDatabase;
  let db: Db;
  afterEach(async () => {
    await db?.destroy();
    await fresh?.drop();
  });

  it('keeps every row up and down, and the key serves the list, the cursor and the purge', async () => {
    fresh = await freshDatabase(kind);
    db = connectDb(fresh.config);
    const before = await migrator(db).migrateTo(BEFORE);
    expect(before.error).toBeUndefined();
    await seed(db);

    await migrateToLatest(db);
    expect(await ids(db)).toEqual(['req_0:0', 'req_1:1', 'req_2:2']);
    expect(await columnNames(db)).toHaveLength(12);
    // The request id stays unique.
    await expect(
      sql`insert into request_logs (id, user_id, api_key_id, method, path, status, latency_ms, credits_charged, ip_hash, livemode, idempotent_replayed, created_at)
          values ('req_0', 'usr_a', 'key_a', 'GET', '/x', 200, 0, 0, 'h', 1, 0, '2026-11-09T00:00:00.000Z')`.execute(db),
    ).rejects.toThrow();
    if (kind === 'sqlite') {
      const plan = async (q: string) => (await sql.raw<{ detail: string }>(`explain query plan ${q}`).execute(db)).rows.map((r) => r.detail).join(' | ');
      expect(await plan("select * from request_logs where user_id = 'usr_a' order by created_at desc, id desc limit 11")).toMatch(/USING PRIMARY KEY \(user_id=\?\)/);
      expect(await plan("select id, created_at from request_logs where id = 'req_1' and user_id = 'usr_a'")).toMatch(/INDEX request_logs_id_uq \(id=\?\)/);
      expect(await plan("delete from request_logs where created_at <= '2026-11-02' and user_id in (select users.id from users)")).toMatch(
        /USING PRIMARY KEY \(user_id=\? AND created_at<\?\)/,
      );
      // WITHOUT ROWID: the key is the table (no rowid to select).
      await expect(sql`select rowid from request_logs`.execute(db)).rejects.toThrow(/rowid/i);
    }
    // Deleting the user still takes its rows (the foreign key survived the rebuild).
    await migrateDown(db);
    expect(await ids(db)).toEqual(['req_0:0', 'req_1:1', 'req_2:2']);
    await migrateToLatest(db);
    await db.deleteFrom('users').where('id', '=', 'usr_a').execute();
    expect(await ids(db)).toEqual([]);
  });
});
