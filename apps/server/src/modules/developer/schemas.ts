import { z } from 'zod';
import { ALL_SCOPES } from '../../http/auth-context.js';
import { listOf, listQuery } from '../../http/pagination.js';
import { STATUS_CLASSES } from './request-logs.js';

export const scopeSchema = z.enum(ALL_SCOPES);

export const apiKeySchema = z
  .object({
    object: z.literal('api_key'),
    id: z.string().describe('key_…'),
    name: z.string(),
    prefix: z.string().describe('The first 12 characters of the secret, e.g. `sk_live_AbCd`, to recognise the key.'),
    livemode: z.boolean().describe('false for `sk_test_` keys: no credits charged, watermarked 480p outputs.'),
    scopes: z.array(scopeSchema),
    rate_limit_per_minute: z.number().int(),
    callback_url: z.string().nullable().describe('Where job webhooks are POSTed.'),
    callback_disabled_at: z
      .string()
      .nullable()
      .describe('Set when the callback answered 410 Gone; a successful test event or replay re-enables it.'),
    expires_at: z.string().nullable(),
    last_used_at: z.string().nullable().describe('Updated at most once a minute.'),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .describe('An API key (its secret is only in the creation response).');

export const createdApiKeySchema = apiKeySchema
  .extend({
    secret: z.string().describe('`sk_live_…` or `sk_test_…`. Shown once: store it now.'),
    webhook_secret: z
      .string()
      .nullable()
      .describe('`whsec_…` for verifying webhooks (Standard Webhooks), when a callback_url was given. Shown once.'),
  })
  .describe('A new API key with its secrets. An idempotent replay of this response omits `secret` and `webhook_secret`.');

export const createApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(scopeSchema).min(1).max(ALL_SCOPES.length * 2).optional().describe('Default: every scope.'),
    rate_limit_per_minute: z.number().int().min(1).max(100_000).optional().describe('Default 600.'),
    callback_url: z.string().max(2048).nullable().optional().describe('Public https URL for job webhooks.'),
    expires_at: z.iso.datetime({ offset: true }).nullable().optional().describe('When the key stops working (ISO-8601).'),
    livemode: z.boolean().optional().describe('false creates an `sk_test_` key. Default true.'),
  })
  .strict();

export const idParams = z.object({ id: z.string().min(1).max(64) });

export const requestLogSchema = z
  .object({
    object: z.literal('request_log'),
    id: z.string().describe('The request id (req_…), as in the Request-Id header.'),
    request_id: z.string(),
    api_key: z.string().describe('key_…'),
    method: z.string(),
    path: z.string().describe('The route, e.g. /api/v1/jobs/:id'),
    status: z.number().int(),
    latency_ms: z.number().int(),
    credits_charged: z.number().int(),
    ip_hash: z.string().describe('HMAC-SHA256 of the client IP with a per-deployment secret (never the IP).'),
    livemode: z.boolean(),
    idempotent_replayed: z.boolean(),
    created_at: z.string(),
  })
  .describe('One API request made with a key.');

const instant = z.iso.datetime({ offset: true });

export const requestLogQuery = listQuery.extend({
  method: z.string().regex(/^[A-Za-z]{3,7}$/).optional().describe('GET, POST, DELETE, … (any case)'),
  status: z.coerce.number().int().min(100).max(599).optional().describe('Exact status code, e.g. 404'),
  status_class: z.enum(STATUS_CLASSES).optional().describe('A class of status codes: 2xx, 4xx, 5xx, …'),
  path: z.string().max(300).optional().describe('Exact route, e.g. /api/v1/jobs/:id'),
  path_prefix: z.string().min(1).max(300).optional().describe('Routes starting with this, e.g. /api/v1/jobs'),
  api_key: z.string().max(64).optional().describe('key_…'),
  created_gte: instant.optional().describe('Only requests made at or after this time (ISO-8601)'),
  created_lt: instant.optional().describe('Only requests made before this time (ISO-8601)'),
});

export const deliveryStatusSchema = z.enum(['pending', 'succeeded', 'failed']);

export const webhookDeliverySchema = z
  .object({
    object: z.literal('webhook_delivery'),
    id: z.string().describe('whdel_…'),
    event_id: z.string().describe('evt_… (also the webhook-id header; the same across retries and replays)'),
    event_type: z.string().describe('job.succeeded, job.failed, job.canceled or test.ping'),
    api_key: z.string(),
    job: z.string().nullable(),
    url: z.string(),
    status: deliveryStatusSchema,
    attempt_count: z.number().int(),
    max_attempts: z.number().int(),
    next_attempt_at: z.string().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    replay_of: z.string().nullable(),
    livemode: z.boolean(),
    payload: z.unknown().describe('The JSON body sent: {id, type, created_at, data:{object}}'),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
    attempts: z.array(
      z.object({
        object: z.literal('webhook_attempt'),
        attempt: z.number().int(),
        status_code: z.number().int().nullable(),
        error: z.string().nullable(),
        response_excerpt: z.string().nullable(),
        duration_ms: z.number().int(),
        created_at: z.string(),
      }),
    ),
  })
  .describe('A webhook event sent (or being retried) to a callback URL, with every attempt.');

export const deliveryListQuery = listQuery.extend({
  status: deliveryStatusSchema.optional(),
  api_key: z.string().max(64).optional(),
  event_type: z.string().max(64).optional(),
});

export const apiKeyList = listOf(apiKeySchema);
export const requestLogList = listOf(requestLogSchema);
export const deliveryList = listOf(webhookDeliverySchema);
