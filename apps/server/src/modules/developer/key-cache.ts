import type { ApiKeyRow } from './db.js';

/** How long a looked-up key row is reused without asking the database again. */
export const KEY_CACHE_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

/**
 * A short-lived, per-process cache of API key rows by the SHA-256 digest of their secret, so a
 * busy key is looked up at most once per KEY_CACHE_TTL_MS instead of on every request.
 *
 * Staleness is bounded: a revocation or an account deletion made by this process removes the
 * key at once (invalidate, invalidateUser), and a change made by another process (revocation,
 * account deletion) is seen within KEY_CACHE_TTL_MS. Expiry is still checked on every request against the cached row.
 * Only keys that were found are cached; unknown secrets always reach the database.
 * Time is the process's monotonic clock: the bound is about real staleness, not the app clock.
 */
export class KeyCache {
  private readonly entries = new Map<string, { row: ApiKeyRow; expiresAt: number }>();

  constructor(
    private readonly ttlMs = KEY_CACHE_TTL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(digestHex: string): ApiKeyRow | undefined {
    const e = this.entries.get(digestHex);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(digestHex);
      return undefined;
    }
    return e.row;
  }

  set(digestHex: string, row: ApiKeyRow): void {
    const blocked = this.blockedUsers.get(row.user_id);
    if (blocked !== undefined) {
      if (blocked > this.now()) return;
      this.blockedUsers.delete(row.user_id);
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(digestHex, { row, expiresAt: this.now() + this.ttlMs });
  }

  /** Forgets a key (by id) at once: after revocation or any change to its row. */
  invalidate(keyId: string): void {
    for (const [digest, e] of this.entries) if (e.row.id === keyId) this.entries.delete(digest);
  }

  /**
   * Forgets every key of a user at once, and caches none of theirs for `blockMs`: their account
   * is being deleted, and its keys must stop working as soon as their rows are gone (until then
   * each request asks the database).
   */
  invalidateUser(userId: string, blockMs: number): void {
    for (const [digest, e] of this.entries) if (e.row.user_id === userId) this.entries.delete(digest);
    if (this.blockedUsers.size >= MAX_ENTRIES) this.blockedUsers.clear();
    this.blockedUsers.set(userId, this.now() + blockMs);
  }

  private readonly blockedUsers = new Map<string, number>();
}
