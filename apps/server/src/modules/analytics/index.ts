import type { ModuleDefinition } from '../module.js';
import { analyticsData } from './data.js';
import { analyticsRoutes } from './routes.js';

export { sendPurchaseConversion, normalisedEmailHash, type PurchaseConversion, type ConversionResult } from './ga4.js';

/** F16 first-party analytics (after consent only) and the optional GA4 conversion adapter. */
export const analyticsModule: ModuleDefinition = {
  name: 'analytics',
  routes: analyticsRoutes,
  data: analyticsData,
};
