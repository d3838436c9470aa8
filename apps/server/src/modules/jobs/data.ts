import type { DataDeclaration } from '../data.js';

export const jobsData: DataDeclaration = {
  tables: [
    {
      table: 'jobs',
      userColumn: 'user_id',
      description:
        'Jobs (renders, uploads processing, exports): type, parameters, status, progress, timings, output file ids and size, errors, credits charged, provider.',
      export: true,
      deleteWithAccount: true,
      redact: ['lease_owner', 'lease_expires_at'],
    },
    {
      table: 'job_files',
      userColumn: null,
      description:
        "Which files each job read and wrote (job_id, file_id, direction, role). Exported with the user's jobs (join on jobs.user_id); removed with them (ON DELETE CASCADE from jobs).",
      export: true,
      deleteWithAccount: true,
      ownedThrough: { column: 'job_id', parentTable: 'jobs', parentColumn: 'id' },
    },
  ],
  blobs: 'Job outputs are files rows (media module); deleting a job deletes its outputs through MediaService.deleteFile.',
};
