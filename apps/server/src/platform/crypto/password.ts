import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';

/**
 * bcrypt work factor for new password hashes. 12 ≈ 250 ms on one core of a 2026 laptop; never
 * below 10. Hashes with a lower cost are upgraded transparently on the next successful login.
 */
export const BCRYPT_COST = 12;

/**
 * A bcrypt hash (cost 12) of a random string nobody knows. Login compares against it when the
 * email is unknown, so "no such user" costs the same bcrypt time as "wrong password".
 * If BCRYPT_COST changes, regenerate it (a test checks they agree).
 */
export const DUMMY_PASSWORD_HASH = '$2b$12$4epWzJ5Cfyo6EK092kNTaeE.g83SikToKKxnBUVrScP60728XmgjK';

const BCRYPT_MAX_BYTES = 72;

/**
 * bcrypt silently ignores everything after 72 bytes. Longer passwords (we accept up to 200
 * characters) are pre-hashed with SHA-256 so every character counts; the rule depends only on
 * the password itself, so verification re-derives the same input. Short passwords are hashed as
 * they are, which keeps hashes compatible with plain bcrypt.
 */
function bcryptInput(password: string): string {
  if (Buffer.byteLength(password, 'utf8') <= BCRYPT_MAX_BYTES) return password;
  return `sha256:${createHash('sha256').update(password, 'utf8').digest('base64')}`;
}

export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  if (cost < 10) throw new Error('bcrypt cost must be at least 10');
  return bcrypt.hash(bcryptInput(password), cost);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await bcrypt.compare(bcryptInput(password), hash);
  } catch {
    return false;
  }
}

/** True when the stored hash uses a lower cost than we use now. */
export function needsRehash(hash: string, cost = BCRYPT_COST): boolean {
  try {
    return bcrypt.getRounds(hash) < cost;
  } catch {
    return true;
  }
}
