import type { ModuleDefinition } from '../module.js';
import { creditsData } from './data.js';
import { creditsRoutes } from './routes.js';

export { CreditsService } from './service.js';
export { DEFAULT_PRICES } from './prices.js';

/** F14 (ledger part): balance, ledger, prices per job type. */
export const creditsModule: ModuleDefinition = {
  name: 'credits',
  routes: creditsRoutes,
  data: creditsData,
};
