import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Purpose-bound keys derived from the deployment secret (CLIPMIX_SECRET) with HKDF-SHA256.
 * Each use (session JWTs, CSRF tokens, rate-limit key hashing, …) gets its own label, so one
 * key can never be confused for another and rotating the root secret rotates them all.
 */
export function deriveKey(secret: string, label: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('clipmix/v1', 'utf8'), label, length));
}

/** HMAC-SHA256 of `data` under `key`, base64url without padding. */
export function hmacBase64url(key: Buffer | Uint8Array, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('base64url');
}

/** SHA-256 hex digest, e.g. of a one-time token before it is stored. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `bytes` random bytes from the CSPRNG as base64url (32 bytes → 43 chars). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Constant-time string comparison. Both sides are hashed first so inputs of different lengths
 * take the same path and timingSafeEqual never sees mismatched buffers.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
