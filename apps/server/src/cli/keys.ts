import type { Command } from 'commander';
import { loadConfig } from '../config/env.js';
import { badRequest } from '../platform/errors.js';

/**
 * `clipmix keys create --email E --name N [--scopes a,b] [--callback-url URL] [--test]`
 * Prints only the secret on the last line of stdout (the webhook secret, when a callback URL is
 * given, on the line before it as `webhook_secret=whsec_…`); a summary goes to stderr.
 */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Manage API keys');
  keys
    .command('create')
    .description('Create an API key for a user and print its secret (shown once)')
    .requiredOption('--email <email>', "the key owner's email address")
    .requiredOption('--name <name>', 'a name for the key')
    .option('--scopes <list>', 'comma-separated scopes (default: all)')
    .option('--callback-url <url>', 'public https URL for job webhooks')
    .option('--test', 'create an sk_test_ key (no credits, watermarked 480p outputs)')
    .action(async (opts: { email: string; name: string; scopes?: string; callbackUrl?: string; test?: boolean }) => {
      const name = opts.name.trim();
      if (!name || name.length > 100) throw badRequest('invalid_request', '--name must be 1 to 100 characters.');
      const [{ createContext }, { developer }] = await Promise.all([import('../app.js'), import('../modules/developer/index.js')]);
      const ctx = await createContext(loadConfig({ ...process.env, CLIPMIX_LOG_LEVEL: 'warn' }));
      try {
        const dev = developer(ctx);
        const userId = await dev.keys.userIdByEmail(opts.email);
        const created = await dev.keys.create({
          userId,
          name,
          scopes: opts.scopes === undefined ? undefined : opts.scopes.split(',').map((s) => s.trim()).filter(Boolean),
          callbackUrl: opts.callbackUrl ?? null,
          livemode: !opts.test,
        });
        const api = dev.keys.toApi(created.row);
        process.stderr.write(`Created ${api.id} (${api.prefix}…, ${api.livemode ? 'live' : 'test'}) for ${opts.email}: ${api.scopes.join(', ')}\n`);
        if (created.webhookSecret) process.stdout.write(`webhook_secret=${created.webhookSecret}\n`);
        process.stdout.write(`${created.secret}\n`);
      } finally {
        await ctx.close();
      }
    });
}
