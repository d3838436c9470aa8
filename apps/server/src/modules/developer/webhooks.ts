import { Webhook } from 'standardwebhooks';
import type { AppContext } from '../../app.js';
import { HOUR_MS, systemClock } from '../../platform/clock.js';
import { paginate, type Cursor } from '../../platform/db/paginate.js';
import { conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { OutboundBlockedError, SafeHttpClient } from '../../platform/outbound/safe-fetch.js';
import type { JobRow } from '../jobs/db.js';
import type { ApiKeys } from './api-keys.js';
import { devDb, type ApiKeyRow, type AttemptRow, type DeliveryRow, type DeliveryStatus, type DeveloperDb } from './db.js';

/**
 * Webhooks (F15): `job.succeeded`, `job.failed`, `job.canceled` for jobs created with a key that
 * has a callback URL, signed per Standard Webhooks with the key's `whsec_` secret.
 *
 * Rows first: an event becomes a `webhook_deliveries` row (status pending, next_attempt_at now),
 * then the process that saw the event attempts it at once. Failed attempts are retried from the
 * table by the delivery poller every worker-running process runs (`serve` with workers, `worker`:
 * ModuleDefinition.background; atomic claims with a lease, so any number of processes share the
 * work), on the schedule below. Every attempt is a
 * `webhook_delivery_attempts` row (status code, error, response excerpt, duration).
 */

/** Wait after failed attempt n (1-based) before attempt n+1: ≈ 5 s … 24 h, about 3.3 days in all. */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * HOUR_MS,
  5 * HOUR_MS,
  10 * HOUR_MS,
  14 * HOUR_MS,
  20 * HOUR_MS,
  24 * HOUR_MS,
];
/** The first attempt is immediate; then one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const RETRY_JITTER = 0.1;
export const DELIVERY_TIMEOUT_MS = 15_000;
/** A claimed delivery belongs to its process this long (longer than one attempt can take). */
const LEASE_MS = 60_000;
const EXCERPT_CHARS = 512;
const ERROR_CHARS = 300;

export const JOB_EVENT_TYPES = ['job.succeeded', 'job.failed', 'job.canceled'] as const;
export const TEST_EVENT_TYPE = 'test.ping';

export interface WebhookEvent {
  id: string;
  type: string;
  created_at: string;
  data: { object: unknown };
}

export interface AttemptApi {
  object: 'webhook_attempt';
  attempt: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
  duration_ms: number;
  created_at: string;
}

export interface DeliveryApi {
  object: 'webhook_delivery';
  id: string;
  event_id: string;
  event_type: string;
  api_key: string;
  job: string | null;
  url: string;
  status: DeliveryStatus;
  attempt_count: number;
  max_attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  replay_of: string | null;
  livemode: boolean;
  payload: unknown;
  created_at: string;
  delivered_at: string | null;
  attempts: AttemptApi[];
}

export interface ListDeliveriesOptions extends Cursor {
  status?: DeliveryStatus;
  api_key?: string;
  event_type?: string;
}

