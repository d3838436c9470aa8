import type { AppContext } from '../../app.js';
import { requireAuth, requireSession } from '../../http/auth-context.js';
import { listQuery } from '../../http/pagination.js';
import type { HttpApp } from '../../http/server.js';
import { developer } from './service.js';
import {
  apiKeyList,
  apiKeySchema,
  createApiKeyBody,
  createdApiKeySchema,
  deliveryList,
  deliveryListQuery,
  idParams,
  requestLogList,
  requestLogQuery,
  webhookDeliverySchema,
} from './schemas.js';

/**
 * F15 routes. Key management is session-only (an API key can never manage keys); request logs
 * and webhook deliveries need `logs:read` — including replay, which only re-sends an existing,
 * already-signed event to the key's own callback and changes no other data.
 */
export async function developerRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const dev = developer(ctx);

  // Webhook retries are polled by worker-running processes (index.ts, ModuleDefinition.background).
  app.addHook('onClose', async () => {
    await dev.webhooks.idle();
    await dev.webhooks.closeClient();
    await dev.requestLogs.flush();
    await dev.keys.idle();
  });

  // ───────────────────────────── API keys (session only) ─────────────────────────────

  app.get(
    '/api_keys',
    {
      schema: {
        tags: ['api_keys'],
        security: [{ session: [] }],
        summary: 'List API keys',
        description: 'Newest first, revoked keys included (until they are purged 90 days after revocation). Session only.',
        querystring: listQuery,
        response: { 200: apiKeyList },
      },
    },
    async (req) => {
      const auth = requireSession(req);
      const { data, hasMore } = await dev.keys.list(auth.userId, req.query);
      return { object: 'list' as const, data: data.map((r) => dev.keys.toApi(r)), has_more: hasMore };
    },
  );

  app.post(
    '/api_keys',
    {
      schema: {
        tags: ['api_keys'],
        security: [{ session: [] }],
        summary: 'Create an API key',
        description:
          'Returns the key with its `secret` (and `webhook_secret` when `callback_url` is set) — shown this once; only a SHA-256 hash is stored. ' +
          'callback_url must be public https. Session only.',
        body: createApiKeyBody,
        response: { 201: createdApiKeySchema },
      },
      config: { idempotencyRedact: ['secret', 'webhook_secret'] },
    },
    async (req, reply) => {
      const auth = requireSession(req);
      const b = req.body;
      const created = await dev.keys.create({
        userId: auth.userId,
        name: b.name,
        scopes: b.scopes,
        rateLimitPerMinute: b.rate_limit_per_minute,
        callbackUrl: b.callback_url ?? null,
        expiresAt: b.expires_at ?? null,
        livemode: b.livemode,
      });
      return reply.code(201).send({ ...dev.keys.toApi(created.row), secret: created.secret, webhook_secret: created.webhookSecret });
    },
  );

  app.get(
    '/api_keys/:id',
    {
      schema: {
        tags: ['api_keys'],
        security: [{ session: [] }],
        summary: 'Retrieve an API key',
        params: idParams,
        response: { 200: apiKeySchema },
      },
    },
    async (req) => {
      const auth = requireSession(req);
      return dev.keys.toApi(await dev.keys.get(auth.userId, req.params.id));
    },
  );

  app.delete(
    '/api_keys/:id',
    {
      schema: {
        tags: ['api_keys'],
        security: [{ session: [] }],
        summary: 'Revoke an API key',
        description: 'The key answers 401 `api_key_revoked` from now on. Its metadata is deleted 90 days later. Session only.',
        params: idParams,
        response: { 200: apiKeySchema },
      },
    },
    async (req) => {
      const auth = requireSession(req);
      return dev.keys.toApi(await dev.keys.revoke(auth.userId, req.params.id));
    },
  );

  app.post(
    '/api_keys/:id/test_webhook',
    {
      schema: {
        tags: ['api_keys'],
        security: [{ session: [] }],
        summary: 'Send a test event',
        description:
          'POSTs a signed `test.ping` event to the key\'s callback URL now (one attempt) and returns the delivery with its result. ' +
          'A success re-enables a callback disabled by 410 Gone. Session only.',
        params: idParams,
        response: { 200: webhookDeliverySchema },
      },
    },
    async (req) => {
      const auth = requireSession(req);
      const row = await dev.webhooks.sendTest(auth.userId, req.params.id);
      const [delivery] = await dev.webhooks.describe([row]);
      return delivery;
    },
  );

  // ───────────────────────────── request logs ─────────────────────────────

  app.get(
    '/request_logs',
    {
      schema: {
        tags: ['request_logs'],
        summary: 'List API request logs',
        description:
          'Requests made with this account\'s keys, newest first. Filter by method, status or status class, route (exact or prefix), key and time range. Kept 90 days. Scope `logs:read`.',
        querystring: requestLogQuery,
        response: { 200: requestLogList },
      },
    },
    async (req) => {
      const auth = requireAuth(req, 'logs:read');
      const { data, hasMore } = await dev.requestLogs.list(auth.userId, req.query);
      return { object: 'list' as const, data: data.map((r) => dev.requestLogs.toApi(r)), has_more: hasMore };
    },
  );

  // ───────────────────────────── webhook deliveries ─────────────────────────────

  app.get(
    '/webhook_deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'List webhook deliveries',
        description: 'Events sent to this account\'s callback URLs with every attempt, newest first. Kept 90 days. Scope `logs:read`.',
        querystring: deliveryListQuery,
        response: { 200: deliveryList },
      },
    },
    async (req) => {
      const auth = requireAuth(req, 'logs:read');
      const { data, hasMore } = await dev.webhooks.list(auth.userId, req.query);
      return { object: 'list' as const, data: await dev.webhooks.describe(data), has_more: hasMore };
    },
  );

  app.get(
    '/webhook_deliveries/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Retrieve a webhook delivery',
        params: idParams,
        response: { 200: webhookDeliverySchema },
      },
    },
    async (req) => {
      const auth = requireAuth(req, 'logs:read');
      const [delivery] = await dev.webhooks.describe([await dev.webhooks.get(auth.userId, req.params.id)]);
      return delivery;
    },
  );

  app.post(
    '/webhook_deliveries/:id/replay',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Replay a webhook delivery',
        description:
          'Sends the same event (same `webhook-id` and payload, freshly signed) to the key\'s callback URL now, as a new delivery with one attempt, ' +
          'and returns it. Scope `logs:read`.',
        params: idParams,
        response: { 200: webhookDeliverySchema },
      },
    },
    async (req) => {
      const auth = requireAuth(req, 'logs:read');
      const row = await dev.webhooks.replay(auth.userId, req.params.id);
      const [delivery] = await dev.webhooks.describe([row]);
      return delivery;
    },
  );
}
