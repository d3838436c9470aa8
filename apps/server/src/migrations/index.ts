import type { Migration } from 'kysely';
import * as core from './20261129000100_core.js';
import * as accounts from './20261129000200_accounts.js';
import * as jobs from './20261129000300_jobs.js';
import * as media from './20261129000400_media.js';
import * as developer from './20261129000500_developer.js';
import * as privacy from './20261129000600_privacy.js';
import * as requestLogsKeyed from './20261130000100_request_logs_keyed.js';

/** Every migration, in order. Names are timestamps so they sort the way they were written. */
export const migrations: Record<string, Migration> = {
  '20261129000100_core': core,
  '20261129000200_accounts': accounts,
  '20261129000300_jobs': jobs,
  '20261129000400_media': media,
  '20261129000500_developer': developer,
  '20261129000600_privacy': privacy,
  '20261130000100_request_logs_keyed': requestLogsKeyed,
};
