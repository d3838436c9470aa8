import type { DataDeclaration } from '../data.js';

export const creditsData: DataDeclaration = {
  tables: [
    {
      table: 'credit_ledger',
      userColumn: 'user_id',
      description: 'Credit ledger: every grant, charge and refund with the balance after it and the job it was for.',
      export: true,
      deleteWithAccount: true,
    },
  ],
};
