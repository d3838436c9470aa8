import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { forbidden } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { getConsent } from '../privacy/consent.js';
import { deviceId } from '../privacy/schemas.js';

const MAX_FUTURE_MS = 5 * 60_000;

export const analyticsEvent = z
  .object({
    type: z.enum(['page_view', 'session_end']),
    path: z.string().min(1).max(512).describe('Route path only; the client strips query and fragment.'),
    referrer: z.string().max(512).nullable().optional(),
    duration_ms: z.number().int().min(0).max(86_400_000).nullable().optional().describe('Time on the previous page / the session'),
    device_type: z.enum(['desktop', 'tablet', 'phone']).nullable().optional(),
    screen: z.string().regex(/^\d{2,5}x\d{2,5}$/).nullable().optional(),
    language: z.string().max(35).nullable().optional(),
    occurred_at: z.string().datetime(),
  })
  .strict();

export const analyticsBatch = z
  .object({
    device_id: deviceId,
    session_id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    events: z.array(analyticsEvent).min(1).max(50),
  })
  .strict();
export type AnalyticsBatch = z.infer<typeof analyticsBatch>;

/**
 * Stores a batch of first-party events, only with consent: the signed-in user's, or for
 * anonymous visitors the device's (403 `consent_required` otherwise). No IP, no user agent.
 */
export async function recordEvents(ctx: AppContext, userId: string | null, batch: AnalyticsBatch): Promise<number> {
  const consent = await getConsent(ctx, userId ? { userId } : { deviceId: batch.device_id });
  if (consent.analytics !== true) {
    throw forbidden('Analytics events are accepted only after consent (cookie banner or Settings → Privacy).', 'consent_required');
  }
  const now = ctx.clock.now();
  const rows = batch.events
    .filter((e) => Date.parse(e.occurred_at) <= now.getTime() + MAX_FUTURE_MS)
    .map((e) => ({
      id: newId('evt'),
      user_id: userId,
      device_id: batch.device_id,
      session_id: batch.session_id,
      type: e.type,
      path: e.path.split(/[?#]/)[0]!,
      referrer: e.referrer ? referrerOrigin(e.referrer) : null,
      duration_ms: e.duration_ms ?? null,
      device_type: e.device_type ?? null,
      screen: e.screen ?? null,
      language: e.language ?? null,
      occurred_at: new Date(e.occurred_at).toISOString(),
      created_at: now.toISOString(),
    }));
  if (rows.length) await ctx.db.insertInto('analytics_events').values(rows).execute();
  return rows.length;
}

/** Only the origin of an external referrer is kept (paths can carry personal data). */
function referrerOrigin(r: string): string | null {
  try {
    return new URL(r).origin;
  } catch {
    return null;
  }
}
