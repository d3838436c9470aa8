import type { SelectQueryBuilder } from 'kysely';
import { badRequest, DomainError } from '../errors.js';

export interface Cursor {
  limit: number;
  starting_after?: string;
  ending_before?: string;
}

interface Keyed {
  id: string;
  created_at: string;
}

/**
 * Newest-first keyset pagination on (created_at, id). `lookup` finds the cursor row (scoped to
 * the same owner, so a foreign id behaves like an unknown one). Returns limit+1 rows at most;
 * the caller slices and sets has_more. As Stripe: both cursors at once → 400; a cursor that is
 * not one of the caller's objects (unknown, another account's, deleted) → 404 `resource_missing`
 * naming the parameter, rather than an empty page that reads like the end of the list.
 */
export async function paginate<DB, TB extends keyof DB & string, O extends Keyed>(
  qb: SelectQueryBuilder<DB, TB, O>,
  table: TB,
  cursor: Cursor,
  lookup: (id: string) => Promise<Keyed | undefined>,
): Promise<{ rows: O[]; hasMore: boolean }> {
  const createdCol = `${table}.created_at` as any;
  const idCol = `${table}.id` as any;
  let q = qb;
  let ascending = false;
  if (cursor.starting_after !== undefined && cursor.ending_before !== undefined) {
    throw badRequest('invalid_request', 'Send starting_after or ending_before, not both.', [
      { param: 'ending_before', message: 'cannot be combined with starting_after' },
    ]);
  }
  const missingCursor = (param: string, id: string) =>
    new DomainError(404, 'resource_missing', `No such object to page from: ${param}=${id}.`, [{ param, message: 'not one of your objects in this list' }]);
  if (cursor.starting_after) {
    const c = await lookup(cursor.starting_after);
    if (!c) throw missingCursor('starting_after', cursor.starting_after);
    q = q.where((eb: any) =>
      eb.or([eb(createdCol, '<', c.created_at), eb.and([eb(createdCol, '=', c.created_at), eb(idCol, '<', c.id)])]),
    );
  } else if (cursor.ending_before) {
    const c = await lookup(cursor.ending_before);
    if (!c) throw missingCursor('ending_before', cursor.ending_before);
    ascending = true;
    q = q.where((eb: any) =>
      eb.or([eb(createdCol, '>', c.created_at), eb.and([eb(createdCol, '=', c.created_at), eb(idCol, '>', c.id)])]),
    );
  }
  const dir = ascending ? 'asc' : 'desc';
  const rows = (await q.orderBy(createdCol, dir).orderBy(idCol, dir).limit(cursor.limit + 1).execute()) as O[];
  const hasMore = rows.length > cursor.limit;
  const pageRows = rows.slice(0, cursor.limit);
  return { rows: ascending ? pageRows.reverse() : pageRows, hasMore };
}
