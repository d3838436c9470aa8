import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../app.js';
import { ALL_SCOPES, type Scope } from '../../http/auth-context.js';
import { nowMs } from '../../platform/clock.js';
import { paginate, type Cursor } from '../../platform/db/paginate.js';
import { badRequest, DomainError, notFound, unauthorized } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { checkOutboundUrl, OutboundBlockedError } from '../../platform/outbound/safe-fetch.js';
import { devDb, type ApiKeyRow, type DeveloperDb } from './db.js';
import { KeyCache } from './key-cache.js';
import { displayPrefix, generateSecret, hexDigestsEqual, parseSecret, SECRET_LENGTH, secretDigest, secretDigestHex } from './key-format.js';
import { envelopeFor, type Envelope } from '../../platform/crypto/envelope.js';

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
/** last_used_at is written at most this often per key and process. */
export const LAST_USED_WRITE_MS = 60_000;
/** How long a user's keys are not cached once their account deletion has begun. */
const ACCOUNT_DELETION_BLOCK_MS = 10 * 60_000;

export interface ApiKeyApi {
  object: 'api_key';
  id: string;
  name: string;
  prefix: string;
  livemode: boolean;
  scopes: Scope[];
  rate_limit_per_minute: number;
  callback_url: string | null;
  /** Set when the endpoint answered 410 Gone: no more events until a test event or replay succeeds. */
  callback_disabled_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface CreateKeyInput {
  userId: string;
  name: string;
  scopes?: readonly string[];
  rateLimitPerMinute?: number;
  callbackUrl?: string | null;
  expiresAt?: string | null;
  livemode?: boolean;
}

export interface CreatedKey {
  row: ApiKeyRow;
  /** `sk_live_…` / `sk_test_…`: returned once, never stored. */
  secret: string;
  /** `whsec_…` when the key has a callback URL: returned once, stored encrypted. */
  webhookSecret: string | null;
}

export type KeyCheck =
  | { ok: true; row: ApiKeyRow }
  | { ok: false; error: DomainError; row?: ApiKeyRow };

const invalidKey = () =>
  unauthorized('The API key is not valid. Check that you copied the whole sk_live_… or sk_test_… secret.', 'invalid_api_key');

/** F15 API keys: creation (secret shown once), listing, revocation, and authentication. */
export class ApiKeys {
  private readonly box: Envelope;
  private readonly lastWrite = new Map<string, number>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Rows by secret digest for ≤ 2 s (key-cache.ts); cleared for a key whenever this process changes it. */
  private readonly cache = new KeyCache();

  constructor(private readonly ctx: AppContext) {
    // Opens the older secret-box (`sb1.`) envelopes too; new ones are `env1.`.
    this.box = envelopeFor(ctx.config, 'webhook-secret');
  }

  private get db(): DeveloperDb {
    return devDb(this.ctx.db);
  }

  /** Public https only (loopback http with CLIPMIX_ALLOW_LOOPBACK_URLS=1). Throws 400. */
  validateCallbackUrl(url: string): string {
    try {
      return checkOutboundUrl(url, this.ctx.config.allowLoopbackUrls).toString();
    } catch (err) {
      const message = err instanceof OutboundBlockedError ? err.message : 'The URL is not valid.';
      throw badRequest('invalid_callback_url', `callback_url: ${message}`, [{ param: 'callback_url', message }]);
    }
  }

  async create(input: CreateKeyInput): Promise<CreatedKey> {
    const scopes = normaliseScopes(input.scopes);
    const now = this.ctx.clock.now();
    if (input.expiresAt && Date.parse(input.expiresAt) <= now.getTime()) {
      throw badRequest('invalid_request', 'expires_at must be in the future.', [{ param: 'expires_at', message: 'must be in the future' }]);
    }
    const callbackUrl = input.callbackUrl ? this.validateCallbackUrl(input.callbackUrl) : null;
    const livemode = input.livemode ?? true;
    const secret = generateSecret(livemode);
    const id = newId('key');
    // 24 random bytes, base64: the `whsec_` form the Standard Webhooks libraries read.
    const webhookSecret = callbackUrl ? `whsec_${randomBytes(24).toString('base64')}` : null;
    const row: ApiKeyRow = {
      id,
      user_id: input.userId,
      name: input.name,
      prefix: displayPrefix(secret),
      key_hash: secretDigest(secret).toString('hex'),
      livemode: livemode ? 1 : 0,
      scopes: JSON.stringify(scopes),
      rate_limit_per_minute: input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      callback_url: callbackUrl,
      webhook_secret: webhookSecret ? this.box.seal(webhookSecret, { aad: id }) : null,
      callback_disabled_at: null,
      expires_at: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
      last_used_at: null,
      created_at: now.toISOString(),
      revoked_at: null,
    };
    await this.db.insertInto('api_keys').values(row).execute();
    return { row, secret, webhookSecret };
  }

  /** For `clipmix keys create`: the user with this email (404 otherwise). */
  async userIdByEmail(email: string): Promise<string> {
    const u = await this.db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
    if (!u) throw new DomainError(404, 'user_missing', `No user with the email ${email}.`);
    return u.id;
  }

  async list(userId: string, cursor: Cursor): Promise<{ data: ApiKeyRow[]; hasMore: boolean }> {
    const q = this.db.selectFrom('api_keys').selectAll().where('api_keys.user_id', '=', userId);
    const { rows, hasMore } = await paginate(q, 'api_keys', cursor, (id) =>
      this.db.selectFrom('api_keys').select(['id', 'created_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),
    );
    return { data: rows, hasMore };
  }

  /** The user's key; another user's key is 404 like a missing one. */
  async get(userId: string, id: string): Promise<ApiKeyRow> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!row) throw notFound('API key', 'resource_missing');
    return row;
  }

