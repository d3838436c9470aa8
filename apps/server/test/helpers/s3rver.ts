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
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
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
}

// s3rver is CommonJS without type declarations.
const S3rver = createRequire(import.meta.url)('s3rver') as new (opts: S3rverOptions) => S3rverInstance;

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
  const directory = await fsp.mkdtemp(path.join(os.tmpdir(), 'clipmix-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    resetOnClose: false,
  });

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
