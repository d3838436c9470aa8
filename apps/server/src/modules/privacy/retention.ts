import type { AppContext } from '../../app.js';
import { DAY_MS } from '../../platform/clock.js';
import type { ModuleDefinition } from '../module.js';

export type PurgeCounts = Record<string, number>;

/**
 * Deletes every row whose retention window (declared in the modules' data.ts) has passed:
 * `DELETE FROM table WHERE column <= now - days`. Rows with a NULL column (e.g. keys that were
 * never revoked) are kept. Declarations are the single source of truth for retention.
 */
export async function purgeExpired(
  ctx: Pick<AppContext, 'db' | 'clock' | 'modules'>,
  now: Date = ctx.clock.now(),
  modules: readonly ModuleDefinition[] = ctx.modules,
): Promise<PurgeCounts> {
  const counts: PurgeCounts = {};
  for (const m of modules) {
    for (const t of m.data.tables) {
      if (!t.retention) continue;
      const cutoff = new Date(now.getTime() - t.retention.days * DAY_MS).toISOString();
      const res = await ctx.db
        .deleteFrom(t.table as any)
        .where(t.retention.column as any, '<=', cutoff)
        .executeTakeFirst();
      counts[t.table] = Number(res.numDeletedRows);
    }
  }
  return counts;
}

/** Runs purgeExpired now and then once a day in this process (embedded mode). */
export function startDailyRetention(ctx: AppContext): () => void {
  const run = () =>
    purgeExpired(ctx)
      .then((counts) => ctx.logger.info({ counts }, 'retention purge finished'))
      .catch((err) => ctx.logger.error({ err }, 'retention purge failed'));
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, DAY_MS);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
