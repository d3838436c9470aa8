import type { Database as BetterSqlite } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; the least recently used is dropped beyond this. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver calls `prepare(sql)` for every query, and preparing (parsing and
 * planning the SQL) costs as much as running a short indexed query. This wrapper hands Kysely
 * the same prepared statement for the same SQL text (an LRU of STATEMENT_CACHE_SIZE entries).
 *
 * Reusing a statement is safe here because Kysely runs one query at a time on its single SQLite
 * connection (a mutex around the connection; a streamed query holds it until it ends), and
 * SQLite re-prepares a statement by itself when a migration changes the schema under it.
 */
export function withStatementCache(db: BetterSqlite, max = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        // Map order is insertion order: re-inserting marks it most recently used.
        cache.delete(sql);
        cache.set(sql, stmt);
        return stmt;
      }
      stmt = db.prepare(sql) as unknown as SqliteStatement;
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
    close(): void {
      cache.clear();
      db.close();
    },
  };
}
