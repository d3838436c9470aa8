import type { Kysely } from 'kysely';
import type { AppContext } from '../../app.js';
import { newId } from '../../platform/ids.js';
import { logPrivacyAction } from './log.js';

export type ConsentSource = 'banner' | 'settings' | 'api';

/** A subject: a signed-in user, or an anonymous browser identified by a random device id. */
export type ConsentSubject = { userId: string } | { deviceId: string };

export interface ConsentState {
  object: 'privacy_consent';
  /** null: never asked (the banner shows). */
  analytics: boolean | null;
  /** Objection to legitimate-interest processing (hashed-email conversion sharing). */
  objection: boolean;
  source: string | null;
  updated_at: string | null;
}

const subjectWhere = (s: ConsentSubject) => ('userId' in s ? (['user_id', s.userId] as const) : (['device_id', s.deviceId] as const));

export async function getConsent(ctx: Pick<AppContext, 'db'>, s: ConsentSubject): Promise<ConsentState> {
  const [col, val] = subjectWhere(s);
  const row = await ctx.db.selectFrom('privacy_consents').selectAll().where(col, '=', val).executeTakeFirst();
  if (!row) return { object: 'privacy_consent', analytics: null, objection: false, source: null, updated_at: null };
  return { object: 'privacy_consent', analytics: Boolean(row.analytics), objection: Boolean(row.objection), source: row.source, updated_at: row.updated_at };
}

/**
 * Records a consent choice (fields left undefined keep their value) in one transaction with the
 * user's privacy log entries. Returns the new state.
 */
export async function setConsent(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  s: ConsentSubject,
  change: { analytics?: boolean; objection?: boolean; source: ConsentSource },
): Promise<ConsentState> {
  const [col, val] = subjectWhere(s);
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('privacy_consents').selectAll().where(col, '=', val).executeTakeFirst();
    const analytics = change.analytics ?? (before ? Boolean(before.analytics) : false);
    const objection = change.objection ?? (before ? Boolean(before.objection) : false);
    if (before) {
      await trx
        .updateTable('privacy_consents')
        .set({ analytics: analytics ? 1 : 0, objection: objection ? 1 : 0, source: change.source, updated_at: now })
        .where('id', '=', before.id)
        .execute();
    } else {
      await trx
        .insertInto('privacy_consents')
        .values({
          id: newId('cons'),
          user_id: 'userId' in s ? s.userId : null,
          device_id: 'deviceId' in s ? s.deviceId : null,
          analytics: analytics ? 1 : 0,
          objection: objection ? 1 : 0,
          source: change.source,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    if (!('userId' in s)) return;
    const db = trx as unknown as Kysely<any>;
    if (change.analytics !== undefined && (!before || Boolean(before.analytics) !== analytics)) {
      await logPrivacyAction(ctx, s.userId, 'consent_changed', { analytics, source: change.source }, db);
    }
    if (change.objection !== undefined && (before ? Boolean(before.objection) : false) !== objection) {
      await logPrivacyAction(ctx, s.userId, objection ? 'objection_set' : 'objection_withdrawn', { source: change.source }, db);
    }
  });
  return getConsent(ctx, s);
}

/** True when the user objected to legitimate-interest processing (no hashed-email sharing). */
export async function hasObjected(ctx: Pick<AppContext, 'db'>, userId: string): Promise<boolean> {
  return (await getConsent(ctx, { userId })).objection;
}
