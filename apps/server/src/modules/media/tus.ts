/**
 * Resumable uploads (tus 1.0, @tus/server + @tus/file-store) under `<dataDir>/tus/`. Each upload
 * belongs to the user who created it (recorded in its metadata, whatever the client sent); the
 * finished bytes become a file only when the client calls `POST /files {upload_id}`, which runs
 * the same validation as a multipart upload and then removes the tus upload.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import type { AppContext } from '../../app.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { randomBase62 } from '../../platform/ids.js';

/** Where the tus routes are mounted (relative Location headers point here). */
export const TUS_PATH = '/api/v1/uploads';
/** Unfinished or never-finalised uploads are purged this long after creation. */
export const TUS_EXPIRY_MS = 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;
const OWNER_KEY = 'clipmix_user';
const ID_RE = /^[A-Za-z0-9]{32}$/;

export interface FinishedUpload {
  id: string;
  path: string;
  size: number;
  filename: string | null;
  filetype: string | null;
}

export class TusUploads {
  readonly dir: string;
  private readonly store: FileStore;
  private readonly server: Server;
  /** The authenticated user of each in-flight tus request (the web Request handed to tus). */
  private readonly owners = new WeakMap<object, string>();
  private lastPurge = 0;

  constructor(private readonly ctx: AppContext) {
    this.dir = path.join(ctx.config.dataDir, 'tus');
    this.store = new FileStore({ directory: this.dir, expirationPeriodInMilliseconds: TUS_EXPIRY_MS });
    this.server = new Server({
      path: TUS_PATH,
      datastore: this.store,
      relativeLocation: true,
      maxSize: ctx.config.limits.uploadBytes,
      respectForwardedHeaders: ctx.config.trustProxy,
      // Same-origin only, like the rest of the API (tus would answer every origin with `*`).
      allowedOrigins: ctx.config.publicUrl ? [new URL(ctx.config.publicUrl).origin] : [],
      namingFunction: () => randomBase62(32),
      onUploadCreate: async (req, upload) => {
        const userId = this.owners.get(req);
        if (!userId) throw { status_code: 401, body: 'Authentication is required.\n' };
        const metadata: Record<string, string | null> = {};
        for (const [k, v] of Object.entries(upload.metadata ?? {})) {
          if (k !== OWNER_KEY && (k === 'filename' || k === 'filetype' || k === 'name' || k === 'type')) metadata[k] = v;
        }
        metadata[OWNER_KEY] = userId;
        return { metadata };
      },
    });
  }

  static isUploadId(id: string): boolean {
    return ID_RE.test(id);
  }

  /** Runs one tus request for `userId`. Ownership of an existing upload is checked first (404). */
  async handle(req: Request, userId: string | null, uploadId: string | null): Promise<Response> {
    if (req.method !== 'OPTIONS') {
      if (!userId) throw new DomainError(401, 'unauthenticated', 'Authentication is required.');
      if (uploadId !== null && (await this.ownerOf(uploadId)) !== userId) throw notFound('upload');
      this.owners.set(req, userId);
      if (req.method === 'POST') await this.maybePurge();
    }
    await mkdir(this.dir, { recursive: true });
    return this.server.handleWeb(req);
  }

  /** The owner of an upload, or null when there is no such upload. */
  private async ownerOf(uploadId: string): Promise<string | null> {
    if (!TusUploads.isUploadId(uploadId)) return null;
    try {
      const upload = await this.store.getUpload(uploadId);
      return upload.metadata?.[OWNER_KEY] ?? null;
    } catch {
      return null;
    }
  }

  /**
   * A finished upload of this user. 404 `upload_missing` if unknown or someone else's, 409
   * `upload_incomplete` while bytes are still missing.
   */
  async finished(userId: string, uploadId: string): Promise<FinishedUpload> {
    if (!TusUploads.isUploadId(uploadId) || (await this.ownerOf(uploadId)) !== userId) {
      throw new DomainError(404, 'upload_missing', 'No such upload.', [{ param: 'upload_id', message: 'No such upload.' }]);
    }
    const upload = await this.store.getUpload(uploadId);
    if (upload.size === undefined || upload.offset !== upload.size) {
      throw new DomainError(
        409,
        'upload_incomplete',
        `The upload has ${upload.offset} of ${upload.size ?? 'an unknown number of'} bytes; finish it before creating the file.`,
      );
    }
    const meta = upload.metadata ?? {};
    return {
      id: uploadId,
      path: path.join(this.dir, uploadId),
      size: upload.offset,
      filename: meta.filename ?? meta.name ?? null,
      filetype: meta.filetype ?? meta.type ?? null,
    };
  }

  /** Removes an upload's bytes and metadata (idempotent). */
  async remove(uploadId: string): Promise<void> {
    if (!TusUploads.isUploadId(uploadId)) return;
    try {
      await this.store.remove(uploadId);
    } catch {
      // already gone
    }
  }

  /** Deletes uploads older than TUS_EXPIRY_MS; returns how many. */
  async purgeExpired(): Promise<number> {
    this.lastPurge = Date.now();
    try {
      return await this.server.cleanUpExpiredUploads();
    } catch (err) {
      this.ctx.logger.warn({ err }, 'purging expired tus uploads failed');
      return 0;
    }
  }

  private async maybePurge(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    void this.purgeExpired();
  }
}
