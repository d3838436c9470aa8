import { timingSafeEqual } from 'node:crypto';
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

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * A keep-alive connection sends the same key with every request: its SHA-256 is computed once
 * per connection and token, and kept with the token it was computed from. Behind a reverse proxy
 * (CLIPMIX_TRUST_PROXY) one upstream connection carries many clients' requests, so the token
 * sent is compared with the kept one in constant time: both as their UTF-16 code units (two bytes
 * a character, so equal bytes ⇔ equal strings, whatever the characters) with timingSafeEqual —
 * a fraction of the cost of the hash it saves. The key itself is then still found by its digest
 * and compared in constant time, in ApiKeys.
 */
const TOKEN_BYTES = SECRET_LENGTH * 2;
const socketDigests = new WeakMap<object, { token: Buffer; digestHex: string }>();
/** The current request's token; synchronous use only (written and compared in one turn). */
const scratch = Buffer.alloc(TOKEN_BYTES);

/** `token` has SECRET_LENGTH characters (the caller checks). */
function digestOnSocket(req: FastifyRequest, token: string): string {
  scratch.write(token, 0, 'utf16le');
  const known = socketDigests.get(req.socket);
  if (known && timingSafeEqual(known.token, scratch)) return known.digestHex;
  const digestHex = secretDigestHex(token);
  socketDigests.set(req.socket, { token: Buffer.from(scratch), digestHex });
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
  const m = BEARER.exec(header);
  if (!m) return null;
  const keys = developer(ctx).keys;
  const token = m[1]!;
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
