import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app.js';
import type { AuthContext, Scope } from '../../http/auth-context.js';
import { parseScopes } from './api-keys.js';
import type { ApiKeyRow } from './db.js';
import { SECRET_LENGTH, secretDigestHex } from './key-format.js';
import { developer } from './service.js';
import type { RequestScope } from './request-scope.js';

/** A request that presented one of our API keys (valid, revoked or expired). */
export interface KeyRequest extends RequestScope {
  key: ApiKeyRow;
  /** false when the key was refused (revoked/expired): the request is still logged. */
  authenticated: boolean;
  idempotentReplayed: boolean;
}

/**
 * The AuthContext of a request made with a valid key. It also carries the request's KeyRequest,
 * in a private field: a property read per hook instead of a WeakMap entry per request (a WeakMap
 * insert costs about a microsecond, mostly in the garbage collector). Its enumerable properties
 * are those of any AuthContext.
 */
class KeyAuthContext implements AuthContext {
  readonly via = 'api_key' as const;
  readonly #keyRequest: KeyRequest;

  constructor(
    readonly userId: string,
    readonly apiKeyId: string,
    readonly scopes: readonly Scope[],
    readonly livemode: boolean,
    keyRequest: KeyRequest,
  ) {
    this.#keyRequest = keyRequest;
  }

  static keyRequestOf(auth: AuthContext | null): KeyRequest | undefined {
    return auth instanceof KeyAuthContext ? auth.#keyRequest : undefined;
  }
}

/** Requests whose key was refused (revoked, expired): they have no AuthContext but are logged. */
const refusedKeyRequests = new WeakMap<FastifyRequest, KeyRequest>();

export function keyRequestOf(req: FastifyRequest): KeyRequest | undefined {
  return KeyAuthContext.keyRequestOf(req.auth) ?? refusedKeyRequests.get(req);
}

/**
 * The token of `Authorization: Bearer <token>` (scheme case-insensitive, spaces or tabs around
 * the token), or undefined for any other form — the same as /^Bearer[ \t]+(\S+)[ \t]*$/i,
 * without a match array per request.
 */
export function bearerToken(header: string): string | undefined {
  if (header.length < 8 || header.slice(0, 6).toLowerCase() !== 'bearer') return undefined;
  let start = 6;
  while (start < header.length && isBlank(header.charCodeAt(start))) start++;
  if (start === 6 || start === header.length) return undefined;
  let end = header.length;
  while (isBlank(header.charCodeAt(end - 1))) end--;
  for (let i = start; i < end; i++) if (isSpace(header.charCodeAt(i))) return undefined;
  return header.slice(start, end);
}
const isBlank = (c: number) => c === 0x20 || c === 0x09;
// \s of a regular expression (what (\S+) refuses inside the token).
const isSpace = (c: number) =>
  (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/**
 * A keep-alive connection sends the same key with every request: its SHA-256 is computed once
 * per connection and token, and kept with the token it was computed from. Behind a reverse proxy
 * (CLIPMIX_TRUST_PROXY) one upstream connection carries many clients' requests, so the token
 * sent is compared with the kept one in constant time: every UTF-16 code unit of both is XORed
 * into one accumulator, with no early exit (as hexDigestsEqual) — a fraction of the cost of the
 * hash it saves. The key itself is then still found by its digest and compared in constant time,
 * in ApiKeys.
 */
const socketDigests = new WeakMap<object, { token: string; digestHex: string }>();

/** Constant-time equality of two strings of the same length (the caller checks the length). */
export function sameCodeUnits(a: string, b: string): boolean {
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** `token` has SECRET_LENGTH characters (the caller checks). */
function digestOnSocket(req: FastifyRequest, token: string): string {
  const known = socketDigests.get(req.socket);
  if (known && sameCodeUnits(known.token, token)) return known.digestHex;
  const digestHex = secretDigestHex(token);
  socketDigests.set(req.socket, { token, digestHex });
  return digestHex;
}

/**
 * The API-key authenticator (ModuleDefinition.authenticate). `Authorization: Bearer <token>`
 * must be a valid key: malformed, unknown, revoked or expired keys are a 401 problem
 * (`invalid_api_key`, `api_key_revoked`, `api_key_expired`), never a silent fallback to
 * anonymous. Other Authorization schemes are left alone (→ 401 from requireAuth).
 */
export async function authenticateApiKey(req: FastifyRequest, ctx: AppContext): Promise<AuthContext | null> {
  const header = req.headers.authorization;
  if (!header) return null;
  const token = bearerToken(header);
  if (token === undefined) return null;
  const keys = developer(ctx).keys;
  const digestHex = token.length === SECRET_LENGTH ? digestOnSocket(req, token) : undefined;
  const check = keys.checkCached(token, digestHex) ?? (await keys.check(token));
  if (!check.ok) {
    if (check.row) refusedKeyRequests.set(req, { key: check.row, authenticated: false, creditsCharged: 0, idempotentReplayed: false });
    throw check.error;
  }
  const row = check.row;
  keys.touch(row);
  const auth = new KeyAuthContext(row.user_id, row.id, scopesOf(row), Number(row.livemode) === 1, {
    key: row,
    authenticated: true,
    creditsCharged: 0,
    idempotentReplayed: false,
  });
  return auth;
}

// The key cache hands out one row object per key for a while: parse its scopes once per row.
const parsedScopes = new WeakMap<ApiKeyRow, readonly Scope[]>();

function scopesOf(row: ApiKeyRow): readonly Scope[] {
  let scopes = parsedScopes.get(row);
  if (!scopes) {
    scopes = Object.freeze(parseScopes(row.scopes));
    parsedScopes.set(row, scopes);
  }
  return scopes;
}
