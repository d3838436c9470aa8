import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connectDb, dialectOf, type Db } from '../src/platform/db/connect.js';
import { migrateDown, migrateToLatest } from '../src/platform/db/migrate.js';
import { migrations } from '../src/migrations/index.js';
import { DB_KINDS, freshDatabase, type FreshDatabase } from './helpers/db.js';

async function tableNames(db: Db): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((t) => t.name).filter((n) => !n.startsWith('kysely_')).sort();
}

describe.each(DB_KINDS)('migrations on %s', (kind) => {
  let fresh: FreshDatabase;
  let db: Db;
  afterEach(async () => {
    await db?.destroy();
    await fresh?.drop();
  });

  it('apply every migration up, then down to nothing, then up again', async () => {
    fresh = await freshDatabase(kind);
    db = connectDb(fresh.config);
    expect(dialectOf(db)).toBe(kind);

    const applied = await migrateToLatest(db);
    expect(applied).toHaveLength(Object.keys(migrations).length);
    const tables = await tableNames(db);
    expect(tables).toEqual(expect.arrayContaining(['users', 'sessions', 'files', 'jobs', 'job_files', 'credit_ledger', 'mail_outbox', 'auth_tokens']));

    // Idempotent: a second run applies nothing.
    expect(await migrateToLatest(db)).toEqual([]);

    for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(db);
    expect(await tableNames(db)).toEqual([]);

    await migrateToLatest(db);
    expect(await tableNames(db)).toEqual(tables);
  });

  it('enforces the never-negative credit balance in the schema itself', async () => {
    fresh = await freshDatabase(kind);
    db = connectDb(fresh.config);
    await migrateToLatest(db);
    const now = new Date().toISOString();
    await db
      .insertInto('users')
      .values({ id: 'usr_x', email: 'x@example.com', name: 'X', password_hash: 'h', email_verified_at: null, locale: 'en', credits_balance: 5, created_at: now, updated_at: now })
      .execute();
    await expect(sql`update users set credits_balance = -1 where id = 'usr_x'`.execute(db)).rejects.toThrow();
  });
});
