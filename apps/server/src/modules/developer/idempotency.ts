import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../../app.js';
import { HOUR_MS } from '../../platform/clock.js';
import { conflict, unprocessable } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { devDb, type DeveloperDb, type IdempotencyRow } from './db.js';

/**
 * Idempotency-Key (API.md): per scope (API key id, or user id for a session) the first response
 * to a POST is kept for 24 h with a SHA-256 fingerprint of method, path and body.
 *
 * Correct across processes because the database decides: the first request INSERTs the
 * (scope_key, idempotency_key) row in state `in_progress` — the UNIQUE constraint lets exactly
 * one in. Everyone else reads that row: different fingerprint → 422 `idempotency_key_reused`;
 * still in progress → 409 `idempotency_key_in_use`; completed → the stored response again.
 * The owner heartbeats `locked_at` while it runs; a row whose owner stopped heartbeating for
 * STALE_LOCK_MS (a crashed process) may be taken over. Validation failures (400) and 429s
 * delete the row instead of storing it, so a corrected retry can run.
 *
 * Bodies that stream to the handler (multipart uploads) are not known when the key is claimed:
 * their fingerprint starts as `stream:<method, path, media type>` and the handler, once it has
 * read the whole body, appends the digest of its content (setBodyFingerprint, before it acts on
 * the body). A later request with the same key and a completed row then has to read its own body
 * to tell a retry (replay) from a different upload (422): begin() says so with
 * `replay_if_same_body`. See idempotent-body.ts.
 */
export const IDEMPOTENCY_TTL_MS = 24 * HOUR_MS;
export const STALE_LOCK_MS = 60_000;
export const HEARTBEAT_MS = 20_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export interface StoredResponse {
  status: number;
  contentType: string | null;
  body: string;
}

export type BeginResult =
  | { kind: 'owner'; id: string; token: string }
  | ({ kind: 'replay' } & StoredResponse)
  /**
   * A streamed body's request with this key has completed: replay its response only if this
   * request's body has the same content digest (`bodyDigest`), otherwise 422 (reusedKeyError).
   */
  | ({ kind: 'replay_if_same_body'; bodyDigest: string } & StoredResponse);

export interface BeginInput {
  userId: string;
  scopeKey: string;
  key: string;
  fingerprint: string;
  method: string;
  path: string;
}

export class Idempotency {
  constructor(private readonly ctx: AppContext) {}

  private get db(): DeveloperDb {
    return devDb(this.ctx.db);
  }

