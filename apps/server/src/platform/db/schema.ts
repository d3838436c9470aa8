import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Database schema, portable between SQLite and PostgreSQL:
 * ids are prefixed text, timestamps are ISO-8601 UTC text (sortable), booleans are 0/1
 * integers, JSON is text. Each table belongs to one module, whose data.ts declares it.
 */
export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  email_verified_at: string | null;
  locale: string;
  credits_balance: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface AuthTokensTable {
  id: string;
  user_id: string;
  kind: 'verify_email' | 'reset_password' | 'change_email';
  token_hash: string;
  new_email: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface MailOutboxTable {
  id: string;
  user_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  template: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  error: string | null;
  sent_at: string | null;
  created_at: string;
}

export interface FilesTable {
  id: string;
  user_id: string;
  kind: 'audio' | 'image' | 'video' | 'other';
  purpose: string | null;
  /** Set for files derived from another (thumbnail, waveform) or produced by a job. */
  role: string | null;
  parent_file_id: string | null;
  job_id: string | null;
  mime: string;
  size_bytes: number;
  duration_seconds: number | null;
  width: number | null;
  height: number | null;
  original_name: string | null;
  blob_key: string;
  metadata: string;
  status: 'processing' | 'ready';
  /** The media.process job making this upload's thumbnail/waveform. */
  processing_job_id: string | null;
  created_at: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface JobsTable {
  id: string;
  user_id: string;
  api_key_id: string | null;
  type: string;
  status: JobStatus;
  progress: number;
  input: string;
  output: string | null;
  output_size_bytes: number;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  max_attempts: number;
  credits_charged: number;
  provider: string;
  cancel_requested: number;
  /** 1 = live (session or sk_live_ key), 0 = sk_test_ key: no credits, watermarked 480p. */
  livemode: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  run_after: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface JobFilesTable {
  job_id: string;
  file_id: string;
  direction: 'input' | 'output';
  role: string;
}

export interface CreditLedgerTable {
  id: string;
  user_id: string;
  delta: number;
  balance_after: number;
  reason: string;
  job_id: string | null;
  created_at: string;
}

// Developer platform (modules/developer).
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

// Privacy (modules/privacy, modules/analytics).
export interface PrivacyConsentsTable {
  id: string;
  user_id: string | null;
  device_id: string | null;
  analytics: number;
  objection: number;
  source: string;
  created_at: string;
  updated_at: string;
}

export interface AnalyticsEventsTable {
  id: string;
  user_id: string | null;
  device_id: string;
  session_id: string;
  type: string;
  path: string;
  referrer: string | null;
  duration_ms: number | null;
  device_type: string | null;
  screen: string | null;
  language: string | null;
  occurred_at: string;
  created_at: string;
}

export interface PrivacyLogTable {
  id: string;
  user_id: string;
  action: string;
  /** JSON object. */
  detail: string;
  created_at: string;
}

export interface BlobOrphansTable {
  blob_key: string;
  first_seen_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  auth_tokens: AuthTokensTable;
  mail_outbox: MailOutboxTable;
  files: FilesTable;
  jobs: JobsTable;
  job_files: JobFilesTable;
  credit_ledger: CreditLedgerTable;
  api_keys: ApiKeysTable;
  request_logs: RequestLogsTable;
  idempotency_records: IdempotencyRecordsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  privacy_consents: PrivacyConsentsTable;
  analytics_events: AnalyticsEventsTable;
  privacy_log: PrivacyLogTable;
  blob_orphans: BlobOrphansTable;
}

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;
export type { ColumnType, Generated };
