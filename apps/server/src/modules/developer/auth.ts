import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app.js';
import type { AuthContext, Scope } from '../../http/auth-context.js';
import { parseScopes } from './api-keys.js';
import type { ApiKeyRow } from './db.js';
import { developer } from './service.js';
import type { RequestScope } from './request-scope.js';

/** A request that presented one of our API keys (valid, revoked or expired). */
export interface KeyRequest extends RequestScope {
  key: ApiKeyRow;
  /** false when the key was refused (revoked/expired): the request is still logged. */
  authenticated: boolean;
  idempotentReplayed: boolean;
}

const keyRequests = new WeakMap<FastifyRequest, KeyRequest>();

export function keyRequestOf(req: FastifyRequest): KeyRequest | undefined {
  return keyRequests.get(req);
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

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
  const check = await keys.check(m[1]!);
  if (!check.ok) {
    if (check.row) keyRequests.set(req, { key: check.row, authenticated: false, creditsCharged: 0, idempotentReplayed: false });
    throw check.error;
  }
  const row = check.row;
  keyRequests.set(req, { key: row, authenticated: true, creditsCharged: 0, idempotentReplayed: false });
  keys.touch(row);
  return {
    userId: row.user_id,
    via: 'api_key',
    apiKeyId: row.id,
    scopes: scopesOf(row),
    livemode: Number(row.livemode) === 1,
  };
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
