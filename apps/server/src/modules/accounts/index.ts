import type { ModuleDefinition } from '../module.js';
import { accountsData } from './data.js';
import { accountsRoutes } from './routes.js';
import { authenticateSession, csrfHook, sessionRenewalHook } from './session.js';

export const accountsModule: ModuleDefinition = {
  name: 'accounts',
  routes: accountsRoutes,
  authenticate: authenticateSession,
  hooks: (ctx) => [csrfHook(ctx), sessionRenewalHook(ctx)],
  data: accountsData,
};
