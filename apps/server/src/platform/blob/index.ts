import { LocalBlobStore } from './local.js';
import { S3BlobStore } from './s3.js';
import type { BlobStore } from './types.js';

export * from './types.js';
export {
  assertValidBlobKey,
  assertValidBlobPrefix,
  InvalidBlobKeyError,
  isValidBlobKey,
  MAX_BLOB_KEY_LENGTH,
  newBlobKey,
  sanitizeBlobExt,
} from './keys.js';
export { LOCAL_TMP_DIR, LocalBlobStore } from './local.js';
export { S3BlobStore, type S3BlobStoreOptions } from './s3.js';

/** Same shape as `Config['blob']` (apps/server/src/config/env.ts). */
export type BlobStoreConfig =
  | { kind: 'local'; root: string }
  | {
      kind: 's3';
      bucket: string;
      endpoint?: string;
      region: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      forcePathStyle: boolean;
    };

/** Builds the configured store; called once by the composition root. */
export function createBlobStore(cfg: BlobStoreConfig): BlobStore {
  switch (cfg.kind) {
    case 'local':
      return new LocalBlobStore(cfg.root);
    case 's3':
      return new S3BlobStore({
        bucket: cfg.bucket,
        endpoint: cfg.endpoint,
        region: cfg.region,
        accessKeyId: cfg.accessKeyId,
        secretAccessKey: cfg.secretAccessKey,
        forcePathStyle: cfg.forcePathStyle,
      });
    default: {
      const never: never = cfg;
      throw new TypeError(`unknown blob store kind: ${(never as { kind?: unknown }).kind}`);
    }
  }
}
