import { createWriteStream } from 'node:fs';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertValidBlobKey, assertValidBlobPrefix, isValidBlobKey } from './keys.js';
import { assertValidRange, unsatisfiableRange } from './range.js';
import { BlobNotFoundError, type BlobStat, type BlobStore, type ByteRange } from './types.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** For S3-compatible services (R2, MinIO, s3rver); omit for AWS. */
  endpoint?: string;
  region: string;
  /** Both or neither; when omitted the AWS default credential chain is used. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO, s3rver). */
  forcePathStyle: boolean;
  /** Multipart part size in bytes (min 5 MiB, the default). Memory use is about queueSize × partSize per upload. */
  partSize?: number;
  /** Parts uploaded in parallel per upload (default 4). */
  queueSize?: number;
  /** Keys per ListObjectsV2 page (default and S3 maximum 1000). */
  listPageSize?: number;
}

/**
 * Blobs as objects in one bucket; the blob key is the object key.
 *
 * Uploads use lib-storage `Upload` (a single PutObject for bodies under one part, multipart
 * otherwise). S3 makes an object visible only when the PutObject or CompleteMultipartUpload
 * succeeds, so writes are atomic; a failed upload is aborted.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly client: S3Client;
  private readonly partSize: number | undefined;
  private readonly queueSize: number | undefined;
  private readonly listPageSize: number | undefined;

  constructor(opts: S3BlobStoreOptions) {
    if (!opts.bucket) throw new TypeError('S3BlobStore: bucket is required');
    if (Boolean(opts.accessKeyId) !== Boolean(opts.secretAccessKey)) {
      throw new TypeError('S3BlobStore: set both accessKeyId and secretAccessKey, or neither');
    }
    this.bucket = opts.bucket;
    this.partSize = opts.partSize;
    this.queueSize = opts.queueSize;
    this.listPageSize = opts.listPageSize;
    const config: S3ClientConfig = {
      region: opts.region,
      forcePathStyle: opts.forcePathStyle,
      // Only send checksums when an operation requires them: many S3-compatible services
      // reject or mishandle the SDK's default CRC32 headers/trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    if (opts.endpoint) config.endpoint = opts.endpoint;
    if (opts.accessKeyId && opts.secretAccessKey) {
      config.credentials = { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey };
    }
    this.client = new S3Client(config);
  }

  async put(key: string, body: Readable | Buffer, opts?: { contentType?: string }): Promise<BlobStat> {
    assertValidBlobKey(key);
    if (body instanceof Uint8Array) {
      const bytes: Uint8Array = body;
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      await this.upload(key, buf, buf.byteLength, opts?.contentType);
      return { size: body.byteLength };
    }

    // Count bytes on the way through and remember a source failure, so the caller sees the
    // stream's own error rather than whatever the multipart abort reports.
    let size = 0;
    let sourceError: unknown;
    const source = body;
    const counted = Readable.from(
      (async function* () {
        try {
          for await (const chunk of source as AsyncIterable<Buffer | string>) {
            const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            size += buf.byteLength;
            yield buf;
          }
        } catch (err) {
          sourceError = err;
          throw err;
        }
      })(),
      { objectMode: false },
    );
    try {
      await this.upload(key, counted, undefined, opts?.contentType);
    } catch (err) {
      counted.destroy();
      if (!source.destroyed) source.destroy();
      if (sourceError !== undefined) throw sourceError;
      throw err;
    }
    return { size };
  }

  async putFile(key: string, filePath: string, opts?: { contentType?: string }): Promise<BlobStat> {
    assertValidBlobKey(key);
    // Open first so a missing file fails here with ENOENT, not inside the upload.
    const fh = await fsp.open(filePath, 'r');
    return this.put(key, fh.createReadStream({ autoClose: true }), opts);
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertValidBlobKey(key);
    if (range) assertValidRange(range);
    try {
      const res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      if (!(res.Body instanceof Readable)) throw new Error(`S3BlobStore: unexpected body type for ${key}`);
      return res.Body;
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      if (errorName(err) === 'InvalidRange' || httpStatus(err) === 416) throw unsatisfiableRange(key, range!);
      throw err;
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    assertValidBlobKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: res.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidBlobKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async *list(prefix = ''): AsyncIterable<string> {
    assertValidBlobPrefix(prefix);
    let token: string | undefined;
    do {
      const res = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix || undefined,
          ContinuationToken: token,
          MaxKeys: this.listPageSize,
        }),
      );
      for (const obj of res.Contents ?? []) {
        // A shared bucket may hold objects that are not ours; never hand out a key we would refuse.
        if (obj.Key && isValidBlobKey(obj.Key)) yield obj.Key;
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
  }

  async localPath(key: string): Promise<{ path: string; release(): Promise<void> }> {
    assertValidBlobKey(key);
    const body = await this.get(key);
    let dir: string | undefined;
    try {
      dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'clipmix-blob-'));
      // Keep the basename (and so the extension): tools like ffmpeg look at it.
      const file = path.join(dir, path.posix.basename(key));
      await pipeline(body, createWriteStream(file, { flags: 'wx' }));
      const tmpDir = dir;
      let released: Promise<void> | undefined;
      return {
        path: file,
        release: () => (released ??= fsp.rm(tmpDir, { recursive: true, force: true })),
      };
    } catch (err) {
      body.destroy();
      if (dir) await fsp.rm(dir, { recursive: true, force: true }).catch(() => {});
      throw err;
    }
  }

  /** Closes the client's sockets. The store must not be used afterwards. */
  destroy(): void {
    this.client.destroy();
  }

  private async upload(key: string, body: Buffer | Readable, contentLength: number | undefined, contentType: string | undefined): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: contentLength,
        ContentType: contentType,
      },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    await upload.done();
  }
}

function errorName(err: unknown): string | undefined {
  return (err as { name?: string } | null)?.name;
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  const name = errorName(err);
  if (name === 'NoSuchKey' || name === 'NotFound') return true;
  return httpStatus(err) === 404 && name !== 'NoSuchBucket';
}
