import type { DataDeclaration } from '../data.js';

/**
 * Edits keep no tables of their own: a request is an `edit` job (jobs module) whose source,
 * referenced files and outputs are files (media module), so export, deletion and retention follow
 * those. Preview frames are rendered into a temp directory and removed after the response.
 */
export const editorData: DataDeclaration = { tables: [] };
