import { z } from 'zod';
import { listOf } from '../../http/pagination.js';

export const consentSchema = z
  .object({
    object: z.literal('privacy_consent'),
    analytics: z.boolean().nullable().describe('null: never asked (the cookie banner shows)'),
    objection: z.boolean().describe('Objection to legitimate-interest processing (hashed-email conversion sharing)'),
    source: z.string().nullable(),
    updated_at: z.string().nullable(),
  })
  .describe('Consent state');

export const consentSource = z.enum(['banner', 'settings', 'api']);

export const accountConsentBody = z
  .object({ analytics: z.boolean().optional(), objection: z.boolean().optional(), source: consentSource.default('settings') })
  .strict()
  .refine((b) => b.analytics !== undefined || b.objection !== undefined, { message: 'Send analytics and/or objection.' });

export const deviceId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'a random id of 16–64 characters [A-Za-z0-9_-]');

export const deviceConsentBody = z.object({ device_id: deviceId, analytics: z.boolean() }).strict();
export const deviceConsentQuery = z.object({ device_id: deviceId });

export const deleteAccountBody = z.object({ password: z.string().min(1).max(200).describe('Your current password') }).strict();

export const privacyLogSchema = listOf(
  z.object({
    object: z.literal('privacy_log_entry'),
    id: z.string(),
    action: z.enum(['export_requested', 'export_ready', 'consent_changed', 'objection_set', 'objection_withdrawn']),
    detail: z.record(z.string(), z.unknown()),
    created_at: z.string(),
  }),
);

export const privacyConfigSchema = z
  .object({
    object: z.literal('privacy_config'),
    integrations: z.object({
      database: z.enum(['sqlite', 'postgres']),
      file_storage: z.enum(['local', 's3']),
      queue: z.enum(['embedded', 'redis']),
      email: z.enum(['local_mailbox', 'smtp', 'resend']),
      analytics: z.literal('first_party'),
      ga4_conversions: z.boolean(),
    }),
    job_providers: z.array(z.object({ job_type: z.string(), provider: z.string() })),
    retention: z.array(z.object({ module: z.string(), table: z.string(), days: z.number(), description: z.string() })),
    data: z.array(z.object({ module: z.string(), table: z.string(), description: z.string(), exported: z.boolean(), deleted_with_account: z.boolean() })),
  })
  .describe('What this deployment runs with, for the privacy page');
