import type { Kysely, Selectable } from 'kysely';
import type { Database, JobsTable } from '../../platform/db/schema.js';

export type JobsTableV2 = JobsTable;
export type JobsDatabase = Database;
export type JobsDb = Kysely<JobsDatabase>;
export type JobRow = Selectable<JobsTable>;
