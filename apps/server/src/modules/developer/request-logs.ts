import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../app.js';
import { deriveKey } from '../../platform/crypto/index.js';
import type { BackgroundStatement } from '../../platform/db/checkpointer.js';
import { packText, unpackRows, type PackedBatch } from '../../platform/db/packed-rows.js';
import { backgroundWriterOf } from '../../platform/db/connect.js';
import { paginate, type Cursor } from '../../platform/db/paginate.js';
import { QueryTemplate } from '../../platform/db/query-template.js';
import { devDb, type DeveloperDb, type RequestLogRow } from './db.js';
import { RequestLogBuffer } from './request-log-buffer.js';

export interface RequestLogApi {
  object: 'request_log';
  id: string;
  request_id: string;
  api_key: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  credits_charged: number;
  ip_hash: string;
  livemode: boolean;
  idempotent_replayed: boolean;
  created_at: string;
}

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export interface ListRequestLogsOptions extends Cursor {
  method?: string;
  status?: number;
  status_class?: StatusClass;
  path?: string;
  path_prefix?: string;
  api_key?: string;
  /** ISO-8601 instants: created_at ≥ created_gte and < created_lt. */
  created_gte?: string;
  created_lt?: string;
}

/** Rows per INSERT statement (and per synchronous SQLite write) when a flush holds more. */
export const INSERT_CHUNK = 50;

/** Every column, in one fixed order: the order of each row's values in the compiled INSERT. */
const COLUMN_SET: Record<keyof RequestLogRow, true> = {
  id: true,
  user_id: true,
  api_key_id: true,
  method: true,
  path: true,
  status: true,
  latency_ms: true,
  credits_charged: true,
  ip_hash: true,
  livemode: true,
  idempotent_replayed: true,
  created_at: true,
};
const COLUMNS = Object.keys(COLUMN_SET) as (keyof RequestLogRow)[];
const INTEGER_COLUMN_SET = new Set<keyof RequestLogRow>(['status', 'latency_ms', 'credits_charged', 'livemode', 'idempotent_replayed']);

function flatten(rows: RequestLogRow[]): unknown[] {
  const out = new Array<unknown>(rows.length * COLUMNS.length);
  let k = 0;
  for (const row of rows) for (const c of COLUMNS) out[k++] = row[c];
  return out;
}

/** The multi-row INSERT for `n` rows, built and compiled once per size (1…INSERT_CHUNK). */
const insertTemplates = new Map<number, QueryTemplate<unknown[], unknown>>();
function insertTemplate(n: number): QueryTemplate<unknown[], unknown> {
  let t = insertTemplates.get(n);
  if (!t) {
    t = new QueryTemplate(n * COLUMNS.length, (db: DeveloperDb, ...values: unknown[]) => {
      const rows = [];
      for (let r = 0; r < n; r++) {
        const row: Record<string, unknown> = {};
        COLUMNS.forEach((c, j) => (row[c] = values[r * COLUMNS.length + j]));
        rows.push(row as unknown as RequestLogRow);
      }
      return db.insertInto('request_logs').values(rows);
    });
    insertTemplates.set(n, t);
  }
  return t;
}

/** Where COLUMNS has integers, in the parameter list of an INSERT of `n` rows (cached per n). */
const integerParams = new Map<number, number[]>();
function integerParamsOf(n: number): number[] {
  let list = integerParams.get(n);
  if (!list) {
    list = [];
    for (let r = 0; r < n; r++) COLUMNS.forEach((c, i) => INTEGER_COLUMN_SET.has(c) && list!.push(r * COLUMNS.length + i));
    integerParams.set(n, list);
  }
  return list;
}

/**
 * A row as packed-rows.ts text, its fields in COLUMNS order. The free-form text fields (path,
 * method) go through packText; the others are ids, hex digests and ISO times this server
 * generated, which hold no TAB, LF or backslash.
 */
function packLogRow(r: RequestLogRow): string {
  return (
    r.id + '\t' + r.user_id + '\t' + r.api_key_id + '\t' + packText(r.method) + '\t' + packText(r.path) + '\t' +
    r.status + '\t' + r.latency_ms + '\t' + r.credits_charged + '\t' + r.ip_hash + '\t' + r.livemode + '\t' +
    r.idempotent_replayed + '\t' + r.created_at
  );
}

