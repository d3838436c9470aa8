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
 */
export const IDEMPOTENCY_TTL_MS = 24 * HOUR_MS;
export const STALE_LOCK_MS = 60_000;
export const HEARTBEAT_MS = 20_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export type BeginResult =
  | { kind: 'owner'; id: string; token: string }
  | { kind: 'replay'; status: number; contentType: string | null; body: string };

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
      if (!expired && row.fingerprint !== input.fingerprint) {
        throw unprocessable(
          'idempotency_key_reused',
          `This Idempotency-Key was already used with a different request (${row.method} ${row.path} with other parameters). Use a new key for a new request.`,
        );
      }
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
      return { kind: 'replay', status: Number(row.response_status), contentType: row.response_content_type, body: row.response_body ?? '' };
    }
    throw conflict('idempotency_key_in_use', 'A request with this Idempotency-Key is being processed concurrently. Retry shortly.');
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

/**
 * SHA-256 of method, path (with query) and body. JSON bodies are canonicalised (sorted keys), so
 * the same parameters in another order are the same request. Bodies not parsed before the
 * handler (multipart uploads, which stream) are represented by their media type and length.
 */
export function fingerprintOf(method: string, url: string, body: unknown, headers: Record<string, unknown>): string {
  let bodyPart: string;
  if (body === undefined || body === null) {
    const type = String(headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    bodyPart = `unparsed:${type}:${String(headers['content-length'] ?? '')}`;
  } else if (Buffer.isBuffer(body)) {
    bodyPart = `raw:${createHash('sha256').update(body).digest('hex')}`;
  } else {
    bodyPart = `json:${canonicalJson(body)}`;
  }
  return createHash('sha256').update(`${method.toUpperCase()}\n${url}\n${bodyPart}`, 'utf8').digest('hex');
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
