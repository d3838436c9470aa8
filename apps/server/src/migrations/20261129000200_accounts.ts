import type { Kysely } from 'kysely';

// Accounts and mail: indexes for the retention purges (expired sessions and tokens, old mail)
// and the newest-first dev mailbox. Portable between SQLite and PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('auth_tokens_expires_idx').on('auth_tokens').column('expires_at').execute();
  await db.schema.createIndex('mail_outbox_created_idx').on('mail_outbox').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('mail_outbox_status_idx').on('mail_outbox').column('status').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const idx of ['mail_outbox_status_idx', 'mail_outbox_created_idx', 'auth_tokens_expires_idx', 'sessions_expires_idx']) {
    await db.schema.dropIndex(idx).ifExists().execute();
  }
}
