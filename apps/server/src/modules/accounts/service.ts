import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { addMs, DAY_MS, HOUR_MS, iso } from '../../platform/clock.js';
import {
  DUMMY_PASSWORD_HASH,
  hashPassword,
  needsRehash,
  randomToken,
  sha256Hex,
  verifyPassword,
} from '../../platform/crypto/index.js';
import { badRequest, conflict, DomainError, notFound, unauthorized } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Locale, MailTemplate, TemplateVars } from '../notify/templates.js';
import { AccountsRepo, isUniqueViolation, type SessionRow, type TokenKind, type UserRow } from './repo.js';
import { emailSchema, nameSchema, normaliseEmail, passwordSchema, validate } from './validation.js';

export const SESSION_TTL_MS = 30 * DAY_MS;
/** last_seen_at (and the sliding expiry) is written at most this often per session. */
export const SESSION_TOUCH_MS = HOUR_MS;
export const TOKEN_TTL_MS: Record<TokenKind, number> = {
  verify_email: 24 * HOUR_MS,
  change_email: 24 * HOUR_MS,
  reset_password: HOUR_MS,
};

/** The `user` object of the API. */
export interface PublicUser {
  object: 'user';
  id: string;
  email: string;
  name: string;
  email_verified: boolean;
  locale: Locale;
  credits_balance: number;
  created_at: string;
}

export interface ResolvedSession {
  session: SessionRow;
  /** True when this request slid the expiry forward (the cookie should be re-issued). */
  renewed: boolean;
}

const signupInput = z.object({ email: emailSchema, name: nameSchema, password: passwordSchema });

const tokenInvalid = () => badRequest('token_invalid', 'This link is invalid or has expired. Request a new one.');

/**
 * Accounts: sign-up, login, sessions, email verification, password reset, email change,
 * profile. No HTTP here: routes.ts maps requests in, session.ts handles cookies and CSRF.
 *
 * Enumeration: login answers one `invalid_credentials` for unknown email and wrong password
 * (with equal bcrypt work), password reset and email change always answer 202 and do the
 * account-dependent work after the response (see `defer`), so neither the body nor the timing
 * says whether an address has an account.
 */
