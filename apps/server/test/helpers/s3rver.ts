/**
 * An in-process S3-compatible server (s3rver) for tests.
 *
 *   const s3 = await startS3rver();
 *   const store = createBlobStore(s3.config);
 *   …
 *   await s3.stop();
 *
 * Every call starts its own server on a random 127.0.0.1 port with its own temp directory and a
 * freshly created bucket, so test files never share state. stop() is idempotent, drops open
 * connections (a test that leaked a stream cannot hang it) and removes the directory.
 *
 * s3rver 3.7 has three bugs that matter to us; patchS3rver() fixes them in this process:
 * - `Range: bytes=0-0` returns the whole object (it reads `options.end || Infinity`).
 * - Listing is in directory-walk order, not S3's byte order, so paginated listings can skip keys
 *   (`u/a-b.bin` sorts before `u/a/…` in S3 but after it on disk).
 * - Continuation tokens use single DES, which OpenSSL 3 (Node ≥17) no longer provides, so any
 *   listing with more than one page (over 1000 keys) fails with InternalError.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

interface S3rverOptions {
  address?: string;
  port?: number;
  silent?: boolean;
  directory?: string;
  resetOnClose?: boolean;
  allowMismatchedSignatures?: boolean;
  vhostBuckets?: boolean;
  configureBuckets?: { name: string; configs?: Array<string | Buffer> }[];
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
  /** Koa's middleware stack, composed when the server starts listening. */
  middleware: Array<(...args: never[]) => unknown>;
}

// s3rver is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (opts: S3rverOptions) => S3rverInstance;

// ---------------------------------------------------------------------------------------------
// s3rver fixes (idempotent, process-wide; they only change behaviour that was broken)

interface StoredObject {
  key: string;
  content: Readable | null;
  range?: { start: number; end: number };
  readonly size: number;
}
interface ListOptions {
  delimiter?: string;
  startAfter?: string;
  prefix?: string;
  maxKeys?: number;
}
interface ListResult {
  objects: StoredObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
}
interface FilesystemStoreProto {
  getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<StoredObject | null>;
  listObjects(bucket: string, options: ListOptions): Promise<ListResult>;
  getResourcePath(bucket: string, key?: string, resource?: string): string;
}

const PATCHED = Symbol.for('clipmix.s3rverPatched');

function patchS3rver(): void {
  const proto = (require('s3rver/lib/stores/filesystem') as { prototype: FilesystemStoreProto }).prototype;
  const marks = proto as unknown as Record<symbol, boolean>;
  if (marks[PATCHED]) return;
  marks[PATCHED] = true;

  const getObject = proto.getObject;
  proto.getObject = async function (this: FilesystemStoreProto, bucket, key, options) {
    if (options?.start === undefined) return getObject.call(this, bucket, key, options);
    const object = await getObject.call(this, bucket, key, options);
    if (!object?.content) return object;
    if (object.size === 0) {
      // S3: any range of an empty object is unsatisfiable (416 InvalidRange).
      object.content.destroy();
      object.content = null;
      return object;
    }
    if (options.start === 0 && options.end === 0) {
      object.content.destroy();
      object.content = createReadStream(this.getResourcePath(bucket, key, 'object'), { start: 0, end: 0 });
      object.range = { start: 0, end: 0 };
    }
    return object;
  };

  const listObjects = proto.listObjects;
  proto.listObjects = async function (this: FilesystemStoreProto, bucket, options) {
    if (options.delimiter) return listObjects.call(this, bucket, options);
    // List everything after startAfter, then sort in byte order and cut the page ourselves.
    const maxKeys = options.maxKeys ?? 1000;
    const all = await listObjects.call(this, bucket, { ...options, maxKeys: Infinity });
    const objects = all.objects.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    return { objects: objects.slice(0, maxKeys), commonPrefixes: all.commonPrefixes, isTruncated: objects.length > maxKeys };
  };

  // s3rver encrypts continuation tokens with `des` (DES-CBC). Two-key 3DES with both keys equal
  // is exactly single DES (E_k∘D_k∘E_k = E_k), and OpenSSL 3 still ships it.
  const crypto = require('node:crypto') as Record<string, unknown> & typeof import('node:crypto');
  try {
    crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
  } catch {
    const createCipheriv = crypto.createCipheriv;
    const createDecipheriv = crypto.createDecipheriv;
    const asDesEde = (key: unknown) => Buffer.concat([Buffer.from(key as Buffer), Buffer.from(key as Buffer)]);
    crypto.createCipheriv = ((alg: string, key: Buffer, iv: Buffer, opts?: object) =>
      alg === 'des'
        ? createCipheriv('des-ede-cbc', asDesEde(key), iv, opts as never)
        : createCipheriv(alg, key, iv, opts as never)) as typeof crypto.createCipheriv;
    crypto.createDecipheriv = ((alg: string, key: Buffer, iv: Buffer, opts?: object) =>
      alg === 'des'
        ? createDecipheriv('des-ede-cbc', asDesEde(key), iv, opts as never)
        : createDecipheriv(alg, key, iv, opts as never)) as typeof crypto.createDecipheriv;
  }
}

