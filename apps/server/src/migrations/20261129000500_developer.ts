import { sql, type Kysely } from 'kysely';

// Developer platform (F15): API keys, request logs, idempotency records, webhook deliveries and
// their attempts. Portable between SQLite and PostgreSQL (text ids, ISO-8601 text timestamps,
// 0/1 integers, JSON as text). Every table has user_id → users ON DELETE CASCADE, so account
// deletion removes it all.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // First 12 characters of the secret (e.g. `sk_live_AbCd`), for display only.
    .addColumn('prefix', 'text', (c) => c.notNull())
    // SHA-256 (hex) of the whole secret; the secret itself is never stored.
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('livemode', 'integer', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('rate_limit_per_minute', 'integer', (c) => c.notNull().defaultTo(600))
    .addColumn('callback_url', 'text')
    // The `whsec_` secret, AES-256-GCM encrypted (modules/developer/secret-box.ts).
    .addColumn('webhook_secret', 'text')
    .addColumn('callback_disabled_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_keys_user_created_idx').on('api_keys').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('api_keys_revoked_idx').on('api_keys').column('revoked_at').execute();

  await db.schema
    .createTable('request_logs')
    // The request id (`req_…`), which the response's Request-Id header and problems carry.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('credits_charged', 'integer', (c) => c.notNull().defaultTo(0))
    // HMAC-SHA256 of the client IP under a per-deployment key; never the IP.
    .addColumn('ip_hash', 'text', (c) => c.notNull())
    .addColumn('livemode', 'integer', (c) => c.notNull())
    .addColumn('idempotent_replayed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_logs_user_created_idx').on('request_logs').columns(['user_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('request_logs_created_idx').on('request_logs').column('created_at').execute();

  await db.schema
    .createTable('idempotency_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The API key id, or the user id for session requests.
    .addColumn('scope_key', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('lock_token', 'text')
    .addColumn('locked_at', 'text')
    .addColumn('response_status', 'integer')
    .addColumn('response_content_type', 'text')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('idempotency_records_scope_key_uq', ['scope_key', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('idempotency_records_expires_idx').on('idempotency_records').column('expires_at').execute();
  await db.schema.createIndex('idempotency_records_user_idx').on('idempotency_records').column('user_id').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('url', 'text', (c) => c.notNull())
    // The exact JSON body that is signed and POSTed.
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('replay_of', 'text')
    .addColumn('livemode', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .addCheckConstraint('webhook_deliveries_status_ck', sql`status in ('pending', 'succeeded', 'failed')`)
    .execute();
  await db.schema.createIndex('webhook_deliveries_user_created_idx').on('webhook_deliveries').columns(['user_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_key_idx').on('webhook_deliveries').columns(['api_key_id', 'status']).execute();
  await db.schema.createIndex('webhook_deliveries_created_idx').on('webhook_deliveries').column('created_at').execute();

  await db.schema
    .createTable('webhook_delivery_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('response_excerpt', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_delivery_attempts_delivery_idx').on('webhook_delivery_attempts').columns(['delivery_id', 'attempt']).execute();
  await db.schema.createIndex('webhook_delivery_attempts_created_idx').on('webhook_delivery_attempts').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['webhook_delivery_attempts', 'webhook_deliveries', 'idempotency_records', 'request_logs', 'api_keys']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
