import type { Kysely } from 'kysely';
import type { AppContext } from '../../app.js';
import { DAY_MS } from '../../platform/clock.js';
import { declaredTables } from './registry.js';

/**
 * A blob nobody references is deleted only when it was already unreferenced at a sweep at least
 * this long ago: an upload puts its blob before inserting the row, so a young orphan may be an
 * upload in flight.
 */
export const ORPHAN_GRACE_MS = DAY_MS;
const CHUNK = 500;

type SweepCtx = Pick<AppContext, 'db' | 'blobs' | 'logger' | 'modules'>;

/**
 * Deletes blobs that no row references (the tables declaring a `blobKeyColumn`):
 * - under `u/<userId>/` of a user who no longer exists: at once (an account deletion that was
 *   interrupted before its blobs went; no new row can reference them);
 * - otherwise after being seen unreferenced for ORPHAN_GRACE_MS (candidates in blob_orphans).
 * Returns how many blobs were deleted. Safe to run concurrently with uploads and with itself.
 */
export async function sweepOrphanBlobs(ctx: SweepCtx, now: Date): Promise<number> {
  const db = ctx.db as unknown as Kysely<any>;
  const owners = declaredTables(ctx.modules).filter((t) => t.blobKeyColumn);
  const graceCutoff = new Date(now.getTime() - ORPHAN_GRACE_MS).toISOString();
  let deleted = 0;
  let chunk: string[] = [];

  const flush = async () => {
    const keys = chunk;
    chunk = [];
    const referenced = new Set<string>();
    for (const t of owners) {
      const rows = await db.selectFrom(t.table).select(`${t.blobKeyColumn} as k`).where(t.blobKeyColumn!, 'in', keys).execute();
      for (const r of rows) referenced.add(String(r.k));
    }
    const userIds = [...new Set(keys.map((k) => /^u\/([^/]+)\//.exec(k)?.[1]).filter((u): u is string => !!u))];
    const users = new Set(
      userIds.length ? (await db.selectFrom('users').select('id').where('id', 'in', userIds).execute()).map((r) => String(r.id)) : [],
    );
    const orphans = keys.filter((k) => !referenced.has(k));
    if (referenced.size) await db.deleteFrom('blob_orphans').where('blob_key', 'in', [...referenced]).execute();
    if (!orphans.length) return;
    const seen = new Map(
      (await db.selectFrom('blob_orphans').selectAll().where('blob_key', 'in', orphans).execute()).map((r) => [String(r.blob_key), String(r.first_seen_at)]),
    );
    for (const key of orphans) {
      const owner = /^u\/([^/]+)\//.exec(key)?.[1];
      const ownerGone = owner !== undefined && !users.has(owner);
      const first = seen.get(key);
      if (ownerGone || (first !== undefined && first <= graceCutoff)) {
        try {
          await ctx.blobs.delete(key);
          deleted++;
          if (first !== undefined) await db.deleteFrom('blob_orphans').where('blob_key', '=', key).execute();
        } catch (err) {
          ctx.logger.error({ err }, 'orphan sweep: deleting a blob failed');
        }
      } else if (first === undefined) {
        await db
          .insertInto('blob_orphans')
          .values({ blob_key: key, first_seen_at: now.toISOString() })
          .onConflict((oc) => oc.column('blob_key').doNothing())
          .execute();
      }
    }
  };

  for await (const key of ctx.blobs.list()) {
    chunk.push(key);
    if (chunk.length >= CHUNK) await flush();
  }
  if (chunk.length) await flush();
  // Old candidates still here were not seen as orphans now: their blob is gone.
  await db.deleteFrom('blob_orphans').where('first_seen_at', '<=', graceCutoff).execute();
  return deleted;
}
