import type { DataDeclaration } from '../data.js';
import { developer } from './service.js';

export const developerData: DataDeclaration = {
  // The key cache of this process must not outlive the account's keys (key-cache.ts).
  onDeleteUser: async (ctx, user) => developer(ctx).keys.forgetUser(user.id),
  tables: [
    {
      table: 'api_keys',
      userColumn: 'user_id',
      description:
        'Your API keys: name, display prefix (first 12 characters), test or live mode, scopes, rate limit, callback URL, expiry, last use, creation and revocation dates. The secret itself is never stored — only its SHA-256 hash — and the webhook signing secret is stored encrypted.',
      export: true,
      deleteWithAccount: true,
      redact: ['key_hash', 'webhook_secret'],
      sealed: [{ column: 'webhook_secret', purpose: 'webhook-secret', aadColumn: 'id' }],
      retention: { days: 90, column: 'revoked_at', description: 'Revoked keys are deleted 90 days after revocation.' },
    },
    {
      table: 'request_logs',
      userColumn: 'user_id',
      description:
        'One entry per API request made with one of your keys: method, route, status, latency, request id, credits charged, and a keyed hash (HMAC-SHA256 with a per-deployment secret) of the client IP address — never the address itself.',
      export: true,
      deleteWithAccount: true,
      redact: ['ip_hash'],
      // Keyed by (user_id, created_at, id): migrations/20261130000100_request_logs_keyed.ts.
      retention: { days: 90, column: 'created_at', description: 'API request logs are deleted after 90 days.', perUser: true },
    },
    {
      table: 'idempotency_records',
      userColumn: 'user_id',
      description:
        'For POST requests sent with an Idempotency-Key: the key, a SHA-256 fingerprint of the request and the first response (secrets removed), so a retry gets the same answer.',
      export: false,
      deleteWithAccount: true,
      retention: { days: 1, column: 'created_at', description: 'Idempotency records are deleted after 24 hours.' },
    },
    {
      table: 'webhook_deliveries',
      userColumn: 'user_id',
      description: 'Webhook events sent to your callback URLs: event, payload, destination, status, retry schedule.',
      export: true,
      deleteWithAccount: true,
      retention: { days: 90, column: 'created_at', description: 'Webhook deliveries and their payloads are deleted after 90 days.' },
    },
    {
      table: 'webhook_delivery_attempts',
      userColumn: 'user_id',
      description: 'Every attempt to deliver a webhook: time, HTTP status, error, the first 512 characters of the response, duration.',
      export: true,
      deleteWithAccount: true,
      retention: { days: 90, column: 'created_at', description: 'Webhook delivery attempts are deleted after 90 days.' },
    },
  ],
};
