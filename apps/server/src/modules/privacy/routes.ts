import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { requireSession } from '../../http/auth-context.js';
import { listQuery } from '../../http/pagination.js';
import type { HttpApp } from '../../http/server.js';
import { clearSessionCookie } from '../accounts/session.js';
import { jobSchema } from '../jobs/schemas.js';
import { privacyConfig } from './config.js';
import { getConsent, setConsent } from './consent.js';
import { checkPassword, deleteAccount } from './deletion.js';
import { EXPORT_JOB_TYPE } from './export.js';
import { listPrivacyLog, logPrivacyAction } from './log.js';
import {
  accountConsentBody,
  consentSchema,
  deleteAccountBody,
  deviceConsentBody,
  deviceConsentQuery,
  privacyConfigSchema,
  privacyLogSchema,
} from './schemas.js';

export async function privacyRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  app.delete(
    '/account',
    {
      schema: {
        tags: ['account'],
        summary: 'Delete your account',
        description:
          'Needs a browser session (API keys get 403 `session_required`) and your password (403 `invalid_password`). ' +
          'Cancels your jobs, then removes every row and every stored file of yours, your sessions, API keys, webhook ' +
          'deliveries and consent records. Content you already published on third-party platforms stays there.',
        security: [{ session: [] }],
        body: deleteAccountBody,
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (req, reply) => {
      const auth = requireSession(req);
      const user = await checkPassword(ctx, auth.userId, req.body.password);
      await deleteAccount(ctx, user);
      clearSessionCookie(reply, ctx);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/account/export',
    {
      schema: {
        tags: ['account'],
        summary: 'Export your data',
        description:
          'Queues a free `account.export` job. Its `export` output is a ZIP with one JSON file per module (your rows, ' +
          'without password hashes, key hashes, secrets or IP hashes) and your files under `files/`. You get an email when it is ready.',
        security: [{ session: [] }],
        response: { 202: jobSchema },
      },
    },
    async (req, reply) => {
      const auth = requireSession(req);
      const row = await ctx.services.jobs.create({ userId: auth.userId, type: EXPORT_JOB_TYPE, input: {}, price: 0 });
      await logPrivacyAction(ctx, auth.userId, 'export_requested', { job: row.id });
      return reply.code(202).send(ctx.services.jobs.toApi(row));
    },
  );

  app.get(
    '/account/privacy',
    { schema: { tags: ['privacy'], summary: 'Your consent state', security: [{ session: [] }], response: { 200: consentSchema } } },
    async (req) => getConsent(ctx, { userId: requireSession(req).userId }),
  );

  app.put(
    '/account/privacy',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Change your consent',
        description:
          '`analytics`: first-party analytics on/off. `objection: true` objects to legitimate-interest processing: from this ' +
          'request on, no hashed email is shared for conversion measurement. Each change is added to your privacy log.',
        security: [{ session: [] }],
        body: accountConsentBody,
        response: { 200: consentSchema },
      },
    },
    async (req) => setConsent(ctx, { userId: requireSession(req).userId }, req.body),
  );

  app.get(
    '/account/privacy/log',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Your privacy actions',
        description: 'Exports, consent changes and objections, newest first.',
        security: [{ session: [] }],
        querystring: listQuery,
        response: { 200: privacyLogSchema },
      },
    },
    async (req) => {
      const { data, hasMore } = await listPrivacyLog(ctx, requireSession(req).userId, req.query);
      return { object: 'list' as const, data, has_more: hasMore };
    },
  );

  app.get(
    '/privacy/config',
    {
      schema: {
        tags: ['privacy'],
        summary: 'What this deployment does with data',
        description: 'Public. Enabled integrations and providers, what each module stores and the retention windows.',
        security: [],
        response: { 200: privacyConfigSchema },
      },
    },
    async () => privacyConfig(ctx),
  );

  app.get(
    '/privacy/consent',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Consent of an anonymous browser',
        security: [],
        querystring: deviceConsentQuery,
        response: { 200: consentSchema },
      },
    },
    async (req) => getConsent(ctx, { deviceId: req.query.device_id }),
  );

  app.put(
    '/privacy/consent',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Record the cookie-banner choice of an anonymous browser',
        description: 'For visitors who are not signed in; signed-in users use PUT /account/privacy.',
        security: [],
        body: deviceConsentBody,
        response: { 200: consentSchema },
      },
    },
    async (req) => setConsent(ctx, { deviceId: req.body.device_id }, { analytics: req.body.analytics, source: 'banner' }),
  );
}
