import type { Command } from 'commander';
import { loadConfig } from '../config/env.js';

export function registerUsers(program: Command): void {
  const users = program.command('users').description('Manage user accounts');
  users
    .command('create')
    .description('Create a verified user account')
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--password <password>', 'password (at least 8 characters)')
    .action(async (opts: { email: string; name: string; password: string }) => {
      const { createContext } = await import('../app.js');
      const ctx = await createContext(loadConfig({ ...process.env, CLIPMIX_LOG_LEVEL: 'warn' }));
      try {
        const user = await ctx.services.accounts.createUserVerified(opts);
        process.stdout.write(`${user.id}\n`);
      } finally {
        await ctx.close();
      }
    });
}
