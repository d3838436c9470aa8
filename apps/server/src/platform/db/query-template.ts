import type { Database as BetterSqlite } from 'better-sqlite3';
import { createQueryId, type Compilable, type CompiledQuery, type Kysely, type SqliteDatabase } from 'kysely';

/** Marks an argument's place while a template is compiled; never sent to a database. */
const SENTINEL = '\u0000clipmix-template-arg:';

interface Compiled {
  query: CompiledQuery['query'];
  sql: string;
  /** Per parameter of the compiled query: the index of the argument it takes, or -1 (a constant). */
  slots: number[];
  constants: unknown[];
}

interface DirectSqlite {
  sqlite: BetterSqlite;
  /** The statement-cached database Kysely's driver uses (same statements, same row shapes). */
  database: SqliteDatabase;
}

const direct = new WeakMap<object, DirectSqlite>();

/** connectDb: lets templates run on this SQLite connection without Kysely's executor (see run()). */
export function registerDirectSqlite(db: Kysely<any>, sqlite: BetterSqlite, database: SqliteDatabase): void {
  direct.set(db, { sqlite, database });
}

/**
 * Runs a compiled template directly on the SQLite connection when that is the same as what
 * Kysely's driver would do, minus its executor (connection provider, mutex, several promise
 * turns — more than the statement itself for a short indexed read): Kysely's SQLite driver runs
 * each query synchronously on the single connection, and only holds the connection across turns
 * of the event loop for a transaction (or a streamed query). So when no transaction is open
 * (`inTransaction`) the statement runs at once, exactly as if it had been first in line; inside
 * someone's transaction — or if the connection is busy streaming — it queues through Kysely like
 * any other query, so it never reads or writes as part of another request's transaction.
 * undefined: not possible here (PostgreSQL, a transaction's Kysely instance, or busy).
 */
function runDirect<Row>(db: Kysely<any>, c: Compiled, parameters: unknown[]): Row[] | undefined {
  const d = direct.get(db);
  if (!d || d.sqlite.inTransaction || !d.sqlite.open) return undefined;
  try {
    const stmt = d.database.prepare(c.sql);
    if (stmt.reader) return stmt.all(parameters) as Row[];
    stmt.run(parameters);
    return [];
  } catch (err) {
    // An iterator is open on the connection (a streamed query): go through Kysely's queue.
    if (err instanceof TypeError && /busy/i.test(err.message)) return undefined;
    throw err;
  }
}

/**
 * A Kysely query that is built and compiled once per database and then executed many times with
 * new argument values: a hot path pays neither for building the query's operation tree nor for
 * compiling it to SQL on every call (on SQLite that costs more than running a short indexed
 * query). The SQL text is the same each time, so the SQLite statement cache (statement-cache.ts)
 * also hands back the same prepared statement.
 *
 * `build` receives placeholders for the arguments and must use each of them only as a bound value
 * (`where('id', '=', id)`, `values({ … })`), never to choose the query's shape: the query is
 * compiled once with the placeholders and they are then swapped for the real values by position.
 * Compiling checks that every placeholder became exactly a parameter.
 */
export class QueryTemplate<Args extends readonly unknown[], Row> {
  private readonly byDb = new WeakMap<object, Compiled>();

  constructor(
    private readonly arity: Args['length'],
    private readonly build: (db: Kysely<any>, ...args: Args) => Compilable<Row>,
  ) {}

  private compiledFor(db: Kysely<any>): Compiled {
    let c = this.byDb.get(db);
    if (c) return c;
    const placeholders = Array.from({ length: this.arity }, (_, i) => `${SENTINEL}${i}`) as unknown as Args;
    const q = this.build(db, ...placeholders).compile();
    if (q.sql.includes(SENTINEL)) throw new Error('QueryTemplate: an argument was inlined into the SQL text');
    const seen = new Set<number>();
    const slots = q.parameters.map((p) => {
      if (typeof p === 'string' && p.startsWith(SENTINEL)) {
        const i = Number(p.slice(SENTINEL.length));
        seen.add(i);
        return i;
      }
      if (typeof p === 'string' && p.includes(SENTINEL)) throw new Error('QueryTemplate: an argument was transformed before binding');
      return -1;
    });
    if (seen.size !== this.arity) throw new Error('QueryTemplate: every argument must be a bound parameter');
    c = { query: q.query, sql: q.sql, slots, constants: [...q.parameters] };
    this.byDb.set(db, c);
    return c;
  }

  /** The compiled query for these argument values. */
  compile(db: Kysely<any>, ...args: Args): CompiledQuery<Row> {
    const c = this.compiledFor(db);
    // A fresh (lazy) query id per execution, as Kysely's own builders give each query.
    return { query: c.query, sql: c.sql, parameters: this.parameters(c, args), queryId: createQueryId() };
  }

  private parameters(c: Compiled, args: Args): unknown[] {
    const parameters = new Array<unknown>(c.slots.length);
    for (let i = 0; i < c.slots.length; i++) {
      const slot = c.slots[i]!;
      parameters[i] = slot === -1 ? c.constants[i] : args[slot];
    }
    return parameters;
  }

  /** The rows (none for a write). Not an async function: a direct run costs one promise, no more. */
  execute(db: Kysely<any>, ...args: Args): Promise<Row[]> {
    return this.run(db, args, (rows) => rows);
  }

  executeTakeFirst(db: Kysely<any>, ...args: Args): Promise<Row | undefined> {
    return this.run(db, args, (rows) => rows[0]);
  }

  private run<T>(db: Kysely<any>, args: Args, pick: (rows: Row[]) => T): Promise<T> {
    let c: Compiled;
    let parameters: unknown[];
    let rows: Row[] | undefined;
    try {
      c = this.compiledFor(db);
      parameters = this.parameters(c, args);
      rows = runDirect<Row>(db, c, parameters);
    } catch (err) {
      return Promise.reject(err); // errors arrive as rejections, as from Kysely
    }
    if (rows) return Promise.resolve(pick(rows));
    return db.executeQuery<Row>({ query: c.query, sql: c.sql, parameters, queryId: createQueryId() }).then((r) => pick(r.rows as Row[]));
  }
}
