import type { AppContext } from '../../app.js';
import { purgeExpired } from '../privacy/retention.js';
import { ApiKeys } from './api-keys.js';
import { developerData } from './data.js';
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
   * idempotency records 24 hours, revoked keys 90 days after revocation — as declared in
   * data.ts and applied by the shared retention purge. Returns how many rows each table lost.
   */
  async purgeExpired(now: Date = this.ctx.clock.now()): Promise<PurgeResult> {
    const counts = await purgeExpired(this.ctx, now, [{ name: 'developer', data: developerData }]);
    return counts as unknown as PurgeResult;
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
