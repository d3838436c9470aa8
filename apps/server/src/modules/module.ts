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
  /**
   * Hooks of the /api/v1 plugin, installed before any module's routes (so an `onRoute` hook
   * sees every API route, whichever module registers it).
   */
  apiHooks?: (app: HttpApp, ctx: AppContext) => void;
  /** Recognises the caller (session cookie, API key); first non-null wins. */
  authenticate?: (req: FastifyRequest, ctx: AppContext) => Promise<AuthContext | null>;
  /** preHandler hooks that run on every request (CSRF, rate limits, request logs). */
  hooks?: (ctx: AppContext) => preHandlerAsyncHookHandler[];
  /** Job handlers by job type. The worker refuses to start if a declared type has none. */
  jobHandlers?: Record<string, JobHandler>;
  /**
   * Background work (pollers such as webhook retries), run by every process that runs job
   * workers: `clipmix serve` (unless CLIPMIX_WORKERS=0) and `clipmix worker`. It must be safe
   * with any number of such processes (atomic claims).
   */
  background?: (ctx: AppContext) => BackgroundTask;
  /** Personal data this module stores: export, deletion, retention. */
  data: DataDeclaration;
}

export interface BackgroundTask {
  start(): void;
  /** Stops and waits for work in progress. */
  stop(): Promise<void>;
}

/** Starts every module's background task; stop() stops them all (in reverse order). */
export function startBackgroundTasks(ctx: AppContext): { stop(): Promise<void> } {
  const tasks: BackgroundTask[] = [];
  for (const m of ctx.modules) {
    if (!m.background) continue;
    const task = m.background(ctx);
    task.start();
    tasks.push(task);
  }
  return {
    async stop() {
      for (const task of tasks.reverse()) {
        await task.stop().catch((err) => ctx.logger.warn({ err }, 'stopping a background task failed'));
      }
    },
  };
}
