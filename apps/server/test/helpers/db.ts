import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { randomBase62 } from '../../src/platform/ids.js';
import type { DbConfig } from '../../src/platform/db/connect.js';

export type DbKind = 'sqlite' | 'postgres';
/** Every test that touches the database runs on both. */
export const DB_KINDS: DbKind[] = ['sqlite', 'postgres'];

/** The PostgreSQL server the machine runs (trust auth). Override with TEST_PG_ADMIN_URL. */
export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface FreshDatabase {
  config: DbConfig;
  /** postgres:// URL, for child processes (undefined for SQLite). */
  url?: string;
  drop(): Promise<void>;
}

/** A brand-new empty database: a temp SQLite file, or a new PostgreSQL database. */
export async function freshDatabase(kind: DbKind): Promise<FreshDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-db-'));
    return {
      config: { kind: 'sqlite', file: path.join(dir, 'test.sqlite') },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `clipmix_t_${randomBase62(12).toLowerCase()}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/?]+(\?.*)?$/, `/${name}$1`).replace('$1', '');
  return {
    config: { kind: 'postgres', url },
    url,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
