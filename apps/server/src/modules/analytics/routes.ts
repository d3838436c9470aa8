import { z } from 'zod';
import type { AppContext } from '../../app.js';
import type { HttpApp } from '../../http/server.js';
import { analyticsBatch, recordEvents } from './events.js';

export async function analyticsRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.post(
    '/analytics/events',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Record first-party analytics events',
        description:
          'A batch of page views and session ends from the web app. Accepted only with consent: the signed-in user’s, or ' +
          'the anonymous browser’s (`device_id`, PUT /privacy/consent); 403 `consent_required` otherwise. No IP address is stored.',
        security: [],
        body: analyticsBatch,
        response: { 202: z.object({ object: z.literal('analytics_batch'), accepted: z.number().int() }) },
      },
    },
    async (req, reply) => {
      // API keys are not a browser: their analytics would be the integrator's, not the user's.
      const userId = req.auth?.via === 'session' ? req.auth.userId : null;
      const accepted = await recordEvents(ctx, userId, req.body);
      return reply.code(202).send({ object: 'analytics_batch' as const, accepted });
    },
  );
}
