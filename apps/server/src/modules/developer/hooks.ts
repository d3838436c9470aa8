import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app.js';
import { routeUrlOf } from '../../http/route-url.js';
import type { HttpApp } from '../../http/server.js';
import { isoNow } from '../../platform/clock.js';
import { badRequest } from '../../platform/errors.js';
import { createRateLimitStore, RateLimiter, rateLimitedError, rateLimitPolicy, rateLimitState, type RateLimitResult } from '../../platform/ratelimit/index.js';
import { rateLimitNamespace } from '../accounts/session.js';
import { keyRequestOf } from './auth.js';
import type { ApiKeyRow } from './db.js';
import { fingerprintOf, isStreamedFingerprint, MAX_IDEMPOTENCY_KEY_LENGTH, reusedKeyError, type StoredResponse } from './idempotency.js';
import { setStreamedBodyIdempotency } from './idempotent-body.js';
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
  /**
   * The body streams to the handler (idempotent-body.ts): the response is kept only once the
   * handler has recorded the body's content fingerprint (`bodyFingerprinted`).
   */
  streamedBody: boolean;
  bodyFingerprinted: boolean;
}

/**
 * Responses an Idempotency-Key does not keep (API.md: "Validation failures and 429s are not
 * stored"), so the corrected request can be retried with the same key: malformed (400), too large
 * (413), unsupported media (415) and semantically invalid (422) requests, wherever they were
 * refused, and rate limiting. Errors after a request was accepted (402, 404, 5xx) are replayed.
 */
const NOT_STORED_STATUSES = new Set([400, 413, 415, 422, 429]);

const owned = new WeakMap<FastifyRequest, OwnedKey>();
const fingerprints = new WeakMap<FastifyRequest, string>();
/** Leaves the request's RequestScope (requests that entered one). */
const scopes = new WeakMap<FastifyRequest, () => void>();

/**
 * The developer platform's request hooks on the /api/v1 plugin (ModuleDefinition.apiHooks,
 * installed before any module's routes), after the root hooks (authentication, CSRF). onRequest
 * and onResponse run for every API route; preValidation, preHandler and onSend are hooks of the
 * routes that accept an unsafe method (POST, PUT, PATCH, DELETE):
 *
 *  onRequest     per-key rate limit (429 before the body is even read) + RateLimit headers
 *  preValidation fingerprint of an idempotent POST's body as sent; the rest of a key request
 *                that may charge credits (an unsafe method) runs in its RequestScope
 *  preHandler    Idempotency-Key on POST: claim the key, or replay / 409 / 422 (a streamed
 *                body — an upload — is compared by its route once read: idempotent-body.ts)
 *  onSend        store the owned response (or forget it: 400, 429, streams, an upload whose
 *                body was never fingerprinted)
 *  onResponse    request-log row for key requests; release an unsettled idempotency claim
 *
 * onRequest and onResponse run for unknown /api/v1 routes too (the plugin answers its own 404s,
 * server.ts): such a key request is rate limited and logged, with the path as sent
 * (unmatchedPath); it accepted nothing, so there is no key to claim and no credit to charge.
 *
 * Every hook is callback-style and returns at once (no promise, no extra turn of the event loop)
 * when it has nothing to do.
 */
