import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createContext, type RunningContext } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/env.js';
import { buildHttp } from '../../src/http/server.js';
import type { Clock } from '../../src/platform/clock.js';
import { freshDatabase, type DbKind } from './db.js';

export interface TestApp {
  ctx: RunningContext;
  http: FastifyInstance;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  db?: DbKind;
  clock?: Clock;
  /** Extra environment variables (same names as production). */
  env?: Record<string, string>;
  /** Mutate the parsed config (e.g. blob store pointing at s3rver). */
  configure?: (c: Config) => void;
  /** Start in-process job workers (default false: tests drive jobs explicitly or opt in). */
  workers?: number;
}

/**
 * A complete ClipMix (all modules, real database, real blob store) in this process,
 * driven through fastify.inject. Each call gets its own data dir and database.
 */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-test-'));
  const database = await freshDatabase(opts.db ?? 'sqlite');
  const config = loadConfig({
    CLIPMIX_DATA_DIR: dataDir,
    CLIPMIX_LOG_LEVEL: 'silent',
    CLIPMIX_WORKERS: String(opts.workers ?? 0),
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...opts.env,
  });
  if (database.config.kind === 'sqlite') config.database = database.config;
  opts.configure?.(config);
  const ctx = await createContext(config, { clock: opts.clock });
  const http = await buildHttp(ctx, {});
  await http.ready();
  if (opts.workers) await ctx.services.jobs.startWorkers(opts.workers);
  return {
    ctx,
    http,
    config,
    dataDir,
    async close() {
      await http.close();
      await ctx.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
