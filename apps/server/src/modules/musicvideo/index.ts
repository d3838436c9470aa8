import type { ModuleDefinition } from '../module.js';
import { musicVideoData } from './data.js';
import { musicVideoHandler } from './jobs.js';
import { musicVideoRoutes } from './routes.js';
import { MUSIC_VIDEO_JOB } from './service.js';

export { MusicVideoService, MUSIC_VIDEO_JOB } from './service.js';
export { produceMusicVideo, type MusicVideoRequest, type PipelineResult } from './pipeline.js';

/** The flagship: song + photos → beat-synced music video (POST /music_videos, `music_video` jobs). */
export const musicVideoModule: ModuleDefinition = {
  name: 'musicvideo',
  routes: musicVideoRoutes,
  jobHandlers: { [MUSIC_VIDEO_JOB]: musicVideoHandler },
  data: musicVideoData,
};
