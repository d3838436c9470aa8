import type { Kysely } from 'kysely';

// Uploads & library (F2): a processing status per file and the job that derives its thumbnail
// and waveform.
export async function up(db: Kysely<any>): Promise<void> {
  // 'processing' while the media.process job of an upload has not finished; 'ready' otherwise.
  await db.schema
    .alterTable('files')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('ready'))
    .execute();
  await db.schema.alterTable('files').addColumn('processing_job_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('files').dropColumn('processing_job_id').execute();
  await db.schema.alterTable('files').dropColumn('status').execute();
}
