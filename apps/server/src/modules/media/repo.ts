import type { Kysely, Selectable } from 'kysely';
import type { Cursor } from '../../platform/db/paginate.js';
import { paginate } from '../../platform/db/paginate.js';
import type { Database, FilesTable } from '../../platform/db/schema.js';

export type FileStatus = 'processing' | 'ready';

export type FilesTableV2 = FilesTable;
export type MediaDatabase = Database;
export type MediaDb = Kysely<MediaDatabase>;
export type FileRow = Selectable<FilesTable>;

/** Roles of files derived from an upload (hidden from the default library listing). */
export const DERIVED_ROLES = ['thumbnail', 'waveform'] as const;

export interface ListFilter extends Cursor {
  kind?: FileRow['kind'];
  purpose?: string;
  /** Include thumbnails and waveforms (files with a parent). */
  includeDerived?: boolean;
}

/** SQL for the files table. Every query is scoped to the owning user. */
export class FilesRepo {
  constructor(private readonly getDb: () => MediaDb) {}

  private get db(): MediaDb {
    return this.getDb();
  }

  async insert(row: FileRow): Promise<void> {
    await this.db.insertInto('files').values(row).execute();
  }

  async find(userId: string, id: string): Promise<FileRow | undefined> {
    return this.db.selectFrom('files').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  }

  async list(userId: string, f: ListFilter): Promise<{ rows: FileRow[]; hasMore: boolean }> {
    let q = this.db.selectFrom('files').selectAll().where('files.user_id', '=', userId);
    if (!f.includeDerived) q = q.where('files.parent_file_id', 'is', null);
    if (f.kind) q = q.where('files.kind', '=', f.kind);
    if (f.purpose) q = q.where('files.purpose', '=', f.purpose);
    return paginate(q, 'files', f, (id) =>
      this.db.selectFrom('files').select(['id', 'created_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),
    );
  }

  /** Files derived from any of these parents (thumbnails, waveforms). */
  async children(userId: string, parentIds: string[]): Promise<FileRow[]> {
    if (!parentIds.length) return [];
    return this.db
      .selectFrom('files')
      .selectAll()
      .where('user_id', '=', userId)
      .where('parent_file_id', 'in', parentIds)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
  }

  /** Status of the processing jobs of these files, by job id. */
  async jobStatuses(userId: string, jobIds: string[]): Promise<Map<string, string>> {
    if (!jobIds.length) return new Map();
    const rows = await this.db
      .selectFrom('jobs')
      .select(['id', 'status'])
      .where('user_id', '=', userId)
      .where('id', 'in', jobIds)
      .execute();
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  async setProcessingJob(id: string, jobId: string): Promise<void> {
    await this.db.updateTable('files').set({ processing_job_id: jobId }).where('id', '=', id).execute();
  }

  /** Marks a file ready; false when the row no longer exists (deleted meanwhile). */
  async markReady(userId: string, id: string): Promise<boolean> {
    const res = await this.db
      .updateTable('files')
      .set({ status: 'ready' })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async exists(userId: string, id: string): Promise<boolean> {
    const r = await this.db.selectFrom('files').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return !!r;
  }

  /**
   * Deletes the rows of a file and of every file derived from it (any depth), in one
   * transaction. Returns the deleted rows (their blobs are the caller's to remove).
   */
  async deleteTree(userId: string, id: string): Promise<FileRow[]> {
    return this.db.transaction().execute(async (trx) => {
      const root = await trx.selectFrom('files').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      if (!root) return [];
      const all: FileRow[] = [root];
      let frontier = [root.id];
      for (let depth = 0; frontier.length && depth < 8; depth++) {
        const kids = await trx
          .selectFrom('files')
          .selectAll()
          .where('user_id', '=', userId)
          .where('parent_file_id', 'in', frontier)
          .execute();
        const fresh = kids.filter((k) => !all.some((a) => a.id === k.id));
        all.push(...fresh);
        frontier = fresh.map((k) => k.id);
      }
      await trx
        .deleteFrom('files')
        .where('user_id', '=', userId)
        .where(
          'id',
          'in',
          all.map((r) => r.id),
        )
        .execute();
      return all;
    });
  }

  /** Removes one row by id (rollback of a failed ingest). */
  async deleteRow(id: string): Promise<void> {
    await this.db.deleteFrom('files').where('id', '=', id).execute();
  }
}
