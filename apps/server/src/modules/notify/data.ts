import type { DataDeclaration } from '../data.js';

export const notifyData: DataDeclaration = {
  tables: [
    {
      table: 'mail_outbox',
      userColumn: 'user_id',
      description: 'Transactional emails sent to you (verification, password reset, email change, security notices).',
      export: true,
      // Bodies carry one-time links; the export lists what was sent, not the links.
      redact: ['text_body', 'html_body'],
      deleteWithAccount: true,
      retention: { days: 90, column: 'created_at', description: 'Sent emails are kept 90 days.' },
    },
  ],
  // Mail queued before the address had an account row (user_id null) still names the person.
  deleteUserRows: async (trx, user) => {
    await trx.deleteFrom('mail_outbox').where('to_address', '=', user.email).execute();
  },
};
