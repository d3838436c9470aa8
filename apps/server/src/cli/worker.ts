import type { Command } from 'commander';
import { loadConfig } from '../config/env.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run job workers only (scale mode: several machines share the queue through REDIS_URL)')
    .option('-c, --concurrency <n>', 'jobs run at once', (v) => Number(v))
    .action(async (opts: { concurrency?: number }) => {
      const config = loadConfig();
      const [{ createContext }, { startBackgroundTasks }] = await Promise.all([import('../app.js'), import('../modules/module.js')]);
      const ctx = await createContext(config);
      const n = opts.concurrency && opts.concurrency > 0 ? opts.concurrency : Math.max(1, config.workers);
      await ctx.services.jobs.startWorkers(n);
      // Modules' background work (webhook retries) runs wherever job workers run.
      const background = startBackgroundTasks(ctx);
      process.stdout.write(`ClipMix worker running ${n} job slot(s) (${config.redisUrl ? 'BullMQ' : 'embedded database queue'})\n`);
      const stop = async () => {
        await background.stop();
        await ctx.close().catch(() => undefined);
        process.exit(0);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}
