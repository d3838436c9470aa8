import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../../app.js';
import { BlobNotFoundError, type ByteRange } from '../../platform/blob/types.js';
import { newBlobKey } from '../../platform/blob/keys.js';
import { conflict, DomainError, notFound, payloadTooLarge } from '../../platform/errors.js';
import { newId, randomBase62 } from '../../platform/ids.js';
import { extForMime, sanitizeFilename } from './content.js';
import { FilesRepo, type FileRow, type MediaDb } from './repo.js';
import { TusUploads } from './tus.js';
import { validateMedia, type Purpose } from './validate.js';

export type FileKind = 'audio' | 'image' | 'video' | 'other';

/** The `file` object of the API. */
export interface FileApi {
  object: 'file';
  id: string;
  kind: FileKind;
  purpose: string | null;
  /** Output role for job outputs and derived files (`thumbnail`, `waveform`, `video`, …). */
  role: string | null;
  parent_file: string | null;
  job: string | null;
  mime: string;
  size_bytes: number;
  duration_seconds: number | null;
  width: number | null;
  height: number | null;
  filename: string;
  status: 'processing' | 'ready';
  thumbnail_url: string | null;
  waveform_url: string | null;
  content_url: string;
  processing_job: string | null;
  created_at: string;
}

/** Links a file's API object shows that need other rows. */
export interface FileExtras {
  thumbnailId?: string | null;
  waveformId?: string | null;
  /** Status of the file's processing job, when it has one. */
  jobStatus?: string | null;
}

export interface CreateFromLocalFileSpec {
  userId: string;
  jobId?: string | null;
  role?: string | null;
  path: string;
  mime: string;
  kind: FileKind;
  parentFileId?: string | null;
  durationSeconds?: number | null;
  width?: number | null;
  height?: number | null;
  metadata?: Record<string, unknown>;
  originalName?: string | null;
}

export interface ListFilesOptions {
  kind?: FileKind;
  purpose?: string;
  limit: number;
  starting_after?: string;
  ending_before?: string;
}

export interface UploadSpec {
  userId: string;
  /** The received bytes (a temp file or a finished tus upload); left in place. */
  path: string;
  originalName?: string | null;
  purpose?: Purpose | null;
  signal?: AbortSignal;
}

export const MEDIA_PROCESS_JOB = 'media.process';

/** Temp files older than this are leftovers of a crashed process. */
const STALE_TMP_MS = 24 * 60 * 60 * 1000;

/**
 * F2 uploads & library. Every upload is validated by decoding it, stored in the blob store under
 * a server-generated key, recorded as a `files` row, and processed by a `media.process` job
 * (thumbnail, waveform). Jobs store their outputs through createFromLocalFile.
 */
export class MediaService {
  readonly repo: FilesRepo;
  private tusUploads: TusUploads | null = null;
  private readonly finalising = new Set<string>();
  private tmpSweep: Promise<void> | undefined;

  constructor(private readonly ctx: AppContext) {
    this.repo = new FilesRepo(() => this.ctx.db as unknown as MediaDb);
  }

  /** `<dataDir>/tmp`: where request bodies are spooled before validation. */
  get tmpDir(): string {
    return path.join(this.ctx.config.dataDir, 'tmp');
  }

  get tus(): TusUploads {
    return (this.tusUploads ??= new TusUploads(this.ctx));
  }

  // ───────────────────────────── receiving uploads ─────────────────────────────

