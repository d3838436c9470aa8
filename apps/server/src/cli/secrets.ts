import type { Command } from 'commander';
import { loadConfig } from '../config/env.js';

export function registerSecrets(program: Command): void {
  program
    .command('secrets')
    .description('Encryption at rest')
    .command('rotate')
    .description('Re-encrypt every stored secret under the current CLIPMIX_SECRET (run after moving the old one to CLIPMIX_SECRET_PREVIOUS)')
    .action(async () => {
      const [{ createContext }, { rotateSealedColumns }] = await Promise.all([import('../app.js'), import('../modules/privacy/rotate.js')]);
      const ctx = await createContext(loadConfig({ ...process.env, CLIPMIX_LOG_LEVEL: 'warn' }));
      try {
        const counts = await rotateSealedColumns(ctx, ctx.modules);
        for (const [column, n] of Object.entries(counts)) process.stdout.write(`${column}: ${n} re-encrypted\n`);
      } finally {
        await ctx.close();
      }
    });
}
