import type { Command } from 'commander';
import { loadConfig } from '../config/env.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply database migrations (SQLite in the data dir, or PostgreSQL with DATABASE_URL)')
    .option('--down', 'revert the most recent migration instead')
    .action(async (opts: { down?: boolean }) => {
      const config = loadConfig();
      const [{ connectDb }, { migrateDown, migrateToLatest }] = await Promise.all([import('../platform/db/connect.js'), import('../platform/db/migrate.js')]);
      const db = connectDb(config.database);
      try {
        const done = opts.down ? await migrateDown(db) : await migrateToLatest(db);
        process.stdout.write(done.length ? done.join('\n') + '\n' : 'database is up to date\n');
      } finally {
        await db.destroy();
      }
    });
}
