import type { AppContext } from '../../app.js';
import { declaredTables } from './registry.js';

export interface PrivacyConfig {
  object: 'privacy_config';
  /** What this deployment actually runs with (no secrets, no hostnames). */
  integrations: {
    database: 'sqlite' | 'postgres';
    file_storage: 'local' | 's3';
    queue: 'embedded' | 'redis';
    email: 'local_mailbox' | 'smtp' | 'resend';
    analytics: 'first_party';
    ga4_conversions: boolean;
  };
  /** Who produces each job type's results (`local` = on this server). */
  job_providers: Array<{ job_type: string; provider: string }>;
  retention: Array<{ module: string; table: string; days: number; description: string }>;
  data: Array<{ module: string; table: string; description: string; exported: boolean; deleted_with_account: boolean }>;
}

/** The running configuration as the public privacy page shows it, built from config and data.ts. */
export function privacyConfig(ctx: AppContext): PrivacyConfig {
  const tables = declaredTables(ctx.modules);
  const c = ctx.config;
  return {
    object: 'privacy_config',
    integrations: {
      database: c.database.kind,
      file_storage: c.blob.kind,
      queue: c.redisUrl ? 'redis' : 'embedded',
      email: c.mail.resendApiKey ? 'resend' : c.mail.smtpUrl ? 'smtp' : 'local_mailbox',
      analytics: 'first_party',
      ga4_conversions: c.ga4 !== null,
    },
    job_providers: [...ctx.jobHandlers].map(([job_type, h]) => ({ job_type, provider: h.provider })),
    retention: [
      ...tables.filter((t) => t.retention).map((t) => ({ module: t.module, table: t.table, days: t.retention!.days, description: t.retention!.description })),
      ...ctx.modules.flatMap((m) =>
        (m.data.jobMediaRetention ?? []).map((r) => ({ module: m.name, table: 'files', days: r.days, description: r.description })),
      ),
    ],
    data: tables.map((t) => ({
      module: t.module,
      table: t.table,
      description: t.description,
      exported: t.export,
      deleted_with_account: t.deleteWithAccount,
    })),
  };
}
