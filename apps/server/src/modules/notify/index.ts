import type { ModuleDefinition } from '../module.js';
import { notifyData } from './data.js';
import { notifyRoutes } from './routes.js';

export const notifyModule: ModuleDefinition = {
  name: 'notify',
  routes: notifyRoutes,
  data: notifyData,
};
