import type { DataDeclaration } from '../data.js';

export const accountsData: DataDeclaration = {
  tables: [
    {
      table: 'users',
      userColumn: 'id',
      description: 'Your profile: email address, name, language, email verification date, credit balance, sign-up date.',
      export: true,
      redact: ['password_hash'],
      deleteWithAccount: true,
    },
    {
      table: 'sessions',
      userColumn: 'user_id',
      description: 'Signed-in browser sessions (creation, last activity, expiry). No IP address or device data.',
      export: false,
      deleteWithAccount: true,
      retention: { days: 1, column: 'expires_at', description: 'Expired sessions are removed a day after they expire.' },
    },
    {
      table: 'auth_tokens',
      userColumn: 'user_id',
      description: 'One-time links for email verification, password reset and email change (only their SHA-256 hash).',
      export: false,
      redact: ['token_hash'],
      deleteWithAccount: true,
      retention: { days: 7, column: 'expires_at', description: 'One-time links are removed a week after they expire.' },
    },
  ],
};
