import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
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
      blobKeyColumn: 'blob_key',
    },
  ],
  blobs: 'files.blob_key',
  // Unfinished tus uploads live outside the blob store (`<dataDir>/tus/<id>` + `<id>.json`,
  // owner in metadata.clipmix_user); they go with the account too.
  onDeleteUser: async (ctx, user) => {
    const dir = path.join(ctx.config.dataDir, 'tus');
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      let owner: string | undefined;
      try {
        owner = (JSON.parse(await readFile(path.join(dir, name), 'utf8')) as { metadata?: Record<string, string> }).metadata?.clipmix_user;
      } catch {
        continue; // removed meanwhile, or being written
      }
      if (owner !== user.id) continue;
      await rm(path.join(dir, name.slice(0, -5)), { force: true });
      await rm(path.join(dir, name), { force: true });
    }
  },
};
