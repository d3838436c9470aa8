import type { AppContext } from '../../app.js';
import type { BackgroundTask, ModuleDefinition } from '../module.js';
import { authenticateApiKey } from './auth.js';
import { developerData } from './data.js';
import { developer } from './service.js';
import { installApiHooks } from './hooks.js';
import { developerRoutes } from './routes.js';

export { developer, DeveloperPlatform, type PurgeResult } from './service.js';
export { noteCreditsCharged } from './request-scope.js';

/**
 * Module start-up, run once per AppContext (every process: `serve`, `worker`, CLI): job
 * completions become webhook deliveries, in whichever process finished the job.
 */
function subscribeToJobs(ctx: AppContext): void {
  const webhooks = developer(ctx).webhooks;
  ctx.services.jobs.onFinished((job) => {
    webhooks.track(webhooks.onJobFinished(job));
  });
}

/** How often each worker-running process looks for webhook retries that are due. */
const WEBHOOK_POLL_MS = 1_000;

/**
 * Webhook retries: every process that runs job workers (`serve` with workers, `worker`) polls
 * for due deliveries; claims are atomic, so any number of them share the work.
 */
function webhookRetries(ctx: AppContext): BackgroundTask {
  const webhooks = developer(ctx).webhooks;
  let poller: { stop(): Promise<void> } | null = null;
  return {
    start() {
      poller ??= webhooks.startPoller(WEBHOOK_POLL_MS);
    },
    async stop() {
      await poller?.stop();
      poller = null;
      await webhooks.idle();
      await webhooks.closeClient();
    },
  };
}

/**
 * F15 developer platform: API keys (auth, scopes, per-key rate limits), request logs,
 * Idempotency-Key, webhooks with retries and replay.
 */
export const developerModule: ModuleDefinition = {
  name: 'developer',
  routes: developerRoutes,
  // Rate limits, Idempotency-Key and request logs: hooks of the /api/v1 plugin (hooks.ts).
  apiHooks: installApiHooks,
  authenticate: authenticateApiKey,
  // No root preHandlers: the request hooks live on the /api/v1 plugin.
  hooks: (ctx) => {
    subscribeToJobs(ctx);
    return [];
  },
  background: webhookRetries,
  data: developerData,
};
