import type { Migration } from 'kysely';
import * as core from './20261129000100_core.js';

/** Every migration, in order. Names are timestamps so they sort the way they were written. */
export const migrations: Record<string, Migration> = {
  '20261129000100_core': core,
};
