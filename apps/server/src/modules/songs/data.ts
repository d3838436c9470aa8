import type { DataDeclaration } from '../data.js';

/**
 * Songs keep no tables of their own: a request is a `song` job (jobs module, whose input holds
 * the lyrics and theme) and its results are files (media module), so export, deletion and
 * retention follow those. POST /lyrics stores nothing.
 */
export const songsData: DataDeclaration = { tables: [] };
