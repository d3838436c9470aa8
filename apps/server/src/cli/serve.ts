import type { Command } from 'commander';
import { loadConfig } from '../config/env.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the web app and API on PORT (default 3000) and run job workers (unless CLIPMIX_WORKERS=0)')
    .action(async () => {
      const config = loadConfig();
      const { startServer } = await import('../app.js');
      const server = await startServer(config);
      const url = config.publicUrl ?? `http://localhost:${config.port}`;
      server.ctx.logger.info({ url, database: config.database.kind, blobs: config.blob.kind, queue: config.redisUrl ? 'bullmq' : 'embedded' }, `ClipMix is running at ${url}`);
      process.stdout.write(`ClipMix is running at ${url}\n`);
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await server.stop().catch(() => undefined);
        process.exit(0);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}
