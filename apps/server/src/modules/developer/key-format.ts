import { hash, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { randomBase62 } from '../../platform/ids.js';

/**
 * API key secrets, GitHub-token style:
 *
 *   sk_live_ <30 base62 chars from the CSPRNG (≈178 bits)> <6 base62 chars: CRC32 checksum>
 *
 * The checksum covers the mode prefix and the random part, so a typo, a truncated paste or a
 * made-up key is refused by arithmetic alone, before any database lookup; secret scanners can
 * recognise real keys the same way. Only SHA-256(secret) and the first 12 characters are stored.
 */
export const LIVE_PREFIX = 'sk_live_';
export const TEST_PREFIX = 'sk_test_';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
export const SECRET_LENGTH = LIVE_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
export const DISPLAY_PREFIX_LENGTH = 12;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SHAPE = /^sk_(live|test)_[0-9A-Za-z]{36}$/;

/** CRC32 of the text before the checksum, as 6 base62 digits (62^6 > 2^32). */
function checksum(head: string): string {
  let n = crc32(head) >>> 0;
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function generateSecret(livemode: boolean): string {
  const head = (livemode ? LIVE_PREFIX : TEST_PREFIX) + randomBase62(RANDOM_LENGTH);
  return head + checksum(head);
}

/** Well-formed with a valid checksum → its mode; anything else → null (no lookup needed). */
export function parseSecret(token: string): { livemode: boolean } | null {
  if (token.length !== SECRET_LENGTH) return null;
  const m = SHAPE.exec(token);
  if (!m) return null;
  const head = token.slice(0, SECRET_LENGTH - CHECKSUM_LENGTH);
  const sum = token.slice(SECRET_LENGTH - CHECKSUM_LENGTH);
  if (sum !== checksum(head)) return null;
  return { livemode: m[1] === 'live' };
}

export const displayPrefix = (secret: string): string => secret.slice(0, DISPLAY_PREFIX_LENGTH);

/** SHA-256 of the whole secret (the stored, indexed form). */
export function secretDigest(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/** The same digest as lowercase hex (the stored text), without a Buffer in between. */
export function secretDigestHex(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/**
 * Constant-time equality of two hex digests of equal length: every character is compared
 * (no early exit), so the time does not depend on where they differ.
 */
export function hexDigestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Constant-time comparison of a computed digest with a stored hex digest (both 32 bytes). */
export function digestMatches(digest: Buffer, storedHex: string): boolean {
  const stored = Buffer.from(storedHex, 'hex');
  return stored.length === digest.length && timingSafeEqual(stored, digest);
}