  async begin(input: BeginInput): Promise<BeginResult> {
    for (let round = 0; round < 5; round++) {
      const now = this.ctx.clock.now();
      const token = randomBytes(12).toString('base64url');
      const fresh = {
        user_id: input.userId,
        fingerprint: input.fingerprint,
        method: input.method,
        path: input.path,
        state: 'in_progress' as const,
        lock_token: token,
        locked_at: now.toISOString(),
        response_status: null,
        response_content_type: null,
        response_body: null,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
      };
      const id = newId('idem');
      const inserted = await this.db
        .insertInto('idempotency_records')
        .values({ id, scope_key: input.scopeKey, idempotency_key: input.key, ...fresh })
        .onConflict((oc) => oc.columns(['scope_key', 'idempotency_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) return { kind: 'owner', id, token };

      const row = await this.db
        .selectFrom('idempotency_records')
        .selectAll()
        .where('scope_key', '=', input.scopeKey)
        .where('idempotency_key', '=', input.key)
        .executeTakeFirst();
      if (!row) continue; // deleted meanwhile (a validation failure): try the insert again

      const expired = Date.parse(row.expires_at) <= now.getTime();
      const match = compareFingerprints(row.fingerprint, input.fingerprint);
      if (!expired && match === 'different') throw reusedKeyError(row);
      const stale = row.state === 'in_progress' && (!row.locked_at || Date.parse(row.locked_at) <= now.getTime() - STALE_LOCK_MS);
      if (expired || stale) {
        // Take over: a finished record past its 24 h, or an in-progress one whose process died.
        const res = await this.db
          .updateTable('idempotency_records')
          .set(fresh)
          .where('id', '=', row.id)
          .where('lock_token', '=', row.lock_token)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1) return { kind: 'owner', id: row.id, token };
        continue;
      }
      if (row.state === 'in_progress') {
        throw conflict(
          'idempotency_key_in_use',
          'A request with this Idempotency-Key is still being processed. Retry after it finishes to get its response.',
        );
      }
      const stored = { status: Number(row.response_status), contentType: row.response_content_type, body: row.response_body ?? '' };
      if (match === 'body') return { kind: 'replay_if_same_body', bodyDigest: row.fingerprint.slice(input.fingerprint.length + 1), ...stored };
      return { kind: 'replay', ...stored };
    }
    throw conflict('idempotency_key_in_use', 'A request with this Idempotency-Key is being processed concurrently. Retry shortly.');
  }

  /**
   * Completes the fingerprint of an owned row whose body streams (`stream:…`) with the digest of
   * the body's content. Call it once the whole body has been read and before anything is done with
   * it: if the row is no longer this request's (taken over as stale), 409 and nothing is done.
   */
  async setBodyFingerprint(id: string, token: string, fingerprint: string, bodyDigest: string): Promise<void> {
    const res = await this.db
      .updateTable('idempotency_records')
      .set({ fingerprint: withBodyDigest(fingerprint, bodyDigest), locked_at: this.ctx.clock.now().toISOString() })
      .where('id', '=', id)
      .where('lock_token', '=', token)
      .where('state', '=', 'in_progress')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      throw conflict('idempotency_key_in_use', 'Another request took over this Idempotency-Key while this one was running. Retry to get its response.');
    }
  }

  /** Stores the response of the owning request. */
  async complete(id: string, token: string, status: number, contentType: string | null, body: string): Promise<void> {
    await this.db
      .updateTable('idempotency_records')
      .set({ state: 'completed', response_status: status, response_content_type: contentType, response_body: body })
      .where('id', '=', id)
      .where('lock_token', '=', token)
      .where('state', '=', 'in_progress')
      .execute();
  }

  /** Forgets the key (validation failure, 429, unstorable response): a retry runs afresh. */
  async abandon(id: string, token: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_records')
      .where('id', '=', id)
      .where('lock_token', '=', token)
      .where('state', '=', 'in_progress')
      .execute();
  }

  /** Keeps an owned in-progress row fresh while its request runs; returns the stop function. */
  heartbeat(id: string, token: string): () => void {
    const timer = setInterval(() => {
      this.db
        .updateTable('idempotency_records')
        .set({ locked_at: this.ctx.clock.now().toISOString() })
        .where('id', '=', id)
        .where('lock_token', '=', token)
        .where('state', '=', 'in_progress')
        .execute()
        .catch((err) => this.ctx.logger.warn({ err }, 'idempotency heartbeat failed'));
    }, HEARTBEAT_MS);
    timer.unref();
    return () => clearInterval(timer);
  }

  async find(scopeKey: string, key: string): Promise<IdempotencyRow | undefined> {
    return this.db
      .selectFrom('idempotency_records')
      .selectAll()
      .where('scope_key', '=', scopeKey)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }
}

/** The 422 for a key first used with another request. */
export function reusedKeyError(row: { method: string; path: string }): Error {
  return unprocessable(
    'idempotency_key_reused',
    `This Idempotency-Key was already used with a different request (${row.method} ${row.path} with other parameters). Use a new key for a new request.`,
  );
}

const STREAMED = 'stream:';

/**
 * SHA-256 of method, path (with query) and body. JSON bodies are canonicalised (sorted keys), so
 * the same parameters in another order are the same request.
 *
 * A body not parsed before the handler (a multipart upload, which streams) is unknown here: its
 * fingerprint is `stream:<SHA-256 of method, path and media type>`, which the handler completes
 * with the digest of the body's content once it has read it (Idempotency.setBodyFingerprint). The
 * Content-Length is left out: it changes with the multipart boundary a client picks for each send.
 * A request without a body keeps the plain form.
 */
export function fingerprintOf(method: string, url: string, body: unknown, headers: Record<string, unknown>): string {
  let bodyPart: string;
  if (body === undefined || body === null) {
    const type = String(headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (hasBody(headers)) {
      const head = createHash('sha256').update(`${method.toUpperCase()}\n${url}\nstream:${type}`, 'utf8').digest('hex');
      return `${STREAMED}${head}`;
    }
    bodyPart = `unparsed:${type}:${String(headers['content-length'] ?? '')}`;
  } else if (Buffer.isBuffer(body)) {
    bodyPart = `raw:${createHash('sha256').update(body).digest('hex')}`;
  } else {
    bodyPart = `json:${canonicalJson(body)}`;
  }
  return createHash('sha256').update(`${method.toUpperCase()}\n${url}\n${bodyPart}`, 'utf8').digest('hex');
}

/** A fingerprint whose body part is only known once the handler has read the body. */
export function isStreamedFingerprint(fingerprint: string): boolean {
  return fingerprint.startsWith(STREAMED) && fingerprint.indexOf(':', STREAMED.length) < 0;
}

/** A streamed request's complete fingerprint: its `stream:` fingerprint and its body's digest. */
export function withBodyDigest(fingerprint: string, bodyDigest: string): string {
  return `${fingerprint}:${bodyDigest}`;
}

/**
 * How a stored fingerprint relates to a new request's: the same request, a different one, or —
 * for a streamed body whose method, path and media type match — one that depends on the body.
 */
export function compareFingerprints(stored: string, requested: string): 'same' | 'different' | 'body' {
  if (stored === requested) return 'same';
  if (isStreamedFingerprint(requested) && stored.length > requested.length + 1 && stored.startsWith(`${requested}:`)) return 'body';
  return 'different';
}

function hasBody(headers: Record<string, unknown>): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = Number(headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
