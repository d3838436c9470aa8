import type { ModuleDefinition } from '../module.js';
import { mediaData } from './data.js';
import { MEDIA_PROCESS_JOB } from './service.js';
import { mediaProcessHandler } from './process-job.js';
import { mediaRoutes } from './routes.js';

export { MediaService, type FileApi, type CreateFromLocalFileSpec } from './service.js';

/** F2 uploads & library: validated uploads (multipart and tus), the file library, processing. */
export const mediaModule: ModuleDefinition = {
  name: 'media',
  routes: mediaRoutes,
  jobHandlers: { [MEDIA_PROCESS_JOB]: mediaProcessHandler },
  data: mediaData,
};
