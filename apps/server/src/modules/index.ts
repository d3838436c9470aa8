import type { ModuleDefinition } from './module.js';

/** Every domain module, in the order their routes and hooks are registered. */
export const allModules: ModuleDefinition[] = [];
