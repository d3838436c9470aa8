import { createHash } from 'node:crypto';
import type { AppContext } from '../../app.js';
import { deriveKey, hmacBase64url } from '../../platform/crypto/index.js';
import { hasObjected } from '../privacy/consent.js';

export interface PurchaseConversion {
  userId: string;
  /** Unique per purchase (GA4 de-duplicates on it), e.g. the ledger or payment id. */
  transactionId: string;
  value: number;
  currency: string;
  credits: number;
}

export type ConversionResult = 'sent' | 'not_configured' | 'objected' | 'no_user' | 'failed';

/**
 * Google's normalisation for hashed emails: trim, lower-case, and for gmail.com/googlemail.com
 * drop the dots of the local part. The SHA-256 (hex) of that is what is sent, never the address.
 */
export function normalisedEmailHash(email: string): string {
  let e = email.trim().toLowerCase();
  const at = e.lastIndexOf('@');
  const domain = e.slice(at + 1);
  if (at > 0 && (domain === 'gmail.com' || domain === 'googlemail.com')) e = `${e.slice(0, at).replace(/\./g, '')}@${domain}`;
  return createHash('sha256').update(e, 'utf8').digest('hex');
}

/**
 * Optional GA4 Measurement Protocol adapter (off unless CLIPMIX_GA4_MEASUREMENT_ID and
 * CLIPMIX_GA4_API_SECRET are set): sends a `purchase` event with the hashed email, as a
 * legitimate interest — so never for a user who objected, checked at send time.
 */
export async function sendPurchaseConversion(ctx: AppContext, p: PurchaseConversion): Promise<ConversionResult> {
  const ga4 = ctx.config.ga4;
  if (!ga4) return 'not_configured';
  if (await hasObjected(ctx, p.userId)) return 'objected';
  const user = await ctx.db.selectFrom('users').select('email').where('id', '=', p.userId).executeTakeFirst();
  if (!user) return 'no_user';
  const url = new URL('/mp/collect', ga4.baseUrl);
  url.searchParams.set('measurement_id', ga4.measurementId);
  url.searchParams.set('api_secret', ga4.apiSecret);
  const body = {
    // A stable pseudonymous id, not the user id itself.
    client_id: hmacBase64url(deriveKey(ctx.config.secret, 'ga4-client-id'), p.userId).slice(0, 24),
    user_data: { sha256_email_address: [normalisedEmailHash(user.email)] },
    events: [
      {
        name: 'purchase',
        params: {
          transaction_id: p.transactionId,
          value: p.value,
          currency: p.currency,
          items: [{ item_id: 'credits', item_name: 'ClipMix credits', quantity: p.credits }],
        },
      },
    ],
  };
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`GA4 answered ${res.status}`);
    return 'sent';
  } catch (err) {
    ctx.logger.warn({ err }, 'GA4 purchase conversion failed');
    return 'failed';
  }
}
