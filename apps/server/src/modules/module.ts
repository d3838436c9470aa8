import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AppContext } from '../app.js';
import type { AuthContext } from '../http/auth-context.js';
import type { HttpApp } from '../http/server.js';
import type { JobHandler } from './jobs/handler.js';
import type { DataDeclaration } from './data.js';

/**
 * What a domain module contributes. The composition root (app.ts) collects these from
 * modules/index.ts; nothing else wires modules together.
 */
export interface ModuleDefinition {
  name: string;
  /** Routes mounted under /api/v1. */
  routes?: (app: HttpApp, ctx: AppContext) => Promise<void>;
  /** Recognises the caller (session cookie, API key); first non-null wins. */
  authenticate?: (req: FastifyRequest, ctx: AppContext) => Promise<AuthContext | null>;
  /** preHandler hooks that run on every request (CSRF, rate limits, request logs). */
  hooks?: (ctx: AppContext) => preHandlerAsyncHookHandler[];
  /** Job handlers by job type. The worker refuses to start if a declared type has none. */
  jobHandlers?: Record<string, JobHandler>;
  /** Personal data this module stores: export, deletion, retention. */
  data: DataDeclaration;
}
