import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { requireAuth } from '../../http/auth-context.js';
import { listOf, listQuery } from '../../http/pagination.js';
import type { HttpApp } from '../../http/server.js';

export const creditTransactionSchema = z
  .object({
    object: z.literal('credit_transaction'),
    id: z.string(),
    delta: z.number().int().describe('Credits added (positive) or taken (negative).'),
    balance_after: z.number().int(),
    reason: z.string().describe('e.g. job_charge, job_refund, starter, purchase'),
    job_id: z.string().nullable(),
    created_at: z.string(),
  })
  .describe('One ledger entry.');

export const creditBalanceSchema = z.object({
  object: z.literal('credit_balance'),
  balance: z.number().int(),
  ledger: listOf(creditTransactionSchema),
});

export async function creditsRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.get(
    '/credits',
    {
      schema: {
        tags: ['credits'],
        summary: 'Credit balance and ledger',
        description: 'The balance and the newest ledger entries (Stripe pagination over the ledger).',
        querystring: listQuery,
        response: { 200: creditBalanceSchema },
      },
    },
    async (req) => {
      const auth = requireAuth(req, 'account:read');
      const [balance, ledger] = await Promise.all([
        ctx.services.credits.balance(auth.userId),
        ctx.services.credits.ledger(auth.userId, req.query),
      ]);
      return {
        object: 'credit_balance' as const,
        balance,
        ledger: { object: 'list' as const, data: ledger.data, has_more: ledger.hasMore },
      };
    },
  );
}
