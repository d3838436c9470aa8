import type { Kysely } from 'kysely';

// Jobs and credits: test-mode flag on jobs, and indexes for the worker's watchdog and refunds.
export async function up(db: Kysely<any>): Promise<void> {
  // 1 = created with a live key or a session; 0 = sk_test_ key (no credits charged).
  await db.schema
    .alterTable('jobs')
    .addColumn('livemode', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // The watchdog looks for running rows whose lease expired.
  await db.schema.createIndex('jobs_lease_idx').on('jobs').columns(['status', 'lease_expires_at']).execute();
  // refund() sums one job's ledger rows.
  await db.schema.createIndex('credit_ledger_job_idx').on('credit_ledger').column('job_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('credit_ledger_job_idx').ifExists().execute();
  await db.schema.dropIndex('jobs_lease_idx').ifExists().execute();
  await db.schema.alterTable('jobs').dropColumn('livemode').execute();
}
