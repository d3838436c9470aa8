import type { Kysely } from 'kysely';

// Privacy (F16): consent per user or anonymous device, first-party analytics events, the user's
// privacy action log, and orphan-blob candidates for the retention sweep. Portable between SQLite
// and PostgreSQL; per-user rows cascade from users.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('privacy_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Exactly one of user_id / device_id identifies the subject.
    .addColumn('user_id', 'text', (c) => c.unique().references('users.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.unique())
    .addColumn('analytics', 'integer', (c) => c.notNull().defaultTo(0))
    // Objection to legitimate-interest processing (hashed-email conversion sharing).
    .addColumn('objection', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('analytics_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('referrer', 'text')
    .addColumn('duration_ms', 'integer')
    .addColumn('device_type', 'text')
    .addColumn('screen', 'text')
    .addColumn('language', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('analytics_events_created_idx').on('analytics_events').column('created_at').execute();
  await db.schema.createIndex('analytics_events_user_idx').on('analytics_events').column('user_id').execute();
  await db.schema.createIndex('analytics_events_device_idx').on('analytics_events').column('device_id').execute();

  await db.schema
    .createTable('privacy_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('privacy_log_user_created_idx').on('privacy_log').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('blob_orphans')
    .addColumn('blob_key', 'text', (c) => c.primaryKey())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['blob_orphans', 'privacy_log', 'analytics_events', 'privacy_consents']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