/** Next retry delay after failed attempt `attempt` with ±10 % jitter. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = RETRY_DELAYS_MS[Math.min(Math.max(attempt, 1), RETRY_DELAYS_MS.length) - 1]!;
  return Math.round(base * (1 + (random() * 2 - 1) * RETRY_JITTER));
}

export class Webhooks {
  private client: SafeHttpClient | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Attempt timeout; tests shorten it. */
  timeoutMs = DELIVERY_TIMEOUT_MS;

  constructor(
    private readonly ctx: AppContext,
    private readonly keys: ApiKeys,
  ) {}

  private get db(): DeveloperDb {
    return devDb(this.ctx.db);
  }

  private http(): SafeHttpClient {
    if (!this.client) this.client = new SafeHttpClient({ allowLoopback: this.ctx.config.allowLoopbackUrls, timeoutMs: this.timeoutMs });
    return this.client;
  }

  private now(): Date {
    return this.ctx.clock.now();
  }

  // ───────────────────────────── events in ─────────────────────────────

  /** JobsService.onFinished listener: one delivery per finished job created with a key with a live callback. */
  async onJobFinished(job: JobRow): Promise<void> {
    if (!job.api_key_id) return;
    const type = `job.${job.status}`;
    if (!(JOB_EVENT_TYPES as readonly string[]).includes(type)) return;
    const key = await this.keys.find(job.api_key_id);
    if (!key || key.user_id !== job.user_id || !key.callback_url || key.revoked_at || key.callback_disabled_at) return;
    const event: WebhookEvent = {
      id: newId('evt'),
      type,
      created_at: job.finished_at ?? this.now().toISOString(),
      data: { object: this.ctx.services.jobs.toApi(job) },
    };
    const row = await this.enqueue(key, event, { jobId: job.id });
    this.kick(row.id);
  }

  /** Inserts a pending delivery of `event` to the key's callback URL (due now). */
  async enqueue(
    key: ApiKeyRow,
    event: WebhookEvent,
    opts: { jobId?: string | null; maxAttempts?: number; replayOf?: string | null } = {},
  ): Promise<DeliveryRow> {
    if (!key.callback_url) throw conflict('callback_url_missing', 'This API key has no callback URL.');
    const now = this.now().toISOString();
    const row: DeliveryRow = {
      id: newId('whdel'),
      user_id: key.user_id,
      api_key_id: key.id,
      event_id: event.id,
      event_type: event.type,
      job_id: opts.jobId ?? null,
      url: key.callback_url,
      payload: JSON.stringify(event),
      status: 'pending',
      attempt_count: 0,
      max_attempts: opts.maxAttempts ?? MAX_ATTEMPTS,
      next_attempt_at: now,
      lease_expires_at: null,
      last_status_code: null,
      last_error: null,
      replay_of: opts.replayOf ?? null,
      livemode: Number(key.livemode) ? 1 : 0,
      created_at: now,
      updated_at: now,
      delivered_at: null,
    };
    await this.db.insertInto('webhook_deliveries').values(row).execute();
    return row;
  }

  /** Attempts a delivery in the background (tracked, errors logged). */
  kick(id: string): void {
    this.track(this.attemptById(id));
  }

  /** Sends a `test.ping` event to the key's callback now (one attempt) and returns the delivery. */
  async sendTest(userId: string, keyId: string): Promise<DeliveryRow> {
    const key = await this.keys.get(userId, keyId);
    if (key.revoked_at) throw conflict('api_key_revoked', 'This API key has been revoked.');
    if (!key.callback_url) throw conflict('callback_url_missing', 'This API key has no callback URL.');
    const event: WebhookEvent = {
      id: newId('evt'),
      type: TEST_EVENT_TYPE,
      created_at: this.now().toISOString(),
      data: { object: { object: 'api_key', id: key.id, name: key.name, livemode: Number(key.livemode) === 1 } },
    };
    const row = await this.enqueue(key, event, { maxAttempts: 1 });
    return (await this.attemptById(row.id)) ?? (await this.get(userId, row.id));
  }

  /**
   * Sends a delivery's event again (same event id and payload, so receivers can de-duplicate) as a
   * new delivery with one attempt, now; returns it. A success re-enables a disabled callback.
   */
  async replay(userId: string, deliveryId: string): Promise<DeliveryRow> {
    const original = await this.get(userId, deliveryId);
    const key = await this.keys.find(original.api_key_id);
    if (!key || key.user_id !== userId) throw conflict('api_key_missing', 'The API key of this delivery no longer exists.');
    if (key.revoked_at) throw conflict('api_key_revoked', 'The API key of this delivery has been revoked.');
    if (!key.callback_url) throw conflict('callback_url_missing', 'This API key has no callback URL.');
    const event = JSON.parse(original.payload) as WebhookEvent;
    const row = await this.enqueue(key, event, { jobId: original.job_id, maxAttempts: 1, replayOf: original.id });
    return (await this.attemptById(row.id)) ?? (await this.get(userId, row.id));
  }

  // ───────────────────────────── delivery ─────────────────────────────

  /** Claims and attempts every due delivery (up to `limit`); returns how many were attempted. */
  async deliverDue(limit = 20): Promise<number> {
    const now = this.now().toISOString();
    const due = await this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    const results = await Promise.all(due.map((d) => this.attemptById(d.id)));
    return results.filter(Boolean).length;
  }

  /** Claims one due delivery (atomically: one process wins) and attempts it. */
  async attemptById(id: string): Promise<DeliveryRow | undefined> {
    const now = this.now();
    const nowIso = now.toISOString();
    const claimed = await this.db
      .updateTable('webhook_deliveries')
      .set({ lease_expires_at: new Date(now.getTime() + LEASE_MS).toISOString(), updated_at: nowIso })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', nowIso)]))
      .returningAll()
      .executeTakeFirst();
    if (!claimed) return undefined;
    return this.attempt(claimed);
  }

  private async attempt(row: DeliveryRow): Promise<DeliveryRow> {
    const attemptNo = Number(row.attempt_count) + 1;
    const key = await this.keys.find(row.api_key_id);
    let statusCode: number | null = null;
    let error: string | null = null;
    let excerpt: string | null = null;
    const started = performance.now();
    if (!key || key.revoked_at) {
      error = key ? 'api_key_revoked' : 'api_key_missing';
    } else {
      try {
        const secret = this.keys.webhookSecretOf(key);
        if (!secret) throw new Error('the API key has no webhook secret');
        // The timestamp is the real sending time: receivers check it against their own clock.
        const sentAt = systemClock.now();
        const res = await this.http().request(row.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'ClipMix-Webhooks/1.0',
            'webhook-id': row.event_id,
            'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
            'webhook-signature': new Webhook(secret).sign(row.event_id, sentAt, row.payload),
          },
          body: row.payload,
          timeoutMs: this.timeoutMs,
          maxBytes: 256 * 1024,
        });
        statusCode = res.status;
        excerpt = res.body.length ? res.body.subarray(0, EXCERPT_CHARS * 4).toString('utf8').slice(0, EXCERPT_CHARS) : null;
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (err) {
        error = describeError(err, this.timeoutMs);
      }
    }
    const durationMs = Math.round(performance.now() - started);
    const now = this.now();
    const nowIso = now.toISOString();
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const gone = statusCode === 410;
    const permanent = !key || !!key.revoked_at;

    let status: DeliveryStatus = 'pending';
    let next: string | null = null;
    if (ok) status = 'succeeded';
    else if (gone || permanent || attemptNo >= Number(row.max_attempts)) status = 'failed';
    else next = new Date(now.getTime() + retryDelayMs(attemptNo)).toISOString();

    await this.db
      .insertInto('webhook_delivery_attempts')
      .values({
        id: newId('whatt'),
        delivery_id: row.id,
        user_id: row.user_id,
        attempt: attemptNo,
        status_code: statusCode,
        error: error ? error.slice(0, ERROR_CHARS) : null,
        response_excerpt: excerpt,
        duration_ms: durationMs,
        created_at: nowIso,
      })
      .execute();
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        status,
        attempt_count: attemptNo,
        next_attempt_at: next,
        lease_expires_at: null,
        last_status_code: statusCode,
        last_error: error ? error.slice(0, ERROR_CHARS) : null,
        delivered_at: ok ? nowIso : null,
        updated_at: nowIso,
      })
      .where('id', '=', row.id)
      .execute();

    if (gone && key) await this.disableCallback(key, nowIso);
    else if (ok && key?.callback_disabled_at) await this.keys.setCallbackDisabled(key.id, null);
    return (await this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', row.id).executeTakeFirst()) ?? row;
  }

  /** 410 Gone: the endpoint asked us to stop. No new events; pending retries end as failed. */
  private async disableCallback(key: ApiKeyRow, nowIso: string): Promise<void> {
    await this.keys.setCallbackDisabled(key.id, nowIso);
    await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', next_attempt_at: null, last_error: 'callback disabled: the endpoint answered 410 Gone', updated_at: nowIso })
      .where('api_key_id', '=', key.id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', nowIso)]))
      .execute();
    this.ctx.logger.info({ apiKeyId: key.id }, 'webhook endpoint answered 410; callback disabled');
  }

  // ───────────────────────────── reading ─────────────────────────────

  async get(userId: string, id: string): Promise<DeliveryRow> {
    const row = await this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!row) throw notFound('webhook delivery');
    return row;
  }

  async list(userId: string, o: ListDeliveriesOptions): Promise<{ data: DeliveryRow[]; hasMore: boolean }> {
    let q = this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_deliveries.user_id', '=', userId);
    if (o.status) q = q.where('webhook_deliveries.status', '=', o.status);
    if (o.api_key) q = q.where('webhook_deliveries.api_key_id', '=', o.api_key);
    if (o.event_type) q = q.where('webhook_deliveries.event_type', '=', o.event_type);
    const { rows, hasMore } = await paginate(q, 'webhook_deliveries', o, (id) =>
      this.db.selectFrom('webhook_deliveries').select(['id', 'created_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),
    );
    return { data: rows, hasMore };
  }

  /** API objects with their attempt history (one query for the whole page). */
  async describe(rows: DeliveryRow[]): Promise<DeliveryApi[]> {
    const byDelivery = new Map<string, AttemptRow[]>();
    if (rows.length) {
      const attempts = await this.db
        .selectFrom('webhook_delivery_attempts')
        .selectAll()
        .where('delivery_id', 'in', rows.map((r) => r.id))
        .orderBy('attempt')
        .execute();
      for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
    }
    return rows.map((r) => toApi(r, byDelivery.get(r.id) ?? []));
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  /**
   * Polls for due retries every `pollMs` (real time) until the returned stop() — one poller per
   * worker-running process; claims are atomic, so any number of processes may poll.
   */
  startPoller(pollMs: number): { stop(): Promise<void> } {
    let running: Promise<unknown> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = this.deliverDue()
        .catch((err) => this.ctx.logger.warn({ err }, 'webhook delivery poll failed'))
        .finally(() => {
          running = null;
        });
    }, pollMs);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await running;
      },
    };
  }

  /** Closes idle outbound connections (a later delivery opens new ones). */
  async closeClient(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.close().catch(() => undefined);
  }

  /** Waits for background deliveries started by kick() and onJobFinished. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  track(p: Promise<unknown>): void {
    const tracked = p
      .catch((err) => this.ctx.logger.warn({ err }, 'webhook delivery failed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}

function toApi(r: DeliveryRow, attempts: AttemptRow[]): DeliveryApi {
  let payload: unknown = null;
  try {
    payload = JSON.parse(r.payload);
  } catch {
    payload = null;
  }
  return {
    object: 'webhook_delivery',
    id: r.id,
    event_id: r.event_id,
    event_type: r.event_type,
    api_key: r.api_key_id,
    job: r.job_id,
    url: r.url,
    status: r.status,
    attempt_count: Number(r.attempt_count),
    max_attempts: Number(r.max_attempts),
    next_attempt_at: r.next_attempt_at,
    last_status_code: r.last_status_code === null ? null : Number(r.last_status_code),
    last_error: r.last_error,
    replay_of: r.replay_of,
    livemode: Number(r.livemode) === 1,
    payload,
    created_at: r.created_at,
    delivered_at: r.delivered_at,
    attempts: attempts.map((a) => ({
      object: 'webhook_attempt' as const,
      attempt: Number(a.attempt),
      status_code: a.status_code === null ? null : Number(a.status_code),
      error: a.error,
      response_excerpt: a.response_excerpt,
      duration_ms: Number(a.duration_ms),
      created_at: a.created_at,
    })),
  };
}

function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof OutboundBlockedError) return `${err.code}: ${err.message}`;
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timeout: no response within ${Math.round(timeoutMs / 1000)} s`;
  const cause = e?.cause;
  if (cause?.code) return `${cause.code}: ${cause.message ?? e.message ?? 'request failed'}`;
  return e?.message ?? String(err);
}
