import { createHmac } from 'node:crypto';
import type { AppContext } from '../../app.js';
import { deriveKey } from '../../platform/crypto/index.js';
import { paginate, type Cursor } from '../../platform/db/paginate.js';
import { devDb, type DeveloperDb, type RequestLogRow } from './db.js';

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

export interface ListRequestLogsOptions extends Cursor {
  method?: string;
  status?: number;
  path?: string;
  api_key?: string;
}

/**
 * F15 request logs: one row per /api/v1 request made with an API key (hooks.ts records them after
 * the response is sent). The client IP is kept only as HMAC-SHA256 under a key derived from the
 * deployment secret: requests from one client can be correlated, the IP cannot be read back or
 * brute-forced without the secret.
 */
export class RequestLogs {
  private readonly ipKey: Buffer;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly ctx: AppContext) {
    this.ipKey = deriveKey(ctx.config.secret, 'request-log-ip');
  }

  private get db(): DeveloperDb {
    return devDb(this.ctx.db);
  }

  ipHash(ip: string): string {
    return createHmac('sha256', this.ipKey).update(ip, 'utf8').digest('hex');
  }

  /** Inserts a row in the background (never delays or fails the request). */
  record(row: RequestLogRow): void {
    const p = this.db
      .insertInto('request_logs')
      .values(row)
      .execute()
      .catch((err) => this.ctx.logger.warn({ err, requestId: row.id }, 'writing the request log failed'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async list(userId: string, o: ListRequestLogsOptions): Promise<{ data: RequestLogRow[]; hasMore: boolean }> {
    let q = this.db.selectFrom('request_logs').selectAll().where('request_logs.user_id', '=', userId);
    if (o.method) q = q.where('request_logs.method', '=', o.method.toUpperCase());
    if (o.status !== undefined) q = q.where('request_logs.status', '=', o.status);
    if (o.path) q = q.where('request_logs.path', '=', o.path);
    if (o.api_key) q = q.where('request_logs.api_key_id', '=', o.api_key);
    const { rows, hasMore } = await paginate(q, 'request_logs', o, (id) =>
      this.db.selectFrom('request_logs').select(['id', 'created_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),
    );
    return { data: rows, hasMore };
  }

  /** Waits for background inserts (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
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