export function installApiHooks(app: HttpApp, ctx: AppContext): void {
  const dev = developer(ctx);
  // Per-key counters: in memory, or shared through Redis when REDIS_URL is set.
  const limiter = new RateLimiter(
    createRateLimitStore({ redisUrl: ctx.config.redisUrl, logger: ctx.logger, prefix: `clipmix:rl:${rateLimitNamespace(ctx)}:` }),
    ctx.clock,
  );
  app.addHook('onClose', async () => limiter.close());

  // preValidation, preHandler and onSend only matter to requests that may change something
  // (Idempotency-Key, the RequestScope of credit charges): they are route hooks of the routes
  // that accept an unsafe method, so a GET runs no hook of these three kinds at all — Fastify
  // then skips the stage — instead of three that return at once.
  const unsafeRouteHooks: { preValidation: unknown[]; preHandler: unknown[]; onSend: unknown[] } = { preValidation: [], preHandler: [], onSend: [] };
  const addUnsafeRouteHook = (name: keyof typeof unsafeRouteHooks, hook: unknown) => unsafeRouteHooks[name].push(hook);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => !SAFE_METHODS.has(m.toUpperCase()))) return;
    const r = route as unknown as Record<keyof typeof unsafeRouteHooks, unknown>;
    for (const name of ['preValidation', 'preHandler', 'onSend'] as const) {
      const own = r[name] === undefined ? [] : Array.isArray(r[name]) ? (r[name] as unknown[]) : [r[name]];
      // Ours first, as when they were hooks of the plugin (before any of the route's own).
      r[name] = [...unsafeRouteHooks[name], ...own];
    }
  });

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

  const applyLimit = (r: RateLimitResult, reply: FastifyReply): Error | undefined => {
    reply.header('RateLimit-Policy', rateLimitPolicy(r));
    reply.header('RateLimit', rateLimitState(r));
    return r.allowed ? undefined : rateLimitedError(r);
  };

  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const kr = keyRequestOf(req);
    if (!kr?.authenticated) return done();
    const key = limitKeyOf(kr.key);
    const limit = Number(kr.key.rate_limit_per_minute);
    const r = limiter.hitSync(key, limit, 60); // in memory: no promise
    if (r) return done(applyLimit(r, reply));
    limiter.hit(key, limit, 60).then((r) => done(applyLimit(r, reply)), done);
  });

  // Body parsing runs on socket events, outside any async context: enter the scope here, where
  // the rest of the chain (validation, preHandlers, handler) starts.
  addUnsafeRouteHook('preValidation', function idempotencyPreValidation(req: FastifyRequest, reply: FastifyReply, done: () => void) {
    if (SAFE_METHODS.has(req.method)) {
      // GET/HEAD/OPTIONS charge no credits: no scope (see request-scope.ts for why that matters).
      return done();
    }
    // The fingerprint is of the body as sent (validation may add defaults or drop fields).
    if (req.method === 'POST' && req.headers['idempotency-key'] !== undefined) {
      fingerprints.set(req, fingerprintOf(req.method, req.url, req.body, req.headers));
    }
    const kr = keyRequestOf(req);
    if (!kr) return done();
    const leave = runInRequestScope(kr, done);
    scopes.set(req, leave);
    reply.raw.once('close', leave);
  });

  addUnsafeRouteHook('preHandler', function idempotencyPreHandler(req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
    if (req.method !== 'POST') return done();
    const header = req.headers['idempotency-key'];
    if (header === undefined) return done();
    // An unknown route (404 route_not_found) accepted nothing: no claim, nothing stored.
    if (routeUrlOf(req) === undefined) return done();
    claimIdempotencyKey(req, reply, header).then(() => done(), done);
  });

  const claimIdempotencyKey = async (req: FastifyRequest, reply: FastifyReply, header: string | string[]): Promise<void> => {
    const key = Array.isArray(header) ? header[0] : header;
    if (!key || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw badRequest('invalid_idempotency_key', `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`, [
        { param: 'Idempotency-Key', message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` },
      ]);
    }
    const auth = req.auth;
    if (!auth) return; // the route answers 401; nothing to scope the key to
    const scopeKey = auth.via === 'api_key' && auth.apiKeyId ? auth.apiKeyId : auth.userId;
    const fingerprint = fingerprints.get(req) ?? fingerprintOf(req.method, req.url, req.body, req.headers);
    const result = await dev.idempotency.begin({ userId: auth.userId, scopeKey, key, fingerprint, method: req.method, path: req.url });
    if (result.kind === 'replay') {
      sendReplay(req, reply, result);
      return;
    }
    if (result.kind === 'replay_if_same_body') {
      // The route reads (drains) the body and compares; nothing is claimed, nothing stored.
      const row = { method: req.method, path: req.url };
      setStreamedBodyIdempotency(req, {
        compareOnly: true,
        bodyRead: async (digest) => {
          if (digest !== result.bodyDigest) throw reusedKeyError(row);
          sendReplay(req, reply, result);
          return true;
        },
      });
      return;
    }
    const o: OwnedKey = {
      id: result.id,
      token: result.token,
      stopHeartbeat: dev.idempotency.heartbeat(result.id, result.token),
      settled: false,
      streamedBody: isStreamedFingerprint(fingerprint),
      bodyFingerprinted: false,
    };
    owned.set(req, o);
    if (o.streamedBody) {
      setStreamedBodyIdempotency(req, {
        compareOnly: false,
        bodyRead: async (digest) => {
          await dev.idempotency.setBodyFingerprint(o.id, o.token, fingerprint, digest);
          o.bodyFingerprinted = true;
          return false;
        },
      });
    }
  };

  const sendReplay = (req: FastifyRequest, reply: FastifyReply, stored: StoredResponse): void => {
    const kr = keyRequestOf(req);
    if (kr) kr.idempotentReplayed = true;
    reply.code(stored.status).header('Idempotent-Replayed', 'true');
    if (stored.contentType) reply.type(stored.contentType);
    reply.send(stored.body);
  };

  addUnsafeRouteHook('onSend', function idempotencyOnSend(req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) {
    const o = owned.get(req);
    if (!o || o.settled) return done(null, payload);
    settleIdempotencyKey(req, reply, payload, o).then(() => done(null, payload), (err: Error) => done(err));
  });

  const settleIdempotencyKey = async (req: FastifyRequest, reply: FastifyReply, payload: unknown, o: OwnedKey): Promise<void> => {
    o.settled = true;
    o.stopHeartbeat();
    const status = reply.statusCode;
    const storable = typeof payload === 'string' || Buffer.isBuffer(payload);
    // A streamed body that was never fingerprinted (refused before or while it was read, or a
    // route that does not read it): keeping the response would replay it for any other body.
    const unfingerprinted = o.streamedBody && !o.bodyFingerprinted;
    if (NOT_STORED_STATUSES.has(status) || !storable || unfingerprinted) {
      await dev.idempotency.abandon(o.id, o.token);
      return;
    }
    const contentType = reply.getHeader('content-type');
    const body = redact(String(payload), req.routeOptions.config?.idempotencyRedact);
    await dev.idempotency.complete(o.id, o.token, status, contentType === undefined ? null : String(contentType), body);
  };

  app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    // Only a request with an unsafe method can have a scope or an idempotency claim: a GET skips
    // both lookups (the first WeakMap lookup of an object gives it an identity hash, not free).
    const unsafe = !SAFE_METHODS.has(req.method);
    if (unsafe) scopes.get(req)?.();
    const kr = keyRequestOf(req);
    if (kr) {
      dev.requestLogs.record({
        id: String(req.id),
        user_id: kr.key.user_id,
        api_key_id: kr.key.id,
        method: req.method,
        path: routeUrlOf(req) ?? unmatchedPath(req.url),
        status: reply.statusCode,
        latency_ms: Math.max(0, Math.round(reply.elapsedTime)),
        credits_charged: kr.creditsCharged,
        ip_hash: ipHashOf(req),
        livemode: Number(kr.key.livemode) ? 1 : 0,
        idempotent_replayed: kr.idempotentReplayed ? 1 : 0,
        created_at: isoNow(ctx.clock),
      });
    }
    const o = unsafe ? owned.get(req) : undefined;
    if (!o || o.settled) return done();
    // Hijacked or aborted before onSend: forget the claim so a retry can run.
    o.settled = true;
    o.stopHeartbeat();
    dev.idempotency
      .abandon(o.id, o.token)
      .catch((err) => req.log.warn({ err }, 'releasing an idempotency key failed'))
      .finally(() => done());
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Longest path stored for a request that matched no route. */
export const MAX_UNMATCHED_PATH_LENGTH = 512;

/**
 * The request-log path of a request that matched no route (404 `route_not_found`): there is no
 * route pattern (`/api/v1/jobs/:id`, what every other row holds), so the path as sent, without
 * the query string, cut to MAX_UNMATCHED_PATH_LENGTH characters.
 */
function unmatchedPath(url: string): string {
  const q = url.indexOf('?');
  const p = q < 0 ? url : url.slice(0, q);
  return p.length > MAX_UNMATCHED_PATH_LENGTH ? p.slice(0, MAX_UNMATCHED_PATH_LENGTH) : p;
}

/** `key:<id>`, once per (cached) key row: the same string for every request of that key. */
const limitKeys = new WeakMap<ApiKeyRow, string>();
function limitKeyOf(row: ApiKeyRow): string {
  let k = limitKeys.get(row);
  if (k === undefined) {
    k = `key:${row.id}`;
    limitKeys.set(row, k);
  }
  return k;
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
