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
  /** Retention: rows older than this many days (by `column`) are purged by the daily job. */
  retention?: { days: number; column: string; description: string };
  /** Columns never exported (hashes, secrets). */
  redact?: string[];
}

export interface DataDeclaration {
  tables: TableDeclaration[];
  /** Whether rows of this module reference blobs (files.blob_key) that deletion must remove. */
  blobs?: string;
}
