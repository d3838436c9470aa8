import type { DataDeclaration } from '../data.js';

/** How long a consent choice is kept before the banner asks again (13 months, CNIL guidance). */
export const CONSENT_RETENTION_DAYS = 395;

export const privacyData: DataDeclaration = {
  tables: [
    {
      table: 'privacy_consents',
      userColumn: 'user_id',
      description:
        'Your consent choices: analytics on or off, objection to legitimate-interest processing (hashed-email conversion sharing), where you made the choice, and when. Anonymous visitors are identified by a random device id only.',
      export: true,
      deleteWithAccount: true,
      retention: {
        days: CONSENT_RETENTION_DAYS,
        column: 'updated_at',
        description: 'A consent choice is kept 13 months after you last changed it; then the banner asks again.',
      },
    },
    {
      table: 'privacy_log',
      userColumn: 'user_id',
      description: 'Your privacy actions: exports requested and delivered, consent changes, objections.',
      export: true,
      deleteWithAccount: true,
    },
    {
      table: 'blob_orphans',
      userColumn: null,
      description:
        'Stored files that no database row references (e.g. after an interrupted upload), noted by the retention sweep and removed on its next run. Your entries go with your account.',
      export: false,
      deleteWithAccount: true,
    },
  ],
  // Memory Studio (F-memory) photos and videos: the promise in PRODUCT.md. Declared here until
  // the memory module exists; enforced by the generic retention for any job of these types.
  jobMediaRetention: [
    {
      jobTypes: ['memory_video'],
      days: 30,
      description: 'Memory Studio photos and videos are deleted 30 days after the job completes.',
    },
  ],
  deleteUserRows: async (trx, user) => {
    await trx.deleteFrom('blob_orphans').where('blob_key', 'like', `u/${user.id}/%`).execute();
  },
};
