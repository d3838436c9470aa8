import type { Kysely } from 'kysely';
import type { AppContext } from '../app.js';

/**
 * A module's declaration of the personal data it stores. Privacy features (export, account
 * deletion, retention) iterate these; a test fails when a table is not declared anywhere.
 */
export interface TableDeclaration {
  table: string;
  /** Column holding the owning user's id (null for tables without per-user rows). */
  userColumn: string | null;
  /** What this table holds, in words, for the privacy page and export. */
  description: string;
  /** Included in the account export. */
  export: boolean;
  /** Removed on account deletion (rows). */
  deleteWithAccount: boolean;
  /**
   * Retention: rows older than this many days (by `column`) are purged by the daily job.
   * `perUser`: the table has no index on `column` alone but its key starts with (userColumn,
   * column), so the purge runs through the key, one range per user.
   */
  retention?: { days: number; column: string; description: string; perUser?: boolean };
  /** Columns never exported (hashes, secrets). */
  redact?: string[];
  /**
   * For tables without a user column: rows belong to the user through a parent row
   * (`column` IN (SELECT parentColumn FROM parentTable WHERE parent's userColumn = user)).
   */
  ownedThrough?: { column: string; parentTable: string; parentColumn: string };
  /** Column holding a blob key: the blob is exported, and deleted with the row (account deletion, retention). */
  blobKeyColumn?: string;
  /** Columns sealed with platform/crypto/envelope.ts (`aadColumn` is the associated data); rotation re-seals them. */
  sealed?: Array<{ column: string; purpose: string; aadColumn: string }>;
}

/** The user being deleted, as hooks see them (the row still exists when they run). */
export interface DeletedUser {
  id: string;
  email: string;
}

/**
 * "Media of jobs of these types is deleted `days` after the job completes" (e.g. Memory Studio
 * photos and videos, 30 days): the job's input and output files (rows and blobs) are purged.
 */
export interface JobMediaRetention {
  jobTypes: string[];
  days: number;
  description: string;
}

export interface DataDeclaration {
  tables: TableDeclaration[];
  /** Whether rows of this module reference blobs (files.blob_key) that deletion must remove. */
  blobs?: string;
  jobMediaRetention?: JobMediaRetention[];
  /**
   * Account deletion, before any row is removed: remove provider-side objects (voice clones,
   * uploaded assets), revoke third-party tokens, clear files outside the blob store. Must be
   * idempotent (a failed deletion is retried from the start).
   */
  onDeleteUser?: (ctx: AppContext, user: DeletedUser) => Promise<void>;
  /** Account deletion, inside the row transaction: rows the declarations cannot express. */
  deleteUserRows?: (trx: Kysely<any>, user: DeletedUser) => Promise<void>;
}
