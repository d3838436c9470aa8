import type { DataDeclaration } from '../data.js';

/**
 * Music videos keep no tables of their own: a request is a `music_video` job (jobs module) whose
 * inputs and outputs are files (media module), so export, deletion and retention follow those.
 */
export const musicVideoData: DataDeclaration = { tables: [] };
