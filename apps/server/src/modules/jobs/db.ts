import type { Kysely, Selectable } from 'kysely';
import type { Database, JobsTable } from '../../platform/db/schema.js';

/**
 * The jobs table as migration 20261129000300_jobs leaves it (adds `livemode`).
 * TODO(lead): fold `livemode: number` into JobsTable in platform/db/schema.ts, then this can go.
 */
export interface JobsTableV2 extends JobsTable {
  /** 1 = live (session or sk_live_ key), 0 = sk_test_ key: no credits. */
  livemode: number;
}

export type JobsDatabase = Omit<Database, 'jobs'> & { jobs: JobsTableV2 };
export type JobsDb = Kysely<JobsDatabase>;
export type JobRow = Selectable<JobsTableV2>;
