import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { jwtVerify, SignJWT } from 'jose';
import type { AppContext } from '../../app.js';
import type { AuthContext } from '../../http/auth-context.js';
import { deriveKey, hmacBase64url, safeEqual } from '../../platform/crypto/index.js';
import { forbidden } from '../../platform/errors.js';
import type { SessionRow } from './repo.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `false` exempts a route from the CSRF check: only routes that do not act on the session
     * (login, sign-up, token links whose secret token is the proof).
     */
    csrf?: boolean;
  }
}

/**
 * Browser sessions.
 *
 * The cookie holds a JWT (HS256, key derived from CLIPMIX_SECRET with HKDF label
 * "session-jwt") with `sid` (the sessions row) and `sub` (the user). A request is signed in only
 * if the signature verifies AND the row still exists and has not expired, so logout and
 * password reset revoke at once. HttpOnly, SameSite=Lax, Path=/; over https the name is
 * `__Host-clipmix_session` and the cookie is Secure.
 *
 * CSRF: stateless, bound to the session: the token is base64url(HMAC-SHA256(key "csrf",
 * "csrf:" + session id)), returned by signup/login/GET /auth/session, and every unsafe method on
 * a session-authenticated request must echo it in `X-CSRF-Token` (compared in constant time).
 * Nothing to store, it dies with the session, and a token from one session is useless for
 * another. Requests with `Authorization` are never cookie-authenticated, hence exempt.
 */
const ISSUER = 'clipmix';
const AUDIENCE = 'clipmix:session';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Keys {
  jwt: Uint8Array;
  csrf: Buffer;
  clientIp: Buffer;
}

const keyCache = new Map<string, Keys>();

/** Purpose-bound keys derived from the deployment secret (cached per secret). */
export function keysFor(ctx: AppContext): Keys {
  let k = keyCache.get(ctx.config.secret);
  if (!k) {
    k = {
      jwt: new Uint8Array(deriveKey(ctx.config.secret, 'session-jwt')),
      csrf: deriveKey(ctx.config.secret, 'csrf'),
      clientIp: deriveKey(ctx.config.secret, 'rate-limit-client'),
    };
    keyCache.set(ctx.config.secret, k);
  }
  return k;
}

export function csrfTokenFor(ctx: AppContext, sessionId: string): string {
  return hmacBase64url(keysFor(ctx).csrf, `csrf:${sessionId}`);
}

/**
 * Namespace of this deployment's rate-limit counters in a shared Redis (derived from the
 * secret, which every process of one deployment shares; different deployments never collide).
 */
export function rateLimitNamespace(ctx: AppContext): string {
  return hmacBase64url(keysFor(ctx).clientIp, 'namespace').slice(0, 12);
}

/** Opaque, per-deployment identifier of a client IP for rate-limit keys. The IP itself is never kept. */
export function clientKey(ctx: AppContext, ip: string): string {
  return hmacBase64url(keysFor(ctx).clientIp, `ip:${ip}`).slice(0, 27);
}

export async function signSessionJwt(ctx: AppContext, session: SessionRow): Promise<string> {
  return new SignJWT({ sid: session.id })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(session.user_id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(ctx.clock.now().getTime() / 1000))
    .setExpirationTime(Math.floor(Date.parse(session.expires_at) / 1000))
    .sign(keysFor(ctx).jwt);
}

export async function verifySessionJwt(ctx: AppContext, token: string): Promise<{ sid: string; sub: string } | null> {
  try {
    const { payload } = await jwtVerify(token, keysFor(ctx).jwt, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: ctx.clock.now(),
    });
    if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string') return null;
    return { sid: payload.sid, sub: payload.sub };
  } catch {
    return null;
  }
}

function cookieOptions(ctx: AppContext, maxAgeSeconds: number) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: ctx.secureCookies, maxAge: maxAgeSeconds };
}

/** Sets the session cookie for a session row (Max-Age = time left until it expires). */
export async function issueSessionCookie(reply: FastifyReply, ctx: AppContext, session: SessionRow): Promise<void> {
  const jwt = await signSessionJwt(ctx, session);
  const maxAge = Math.max(1, Math.round((Date.parse(session.expires_at) - ctx.clock.now().getTime()) / 1000));
  reply.setCookie(ctx.sessionCookieName, jwt, cookieOptions(ctx, maxAge));
}

export function clearSessionCookie(reply: FastifyReply, ctx: AppContext): void {
  reply.clearCookie(ctx.sessionCookieName, { httpOnly: true, sameSite: 'lax', path: '/', secure: ctx.secureCookies });
}

/** Sessions whose expiry slid during authentication: their cookie is re-issued (preHandler). */
const renewed = new WeakMap<FastifyRequest, SessionRow>();

/**
 * The session authenticator (ModuleDefinition.authenticate). Requests with an Authorization
 * header are left to the API-key authenticator: explicit credentials win over an ambient cookie,
 * and such requests are then never subject to the CSRF check.
 */
export async function authenticateSession(req: FastifyRequest, ctx: AppContext): Promise<AuthContext | null> {
  if (req.headers.authorization) return null;
  const token = req.cookies?.[ctx.sessionCookieName];
  if (!token) return null;
  const claims = await verifySessionJwt(ctx, token);
  if (!claims) return null;
  const resolved = await ctx.services.accounts.resolveSession(claims.sid, claims.sub);
  if (!resolved) return null;
  if (resolved.renewed) renewed.set(req, resolved.session);
  return { userId: claims.sub, via: 'session', sessionId: claims.sid, scopes: 'all', livemode: true };
}

/** preHandler: unsafe methods on a session-authenticated request need a valid X-CSRF-Token. */
export function csrfHook(ctx: AppContext): preHandlerAsyncHookHandler {
  return async function csrfCheck(req) {
    if (!UNSAFE_METHODS.has(req.method)) return;
    const auth = req.auth;
    if (!auth || auth.via !== 'session' || !auth.sessionId) return;
    if (req.routeOptions.config?.csrf === false) return;
    const header = req.headers['x-csrf-token'];
    const sent = Array.isArray(header) ? header[0] : header;
    if (!sent || !safeEqual(sent, csrfTokenFor(ctx, auth.sessionId))) {
      throw forbidden('This request needs the X-CSRF-Token header of your session (from GET /api/v1/auth/session).', 'csrf_invalid');
    }
  };
}

/** preHandler: re-issues the cookie of a session whose expiry just slid forward. */
export function sessionRenewalHook(ctx: AppContext): preHandlerAsyncHookHandler {
  return async function renewSessionCookie(req, reply) {
    const session = renewed.get(req);
    if (!session) return;
    renewed.delete(req);
    await issueSessionCookie(reply, ctx, session);
  };
}
