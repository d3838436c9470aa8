import type { Command } from 'commander';
import { loadConfig } from '../config/env.js';

export function registerPurge(program: Command): void {
  program
    .command('purge')
    .description('Delete data whose retention window has passed (request logs and webhook deliveries 90 days, idempotency records 24 h, revoked keys 90 days after revocation, Memory Studio media 30 days after the job, orphaned files, …)')
    .action(async () => {
      const [{ createContext }, { runRetention }] = await Promise.all([import('../app.js'), import('../modules/privacy/retention.js')]);
      const ctx = await createContext(loadConfig({ ...process.env, CLIPMIX_LOG_LEVEL: 'warn' }));
      try {
        const counts = await runRetention(ctx);
        for (const [table, n] of Object.entries(counts)) process.stdout.write(`${table}: ${n} deleted\n`);
      } finally {
        await ctx.close();
      }
    });
}
