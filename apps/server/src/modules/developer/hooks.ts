import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app.js';
import type { HttpApp } from '../../http/server.js';
import { badRequest } from '../../platform/errors.js';
import { rateLimitedError, rateLimitHeaders, type RateLimiter } from '../../platform/ratelimit/index.js';
import { keyRequestOf } from './auth.js';
import { fingerprintOf, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency.js';
import { developer } from './service.js';
import { runInRequestScope } from './request-scope.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Top-level response fields never stored for an idempotent replay (secrets shown once, e.g.
     * `secret` of a new API key): a replay returns the response without them.
     */
    idempotencyRedact?: string[];
  }
}

interface OwnedKey {
  id: string;
  token: string;
  stopHeartbeat: () => void;
  settled: boolean;
}

const owned = new WeakMap<FastifyRequest, OwnedKey>();
const fingerprints = new WeakMap<FastifyRequest, string>();

/**
 * The developer platform's request hooks, added to the /api/v1 plugin so they run for every API
 * route of every module (after the root hooks: authentication, CSRF):
 *
 *  onRequest     per-key rate limit (429 before the body is even read) + RateLimit headers
 *  preValidation fingerprint of an idempotent POST's body as sent; the rest of a key request
 *                runs in its RequestScope (credits charged)
 *  preHandler    Idempotency-Key on POST: claim the key, or replay / 409 / 422
 *  onSend        store the owned response (or forget it: 400, 429, streams)
 *  onResponse    request-log row for key requests; release an unsettled idempotency claim
 */
export function installApiHooks(app: HttpApp, ctx: AppContext, limiter: RateLimiter): void {
  const dev = developer(ctx);

  // A keep-alive connection sends many requests from one address: hash it once per connection
  // (an HMAC per request is a measurable share of a small request's cost).
  const socketIpHash = new WeakMap<object, { ip: string; hash: string }>();
  const ipHashOf = (req: FastifyRequest): string => {
    const ip = req.ip;
    const known = socketIpHash.get(req.socket);
    if (known && known.ip === ip) return known.hash;
    const hash = dev.requestLogs.ipHash(ip);
    socketIpHash.set(req.socket, { ip, hash });
    return hash;
  };

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const kr = keyRequestOf(req);
    if (!kr?.authenticated) return;
    const r = await limiter.hit(`key:${kr.key.id}`, Number(kr.key.rate_limit_per_minute), 60);
    reply.headers(rateLimitHeaders(r));
    if (!r.allowed) throw rateLimitedError(r);
  });

  // Body parsing runs on socket events, outside any async context: enter the scope here, where
  // the rest of the chain (validation, preHandlers, handler) starts.
  app.addHook('preValidation', (req: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    // The fingerprint is of the body as sent (validation may add defaults or drop fields).
    if (req.method === 'POST' && req.headers['idempotency-key'] !== undefined) {
      fingerprints.set(req, fingerprintOf(req.method, req.url, req.body, req.headers));
    }
    const kr = keyRequestOf(req);
    if (!kr) return done();
    runInRequestScope(kr, done);
  });

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST') return;
    const header = req.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw badRequest('invalid_idempotency_key', `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`, [
        { param: 'Idempotency-Key', message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
      ]);
    }
    const auth = req.auth;
    if (!auth) return; // the route answers 401; nothing to scope the key to
    const scopeKey = auth.via === 'api_key' && auth.apiKeyId ? auth.apiKeyId : auth.userId;
    const result = await dev.idempotency.begin({
      userId: auth.userId,
      scopeKey,
      key,
      fingerprint: fingerprints.get(req) ?? fingerprintOf(req.method, req.url, req.body, req.headers),
      method: req.method,
      path: req.url,
    });
    if (result.kind === 'replay') {
      const kr = keyRequestOf(req);
      if (kr) kr.idempotentReplayed = true;
      reply.code(result.status).header('Idempotent-Replayed', 'true');
      if (result.contentType) reply.type(result.contentType);
      return reply.send(result.body);
    }
    owned.set(req, {
      id: result.id,
      token: result.token,
      stopHeartbeat: dev.idempotency.heartbeat(result.id, result.token),
      settled: false,
    });
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const o = owned.get(req);
    if (!o || o.settled) return payload;
    o.settled = true;
    o.stopHeartbeat();
    const status = reply.statusCode;
    const storable = typeof payload === 'string' || Buffer.isBuffer(payload);
    if (status === 400 || status === 429 || !storable) {
      await dev.idempotency.abandon(o.id, o.token);
      return payload;
    }
    const contentType = reply.getHeader('content-type');
    const body = redact(String(payload), req.routeOptions.config?.idempotencyRedact);
    await dev.idempotency.complete(o.id, o.token, status, contentType === undefined ? null : String(contentType), body);
    return payload;
  });

  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const o = owned.get(req);
    if (o && !o.settled) {
      // Hijacked or aborted before onSend: forget the claim so a retry can run.
      o.settled = true;
      o.stopHeartbeat();
      await dev.idempotency.abandon(o.id, o.token).catch((err) => req.log.warn({ err }, 'releasing an idempotency key failed'));
    }
    const kr = keyRequestOf(req);
    if (!kr) return;
    dev.requestLogs.record({
      id: String(req.id),
      user_id: kr.key.user_id,
      api_key_id: kr.key.id,
      method: req.method,
      path: req.routeOptions.url ?? req.url.split('?')[0]!,
      status: reply.statusCode,
      latency_ms: Math.max(0, Math.round(reply.elapsedTime)),
      credits_charged: kr.creditsCharged,
      ip_hash: ipHashOf(req),
      livemode: Number(kr.key.livemode) ? 1 : 0,
      idempotent_replayed: kr.idempotentReplayed ? 1 : 0,
      created_at: ctx.clock.now().toISOString(),
    });
  });
}

function redact(body: string, fields: string[] | undefined): string {
  if (!fields?.length) return body;
  try {
    const obj = JSON.parse(body) as Record<string, unknown>;
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return body;
    for (const f of fields) delete obj[f];
    return JSON.stringify(obj);
  } catch {
    return body;
  }
}
