import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { registerChangeEpoch, type RegisteredEpoch } from './change-epoch.js';
import { registerForCheckpoints, type BackgroundWriter } from './checkpointer.js';
import { registerDirectSqlite } from './query-template.js';
import { withStatementCache } from './statement-cache.js';

export type DbConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
export type Db = Kysely<Database>;

// int8 (bigint) and numeric come back from pg as strings by default; our sizes fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function connectDb(cfg: DbConfig): Db {
  if (cfg.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: cfg.url, max: 10 });
    // An idle client whose connection the server ends (restart, failover, a dropped database) emits
    // 'error' on the pool; without a listener that is an uncaught exception that kills the process.
    // The pool discards that client and the next query opens a new connection.
    pool.on('error', () => undefined);
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (cfg.file !== ':memory:') mkdirSync(path.dirname(cfg.file), { recursive: true });
  const sqlite = new SQLite(cfg.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // WAL checkpoints run in a worker thread, not in the middle of a request (checkpointer.ts).
  const background = cfg.file === ':memory:' ? undefined : registerForCheckpoints(sqlite, cfg.file);
  let changeEpoch: RegisteredEpoch | undefined;
  const database = withStatementCache(
    sqlite,
    undefined,
    () => {
      changeEpoch?.drop();
      background?.close();
    },
    () => changeEpoch?.noteWrite(),
  );
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  registerDirectSqlite(db, sqlite, database);
  if (background) backgroundWriters.set(db, background.writer);
  // Lets hot single-row reads be cached until the next commit (change-epoch.ts).
  const inWal = String(sqlite.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
  if (cfg.file !== ':memory:' && cfg.file !== '' && inWal) changeEpoch = registerChangeEpoch(db, path.resolve(cfg.file));
  return db;
}

const backgroundWriters = new WeakMap<object, BackgroundWriter>();

/** The SQLite background thread's writer for `db` (checkpointer.ts); null for PostgreSQL and :memory:. */
export function backgroundWriterOf(db: Kysely<any>): BackgroundWriter | null {
  return backgroundWriters.get(db) ?? null;
}

export function dialectOf(db: Db): 'sqlite' | 'postgres' {
  const adapter = db.getExecutor().adapter;
  return adapter.constructor.name.toLowerCase().includes('postgres') ? 'postgres' : 'sqlite';
}
