import type { AppContext } from '../../app.js';
import type { ModuleDefinition } from '../module.js';
import { privacyData } from './data.js';
import { EXPORT_JOB_TYPE, exportJobHandler } from './export.js';
import { onExportFinished } from './notify-export.js';
import { privacyRoutes } from './routes.js';

export { deleteAccount, checkPassword } from './deletion.js';
export { getConsent, setConsent, hasObjected } from './consent.js';
export { logPrivacyAction } from './log.js';
export { EXPORT_JOB_TYPE } from './export.js';

const pending = new WeakMap<AppContext, Set<Promise<void>>>();

/** Waits for export-ready notifications still being written (tests, shutdown). */
export async function privacyIdle(ctx: AppContext): Promise<void> {
  const set = pending.get(ctx);
  while (set?.size) await Promise.allSettled([...set]);
}

function subscribe(ctx: AppContext): void {
  const set = new Set<Promise<void>>();
  pending.set(ctx, set);
  ctx.services.jobs.onFinished((job) => {
    const p = onExportFinished(ctx, job)
      .catch((err) => ctx.logger.error({ err, jobId: job.id }, 'export notification failed'))
      .finally(() => set.delete(p));
    set.add(p);
  });
}

/**
 * F16 privacy: account deletion and export (driven by every module's data.ts), consent, the
 * privacy action log, the public privacy configuration.
 */
export const privacyModule: ModuleDefinition = {
  name: 'privacy',
  routes: privacyRoutes,
  hooks: (ctx) => {
    subscribe(ctx);
    return [];
  },
  jobHandlers: { [EXPORT_JOB_TYPE]: exportJobHandler },
  data: privacyData,
};
