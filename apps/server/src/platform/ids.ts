import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * CSPRNG bytes are drawn in blocks of POOL_SIZE and handed out from there: one
 * `randomFillSync` per few hundred ids instead of a `randomBytes` call (and allocation) per id.
 * Every byte is used once, so ids stay exactly as unpredictable as before.
 */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** Uniform base62 string from the CSPRNG (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    if (poolOffset >= POOL_SIZE) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const byte = pool[poolOffset++]!;
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out;
}

/** Stripe-style prefixed id, e.g. `file_3kTq…`. 22 base62 chars ≈ 131 bits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(22)}`;
}

/** `n` as exactly `width` base62 digits (most significant first; ALPHABET is in ASCII order). */
function base62Fixed(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

const TIME_DIGITS = 8; // 62^8 ms ≈ 6,900 years
const TAG_DIGITS = 6; // ≈ 35.7 bits per process
const COUNTER_DIGITS = 6; // 62^6 ≈ 5.7·10^10 ids per process before the tag is renewed
const COUNTER_LIMIT = 62 ** COUNTER_DIGITS;

let processTag = randomBase62(TAG_DIGITS);
let counter = 0;

/**
 * Request ids: `req_` + 20 base62 chars = creation time in ms (8) + a random per-process tag (6)
 * + a per-process counter (6). Unique (the counter never repeats within a process; processes
 * differ by their tag), cheap (no CSPRNG call per request), and increasing with time, so the
 * request-log table's primary-key index is appended to instead of written at random pages
 * (far fewer pages per batched INSERT). Request ids are correlation ids, not secrets.
 */
export function newRequestId(): string {
  if (++counter >= COUNTER_LIMIT) {
    processTag = randomBase62(TAG_DIGITS);
    counter = 0;
  }
  return `req_${base62Fixed(Date.now(), TIME_DIGITS)}${processTag}${base62Fixed(counter, COUNTER_DIGITS)}`;
}
