import type { Kysely } from 'kysely';
import type { AppContext } from '../../app.js';
import { verifyPassword } from '../../platform/crypto/index.js';
import { DomainError, notFound } from '../../platform/errors.js';
import type { DeletedUser } from '../data.js';
import { declaredTables, deleteUserRows, userRows } from './registry.js';

export interface DeletionResult {
  rows: Record<string, number>;
  blobs: number;
  jobsCanceled: number;
}

/** How long account deletion waits for a running render to stop before removing its rows. */
const CANCEL_WAIT_MS = 10_000;

/** Re-checks the password before anything irreversible (403 `invalid_password`). */
export async function checkPassword(ctx: AppContext, userId: string, password: string): Promise<DeletedUser> {
  const user = await ctx.db.selectFrom('users').select(['id', 'email', 'password_hash']).where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound('user');
  if (!(await verifyPassword(password, user.password_hash))) {
    throw new DomainError(403, 'invalid_password', 'The password is incorrect.', [{ param: 'password', message: 'is incorrect' }]);
  }
  return { id: user.id, email: user.email };
}

/**
 * Account deletion (GDPR art. 17), driven by the modules' data.ts:
 *  1. cancel the user's queued and running jobs (renders are killed through their AbortSignal);
 *  2. each module's onDeleteUser hook (provider-side objects, third-party tokens, tus uploads);
 *  3. one transaction: blob keys read, every declared table's rows of the user deleted, users last;
 *  4. after commit, the blobs — and anything else under the user's blob prefix. A crash between
 *     3 and 4 leaves blobs of a user who no longer exists; the retention sweep removes those
 *     (sweepOrphanBlobs), so the whole deletion is safe to retry.
 */
export async function deleteAccount(ctx: AppContext, user: DeletedUser): Promise<DeletionResult> {
  const jobsCanceled = await ctx.services.jobs.cancelAll(user.id, { waitMs: CANCEL_WAIT_MS });
  for (const m of ctx.modules) await m.data.onDeleteUser?.(ctx, user);

  const tables = declaredTables(ctx.modules);
  const rows: Record<string, number> = {};
  const blobKeys = await ctx.db.transaction().execute(async (trx) => {
    const db = trx as unknown as Kysely<any>;
    const keys: string[] = [];
    for (const t of tables) {
      if (!t.blobKeyColumn || !t.deleteWithAccount) continue;
      const q = userRows(db, t, tables, user.id);
      if (q) keys.push(...(await q.select(`${t.blobKeyColumn} as k` as any).execute()).map((r: any) => String(r.k)));
    }
    for (const m of ctx.modules) await m.data.deleteUserRows?.(db, user);
    // Children first (rows owned through a parent), then per-user tables in reverse module
    // order, and the users row itself last, so no foreign key ever points at a deleted row.
    const ordered = [
      ...tables.filter((t) => !t.userColumn && t.ownedThrough),
      ...tables.filter((t) => t.userColumn && t.userColumn !== 'id').reverse(),
      ...tables.filter((t) => t.userColumn === 'id'),
    ];
    for (const t of ordered) {
      if (!t.deleteWithAccount) continue;
      rows[t.table] = await deleteUserRows(db, t, tables, user.id);
    }
    return keys;
  });

  let blobs = 0;
  for (const key of blobKeys) {
    try {
      await ctx.blobs.delete(key);
      blobs++;
    } catch (err) {
      ctx.logger.error({ err }, 'deleting a blob of a deleted account failed; the orphan sweep will retry');
    }
  }
  blobs += await deletePrefix(ctx, `u/${user.id}/`);
  ctx.logger.info({ rows, blobs, jobsCanceled }, 'account deleted');
  return { rows, blobs, jobsCanceled };
}

/** Deletes every blob under prefix; failures are logged and left to the orphan sweep. */
export async function deletePrefix(ctx: Pick<AppContext, 'blobs' | 'logger'>, prefix: string): Promise<number> {
  let n = 0;
  try {
    for await (const key of ctx.blobs.list(prefix)) {
      await ctx.blobs.delete(key);
      n++;
    }
  } catch (err) {
    ctx.logger.error({ err, prefix }, 'deleting blobs under a prefix failed; the orphan sweep will retry');
  }
  return n;
}