export class AccountsService {
  private readonly repo: AccountsRepo;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly ctx: AppContext) {
    this.repo = new AccountsRepo(ctx.db);
  }

  // ----- sign-up and login -------------------------------------------------------------

  /**
   * Creates an account and its first session, grants the starter credits and mails a
   * verification link.
   *
   * An email that already has an account: we cannot answer like a success (that would need a
   * session for an account the caller does not own), and 409 `email_taken` would tell anyone
   * which addresses are registered. So the answer is a generic 400 `signup_failed` that reads
   * the same for every cause we do not want to spell out, and the real owner of the address
   * gets an email ("someone tried to sign up with your address") with links to log in or reset
   * the password. The address holder learns the truth; a stranger learns little, and the signup
   * rate limit bounds probing. The web app shows the detail text as it is.
   */
  async signup(input: { email: string; name: string; password: string; locale?: Locale }): Promise<{ user: UserRow; session: SessionRow }> {
    const v = validate(signupInput, input);
    const existing = await this.repo.findUserByEmail(v.email);
    if (existing) {
      await this.sendMail(existing, existing.email, 'signup_existing_account', {
        name: existing.name,
        login_link: this.link('/login'),
        reset_link: this.link('/forgot-password'),
      });
      throw signupFailed();
    }
    const passwordHash = await hashPassword(v.password);
    let user: UserRow;
    try {
      user = await this.createUser({ email: v.email, name: v.name, passwordHash, locale: input.locale ?? 'en', verified: false });
    } catch (err) {
      if (isUniqueViolation(err)) throw signupFailed();
      throw err;
    }
    await this.sendVerification(user);
    const session = await this.createSession(user.id);
    return { user, session };
  }

  /** `clipmix users create`: a verified account. The CLI is an operator tool; it may say "taken". */
  async createUserVerified(input: { email: string; name: string; password: string }): Promise<UserRow> {
    const v = validate(signupInput, input);
    if (await this.repo.findUserByEmail(v.email)) throw badRequest('email_taken', `An account with the email ${v.email} already exists.`);
    const passwordHash = await hashPassword(v.password);
    try {
      return await this.createUser({ email: v.email, name: v.name, passwordHash, locale: 'en', verified: true });
    } catch (err) {
      if (isUniqueViolation(err)) throw badRequest('email_taken', `An account with the email ${v.email} already exists.`);
      throw err;
    }
  }

  /**
   * Email + password → a new session. Unknown email and wrong password give the same error,
   * and both cost one bcrypt comparison (against a dummy hash when there is no user).
   */
  async login(input: { email: string; password: string }, replacesSessionId?: string): Promise<{ user: UserRow; session: SessionRow }> {
    const email = normaliseEmail(input.email);
    const user = await this.repo.findUserByEmail(email);
    const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok) throw unauthorized('Incorrect email or password.', 'invalid_credentials');
    if (needsRehash(user.password_hash)) {
      await this.repo.updateUser(user.id, { password_hash: await hashPassword(input.password), updated_at: this.nowIso() });
    }
    // A login from a browser that still had a session replaces it.
    if (replacesSessionId) await this.repo.deleteSession(replacesSessionId);
    const session = await this.createSession(user.id);
    return { user, session };
  }

  async logout(sessionId: string): Promise<void> {
    await this.repo.deleteSession(sessionId);
  }

  // ----- sessions ----------------------------------------------------------------------

  async createSession(userId: string): Promise<SessionRow> {
    const now = this.ctx.clock.now();
    const row: SessionRow = {
      id: newId('sess'),
      user_id: userId,
      created_at: iso(now),
      last_seen_at: iso(now),
      expires_at: iso(addMs(now, SESSION_TTL_MS)),
    };
    await this.repo.insertSession(row);
    return row;
  }

  /**
   * The session behind a verified cookie, or null when it was revoked (logout, password reset)
   * or expired. Activity slides the 30-day expiry forward, written at most once an hour.
   */
  async resolveSession(sessionId: string, userId: string): Promise<ResolvedSession | null> {
    const session = await this.repo.findSession(sessionId);
    if (!session || session.user_id !== userId) return null;
    const now = this.ctx.clock.now();
    if (session.expires_at <= iso(now)) {
      await this.repo.deleteSession(session.id);
      return null;
    }
    if (now.getTime() - Date.parse(session.last_seen_at) < SESSION_TOUCH_MS) return { session, renewed: false };
    const touched = { ...session, last_seen_at: iso(now), expires_at: iso(addMs(now, SESSION_TTL_MS)) };
    await this.repo.touchSession(session.id, touched.last_seen_at, touched.expires_at);
    return { session: touched, renewed: true };
  }

  // ----- profile ---------------------------------------------------------------------------

  async getUser(userId: string): Promise<UserRow> {
    const user = await this.repo.findUserById(userId);
    if (!user) throw notFound('user');
    return user;
  }

  async updateProfile(userId: string, patch: { name?: string; locale?: Locale }): Promise<UserRow> {
    const set: { name?: string; locale?: Locale } = {};
    if (patch.name !== undefined) set.name = validate(nameSchema, patch.name);
    if (patch.locale !== undefined) set.locale = patch.locale;
    if (Object.keys(set).length) await this.repo.updateUser(userId, { ...set, updated_at: this.nowIso() });
    return this.getUser(userId);
  }

  toPublic(u: UserRow): PublicUser {
    return {
      object: 'user',
      id: u.id,
      email: u.email,
      name: u.name,
      email_verified: u.email_verified_at !== null,
      locale: u.locale === 'es' ? 'es' : 'en',
      credits_balance: Number(u.credits_balance),
      created_at: u.created_at,
    };
  }

  // ----- email verification ----------------------------------------------------------------

  async verifyEmail(token: string): Promise<UserRow> {
    const { row, user } = await this.liveToken(token, 'verify_email');
    const now = this.nowIso();
    await this.repo.transaction(async (repo) => {
      if (!(await repo.consumeToken(row.id, now))) throw tokenInvalid();
      if (!user.email_verified_at) await repo.updateUser(user.id, { email_verified_at: now, updated_at: now });
    });
    return this.getUser(user.id);
  }

  async resendVerification(userId: string): Promise<void> {
    const user = await this.getUser(userId);
    if (user.email_verified_at) throw conflict('email_already_verified', 'This email address is already verified.');
    await this.repo.invalidateTokens(user.id, ['verify_email'], this.nowIso());
    await this.sendVerification(user);
  }

  // ----- password reset ----------------------------------------------------------------------

  /**
   * Always the same answer and the same visible work: normalise, make and hash a token, look the
   * address up. Storing the token and queueing the mail happen after the response, only when
   * the account exists.
   */
  async requestPasswordReset(rawEmail: string): Promise<void> {
    const email = validate(emailSchema, rawEmail);
    const token = randomToken();
    const tokenHash = sha256Hex(token);
    const user = await this.repo.findUserByEmail(email);
    if (!user) return;
    this.defer(async () => {
      await this.storeToken(user, 'reset_password', tokenHash, user.email);
      await this.sendMail(user, user.email, 'password_reset', { name: user.name, link: this.link('/reset-password', token) });
    });
  }

  /** Sets a new password, spends the token, signs out every session, voids other reset links. */
  async confirmPasswordReset(token: string, password: string): Promise<UserRow> {
    const newPassword = validate(passwordSchema, password);
    const { row, user } = await this.liveToken(token, 'reset_password');
    const passwordHash = await hashPassword(newPassword);
    const now = this.nowIso();
    await this.repo.transaction(async (repo) => {
      if (!(await repo.consumeToken(row.id, now))) throw tokenInvalid();
      // The link reached this address, which proves it is the user's.
      await repo.updateUser(user.id, { password_hash: passwordHash, email_verified_at: user.email_verified_at ?? now, updated_at: now });
      await repo.deleteUserSessions(user.id);
      await repo.invalidateTokens(user.id, ['reset_password'], now);
    });
    return this.getUser(user.id);
  }

  // ----- email change ---------------------------------------------------------------------------

  /**
   * Asks to move the account to `newEmail` (the password confirms it is the owner). The new
   * address gets a confirmation link, the current one a notice. If the new address already has
   * an account the answer is the same 202 and that address gets a "someone tried" note instead,
   * so a signed-in user cannot probe which addresses are registered.
   */
  async requestEmailChange(userId: string, input: { new_email: string; password: string }): Promise<void> {
    const newEmail = validate(emailSchema, input.new_email);
    const user = await this.getUser(userId);
    if (!(await verifyPassword(input.password, user.password_hash))) {
      throw badRequest('invalid_password', 'The password is incorrect.', [{ param: 'password', message: 'is incorrect' }]);
    }
    if (newEmail === user.email) {
      throw badRequest('email_unchanged', 'That is already your email address.', [{ param: 'new_email', message: 'is your current address' }]);
    }
    const token = randomToken();
    const tokenHash = sha256Hex(token);
    const owner = await this.repo.findUserByEmail(newEmail);
    this.defer(async () => {
      if (owner) {
        await this.sendMail(owner, owner.email, 'email_change_taken', { name: owner.name, login_link: this.link('/login') });
      } else {
        await this.storeToken(user, 'change_email', tokenHash, newEmail);
        await this.sendMail(user, newEmail, 'email_change_confirm', {
          name: user.name,
          new_email: newEmail,
          link: this.link('/confirm-email-change', token),
        });
      }
      await this.sendMail(user, user.email, 'email_change_notice', {
        name: user.name,
        new_email: newEmail,
        reset_link: this.link('/forgot-password'),
      });
    });
  }

  /** Moves the account to the confirmed address (verified), voiding links sent to the old one. */
  async confirmEmailChange(token: string): Promise<UserRow> {
    const hash = sha256Hex(token);
    const row = await this.repo.findLiveToken(hash, 'change_email', this.nowIso());
    const user = row && (await this.repo.findUserById(row.user_id));
    if (!row || !user || !row.new_email) throw tokenInvalid();
    const newEmail = row.new_email;
    const now = this.nowIso();
    try {
      await this.repo.transaction(async (repo) => {
        if (!(await repo.consumeToken(row.id, now))) throw tokenInvalid();
        const taken = await repo.findUserByEmail(newEmail);
        if (taken && taken.id !== user.id) throw conflict('email_taken', 'This email address now belongs to another account.');
        await repo.updateUser(user.id, { email: newEmail, email_verified_at: now, updated_at: now });
        await repo.invalidateTokens(user.id, ['verify_email', 'reset_password', 'change_email'], now);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('email_taken', 'This email address now belongs to another account.');
      throw err;
    }
    return this.getUser(user.id);
  }

  // ----- background work ------------------------------------------------------------------------

  /** Resolves when deferred work (token storage, mail) has finished. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /**
   * Runs account-dependent work after the response, so that whether it ran cannot be read from
   * the response time. Failures are logged (the caller already got its 202).
   */
  private defer(work: () => Promise<void>): void {
    const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err: unknown) => this.ctx.logger.error({ err: (err as Error)?.message }, 'deferred account work failed'))
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  // ----- internals ------------------------------------------------------------------------------

  private async createUser(u: { email: string; name: string; passwordHash: string; locale: Locale; verified: boolean }): Promise<UserRow> {
    const now = this.nowIso();
    const id = newId('usr');
    const starter = Math.max(0, Math.floor(this.ctx.config.starterCredits));
    // The user row and the starter-credit grant (a ledger entry) commit together or not at all.
    await this.repo.transaction(async (repo, trx) => {
      await repo.insertUser({
        id,
        email: u.email,
        name: u.name,
        password_hash: u.passwordHash,
        email_verified_at: u.verified ? now : null,
        locale: u.locale,
        credits_balance: 0,
        created_at: now,
        updated_at: now,
      });
      if (starter > 0) await this.ctx.services.credits.grant(id, starter, 'starter', { db: trx });
    });
    return this.getUser(id);
  }

  private async sendVerification(user: UserRow): Promise<void> {
    const token = randomToken();
    await this.storeToken(user, 'verify_email', sha256Hex(token), user.email);
    await this.sendMail(user, user.email, 'verify_email', { name: user.name, link: this.link('/verify-email', token) });
  }

  /**
   * Stores a one-time token's SHA-256. `new_email` holds the address the link is sent to (the
   * new address for an email change, the current one otherwise), so a link stops working once
   * the account's address has moved on.
   */
  private async storeToken(user: UserRow, kind: TokenKind, tokenHash: string, address: string): Promise<void> {
    const now = this.ctx.clock.now();
    await this.repo.insertToken({
      id: newId('atok'),
      user_id: user.id,
      kind,
      token_hash: tokenHash,
      new_email: address,
      expires_at: iso(addMs(now, TOKEN_TTL_MS[kind])),
      used_at: null,
      created_at: iso(now),
    });
  }

  /** A live token of this kind whose user still has the address it was sent to. */
  private async liveToken(token: string, kind: 'verify_email' | 'reset_password') {
    const row = typeof token === 'string' && token ? await this.repo.findLiveToken(sha256Hex(token), kind, this.nowIso()) : undefined;
    const user = row && (await this.repo.findUserById(row.user_id));
    if (!row || !user || (row.new_email && row.new_email !== user.email)) throw tokenInvalid();
    return { row, user };
  }

  private async sendMail(user: UserRow, to: string, template: MailTemplate, vars: TemplateVars): Promise<void> {
    await this.ctx.services.mail.sendTemplate({ userId: user.id, to, template, locale: user.locale === 'es' ? 'es' : 'en', vars });
  }

  /** Absolute link into the web app: PUBLIC_URL, or http://localhost:PORT. */
  private link(pathname: string, token?: string): string {
    const base = (this.ctx.config.publicUrl ?? `http://localhost:${this.ctx.config.port}`).replace(/\/+$/, '');
    return `${base}${pathname}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  }

  private nowIso(): string {
    return iso(this.ctx.clock.now());
  }
}

function signupFailed(): DomainError {
  return badRequest(
    'signup_failed',
    "We couldn't create an account with these details. If you already have an account, log in or reset your password.",
  );
}
