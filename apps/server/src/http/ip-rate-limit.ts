import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.js';
import { clientKey, rateLimitNamespace } from '../modules/accounts/session.js';
import { createRateLimitStore, RateLimiter, rateLimitedError, rateLimitHeaders, type RateLimitResult } from '../platform/ratelimit/index.js';

/**
 * Per-IP rate limit for anonymous API requests: any /api/ request that arrives without a
 * session or API key counts against CLIPMIX_IP_RATE_LIMIT per minute for its client IP
 * (0 turns it off). Over the limit → 429 problem with Retry-After and the RateLimit headers.
 *
 * Only /api/ paths are limited: /healthz, /readyz, /metrics and the web app's pages and assets
 * never are. Authenticated requests have their own limits (per key; sessions are people). The
 * stricter per-route limits of sign-up/login/reset still apply on top and report their headers.
 *
 * A request whose credentials were refused (a malformed, unknown, revoked or expired API key:
 * 401) is anonymous too, on any path: anyone can make up well-formed keys (the checksum is
 * public) and each costs a hash and a database lookup, so it counts against the same budget, and
 * once that is spent the answer is the 429 rather than the 401.
 *
 * Counters are keyed by an HMAC of the IP under a per-deployment key, never the IP, and live in
 * memory or, with REDIS_URL, in Redis shared by every API process.
 *
 * Returns the check for the root onRequest hook (server.ts), which runs it after authentication
 * (`credentialsRefused`: authentication threw); null when the limit is off.
 */
export type IpRateLimitCheck = (req: FastifyRequest, reply: FastifyReply, credentialsRefused?: boolean) => Promise<void> | void;

export function createIpRateLimit(
  app: FastifyInstance,
  ctx: AppContext,
): IpRateLimitCheck | null {
  const max = ctx.config.ipRateLimitPerMinute;
  if (max <= 0) return null;
  const limiter = new RateLimiter(
    createRateLimitStore({ redisUrl: ctx.config.redisUrl, logger: ctx.logger, prefix: `clipmix:rl:${rateLimitNamespace(ctx)}:` }),
    ctx.clock,
  );
  app.addHook('onClose', async () => limiter.close());
  const apply = (r: RateLimitResult, reply: FastifyReply) => {
    if (!r.allowed) throw rateLimitedError(r);
    reply.headers(rateLimitHeaders(r));
  };
  return (req, reply, credentialsRefused = false) => {
    if (!credentialsRefused && (req.auth || !req.url.startsWith('/api/'))) return;
    const key = `ip:${clientKey(ctx, req.ip)}`;
    const r = limiter.hitSync(key, max, 60);
    if (r) return apply(r, reply);
    return limiter.hit(key, max, 60).then((r) => apply(r, reply));
  };
}
