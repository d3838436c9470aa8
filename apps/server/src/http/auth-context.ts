import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../platform/errors.js';

export const ALL_SCOPES = [
  'files:read',
  'files:write',
  'jobs:read',
  'jobs:write',
  'logs:read',
  'account:read',
] as const;
export type Scope = (typeof ALL_SCOPES)[number];

/** Who is calling. Set by the auth plugin from the session cookie or a Bearer API key. */
export interface AuthContext {
  userId: string;
  via: 'session' | 'api_key';
  sessionId?: string;
  apiKeyId?: string;
  /** API keys carry scopes; sessions may do everything the web app does. */
  scopes: readonly string[] | 'all';
  /** false for sk_test_ keys: no credits charged, watermarked 480p outputs. */
  livemode: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

/** Returns the caller or throws 401; with a scope, throws 403 when the key lacks it. */
export function requireAuth(req: FastifyRequest, scope?: Scope): AuthContext {
  const auth = req.auth;
  if (!auth) throw unauthorized();
  if (scope && auth.scopes !== 'all' && !auth.scopes.includes(scope)) {
    throw forbidden(`This API key lacks the "${scope}" scope.`, 'insufficient_scope');
  }
  return auth;
}

/** Session-only routes (key management, account deletion) refuse API keys. */
export function requireSession(req: FastifyRequest): AuthContext & { sessionId: string } {
  const auth = requireAuth(req);
  if (auth.via !== 'session' || !auth.sessionId) {
    throw forbidden('This endpoint needs a signed-in browser session, not an API key.', 'session_required');
  }
  return auth as AuthContext & { sessionId: string };
}