/** A batch's rows back as objects (writes on the main connection). */
function rowsOf(batch: PackedBatch): RequestLogRow[] {
  const rows: RequestLogRow[] = [];
  for (const runs of [batch.full, batch.rest]) {
    if (!runs) continue;
    for (const values of unpackRows(runs)) {
      for (let at = 0; at < values.length; at += COLUMNS.length) {
        const row: Record<string, unknown> = {};
        for (let c = 0; c < COLUMNS.length; c++) row[COLUMNS[c]!] = values[at + c];
        rows.push(row as unknown as RequestLogRow);
      }
    }
  }
  return rows;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * F15 request logs: one row per /api/v1 request made with an API key (hooks.ts records them after
 * the response is sent). The client IP is kept only as HMAC-SHA256 under a key derived from the
 * deployment secret: requests from one client can be correlated, the IP cannot be read back or
 * brute-forced without the secret.
 *
 * Rows are buffered and written in batches (request-log-buffer.ts), never one write per request.
 */
export class RequestLogs {
  private readonly ipKey: Buffer;
  private readonly buffer = new RequestLogBuffer((batch) => this.insert(batch), INSERT_CHUNK, integerParamsOf);
  /** The SQL text of the INSERT of `n` rows (compiled once per size). */
  private readonly insertSqls = new Map<number, string>();
  private insertSql(n: number): string {
    let text = this.insertSqls.get(n);
    if (text === undefined) {
      text = insertTemplate(n).compile(this.db, ...new Array<null>(n * COLUMNS.length).fill(null)).sql;
      this.insertSqls.set(n, text);
    }
    return text;
  }

  constructor(private readonly ctx: AppContext) {
    this.ipKey = deriveKey(ctx.config.secret, 'request-log-ip');
  }

  private get db(): DeveloperDb {
    return devDb(this.ctx.db);
  }

  ipHash(ip: string): string {
    return createHmac('sha256', this.ipKey).update(ip, 'utf8').digest('hex');
  }

  /** Queues a row for the next batch (never delays or fails the request). */
  record(row: RequestLogRow): void {
    this.buffer.add(packLogRow(row));
  }

  /** Writes every queued row now (before reading the log, and at shutdown). */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  /**
   * On SQLite the whole batch goes to the background thread (B-tree work off the event loop) as
   * one message (its rows packed into one byte array) and one transaction of INSERTs of INSERT_CHUNK
   * rows each — in the server these cost that thread less than one-row INSERTs (7.6 vs 10.7 µs a
   * row, measured) — so one commit per batch, and the change epoch
   * that GET /jobs/{id}'s row cache rests on moves once per batch, not once per chunk. Where that
   * cannot be done (PostgreSQL, thread not running, or it refused the batch), one INSERT per
   * chunk of at most INSERT_CHUNK rows on the main connection, yielding to the event loop between
   * chunks so a large flush never holds up requests for long (SQLite writes are synchronous); if
   * a chunk fails (e.g. a row whose account was deleted meanwhile: foreign key), its rows are
   * retried one by one so the others are kept. Never rejects.
   */
  private async insert(batch: PackedBatch): Promise<void> {
    const background = backgroundWriterOf(this.ctx.db);
    if (background?.ready) {
      const statements: BackgroundStatement[] = [];
      if (batch.full) statements.push({ sql: this.insertSql(INSERT_CHUNK), runs: batch.full });
      if (batch.rest) statements.push({ sql: this.insertSql(batch.restRows), runs: batch.rest });
      const done = await background.write(statements).then(
        () => true,
        () => false,
      );
      if (done) return;
    }
    const rows = rowsOf(batch);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      if (i > 0) await yieldToEventLoop();
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      try {
        await insertTemplate(chunk.length).execute(this.db, ...flatten(chunk));
      } catch {
        for (const row of chunk) {
          await insertTemplate(1)
            .execute(this.db, ...flatten([row]))
            .catch((err) => this.ctx.logger.warn({ err, requestId: row.id }, 'writing the request log failed'));
        }
      }
    }
  }

  /** The user's rows, newest first. Flushes this process's buffer first: callers see their own requests. */
  async list(userId: string, o: ListRequestLogsOptions): Promise<{ data: RequestLogRow[]; hasMore: boolean }> {
    await this.flush();
    let q = this.db.selectFrom('request_logs').selectAll().where('request_logs.user_id', '=', userId);
    if (o.method) q = q.where('request_logs.method', '=', o.method.toUpperCase());
    if (o.status !== undefined) q = q.where('request_logs.status', '=', o.status);
    if (o.status_class) {
      const floor = Number(o.status_class[0]) * 100;
      q = q.where('request_logs.status', '>=', floor).where('request_logs.status', '<', floor + 100);
    }
    if (o.path) q = q.where('request_logs.path', '=', o.path);
    if (o.path_prefix) {
      // substr, not LIKE: no wildcard escaping, and case-sensitive on SQLite and PostgreSQL alike.
      const prefix = o.path_prefix;
      q = q.where(sql<string>`substr(${sql.ref('request_logs.path')}, 1, ${prefix.length})`, '=', prefix);
    }
    if (o.api_key) q = q.where('request_logs.api_key_id', '=', o.api_key);
    if (o.created_gte) q = q.where('request_logs.created_at', '>=', new Date(o.created_gte).toISOString());
    if (o.created_lt) q = q.where('request_logs.created_at', '<', new Date(o.created_lt).toISOString());
    const { rows, hasMore } = await paginate(q, 'request_logs', o, (id) =>
      this.db.selectFrom('request_logs').select(['id', 'created_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),
    );
    return { data: rows, hasMore };
  }

  /** Writes what is queued and waits for it (tests, shutdown). */
  async idle(): Promise<void> {
    await this.flush();
  }

  toApi(r: RequestLogRow): RequestLogApi {
    return {
      object: 'request_log',
      id: r.id,
      request_id: r.id,
      api_key: r.api_key_id,
      method: r.method,
      path: r.path,
      status: Number(r.status),
      latency_ms: Number(r.latency_ms),
      credits_charged: Number(r.credits_charged),
      ip_hash: r.ip_hash,
      livemode: Number(r.livemode) === 1,
      idempotent_replayed: Number(r.idempotent_replayed) === 1,
      created_at: r.created_at,
    };
  }
}
