import { randomBase62 } from '../ids.js';

/** Longest key either store accepts (S3 allows 1024 bytes; keys are ASCII). */
export const MAX_BLOB_KEY_LENGTH = 1024;

const SEGMENT = /^[A-Za-z0-9_.-]+$/;
const PREFIX_CHARS = /^[A-Za-z0-9/_.-]*$/;
const EXT = /^[a-z0-9]{1,8}$/;

/** A key (or list prefix) that could name something outside the store, or is malformed. */
export class InvalidBlobKeyError extends TypeError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid blob key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidBlobKeyError';
  }
}

/**
 * Throws InvalidBlobKeyError unless key is `seg(/seg)*` where every segment uses only
 * `[A-Za-z0-9_.-]` and does not start with a dot (so no `.`/`..`, no hidden names, and the local
 * store's `.tmp` directory can never be addressed). Both stores apply the same rule so a key
 * accepted by one is accepted by the other.
 */
export function assertValidBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidBlobKeyError(String(key), 'empty');
  if (key.length > MAX_BLOB_KEY_LENGTH) throw new InvalidBlobKeyError(key, 'too long');
  for (const segment of key.split('/')) {
    if (segment.length === 0) throw new InvalidBlobKeyError(key, 'empty path segment (leading, trailing or double slash)');
    if (!SEGMENT.test(segment)) throw new InvalidBlobKeyError(key, 'only [A-Za-z0-9/_.-] allowed');
    if (segment.startsWith('.')) throw new InvalidBlobKeyError(key, 'path segments may not start with a dot');
  }
}

export function isValidBlobKey(key: string): boolean {
  try {
    assertValidBlobKey(key);
    return true;
  } catch {
    return false;
  }
}

/**
 * List prefixes are plain string prefixes (S3 semantics: `u/ab` matches `u/abc/x`), so they may
 * end in `/` or in a partial segment, but may not contain anything a key could not.
 */
export function assertValidBlobPrefix(prefix: string): void {
  if (typeof prefix !== 'string') throw new InvalidBlobKeyError(String(prefix), 'prefix must be a string');
  if (prefix.length > MAX_BLOB_KEY_LENGTH) throw new InvalidBlobKeyError(prefix, 'too long');
  if (!PREFIX_CHARS.test(prefix)) throw new InvalidBlobKeyError(prefix, 'only [A-Za-z0-9/_.-] allowed');
  const segments = prefix.split('/');
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment.length === 0 && !last) throw new InvalidBlobKeyError(prefix, 'empty path segment');
    if (segment.startsWith('.')) throw new InvalidBlobKeyError(prefix, 'path segments may not start with a dot');
  });
}

/** Lower-cases and strips a leading dot; anything not `[a-z0-9]{1,8}` becomes `bin`. */
export function sanitizeBlobExt(ext: string): string {
  const e = String(ext ?? '').trim().replace(/^\./, '').toLowerCase();
  return EXT.test(e) ? e : 'bin';
}

/** A fresh key `u/<userId>/<22 base62 chars>.<ext>` (≈131 random bits). */
export function newBlobKey(userId: string, ext: string): string {
  if (typeof userId !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(userId)) {
    throw new InvalidBlobKeyError(`u/${String(userId)}/`, 'userId must match [A-Za-z0-9_-]{1,128}');
  }
  return `u/${userId}/${randomBase62(22)}.${sanitizeBlobExt(ext)}`;
}
