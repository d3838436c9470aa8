import type { Kysely } from 'kysely';
import type { AppContext } from '../../app.js';
import { DAY_MS } from '../../platform/clock.js';
import type { ModuleDefinition } from '../module.js';
import { sweepOrphanBlobs } from './orphans.js';

export type PurgeCounts = Record<string, number>;
type RetentionCtx = Pick<AppContext, 'db' | 'clock' | 'modules' | 'blobs' | 'logger'>;

const cutoffOf = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

/** Deletes blobs after their rows are gone; a failure leaves an orphan for the sweep. */
async function deleteBlobs(ctx: Pick<AppContext, 'blobs' | 'logger'>, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    await ctx.blobs.delete(key).catch((err) => ctx.logger.error({ err }, 'retention: deleting a blob failed; the orphan sweep will retry'));
  }
}

/**
 * Deletes every row whose retention window (declared in the modules' data.ts) has passed:
 * `DELETE FROM table WHERE column <= now - days`, with the blobs of tables that declare a
 * blob key column. Rows with a NULL column (e.g. keys that were never revoked) are kept. Then
 * each `jobMediaRetention` rule: the files of jobs of those types that finished `days` ago.
 * Declarations are the single source of truth for retention.
 */
export async function purgeExpired(
  ctx: RetentionCtx,
  now: Date = ctx.clock.now(),
  modules: readonly ModuleDefinition[] = ctx.modules,
): Promise<PurgeCounts> {
  const counts: PurgeCounts = {};
  const db = ctx.db as unknown as Kysely<any>;
  for (const m of modules) {
    for (const t of m.data.tables) {
      if (!t.retention) continue;
      const cutoff = cutoffOf(now, t.retention.days);
      const col = t.retention.column;
      const perUser = t.retention.perUser === true;
      let keys: string[] = [];
      const res = await db.transaction().execute(async (trx) => {
        if (t.blobKeyColumn) {
          keys = (await trx.selectFrom(t.table).select(`${t.blobKeyColumn} as k`).where(col, '<=', cutoff).execute()).map((r) => String(r.k));
        }
        let del = trx.deleteFrom(t.table).where(col, '<=', cutoff);
        if (perUser && t.userColumn) del = del.where(t.userColumn, 'in', trx.selectFrom('users').select('users.id'));
        return del.executeTakeFirst();
      });
      await deleteBlobs(ctx, keys);
      counts[t.table] = Number(res.numDeletedRows);
    }
    for (const rule of m.data.jobMediaRetention ?? []) {
      counts[`job_media:${rule.jobTypes.join(',')}`] = await purgeJobMedia(ctx, rule.jobTypes, cutoffOf(now, rule.days));
    }
  }
  return counts;
}

/**
 * The input and output files (and files derived from them) of jobs of `types` that finished at
 * or before `cutoff`. A file also used by a job that is still running or finished later is kept:
 * it is still needed there. Returns how many file rows went.
 */
async function purgeJobMedia(ctx: RetentionCtx, types: string[], cutoff: string): Promise<number> {
  const db = ctx.db as unknown as Kysely<any>;
  const expiredJobs = db
    .selectFrom('jobs')
    .select('id')
    .where('type', 'in', types)
    .where('status', 'in', ['succeeded', 'failed', 'canceled'])
    .where('finished_at', '<=', cutoff);
  const liveJobs = db
    .selectFrom('jobs')
    .select('id')
    .where((eb) => eb.or([eb('finished_at', 'is', null), eb('finished_at', '>', cutoff)]));
  const linked = await db
    .selectFrom('files')
    .select('files.id')
    .where((eb) =>
      eb.or([
        eb('files.job_id', 'in', expiredJobs),
        eb('files.id', 'in', eb.selectFrom('job_files').select('job_files.file_id').where('job_files.job_id', 'in', expiredJobs)),
      ]),
    )
    .where('files.id', 'not in', db.selectFrom('job_files').select('job_files.file_id').where('job_files.job_id', 'in', liveJobs))
    .execute();
  let ids = linked.map((r) => String(r.id));
  if (!ids.length) return 0;
  // Thumbnails and waveforms go with their parent.
  for (let frontier = ids; frontier.length; ) {
    const children = (await db.selectFrom('files').select('id').where('parent_file_id', 'in', frontier).execute()).map((r) => String(r.id));
    frontier = children.filter((c) => !ids.includes(c));
    ids = [...ids, ...frontier];
  }
  const keys: string[] = [];
  let n = 0;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      keys.push(...(await trx.selectFrom('files').select('blob_key').where('id', 'in', chunk).execute()).map((r) => String(r.blob_key)));
      await trx.deleteFrom('job_files').where('file_id', 'in', chunk).execute();
      n += Number((await trx.deleteFrom('files').where('id', 'in', chunk).executeTakeFirst()).numDeletedRows);
    }
  });
  await deleteBlobs(ctx, keys);
  return n;
}

/** One full retention run: declared windows, job media rules, then the orphan-blob sweep. */
export async function runRetention(ctx: RetentionCtx, now: Date = ctx.clock.now()): Promise<PurgeCounts> {
  const counts = await purgeExpired(ctx, now);
  counts.orphan_blobs = await sweepOrphanBlobs(ctx, now);
  return counts;
}

/** Runs the retention now and then once a day in this process (embedded mode). */
export function startDailyRetention(ctx: AppContext): () => void {
  const run = () =>
    runRetention(ctx)
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
