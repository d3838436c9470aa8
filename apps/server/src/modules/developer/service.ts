import type { AppContext } from '../../app.js';
import { DAY_MS } from '../../platform/clock.js';
import { ApiKeys } from './api-keys.js';
import { devDb } from './db.js';
import { Idempotency } from './idempotency.js';
import { RequestLogs } from './request-logs.js';
import { Webhooks } from './webhooks.js';

export const REQUEST_LOG_RETENTION_DAYS = 90;
export const WEBHOOK_RETENTION_DAYS = 90;
export const REVOKED_KEY_RETENTION_DAYS = 90;

export interface PurgeResult {
  request_logs: number;
  webhook_deliveries: number;
  webhook_delivery_attempts: number;
  idempotency_records: number;
  api_keys: number;
}

/**
 * The developer platform's services for one AppContext. (The Services bag in app.ts is fixed by
 * the composition root; this module keeps its own, one per context, created on first use.)
 */
export class DeveloperPlatform {
  readonly keys: ApiKeys;
  readonly requestLogs: RequestLogs;
  readonly idempotency: Idempotency;
  readonly webhooks: Webhooks;

  constructor(private readonly ctx: AppContext) {
    this.keys = new ApiKeys(ctx);
    this.requestLogs = new RequestLogs(ctx);
    this.idempotency = new Idempotency(ctx);
    this.webhooks = new Webhooks(ctx, this.keys);
  }

  /**
   * Retention (PRODUCT.md): request logs 90 days, webhook deliveries and attempts 90 days,
   * idempotency records 24 hours (their expires_at), revoked keys 90 days after revocation.
   * Returns how many rows each table lost.
   */
  async purgeExpired(now: Date = this.ctx.clock.now()): Promise<PurgeResult> {
    const db = devDb(this.ctx.db);
    const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
    const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
    const logs = await db.deleteFrom('request_logs').where('created_at', '<', before(REQUEST_LOG_RETENTION_DAYS)).executeTakeFirst();
    const attempts = await db
      .deleteFrom('webhook_delivery_attempts')
      .where('created_at', '<', before(WEBHOOK_RETENTION_DAYS))
      .executeTakeFirst();
    // Attempts of the purged deliveries go with them (ON DELETE CASCADE).
    const deliveries = await db
      .deleteFrom('webhook_deliveries')
      .where('created_at', '<', before(WEBHOOK_RETENTION_DAYS))
      .executeTakeFirst();
    const idem = await db.deleteFrom('idempotency_records').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
    const keys = await db
      .deleteFrom('api_keys')
      .where('revoked_at', 'is not', null)
      .where('revoked_at', '<', before(REVOKED_KEY_RETENTION_DAYS))
      .executeTakeFirst();
    return {
      request_logs: count(logs),
      webhook_deliveries: count(deliveries),
      webhook_delivery_attempts: count(attempts),
      idempotency_records: count(idem),
      api_keys: count(keys),
    };
  }
}

const instances = new WeakMap<AppContext, DeveloperPlatform>();

export function developer(ctx: AppContext): DeveloperPlatform {
  let d = instances.get(ctx);
  if (!d) {
    d = new DeveloperPlatform(ctx);
    instances.set(ctx, d);
  }
  return d;
}
