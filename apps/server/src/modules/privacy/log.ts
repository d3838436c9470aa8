import type { Kysely } from 'kysely';
import type { AppContext } from '../../app.js';
import { paginate, type Cursor } from '../../platform/db/paginate.js';
import { newId } from '../../platform/ids.js';

export type PrivacyAction =
  | 'export_requested'
  | 'export_ready'
  | 'consent_changed'
  | 'objection_set'
  | 'objection_withdrawn';

export interface PrivacyLogEntry {
  object: 'privacy_log_entry';
  id: string;
  action: PrivacyAction;
  detail: Record<string, unknown>;
  created_at: string;
}

/** Appends one entry to the user's privacy action log (shown in Settings → Privacy). */
export async function logPrivacyAction(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  userId: string,
  action: PrivacyAction,
  detail: Record<string, unknown> = {},
  db: Kysely<any> = ctx.db as unknown as Kysely<any>,
): Promise<void> {
  await db
    .insertInto('privacy_log')
    .values({ id: newId('plog'), user_id: userId, action, detail: JSON.stringify(detail), created_at: ctx.clock.now().toISOString() })
    .execute();
}

export async function listPrivacyLog(ctx: Pick<AppContext, 'db'>, userId: string, cursor: Cursor): Promise<{ data: PrivacyLogEntry[]; hasMore: boolean }> {
  const q = ctx.db.selectFrom('privacy_log').selectAll().where('user_id', '=', userId);
  const { rows, hasMore } = await paginate(q, 'privacy_log', cursor, (id) =>
    ctx.db.selectFrom('privacy_log').select(['id', 'created_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),
  );
  return {
    hasMore,
    data: rows.map((r) => ({
      object: 'privacy_log_entry' as const,
      id: r.id,
      action: r.action as PrivacyAction,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
      created_at: r.created_at,
    })),
  };
}
