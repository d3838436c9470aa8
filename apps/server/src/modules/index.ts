import type { ModuleDefinition } from './module.js';
import { accountsModule } from './accounts/index.js';
import { notifyModule } from './notify/index.js';
import { creditsModule } from './credits/index.js';
import { jobsModule } from './jobs/index.js';
import { mediaModule } from './media/index.js';
import { developerModule } from './developer/index.js';
import { musicVideoModule } from './musicvideo/index.js';
import { songsModule } from './songs/index.js';
import { editorModule } from './editor/index.js';
import { privacyModule } from './privacy/index.js';
import { analyticsModule } from './analytics/index.js';

/** Every domain module, in the order their routes and hooks are registered. */
export const allModules: ModuleDefinition[] = [
  accountsModule, notifyModule,
  jobsModule,
  mediaModule,
  creditsModule,
  developerModule,
  musicVideoModule,
  songsModule,
  editorModule,
  privacyModule,
  analyticsModule,
];
