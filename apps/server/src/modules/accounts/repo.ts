import type { Kysely } from 'kysely';
import type { AuthTokensTable, Database, NewRow, Row, RowUpdate } from '../../platform/db/schema.js';

export type UserRow = Row<'users'>;
export type SessionRow = Row<'sessions'>;
export type AuthTokenRow = Row<'auth_tokens'>;
export type TokenKind = AuthTokensTable['kind'];

/** SQL for users, sessions and one-time auth tokens. Works on a Db or inside a transaction. */
export class AccountsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `fn` in a transaction with a repo bound to it (and the transaction, for other services). */
  transaction<T>(fn: (repo: AccountsRepo, trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new AccountsRepo(trx), trx));
  }

  // users
  findUserById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findUserByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  async insertUser(row: NewRow<'users'>): Promise<void> {
    await this.db.insertInto('users').values(row).execute();
  }

  async updateUser(id: string, patch: RowUpdate<'users'>): Promise<void> {
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  async deleteUser(id: string): Promise<void> {
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }

  // sessions
  async insertSession(row: NewRow<'sessions'>): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  findSession(id: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async touchSession(id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  // one-time tokens (only their SHA-256 is stored)
  async insertToken(row: NewRow<'auth_tokens'>): Promise<void> {
    await this.db.insertInto('auth_tokens').values(row).execute();
  }

  /** An unused, unexpired token of this kind by hash. */
  findLiveToken(hash: string, kind: TokenKind, now: string): Promise<AuthTokenRow | undefined> {
    return this.db
      .selectFrom('auth_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .where('kind', '=', kind)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Marks a token used if nobody else did first. Returns false when it was already used. */
  async consumeToken(id: string, now: string): Promise<boolean> {
    const r = await this.db.updateTable('auth_tokens').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Spends every outstanding token of these kinds for a user. */
  async invalidateTokens(userId: string, kinds: TokenKind[], now: string): Promise<void> {
    await this.db
      .updateTable('auth_tokens')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('kind', 'in', kinds)
      .where('used_at', 'is', null)
      .execute();
  }
}

/** Unique-constraint violation on SQLite or PostgreSQL. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
