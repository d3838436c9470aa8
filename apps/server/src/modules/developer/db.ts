import type { Kysely, Selectable } from 'kysely';
import type { JobsDatabase } from '../jobs/db.js';

/**
 * The developer platform's tables (migration 20261129000500_developer). Declared here, beside the
 * module, like jobs/db.ts does for its column.
 * TODO(lead): fold these into platform/db/schema.ts, then this file can go.
 */
export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  livemode: number;
  /** JSON array of scopes. */
  scopes: string;
  rate_limit_per_minute: number;
  callback_url: string | null;
  /** Encrypted `whsec_…` (secret-box envelope). */
  webhook_secret: string | null;
  callback_disabled_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface RequestLogsTable {
  /** The request id (`req_…`). */
  id: string;
  user_id: string;
  api_key_id: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  credits_charged: number;
  ip_hash: string;
  livemode: number;
  idempotent_replayed: number;
  created_at: string;
}

export interface IdempotencyRecordsTable {
  id: string;
  user_id: string;
  scope_key: string;
  idempotency_key: string;
  fingerprint: string;
  method: string;
  path: string;
  state: 'in_progress' | 'completed';
  lock_token: string | null;
  locked_at: string | null;
  response_status: number | null;
  response_content_type: string | null;
  response_body: string | null;
  created_at: string;
  expires_at: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  user_id: string;
  api_key_id: string;
  event_id: string;
  event_type: string;
  job_id: string | null;
  url: string;
  payload: string;
  status: DeliveryStatus;
  attempt_count: number;
  max_attempts: number;
  next_attempt_at: string | null;
  lease_expires_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  replay_of: string | null;
  livemode: number;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface WebhookDeliveryAttemptsTable {
  id: string;
  delivery_id: string;
  user_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
  duration_ms: number;
  created_at: string;
}

export type DeveloperDatabase = JobsDatabase & {
  api_keys: ApiKeysTable;
  request_logs: RequestLogsTable;
  idempotency_records: IdempotencyRecordsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
};
export type DeveloperDb = Kysely<DeveloperDatabase>;

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type RequestLogRow = Selectable<RequestLogsTable>;
export type IdempotencyRow = Selectable<IdempotencyRecordsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookDeliveryAttemptsTable>;

/** The context's database seen with this module's tables. */
export const devDb = (db: unknown): DeveloperDb => db as DeveloperDb;
