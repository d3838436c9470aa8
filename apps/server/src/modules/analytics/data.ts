import type { DataDeclaration } from '../data.js';

/** First-party analytics events are kept 13 months. */
export const ANALYTICS_RETENTION_DAYS = 395;

export const analyticsData: DataDeclaration = {
  tables: [
    {
      table: 'analytics_events',
      userColumn: 'user_id',
      description:
        'First-party analytics, only with your consent: pages visited and their order, session duration, device type, screen size, browser language and referrer, under a random device id. No IP address, nothing sent to third parties.',
      export: true,
      deleteWithAccount: true,
      retention: { days: ANALYTICS_RETENTION_DAYS, column: 'created_at', description: 'Analytics events are deleted after 13 months.' },
    },
  ],
  // Events recorded before sign-in carry only the device id; the devices this user signed in on
  // are theirs too, and so are those devices' consent records.
  deleteUserRows: async (trx, user) => {
    const devices = trx.selectFrom('analytics_events').select('device_id').where('user_id', '=', user.id);
    await trx.deleteFrom('privacy_consents').where('device_id', 'in', devices).execute();
    await trx.deleteFrom('analytics_events').where('device_id', 'in', devices).execute();
  },
};
