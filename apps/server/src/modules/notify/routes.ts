import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { listOf, listQuery, page } from '../../http/pagination.js';
import type { HttpApp } from '../../http/server.js';
import { DomainError } from '../../platform/errors.js';

export const mailMessageSchema = z
  .object({
    object: z.literal('mail_message'),
    id: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string().nullable(),
    template: z.string(),
    created_at: z.string(),
  })
  .describe('A message in the development mailbox');

function isLoopback(ip: string): boolean {
  return ip === '::1' || /^(::ffff:)?127\./.test(ip);
}

export async function notifyRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  // Let in-flight deliveries finish (and stop retry timers) before the database closes.
  app.addHook('onClose', async () => {
    await ctx.services.mail.stop();
  });

  /*
   * The development mailbox: every message the outbox "sent" while no real transport (SMTP,
   * Resend) is configured. It exists only in that mode; otherwise the route answers 404 like any
   * unknown route. It needs no authentication: it is the operator's local inbox, used before any
   * account exists (to confirm the first sign-up) and by local tests. Because it shows every
   * user's mail — reset links included — it also answers only requests from the machine itself
   * (loopback), so a development instance reachable from a network does not hand out accounts.
   */
  app.get(
    '/dev/mailbox',
    {
      schema: {
        tags: ['development'],
        summary: 'Development mailbox',
        description:
          'Mail captured while no SMTP_URL / RESEND_API_KEY is configured, newest first. Only in that mode, only from loopback; otherwise 404.',
        security: [],
        querystring: listQuery.extend({ to: z.string().max(254).optional().describe('Only messages to this address') }),
        response: { 200: listOf(mailMessageSchema) },
      },
      config: { csrf: false },
    },
    async (req) => {
      if (!ctx.services.mail.isDevMailbox || !isLoopback(req.ip)) {
        throw new DomainError(404, 'route_not_found', `No route ${req.method} ${req.url.split('?')[0]}.`);
      }
      const { limit, starting_after, ending_before, to } = req.query;
      const { data, hasMore } = await ctx.services.mail.list({ limit, starting_after, ending_before }, to);
      return { ...page(data, limit), has_more: hasMore };
    },
  );
}
