import type { ModuleDefinition } from '../module.js';
import { songsData } from './data.js';
import { songHandler } from './jobs.js';
import { songRoutes } from './routes.js';
import { SONG_JOB } from './service.js';

export { SongsService, SONG_JOB } from './service.js';

/** Song studio (F5): POST /songs (`song` jobs), GET /songs/options, POST /lyrics. */
export const songsModule: ModuleDefinition = {
  name: 'songs',
  routes: songRoutes,
  jobHandlers: { [SONG_JOB]: songHandler },
  data: songsData,
};
