import type { Database as BetterSqlite, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; the least recently used is dropped beyond this. */
export const STATEMENT_CACHE_SIZE = 500;

/** A statement that changes the schema: every cached statement (and row shape) is dropped. */
const DDL = /^\s*(create|alter|drop)\b/i;

type Row = Record<string, unknown>;

/**
 * Kysely's SQLite driver calls `prepare(sql)` for every query, and preparing (parsing and
 * planning the SQL) costs as much as running a short indexed query. This wrapper hands Kysely
 * the same prepared statement for the same SQL text (an LRU of STATEMENT_CACHE_SIZE entries).
 *
 * Reusing a statement is safe here because Kysely runs one query at a time on its single SQLite
 * connection (a mutex around the connection; a streamed query holds it until it ends), and
 * SQLite re-prepares a statement by itself when a migration changes the schema under it.
 *
 * Rows: better-sqlite3 builds each row object in C++ one property at a time (a generic property
 * store and a new key string per column), which for a 20-column row costs more than the lookup
 * itself. Reader statements therefore run in raw mode (arrays) and each row becomes an object
 * through a constructor compiled once per column list — the same keys, in the same order, with
 * the same values (a repeated column name keeps its last value, as better-sqlite3 does). The
 * column list is re-read whenever a row's length differs from it (a column added or dropped
 * under a cached `select *`), and a DDL statement run through this wrapper drops every cached
 * statement.
 */
export function withStatementCache(
  db: BetterSqlite,
  max = STATEMENT_CACHE_SIZE,
  beforeClose?: () => void,
  onWrite?: () => void,
): SqliteDatabase {
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
      if (DDL.test(sql)) cache.clear();
      stmt = wrap(db.prepare(sql), onWrite);
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
    close(): void {
      cache.clear();
      beforeClose?.();
      db.close();
    },
  };
}

/**
 * The statement as Kysely uses it; reader statements return rows built by a compiled constructor.
 * `onWrite` (change-epoch.ts) runs after every statement that may change the database or end a
 * transaction: every `run` (INSERT/UPDATE/DELETE, BEGIN/COMMIT/ROLLBACK) and readers that write
 * (`… RETURNING`).
 */
function wrap(stmt: Statement, onWrite?: () => void): SqliteStatement {
  if (!stmt.reader) {
    if (!onWrite) return stmt as unknown as SqliteStatement;
    return {
      reader: false,
      all: (parameters: ReadonlyArray<unknown>) => stmt.all(parameters),
      run(parameters: ReadonlyArray<unknown>) {
        try {
          return stmt.run(parameters);
        } finally {
          onWrite();
        }
      },
      iterate: (parameters: ReadonlyArray<unknown>) => stmt.iterate(parameters),
    } as SqliteStatement;
  }
  const notes = !stmt.readonly && onWrite ? onWrite : undefined;
  stmt.raw(true);
  let columns: string[] = [];
  let build: (values: unknown[]) => Row = () => ({});
  const shape = (values: unknown[]): ((values: unknown[]) => Row) => {
    if (values.length !== columns.length) {
      columns = stmt.columns().map((c) => c.name);
      build = rowBuilder(columns);
    }
    return build;
  };
  return {
    reader: true,
    all(parameters: ReadonlyArray<unknown>): unknown[] {
      let rows: unknown[][];
      try {
        rows = stmt.all(parameters) as unknown[][];
      } finally {
        notes?.();
      }
      for (let i = 0; i < rows.length; i++) (rows as unknown[])[i] = shape(rows[i]!)(rows[i]!);
      return rows;
    },
    run(parameters: ReadonlyArray<unknown>) {
      try {
        return stmt.run(parameters);
      } finally {
        notes?.();
      }
    },
    *iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
      try {
        for (const values of stmt.iterate(parameters) as IterableIterator<unknown[]>) yield shape(values)(values);
      } finally {
        notes?.();
      }
    },
  } as SqliteStatement;
}

const builders = new Map<string, (values: unknown[]) => Row>();

/** `(values) => ({ col0: values[0], col1: values[1], … })`, compiled once per column list. */
function rowBuilder(columns: string[]): (values: unknown[]) => Row {
  const key = JSON.stringify(columns);
  let build = builders.get(key);
  if (!build) {
    if (columns.includes('__proto__')) {
      // A literal `"__proto__": …` would set the prototype; assign like better-sqlite3 does.
      return (v) => {
        const row: Row = {};
        columns.forEach((c, i) => (row[c] = v[i]));
        return row;
      };
    }
    // Column names are data here (JSON string literals), never code.
    const body = `return {${columns.map((c, i) => `${JSON.stringify(c)}: v[${i}]`).join(', ')}};`;
    build = new Function('v', body) as (values: unknown[]) => Row;
    if (builders.size > 2_000) builders.clear();
    builders.set(key, build);
  }
  return build;
}
