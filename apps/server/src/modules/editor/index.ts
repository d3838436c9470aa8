import type { ModuleDefinition } from '../module.js';
import { editorData } from './data.js';
import { editHandler } from './jobs.js';
import { editorRoutes } from './routes.js';
import { EDIT_JOB } from './service.js';

export { EditorService, EDIT_JOB } from './service.js';

/** The video editor (F6): edit lists → `edit` jobs (POST /edits), preview frames, filter list. */
export const editorModule: ModuleDefinition = {
  name: 'editor',
  routes: editorRoutes,
  jobHandlers: { [EDIT_JOB]: editHandler },
  data: editorData,
};
