import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { nowMs, type Clock } from '../clock.js';
import { DomainError } from '../errors.js';

/**
 * Fixed-window rate limiting with a pluggable counter store: in memory (one process, the
 * embedded default) or Redis (shared by every API process when REDIS_URL is set).
 *
 * Keys are opaque to this module. Callers that limit per client IP pass an HMAC of the IP
 * (see AccountsService / accounts routes), never the IP itself, so not even Redis sees it.
 */
export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  /** Adds one hit to `key` and returns the new count; the counter lives `ttlMs`. */
  increment(key: string, ttlMs: number, nowMs: number): Promise<number>;
  /** The same without a promise, for stores that can count synchronously (memory). */
  incrementSync?(key: string, ttlMs: number, nowMs: number): number;
  close(): Promise<void>;
}

export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = 'memory' as const;
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();
  private ops = 0;

  async increment(key: string, ttlMs: number, nowMs: number): Promise<number> {
    return this.incrementSync(key, ttlMs, nowMs);
  }

  incrementSync(key: string, ttlMs: number, nowMs: number): number {
    if (++this.ops % 1000 === 0 || this.counters.size > 50_000) this.sweep(nowMs);
    const c = this.counters.get(key);
    if (!c || c.expiresAt <= nowMs) {
      this.counters.set(key, { count: 1, expiresAt: nowMs + ttlMs });
      return 1;
    }
    c.count += 1;
    return c.count;
  }

  private sweep(nowMs: number): void {
    for (const [k, v] of this.counters) if (v.expiresAt <= nowMs) this.counters.delete(k);
  }

  async close(): Promise<void> {
    this.counters.clear();
  }
}

// INCR, and set the expiry when the key is new: one round trip, atomic.
const INCR_SCRIPT = `local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return c`;

/**
 * Redis counters. If Redis is unreachable the limiter falls back to this process's memory
 * (fail open to a per-process limit rather than locking every user out), logging a warning.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly fallback = new MemoryRateLimitStore();
  private lastWarning = 0;

  constructor(
    url: string,
    private readonly logger?: Logger,
    private readonly prefix = 'clipmix:rl:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000, enableAutoPipelining: true });
    this.redis.on('error', (err) => this.warn(err));
  }

  async increment(key: string, ttlMs: number, nowMs: number): Promise<number> {
    try {
      const n = await this.redis.eval(INCR_SCRIPT, 1, this.prefix + key, String(ttlMs));
      return Number(n);
    } catch (err) {
      this.warn(err);
      return this.fallback.increment(key, ttlMs, nowMs);
    }
  }

  private warn(err: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.logger?.warn({ err: (err as Error)?.message }, 'rate-limit store: Redis unavailable, limiting per process');
  }

  async close(): Promise<void> {
    await this.fallback.close();
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

export function createRateLimitStore(opts: { redisUrl?: string; logger?: Logger; prefix?: string }): RateLimitStore {
  return opts.redisUrl ? new RedisRateLimitStore(opts.redisUrl, opts.logger, opts.prefix) : new MemoryRateLimitStore();
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends (≥ 1). */
  resetSeconds: number;
  windowSeconds: number;
}

function result(count: number, limit: number, windowSeconds: number, window: number, now: number): RateLimitResult {
  const windowMs = windowSeconds * 1000;
  const resetSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetSeconds, windowSeconds };
}

export class RateLimiter {
  constructor(
    readonly store: RateLimitStore,
    private readonly clock: Clock,
  ) {}

  /** Counts one request against `key`: at most `limit` per fixed window of `windowSeconds`. */
  async hit(key: string, limit: number, windowSeconds = 60): Promise<RateLimitResult> {
    const windowMs = windowSeconds * 1000;
    const now = nowMs(this.clock);
    const window = Math.floor(now / windowMs);
    const count = await this.store.increment(`${key}:${window}`, windowMs, now);
    return result(count, limit, windowSeconds, window, now);
  }

  /**
   * hit() without a promise when the store counts synchronously (in memory); undefined when it
   * cannot (Redis): call hit() then. Saves a request's hook a promise and a turn of the loop.
   */
  hitSync(key: string, limit: number, windowSeconds = 60): RateLimitResult | undefined {
    if (!this.store.incrementSync) return undefined;
    const windowMs = windowSeconds * 1000;
    const now = nowMs(this.clock);
    const window = Math.floor(now / windowMs);
    const count = this.store.incrementSync(this.windowKey(key, window), windowMs, now);
    return result(count, limit, windowSeconds, window, now);
  }

  // `${key}:${window}` is the same text for every request of a window: reuse one string, whose
  // hash V8 keeps, instead of building and hashing a new one per request.
  private readonly windowKeys = new Map<string, { window: number; text: string }>();

  private windowKey(key: string, window: number): string {
    const known = this.windowKeys.get(key);
    if (known && known.window === window) return known.text;
    if (this.windowKeys.size > 10_000) this.windowKeys.clear();
    const text = `${key}:${window}`;
    this.windowKeys.set(key, { window, text });
    return text;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/**
 * IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-07):
 * `RateLimit-Policy: 10;w=60` and `RateLimit: limit=10, remaining=3, reset=42`.
 */
export function rateLimitHeaders(r: RateLimitResult): Record<string, string> {
  return {
    'RateLimit-Policy': rateLimitPolicy(r),
    RateLimit: rateLimitState(r),
  };
}

/** `RateLimit-Policy` value alone (callers that set the two headers one by one). */
export const rateLimitPolicy = (r: RateLimitResult): string => `${r.limit};w=${r.windowSeconds}`;
/** `RateLimit` value alone. */
export const rateLimitState = (r: RateLimitResult): string => `limit=${r.limit}, remaining=${r.remaining}, reset=${r.resetSeconds}`;

/** The 429 DomainError (→ problem+json) with Retry-After and the RateLimit headers. */
export function rateLimitedError(r: RateLimitResult): DomainError {
  return new DomainError(429, 'rate_limited', `Too many requests. Try again in ${r.resetSeconds} s.`, undefined, {
    'Retry-After': String(r.resetSeconds),
    ...rateLimitHeaders(r),
  });
}
