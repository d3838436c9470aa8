import type { DataDeclaration } from '../data.js';

/** F2: every stored file of a user (uploads, job outputs, thumbnails, waveforms) and its bytes. */
export const mediaData: DataDeclaration = {
  tables: [
    {
      table: 'files',
      userColumn: 'user_id',
      description:
        'Files: uploads (name, type, size, duration, dimensions, purpose) and files produced by jobs (outputs, thumbnails, waveforms). The bytes live in the blob store under files.blob_key and are exported and deleted with the rows.',
      export: true,
      deleteWithAccount: true,
    },
  ],
  blobs: 'files.blob_key',
};