  async find(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Sets revoked_at (idempotent). The key answers 401 `api_key_revoked` from now on. */
  async revoke(userId: string, id: string): Promise<ApiKeyRow> {
    const row = await this.get(userId, id);
    if (row.revoked_at) return row;
    const now = this.ctx.clock.now().toISOString();
    await this.db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    this.lastWrite.delete(id);
    this.cache.invalidate(id);
    return this.get(userId, id);
  }

  /**
   * Checks a bearer token. Malformed tokens and bad checksums fail without touching the
   * database; otherwise one indexed lookup by SHA-256 (or the ≤ 2 s cache of it), then a
   * constant-time digest comparison. A token whose digest is in the cache is a known key's
   * secret (so its checksum holds): the cache is asked first, and the checksum only on a miss.
   */
  async check(token: string): Promise<KeyCheck> {
    if (token.length !== SECRET_LENGTH) return { ok: false, error: invalidKey() };
    const digestHex = secretDigestHex(token);
    const cached = this.checkCached(token, digestHex);
    if (cached) return cached;
    if (!parseSecret(token)) return { ok: false, error: invalidKey() };
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', digestHex).executeTakeFirst();
    if (!row) return { ok: false, error: invalidKey() };
    this.cache.set(digestHex, row);
    return this.verdict(digestHex, row);
  }

  /**
   * check() without a promise when the answer needs no database: a wrong-length token, or a key
   * in the cache. `digestHex` is the token's digest when the caller already has it. undefined:
   * call check().
   */
  checkCached(token: string, digestHex?: string): KeyCheck | undefined {
    if (token.length !== SECRET_LENGTH) return { ok: false, error: invalidKey() };
    digestHex ??= secretDigestHex(token);
    const row = this.cache.get(digestHex);
    return row ? this.verdict(digestHex, row) : undefined;
  }

  private verdict(digestHex: string, row: ApiKeyRow): KeyCheck {
    if (!hexDigestsEqual(digestHex, row.key_hash)) return { ok: false, error: invalidKey() };
    if (row.revoked_at) {
      return { ok: false, row, error: unauthorized('This API key has been revoked.', 'api_key_revoked') };
    }
    if (row.expires_at && Date.parse(row.expires_at) <= nowMs(this.ctx.clock)) {
      return { ok: false, row, error: unauthorized('This API key has expired.', 'api_key_expired') };
    }
    return { ok: true, row };
  }

  /** Records use of a key: at most one write per key per LAST_USED_WRITE_MS (per process). */
  touch(row: ApiKeyRow): void {
    const now = nowMs(this.ctx.clock);
    const last = this.lastWrite.get(row.id);
    if (last !== undefined && now - last < LAST_USED_WRITE_MS) return;
    this.lastWrite.set(row.id, now);
    if (this.lastWrite.size > 100_000) this.lastWrite.clear();
    const p = this.db
      .updateTable('api_keys')
      .set({ last_used_at: new Date(now).toISOString() })
      .where('id', '=', row.id)
      .execute()
      .catch((err) => this.ctx.logger.warn({ err, apiKeyId: row.id }, 'updating last_used_at failed'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** The key's `whsec_…` (decrypted), or null without a callback. */
  webhookSecretOf(row: ApiKeyRow): string | null {
    return row.webhook_secret ? this.box.open(row.webhook_secret, { aad: row.id }) : null;
  }

  async setCallbackDisabled(id: string, disabledAt: string | null): Promise<void> {
    await this.db.updateTable('api_keys').set({ callback_disabled_at: disabledAt }).where('id', '=', id).execute();
    this.cache.invalidate(id);
  }

  /**
   * Account deletion (data.ts onDeleteUser, before the rows go): the user's keys leave the cache
   * and are looked up in the database on every request until the deletion is surely over, so
   * they stop working the moment their rows are deleted.
   */
  forgetUser(userId: string): void {
    this.cache.invalidateUser(userId, ACCOUNT_DELETION_BLOCK_MS);
  }

  /** Waits for background last_used_at writes (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  toApi(row: ApiKeyRow): ApiKeyApi {
    return {
      object: 'api_key',
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      livemode: Number(row.livemode) === 1,
      scopes: parseScopes(row.scopes),
      rate_limit_per_minute: Number(row.rate_limit_per_minute),
      callback_url: row.callback_url,
      callback_disabled_at: row.callback_disabled_at,
      expires_at: row.expires_at,
      last_used_at: row.last_used_at,
      created_at: row.created_at,
      revoked_at: row.revoked_at,
    };
  }
}

export function parseScopes(json: string): Scope[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.filter((s): s is Scope => (ALL_SCOPES as readonly string[]).includes(s)) : [];
  } catch {
    return [];
  }
}

/** Every scope when none are given; unknown scopes → 400; duplicates removed; API.md order. */
export function normaliseScopes(scopes: readonly string[] | undefined): Scope[] {
  if (scopes === undefined) return [...ALL_SCOPES];
  const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (unknown.length) {
    throw badRequest('invalid_scope', `Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Valid: ${ALL_SCOPES.join(', ')}.`, [
      { param: 'scopes', message: `unknown: ${unknown.join(', ')}` },
    ]);
  }
  if (!scopes.length) throw badRequest('invalid_scope', 'A key needs at least one scope.', [{ param: 'scopes', message: 'is empty' }]);
  return ALL_SCOPES.filter((s) => scopes.includes(s));
}
