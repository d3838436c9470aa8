import type { ModuleDefinition } from '../module.js';
import { jobsData } from './data.js';
import { jobsRoutes } from './routes.js';

export { JobsService } from './service.js';
export { PermanentJobError } from './handler.js';
export type { JobHandler, JobRunContext, JobOutputSpec } from './handler.js';
export { JOB_TYPES } from './types.js';

/** F3: jobs (list, detail, live events, cancel, retry, delete) and their workers. */
export const jobsModule: ModuleDefinition = {
  name: 'jobs',
  routes: jobsRoutes,
  data: jobsData,
};
