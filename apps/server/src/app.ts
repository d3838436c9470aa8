import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Config } from './config/env.js';
import type { AuthContext } from './http/auth-context.js';
import { buildHttp, type HttpApp } from './http/server.js';
import { createBlobStore } from './platform/blob/index.js';
import type { BlobStore } from './platform/blob/types.js';
import { systemClock, type Clock } from './platform/clock.js';
import { connectDb, type Db } from './platform/db/connect.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { Metrics } from './platform/metrics.js';
import { AccountsService } from './modules/accounts/service.js';
import { CreditsService } from './modules/credits/service.js';
import type { JobHandler } from './modules/jobs/handler.js';
import { JobsService } from './modules/jobs/service.js';
import { MediaService } from './modules/media/service.js';
import { allModules } from './modules/index.js';
import { startBackgroundTasks, type ModuleDefinition } from './modules/module.js';
import { MailOutbox } from './modules/notify/outbox.js';
import { startRetentionScheduler } from './modules/privacy/scheduler.js';

export interface Services {
  accounts: AccountsService;
  credits: CreditsService;
  jobs: JobsService;
  mail: MailOutbox;
  media: MediaService;
}

/** Everything built once at start-up from config. Passed to services, routes and handlers. */
export interface AppContext {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly metrics: Metrics;
  readonly services: Services;
  readonly modules: ModuleDefinition[];
  readonly jobHandlers: ReadonlyMap<string, JobHandler>;
  readonly authenticators: Array<(req: FastifyRequest) => Promise<AuthContext | null>>;
  readonly requestHooks: preHandlerAsyncHookHandler[];
  readonly routes: Array<(app: HttpApp, ctx: AppContext) => Promise<void>>;
  /** `__Host-clipmix_session` over https, `clipmix_session` otherwise. */
  readonly sessionCookieName: string;
  readonly secureCookies: boolean;
  sampleMetrics(): Promise<void>;
}

export interface ContextOptions {
  clock?: Clock;
  logger?: Logger;
  /** Run migrations before returning (default true). */
  migrate?: boolean;
}

export interface RunningContext extends AppContext {
  close(): Promise<void>;
}

/** The composition root: the only place that turns config into concrete infrastructure. */
export async function createContext(config: Config, opts: ContextOptions = {}): Promise<RunningContext> {
  const logger = opts.logger ?? pino({ level: config.logLevel, base: { pid: process.pid } });
  const db = connectDb(config.database);
  if (opts.migrate !== false) await migrateToLatest(db);
  const blobs = createBlobStore(config.blob);
  const secureCookies = (config.publicUrl ?? '').startsWith('https://');
  const modules = allModules;

  const jobHandlers = new Map<string, JobHandler>();
  for (const m of modules) {
    for (const [type, handler] of Object.entries(m.jobHandlers ?? {})) {
      if (jobHandlers.has(type)) throw new Error(`job type ${type} has two handlers`);
      jobHandlers.set(type, handler);
    }
  }

  const ctx = {
    config,
    clock: opts.clock ?? systemClock,
    logger,
    db,
    blobs,
    metrics: new Metrics(),
    modules,
    jobHandlers,
    authenticators: [] as AppContext['authenticators'],
    requestHooks: [] as preHandlerAsyncHookHandler[],
    routes: [] as AppContext['routes'],
    sessionCookieName: secureCookies ? '__Host-clipmix_session' : 'clipmix_session',
    secureCookies,
    services: {} as Services,
    async sampleMetrics() {
      await ctx.services.jobs.sampleMetrics();
    },
    async close() {
      await ctx.services.jobs.stop();
      await db.destroy();
    },
  } satisfies RunningContext;

  // Services reach each other through ctx.services at call time, so order here is free.
  ctx.services.credits = new CreditsService(ctx);
  ctx.services.mail = new MailOutbox(ctx);
  ctx.services.jobs = new JobsService(ctx);
  ctx.services.accounts = new AccountsService(ctx);
  ctx.services.media = new MediaService(ctx);

  for (const m of modules) {
    if (m.authenticate) {
      const authenticate = m.authenticate;
      ctx.authenticators.push((req) => authenticate(req, ctx));
    }
    if (m.hooks) ctx.requestHooks.push(...m.hooks(ctx));
    if (m.routes) ctx.routes.push(m.routes);
  }
  return ctx;
}

export const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** HTTP server plus (unless disabled) the job workers, as `clipmix serve` runs them. */
export async function startServer(
  config: Config,
  opts: ContextOptions & { workers?: boolean } = {},
): Promise<{ ctx: RunningContext; http: FastifyInstance; stop(): Promise<void> }> {
  const ctx = await createContext(config, opts);
  const http = await buildHttp(ctx, { webDist: webDistDir });
  const runsWorkers = opts.workers !== false && config.workers > 0;
  if (runsWorkers) await ctx.services.jobs.startWorkers(config.workers);
  // Modules' background work (webhook retries) runs wherever job workers run.
  const background = runsWorkers ? startBackgroundTasks(ctx) : null;
  await http.listen({ port: config.port, host: config.host });
  // Embedded: a daily timer here; with REDIS_URL one BullMQ schedule shared by every process, run under a lock.
  const retention = await startRetentionScheduler(ctx);
  return {
    ctx,
    http,
    async stop() {
      await retention.stop();
      await background?.stop();
      await http.close();
      await ctx.close();
    },
  };
}