  /**
   * Streams a request body part to a new temp file in tmpDir, counting bytes: more than
   * limits.uploadBytes → 413 (temp removed). Returns the temp path; the caller removes it.
   * `observe` sees every chunk on its way (e.g. the Idempotency-Key content digest).
   */
  async spool(body: Readable, observe?: (chunk: Buffer) => void): Promise<string> {
    const limit = this.ctx.config.limits.uploadBytes;
    await this.prepareTmpDir();
    const file = path.join(this.tmpDir, `upload-${randomBase62(22)}`);
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        if (received > limit) return cb(payloadTooLarge(`The file is larger than the ${formatBytes(limit)} upload limit.`));
        observe?.(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(file, { flags: 'wx' }));
      // A size-limited multipart stream ends early instead of failing: treat it as too large.
      if ((body as Readable & { truncated?: boolean }).truncated) {
        throw payloadTooLarge(`The file is larger than the ${formatBytes(limit)} upload limit.`);
      }
      return file;
    } catch (err) {
      await rm(file, { force: true }).catch(() => {});
      throw err;
    }
  }

  /**
   * Validates a received file by decoding it, stores it and records it, then queues its
   * processing job. Nothing is left behind on failure (re-encodes, blob, row).
   */
  async createUpload(spec: UploadSpec): Promise<FileRow> {
    await this.prepareTmpDir();
    const v = await validateMedia(spec.path, {
      limits: this.ctx.config.limits,
      tmpDir: this.tmpDir,
      purpose: spec.purpose ?? null,
      signal: spec.signal,
    });
    let row: FileRow;
    try {
      row = await this.store(
        {
          userId: spec.userId,
          path: v.path,
          mime: v.mime,
          kind: v.kind,
          durationSeconds: v.durationSeconds,
          width: v.width,
          height: v.height,
          metadata: v.metadata,
          originalName: spec.originalName ?? null,
        },
        { ext: v.ext, purpose: spec.purpose ?? null, status: 'processing' },
      );
    } finally {
      if (v.reencoded) await rm(v.path, { force: true }).catch(() => {});
    }
    return this.startProcessing(row);
  }

  /** Turns a finished tus upload of this user into a file (same validation); removes the upload. */
  async createFromUpload(spec: { userId: string; uploadId: string; purpose?: Purpose | null; signal?: AbortSignal }): Promise<FileRow> {
    const key = `${spec.userId}:${spec.uploadId}`;
    if (this.finalising.has(key)) throw conflict('upload_in_use', 'This upload is already being turned into a file.');
    this.finalising.add(key);
    try {
      const up = await this.tus.finished(spec.userId, spec.uploadId);
      try {
        return await this.createUpload({
          userId: spec.userId,
          path: up.path,
          originalName: up.filename,
          purpose: spec.purpose ?? null,
          signal: spec.signal,
        });
      } finally {
        await this.tus.remove(up.id);
      }
    } finally {
      this.finalising.delete(key);
    }
  }

  /** Queues the media.process job of a new upload; on failure the file is simply ready. */
  private async startProcessing(row: FileRow): Promise<FileRow> {
    try {
      const job = await this.ctx.services.jobs.create({
        userId: row.user_id,
        type: MEDIA_PROCESS_JOB,
        input: { file: row.id },
        inputFiles: [{ fileId: row.id, role: 'source' }],
      });
      await this.repo.setProcessingJob(row.id, job.id);
      return { ...row, processing_job_id: job.id };
    } catch (err) {
      this.ctx.logger.warn({ err, fileId: row.id }, 'could not queue media processing; the file has no thumbnail/waveform');
      await this.repo.markReady(row.user_id, row.id).catch(() => undefined);
      return { ...row, status: 'ready' };
    }
  }

  // ───────────────────────────── API for other modules ─────────────────────────────

  /** Copies a local file into the blob store and records it (job outputs, derived files). */
  async createFromLocalFile(spec: CreateFromLocalFileSpec): Promise<string> {
    // A derived file needs its parent (deleted meanwhile → the job fails instead of leaving an orphan).
    if (spec.parentFileId && !(await this.repo.exists(spec.userId, spec.parentFileId))) throw notFound('file');
    const row = await this.store(spec, { ext: extForMime(spec.mime), purpose: null, status: 'ready' });
    return row.id;
  }

  /** A local path with the bytes of one of the user's files (404 if not theirs). */
  async localPath(userId: string, fileId: string): Promise<{ path: string; release(): Promise<void> }> {
    const row = await this.get(userId, fileId);
    try {
      return await this.ctx.blobs.localPath(row.blob_key);
    } catch (err) {
      if (err instanceof BlobNotFoundError) throw notFound('file');
      throw err;
    }
  }

  /**
   * Deletes a file, the files derived from it and their blobs. Idempotent: an unknown (or
   * already deleted) id is not an error.
   */
  async deleteFile(userId: string, fileId: string): Promise<void> {
    const rows = await this.repo.deleteTree(userId, fileId);
    if (!rows.length) return;
    const root = rows[0]!;
    for (const r of rows) {
      await this.ctx.blobs.delete(r.blob_key).catch((err) => {
        this.ctx.logger.error({ err, fileId: r.id, blobKey: r.blob_key }, 'deleting a blob failed; it is now an orphan');
      });
    }
    // A still-running processing job would write outputs for a file that no longer exists.
    if (root.status === 'processing' && root.processing_job_id) {
      const jobs = this.ctx.services.jobs as unknown as { cancel?: (u: string, id: string, o?: { waitMs?: number }) => Promise<unknown> };
      await jobs.cancel?.(userId, root.processing_job_id, { waitMs: 0 }).catch(() => undefined);
    }
  }

  /** The user's file row; 404 `resource_missing` for unknown ids and other users' files. */
  async get(userId: string, id: string): Promise<FileRow> {
    const row = await this.repo.find(userId, id);
    if (!row) throw notFound('file');
    return row;
  }

  /** Newest first; derived files (thumbnails, waveforms) are not listed. */
  async list(userId: string, o: ListFilesOptions): Promise<{ data: FileRow[]; hasMore: boolean }> {
    const { rows, hasMore } = await this.repo.list(userId, o);
    return { data: rows, hasMore };
  }

  /** The API object of a row. Pass extras (see describe()) for thumbnail/waveform links. */
  toApi(row: FileRow, extras: FileExtras = {}): FileApi {
    const base = this.ctx.config.publicUrl ? this.ctx.config.publicUrl.replace(/\/+$/, '') : '';
    const contentUrl = (id: string) => `${base}/api/v1/files/${id}/content`;
    const jobDone = extras.jobStatus === 'succeeded' || extras.jobStatus === 'failed' || extras.jobStatus === 'canceled';
    const status = row.status === 'ready' || jobDone || (row.processing_job_id && extras.jobStatus === null) ? 'ready' : 'processing';
    return {
      object: 'file',
      id: row.id,
      kind: row.kind,
      purpose: row.purpose,
      role: row.role,
      parent_file: row.parent_file_id,
      job: row.job_id,
      mime: row.mime,
      size_bytes: Number(row.size_bytes),
      duration_seconds: row.duration_seconds === null ? null : Number(row.duration_seconds),
      width: row.width === null ? null : Number(row.width),
      height: row.height === null ? null : Number(row.height),
      filename: row.original_name ?? `${row.id}.${extForMime(row.mime)}`,
      status,
      thumbnail_url: extras.thumbnailId ? contentUrl(extras.thumbnailId) : null,
      waveform_url: extras.waveformId ? contentUrl(extras.waveformId) : null,
      content_url: contentUrl(row.id),
      processing_job: row.processing_job_id,
      created_at: row.created_at,
    };
  }

  /** API objects for rows of one user, with thumbnail/waveform links and processing status. */
  async describe(userId: string, rows: FileRow[]): Promise<FileApi[]> {
    const children = await this.repo.children(
      userId,
      rows.map((r) => r.id),
    );
    const pending = rows.filter((r) => r.status === 'processing' && r.processing_job_id).map((r) => r.processing_job_id!);
    const statuses = await this.repo.jobStatuses(userId, pending);
    return rows.map((r) => {
      const mine = children.filter((c) => c.parent_file_id === r.id);
      return this.toApi(r, {
        thumbnailId: mine.find((c) => c.role === 'thumbnail')?.id ?? null,
        waveformId: mine.find((c) => c.role === 'waveform')?.id ?? null,
        jobStatus: r.processing_job_id && r.status === 'processing' ? (statuses.get(r.processing_job_id) ?? null) : undefined,
      });
    });
  }

  /** The user's file and the size of its stored bytes (404 `file_content_missing` if they are gone). */
  async contentInfo(userId: string, id: string): Promise<{ row: FileRow; size: number }> {
    const row = await this.get(userId, id);
    const st = await this.ctx.blobs.stat(row.blob_key);
    if (!st) throw contentMissing();
    return { row, size: st.size };
  }

  /** A file's bytes, or one inclusive byte range of them, from the blob store. */
  async readContent(row: FileRow, range?: ByteRange): Promise<Readable> {
    try {
      return await this.ctx.blobs.get(row.blob_key, range);
    } catch (err) {
      if (err instanceof BlobNotFoundError) throw contentMissing();
      throw err;
    }
  }

  // ───────────────────────────── internals ─────────────────────────────

  /** Creates tmpDir; the first call also removes leftovers of a crashed process (> 1 day old). */
  private async prepareTmpDir(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    this.tmpSweep ??= (async () => {
      const cutoff = Date.now() - STALE_TMP_MS;
      for (const name of await readdir(this.tmpDir).catch(() => [] as string[])) {
        const p = path.join(this.tmpDir, name);
        const st = await stat(p).catch(() => null);
        if (st?.isFile() && st.mtimeMs < cutoff) await rm(p, { force: true }).catch(() => {});
      }
    })();
    await this.tmpSweep;
  }

  /**
   * Puts a local file into the blob store under a fresh key and inserts its row. If the insert
   * fails the blob is deleted again.
   */
  private async store(
    spec: CreateFromLocalFileSpec,
    o: { ext: string; purpose: string | null; status: FileRow['status'] },
  ): Promise<FileRow> {
    const size = (await stat(spec.path)).size;
    const key = newBlobKey(spec.userId, o.ext);
    const put = await this.ctx.blobs.putFile(key, spec.path, { contentType: spec.mime });
    const row: FileRow = {
      id: newId('file'),
      user_id: spec.userId,
      kind: spec.kind,
      purpose: o.purpose,
      role: spec.role ?? null,
      parent_file_id: spec.parentFileId ?? null,
      job_id: spec.jobId ?? null,
      mime: spec.mime,
      size_bytes: put.size ?? size,
      duration_seconds: spec.durationSeconds ?? null,
      width: spec.width ?? null,
      height: spec.height ?? null,
      original_name: sanitizeFilename(spec.originalName ?? null),
      blob_key: key,
      metadata: JSON.stringify(spec.metadata ?? {}),
      created_at: this.ctx.clock.now().toISOString(),
      status: o.status,
      processing_job_id: null,
    };
    try {
      await this.repo.insert(row);
    } catch (err) {
      await this.ctx.blobs.delete(key).catch((e) => this.ctx.logger.error({ err: e, blobKey: key }, 'removing the blob of a failed insert failed'));
      throw err;
    }
    return row;
  }
}

const contentMissing = () => new DomainError(404, 'file_content_missing', 'The content of this file is no longer available.');

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024 && n % (1024 * 1024 * 1024) === 0) return `${n / (1024 * 1024 * 1024)} GB`;
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