/** s3rver's built-in credentials. */
export const S3RVER_ACCESS_KEY_ID = 'S3RVER';
export const S3RVER_SECRET_ACCESS_KEY = 'S3RVER';
export const S3RVER_REGION = 'us-east-1';

/** Same shape as the s3 branch of `Config['blob']`. */
export interface S3rverBlobConfig {
  kind: 's3';
  bucket: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: true;
}

export interface S3rverHandle {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** A fresh, empty bucket created for this server. */
  bucket: string;
  /** Ready for `createBlobStore(config)` or `{ ...config, bucket: other }`. */
  config: S3rverBlobConfig;
  /** The server's data directory (removed by stop()). */
  directory: string;
  /** Creates another empty bucket on the same server and returns its name. */
  createBucket(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export function randomBucketName(): string {
  // S3 rules: 3–63 chars, lowercase letters, digits, hyphens.
  return `clipmix-test-${randomBytes(8).toString('hex')}`;
}

export async function startS3rver(opts: { bucket?: string } = {}): Promise<S3rverHandle> {
  patchS3rver();
  const directory = await fsp.mkdtemp(path.join(os.tmpdir(), 'clipmix-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    resetOnClose: false,
  });

  // Drop the per-request logger (koa-logger, first in the stack): we run silent anyway, and it
  // would write to s3rver's already-closed winston logger when a response ends after stop().
  server.middleware = server.middleware.filter((fn) => fn.name !== 'logger');

  let client: S3Client | undefined;
  let stopping: Promise<void> | undefined;
  let running = false;

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      client?.destroy();
      if (running) {
        const closed = server.close().catch(() => {});
        // Node ≥19 closes idle keep-alive sockets on close(); also drop in-flight ones.
        server.httpServer?.closeAllConnections();
        await closed;
      }
      await fsp.rm(directory, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    })());

  try {
    const address = await server.run();
    running = true;
    const endpoint = `http://127.0.0.1:${address.port}`;
    client = new S3Client({
      endpoint,
      region: S3RVER_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: S3RVER_ACCESS_KEY_ID, secretAccessKey: S3RVER_SECRET_ACCESS_KEY },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const s3 = client;
    const createBucket = async (name = randomBucketName()): Promise<string> => {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    };
    // Creating the bucket through the API doubles as a readiness check.
    const bucket = await createBucket(opts.bucket);
    return {
      endpoint,
      bucket,
      config: {
        kind: 's3',
        bucket,
        endpoint,
        region: S3RVER_REGION,
        accessKeyId: S3RVER_ACCESS_KEY_ID,
        secretAccessKey: S3RVER_SECRET_ACCESS_KEY,
        forcePathStyle: true,
      },
      directory,
      createBucket,
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}
