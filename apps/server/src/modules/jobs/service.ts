import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { AppContext } from '../../app.js';
import { dialectOf } from '../../platform/db/connect.js';
import { paginate, type Cursor } from '../../platform/db/paginate.js';
import { QueryTemplate } from '../../platform/db/query-template.js';
import { changeEpochOf, EpochCache } from '../../platform/db/change-epoch.js';
import { rememberJson } from '../../platform/known-json.js';
import { DomainError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { newId, randomBase62 } from '../../platform/ids.js';
import { createJobQueue, type JobQueue } from '../../platform/queue/index.js';
import { JOB_CHARGE_REASON, type Executor } from '../credits/service.js';
// Integration (developer platform, F15): API request logs record the credits each request charged.
import { noteCreditsCharged } from '../developer/request-scope.js';
import type { JobsDatabase, JobsDb, JobRow } from './db.js';
import { PermanentJobError, type JobOutputSpec, type JobRunContext } from './handler.js';
import { mediaPort } from './media-port.js';
import { JOB_TYPES, type FinalStatus } from './types.js';

export type { JobRow } from './db.js';

/** The columns the API shows of a job (toApi). */
const API_COLUMNS = [
  'id',
  'type',
  'status',
  'progress',
  'created_at',
  'started_at',
  'finished_at',
  'input',
  'output',
  'error_code',
  'error_message',
  'credits_charged',
  'provider',
  'attempts',
  'livemode',
] as const;
export type JobApiRow = Pick<JobRow, (typeof API_COLUMNS)[number]>;

/** Every ownership check (cancel, retry, delete, SSE): compiled once, run many times. */
const jobByIdForUser = new QueryTemplate(2, (db: JobsDb, id: string, userId: string) =>
  db.selectFrom('jobs').selectAll().where('id', '=', id).where('user_id', '=', userId),
);
/** GET /jobs/{id}: only the columns the API shows (fewer values to read and turn into JS). */
const jobApiByIdForUser = new QueryTemplate(2, (db: JobsDb, id: string, userId: string) =>
  db.selectFrom('jobs').select(API_COLUMNS).where('id', '=', id).where('user_id', '=', userId),
);

export interface CreateJobOptions {
  userId: string;
  type: string;
  /** A JSON object, stored and handed to the handler as `job.input` (and shown in the API). */
  input: Record<string, unknown>;
  /** The user's files the job reads (recorded in job_files as direction 'input'). */
  inputFiles?: { fileId: string; role: string }[];
  apiKeyId?: string | null;
  /** false for sk_test_ keys: no credits charged. */
  livemode?: boolean;
  /** Credits to charge instead of the price table's. */
  price?: number;
  /** Provider recorded at creation instead of the handler's default (e.g. the configured cloud vendor). */
  provider?: string;
}

export interface ListJobsOptions extends Cursor {
  status?: string;
  type?: string;
}

export interface JobApi {
  object: 'job';
  id: string;
  type: string;
  status: JobRow['status'];
  progress: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  input: Record<string, unknown>;
  output: { files: { file: string; role: string }[]; size_bytes: number } | null;
  error: { code: string; message: string } | null;
  credits_charged: number;
  provider: string;
  attempts: number;
  livemode: boolean;
}

export type JobEvent =
  | { type: 'progress'; progress: number; status: JobRow['status'] }
  | { type: 'finished'; job: JobRow }
  | { type: 'deleted' };

/** Timings of the worker. Defaults suit production; tests shorten them with configure(). */
export interface JobsTuning {
  /** A claimed row belongs to its worker until this long after the last heartbeat. */
  leaseMs: number;
  /** Lease renewal interval. */
  heartbeatMs: number;
  /** How often a running attempt checks its row for a cancel request (other processes). */
  cancelPollMs: number;
  /** Idle embedded slots look for due rows this often. */
  pollMs: number;
  /** Watchdog interval: expired leases, lost BullMQ messages. */
  watchdogMs: number;
  /** Progress is written at most once per this interval (≤ 4 writes/s). */
  progressWriteMs: number;
  /** Retry backoff: base · 2^attempt, capped. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** BullMQ mode: a queued row overdue by this long is sent again (lost message). */
  resendAfterMs: number;
  /** BullMQ key prefix and queue name. */
  queuePrefix: string;
  queueName: string;
  /** stop() waits this long for aborted handlers; rows still held then are left to the watchdog. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_TUNING: JobsTuning = {
  leaseMs: 30_000,
  heartbeatMs: 10_000,
  cancelPollMs: 1_000,
  pollMs: 500,
  watchdogMs: 15_000,
  progressWriteMs: 250,
  backoffBaseMs: 1_000,
  backoffMaxMs: 10 * 60_000,
  resendAfterMs: 15_000,
  queuePrefix: 'clipmix',
  queueName: 'jobs',
  shutdownTimeoutMs: 30_000,
};

type AbortReason = 'canceled' | 'shutdown' | 'lease_lost';

interface ActiveAttempt {
  row: JobRow;
  controller: AbortController;
  reason: AbortReason | null;
  abort(reason: AbortReason): void;
}

interface OutputRecord {
  file: string;
  role: string;
  size: number;
}

type Outcome = { ok: true } | { ok: false; err: unknown };

const ERROR_MESSAGE_MAX = 500;
/** Per-attempt temp dirs: `clipmix-job-<pid>-<jobId>-XXXXXX` in the OS temp dir. */
const TMP_PREFIX = 'clipmix-job-';

/**
 * F3 jobs. The row is the truth (status, progress, attempts, lease, credits); the queue only
 * carries ids. Workers claim rows atomically with a lease, renew it by heartbeat, and a watchdog
 * re-queues rows whose worker died. Embedded mode polls the database; scale mode (REDIS_URL)
 * delivers ids through BullMQ to `clipmix worker` processes.
 */
export class JobsService {
  /** This service instance's lease owner id (unique per process and context). */
  readonly owner = `${os.hostname()}:${process.pid}:${randomBase62(8)}`;
  private tuning: JobsTuning = { ...DEFAULT_TUNING };
  private queue: JobQueue | null = null;
  private readonly active = new Map<string, ActiveAttempt>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly events = new EventEmitter();
  /** GET /jobs/{id} rows by user and id, valid while the database's change epoch stands. */
  private readonly apiRows = new EpochCache<Readonly<JobApiRow>>(1000);
  private workers = 0;
  private stopping = false;
  private watchdogTimer: NodeJS.Timeout | null = null;
  private watchdogRun: Promise<unknown> | null = null;

  constructor(private readonly ctx: AppContext) {
    this.events.setMaxListeners(0);
  }

  private get db(): JobsDb {
    return this.ctx.db as unknown as JobsDb;
  }

  private get log() {
    return this.ctx.logger;
  }

  private get isPostgres(): boolean {
    return dialectOf(this.ctx.db) === 'postgres';
  }

  /** Adjusts timings (tests: short leases, a unique BullMQ prefix). Call before use. */
  configure(t: Partial<JobsTuning>): void {
    this.tuning = { ...this.tuning, ...t };
  }

  get settings(): Readonly<JobsTuning> {
    return this.tuning;
  }

  /** 'embedded' or 'bullmq', from config. */
  get queueKind(): 'embedded' | 'bullmq' {
    return this.ctx.config.redisUrl ? 'bullmq' : 'embedded';
  }

  private getQueue(): JobQueue {
    if (!this.queue) {
      this.queue = createJobQueue({
        redisUrl: this.ctx.config.redisUrl,
        prefix: this.tuning.queuePrefix,
        name: this.tuning.queueName,
        pollMs: this.tuning.pollMs,
        onError: (err) => this.log.error({ err }, 'job queue error'),
      });
    }
    return this.queue;
  }

  // ───────────────────────────── creating and reading ─────────────────────────────

  /**
   * Creates a queued job: refuses unknown types (400 unknown_job_type), charges its price in the
   * same transaction as the insert (402 insufficient_credits → no row), records input files,
   * then announces the id to the queue.
   */
  async create(o: CreateJobOptions): Promise<JobRow> {
    const handler = this.ctx.jobHandlers.get(o.type);
    if (!handler) throw badRequest('unknown_job_type', `Unknown job type "${o.type}".`);
    if (o.input !== undefined && (o.input === null || typeof o.input !== 'object' || Array.isArray(o.input))) {
      throw new TypeError('job input must be a JSON object');
    }
    const livemode = o.livemode ?? true;
    const price = livemode ? (o.price ?? this.ctx.services.credits.priceOf(o.type)) : 0;
    if (!Number.isInteger(price) || price < 0) throw new Error(`invalid price ${price} for job type ${o.type}`);

    const now = this.ctx.clock.now().toISOString();
    const row: JobRow = {
      id: newId('job'),
      user_id: o.userId,
      api_key_id: o.apiKeyId ?? null,
      type: o.type,
      status: 'queued',
      progress: 0,
      input: JSON.stringify(o.input ?? {}),
      output: null,
      output_size_bytes: 0,
      error_code: null,
      error_message: null,
      attempts: 0,
      max_attempts: this.ctx.config.jobMaxAttempts,
      credits_charged: price,
      provider: o.provider ?? handler.provider,
      cancel_requested: 0,
      lease_owner: null,
      lease_expires_at: null,
      run_after: now,
      created_at: now,
      started_at: null,
      finished_at: null,
      updated_at: now,
      livemode: livemode ? 1 : 0,
    };

    // One row per file (the primary key is job, file, direction): the first role wins.
    const inputs = new Map<string, string>();
    for (const f of o.inputFiles ?? []) if (!inputs.has(f.fileId)) inputs.set(f.fileId, f.role);

    await this.db.transaction().execute(async (trx) => {
      if (inputs.size) {
        const owned = await trx
          .selectFrom('files')
          .select('id')
          .where('user_id', '=', o.userId)
          .where('id', 'in', [...inputs.keys()])
          .execute();
        const have = new Set(owned.map((f) => f.id));
        const missing = [...inputs.keys()].filter((id) => !have.has(id));
        if (missing.length) {
          throw new DomainError(400, 'resource_missing', `No such file: ${missing.join(', ')}.`, missing.map((id) => ({ param: 'files', message: `No such file: ${id}` })));
        }
      }
      await this.ctx.services.credits.charge(o.userId, price, {
        reason: JOB_CHARGE_REASON,
        jobId: row.id,
        db: trx as unknown as Executor,
      });
      await trx.insertInto('jobs').values(row).execute();
      if (inputs.size) {
        await trx
          .insertInto('job_files')
          .values([...inputs].map(([file_id, role]) => ({ job_id: row.id, file_id, direction: 'input' as const, role })))
          .execute();
      }
    });
    noteCreditsCharged(price); // developer platform: credits of this API request (no-op outside one)

    this.emit(row.id, { type: 'progress', progress: 0, status: 'queued' });
    await this.announce(row);
    return row;
  }

  /** The user's job; another user's job is 404 like a missing one. */
  async get(userId: string, id: string): Promise<JobRow> {
    const row = await jobByIdForUser.executeTakeFirst(this.db, id, userId);
    if (!row) throw notFound('job');
    return row;
  }

  /**
   * get() with only the columns toApi() reads: GET /jobs/{id}, which clients poll. On SQLite the
   * row is reused until the next commit to the database by anyone (change-epoch.ts): a poll of
   * an unchanged job costs one small read of the WAL index instead of a read transaction. The
   * row is frozen: it is shared by the requests that get it.
   */
  async getForApi(userId: string, id: string): Promise<Readonly<JobApiRow>> {
    const epoch = changeEpochOf(this.ctx.db)?.() ?? null;
    const key = epoch === null ? '' : `${userId}\u0000${id}`;
    if (epoch !== null) {
      const hit = this.apiRows.get(key, epoch);
      if (hit) return hit;
    }
    const row = await jobApiByIdForUser.executeTakeFirst(this.db, id, userId);
    if (!row) throw notFound('job');
    if (epoch !== null) this.apiRows.set(key, epoch, Object.freeze(row));
    return row;
  }

  /** Any job by id (workers, SSE polling after the ownership check). */
  async find(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The user's jobs, newest first, optionally filtered by status and type. */
  async list(userId: string, o: ListJobsOptions): Promise<{ data: JobRow[]; hasMore: boolean }> {
    let q = this.db.selectFrom('jobs').selectAll().where('jobs.user_id', '=', userId);
    if (o.status) q = q.where('jobs.status', '=', o.status as JobRow['status']);
    if (o.type) q = q.where('jobs.type', '=', o.type);
    const { rows, hasMore } = await paginate(q, 'jobs', o, (id) =>
      this.db.selectFrom('jobs').select(['id', 'created_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),
    );
    return { data: rows, hasMore };
  }

  toApi(row: JobApiRow): JobApi {
    return this.toApiWith(row, safeJson);
  }

  /**
   * toApi() for a response that is only serialised (GET /jobs/{id}): `input` and `output` come
   * from a small cache of parsed, deeply frozen values by their JSON text — a job's input never
   * changes, and parsing a short text costs more than looking it up.
   */
  toApiReadOnly(row: JobApiRow): JobApi {
    return this.toApiWith(row, frozenJson);
  }

  private toApiWith(row: JobApiRow, parse: (text: string) => any): JobApi {
    const output = row.output ? (parse(row.output) as JobApi['output']) : null;
    return {
      object: 'job',
      id: row.id,
      type: row.type,
      status: row.status,
      progress: Number(row.progress),
      created_at: row.created_at,
      started_at: row.started_at,
      finished_at: row.finished_at,
      input: (parse(row.input) as Record<string, unknown>) ?? {},
      output,
      error: row.status === 'failed' ? { code: row.error_code ?? 'job_failed', message: row.error_message ?? 'The job failed.' } : null,
      credits_charged: Number(row.credits_charged),
      provider: row.provider,
      attempts: Number(row.attempts),
      livemode: row.livemode === undefined ? true : Boolean(Number(row.livemode)),
    };
  }

  // ───────────────────────────── cancel, retry, delete ─────────────────────────────

  /**
   * Queued → canceled at once (credits refunded). Running → cancel requested: the running
   * attempt's AbortSignal fires (in this process at once, elsewhere within cancelPollMs), the
   * worker marks it canceled and refunds. Waits briefly for that and returns the latest row.
   */
  async cancel(userId: string, id: string, opts: { waitMs?: number } = {}): Promise<JobRow> {
    let row = await this.get(userId, id);
    if (row.status === 'canceled') return row;
    if (row.status === 'succeeded' || row.status === 'failed') {
      throw conflict('job_finished', `This job has already ${row.status}; it can no longer be canceled.`);
    }
    if (row.status === 'queued') {
      const now = this.nowIso();
      const done = await this.db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('jobs')
          .set({ status: 'canceled', cancel_requested: 1, finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null })
          .where('id', '=', id)
          .where('status', '=', 'queued')
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) return false;
        await this.ctx.services.credits.refund(row.user_id, id, { db: trx as unknown as Executor });
        return true;
      });
      if (done) {
        const finished = await this.get(userId, id);
        this.finished(finished);
        return finished;
      }
      row = await this.get(userId, id); // it was claimed meanwhile
    }
    if (row.status === 'running') {
      await this.db
        .updateTable('jobs')
        .set({ cancel_requested: 1, updated_at: this.nowIso() })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute();
      this.active.get(id)?.abort('canceled');
      row = await this.waitWhileRunning(id, opts.waitMs ?? 10_000);
    }
    return row;
  }

  /**
   * A failed or canceled job runs again from scratch: attempts reset to 0 and the job's price
   * (credits_charged) is charged again.
   */
  async retry(userId: string, id: string): Promise<JobRow> {
    const row = await this.get(userId, id);
    if (row.status !== 'failed' && row.status !== 'canceled') {
      throw conflict('job_not_retryable', `Only failed or canceled jobs can be retried; this one is ${row.status}.`);
    }
    if (!this.ctx.jobHandlers.has(row.type)) throw badRequest('unknown_job_type', `Unknown job type "${row.type}".`);
    const now = this.nowIso();
    const price = row.livemode === 0 ? 0 : Number(row.credits_charged);
    await this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('jobs')
        .set({
          status: 'queued',
          attempts: 0,
          progress: 0,
          output: null,
          output_size_bytes: 0,
          error_code: null,
          error_message: null,
          cancel_requested: 0,
          lease_owner: null,
          lease_expires_at: null,
          started_at: null,
          finished_at: null,
          run_after: now,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('status', 'in', ['failed', 'canceled'])
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw conflict('job_not_retryable', 'This job changed state meanwhile; try again.');
      await this.ctx.services.credits.charge(userId, price, { reason: JOB_CHARGE_REASON, jobId: id, db: trx as unknown as Executor });
    });
    noteCreditsCharged(price); // developer platform: credits of this API request (no-op outside one)
    const queued = await this.get(userId, id);
    this.emit(id, { type: 'progress', progress: 0, status: 'queued' });
    await this.announce(queued);
    return queued;
  }

  /**
   * Deletes a job: cancels it if still active, then removes its outputs and the input files that
   * belong only to it (created for this job — files.job_id = job, or purpose `job_input` — and
   * used by no other job; library uploads are kept), then the row (job_files cascade).
   */
  async delete(userId: string, id: string): Promise<void> {
    const row = await this.get(userId, id);
    if (row.status === 'queued' || row.status === 'running') {
      try {
        await this.cancel(userId, id);
      } catch (err) {
        if (!(err instanceof DomainError && err.status === 409)) throw err;
      }
    }
    const files = await this.filesToDeleteWith(userId, id);
    if (files.length) {
      const deleteFile = mediaPort(this.ctx, 'deleteFile');
      for (const fileId of files) {
        try {
          await deleteFile(userId, fileId);
        } catch (err) {
          if (!(err instanceof DomainError && err.status === 404)) throw err;
        }
      }
    }
    await this.db.deleteFrom('jobs').where('id', '=', id).where('user_id', '=', userId).execute();
    this.emit(id, { type: 'deleted' });
  }

  /** File ids deleting this job removes (see delete()). */
  async filesToDeleteWith(userId: string, jobId: string): Promise<string[]> {
    const db = this.db;
    const outputs = await db
      .selectFrom('job_files')
      .select('file_id')
      .where('job_id', '=', jobId)
      .where('direction', '=', 'output')
      .execute();
    const madeForJob = await db.selectFrom('files').select('id').where('user_id', '=', userId).where('job_id', '=', jobId).execute();
    const inputs = await db
      .selectFrom('job_files')
      .innerJoin('files', 'files.id', 'job_files.file_id')
      .select(['files.id', 'files.job_id', 'files.purpose'])
      .where('job_files.job_id', '=', jobId)
      .where('job_files.direction', '=', 'input')
      .where('files.user_id', '=', userId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('job_files as other')
              .select('other.job_id')
              .whereRef('other.file_id', '=', 'job_files.file_id')
              .where('other.job_id', '!=', jobId),
          ),
        ),
      )
      .execute();
    const ownInputs = inputs.filter((f) => f.job_id === jobId || f.purpose === 'job_input').map((f) => f.id);
    // Files this job created that another job reads as input are still this job's outputs: removed.
    return [...new Set([...outputs.map((o) => o.file_id), ...madeForJob.map((f) => f.id), ...ownInputs])];
  }

  // ───────────────────────────── events ─────────────────────────────

  /** In-process events of one job (progress writes, status changes, the final row). */
  subscribe(jobId: string, listener: (e: JobEvent) => void): () => void {
    this.events.on(jobId, listener);
    return () => this.events.off(jobId, listener);
  }

  /** Every job that reaches a final state in this process (webhooks, e-mail, metrics). */
  onFinished(listener: (job: JobRow) => void): () => void {
    this.events.on('job:finished', listener);
    return () => this.events.off('job:finished', listener);
  }

  private emit(jobId: string, e: JobEvent): void {
    this.events.emit(jobId, e);
  }

  private finished(row: JobRow): void {
    this.ctx.metrics.jobsFinished.inc({ type: row.type, status: row.status });
    this.emit(row.id, { type: 'finished', job: row });
    try {
      this.events.emit('job:finished', row);
    } catch (err) {
      this.log.error({ err, jobId: row.id }, 'job finished listener failed');
    }
  }

  // ───────────────────────────── workers ─────────────────────────────

  /** Throws when a declared product job type (types.ts) has no handler. */
  assertHandlers(types: readonly string[] = JOB_TYPES): void {
    const missing = types.filter((t) => !this.ctx.jobHandlers.has(t));
    if (missing.length) {
      throw new Error(
        `cannot start job workers: no handler registered for job type${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
          `(declared in modules/jobs/types.ts; register it in its module's jobHandlers)`,
      );
    }
  }

  /**
   * Starts `count` job slots in this process (embedded: database polling; scale mode: a BullMQ
   * worker) and the watchdog. Refuses to start if a declared job type has no handler.
   */
  async startWorkers(count: number): Promise<void> {
    if (count <= 0) return;
    this.assertHandlers();
    if (this.workers > 0) throw new Error('job workers are already running in this process');
    this.stopping = false;
    this.workers = count;
    await this.sweepTempDirs().catch((err) => this.log.warn({ err }, 'sweeping stale job temp dirs failed'));
    await this.runWatchdog().catch((err) => this.log.error({ err }, 'job watchdog failed'));
    this.watchdogTimer = setInterval(() => {
      if (this.watchdogRun) return;
      this.watchdogRun = this.runWatchdog()
        .catch((err) => this.log.error({ err }, 'job watchdog failed'))
        .finally(() => {
          this.watchdogRun = null;
        });
    }, this.tuning.watchdogMs);
    await this.getQueue().start(count, (jobId) => this.deliver(jobId));
    this.log.info({ slots: count, queue: this.queueKind, owner: this.owner }, 'job workers started');
  }

  /**
   * Graceful stop: no new claims; running handlers are aborted with reason 'shutdown' and their
   * rows go back to queued without counting the attempt; waits for them; closes the queue.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.watchdogTimer) clearInterval(this.watchdogTimer);
    this.watchdogTimer = null;
    for (const a of this.active.values()) a.abort('shutdown');
    const queue = this.queue;
    const waited = await withTimeout(
      (async () => {
        if (queue) await queue.stop().catch((err) => this.log.error({ err }, 'stopping the job queue failed'));
        await Promise.allSettled([...this.inFlight]);
        await this.watchdogRun?.catch(() => undefined);
      })(),
      this.tuning.shutdownTimeoutMs,
    );
    if (!waited) this.log.warn({ jobs: [...this.active.keys()] }, 'job handlers did not stop in time; their leases will expire');
    this.queue = null;
    if (queue) await queue.close().catch((err) => this.log.error({ err }, 'closing the job queue failed'));
    this.workers = 0;
  }

  /**
   * Removes per-attempt temp dirs left by processes that died mid-job (SIGKILL, OOM): their
   * names carry the owner's PID. Runs when workers start. Returns how many were removed.
   */
  async sweepTempDirs(): Promise<number> {
    const base = os.tmpdir();
    let removed = 0;
    for (const name of await readdir(base)) {
      const m = /^clipmix-job-(\d+)-/.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid === process.pid || processAlive(pid)) continue;
      await rm(path.join(base, name), { recursive: true, force: true });
      removed++;
    }
    if (removed) this.log.info({ removed }, 'removed temp dirs of job attempts whose process died');
    return removed;
  }

  /**
   * Cancels every queued or running job of a user (account deletion does this before removing
   * rows, so no worker keeps writing for a user who is gone). Returns how many were canceled.
   */
  async cancelAll(userId: string, opts: { waitMs?: number } = {}): Promise<number> {
    const active = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('user_id', '=', userId)
      .where('status', 'in', ['queued', 'running'])
      .execute();
    let n = 0;
    for (const { id } of active) {
      try {
        const r = await this.cancel(userId, id, opts);
        if (r.status === 'canceled' || r.cancel_requested) n++;
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
      }
    }
    return n;
  }

  /** Test helper: claims one due job and runs it to the end. false when none was due. */
  async runOnce(): Promise<boolean> {
    if (this.stopping) return false;
    const row = await this.claimNext();
    if (!row) return false;
    await this.track(this.execute(row));
    return true;
  }

  /** Test helper: runs due jobs in this process until none remain; returns how many ran. */
  async drain(opts: { max?: number } = {}): Promise<number> {
    let n = 0;
    while ((opts.max === undefined || n < opts.max) && (await this.runOnce())) n++;
    return n;
  }

  async sampleMetrics(): Promise<void> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['status', 'type', sql<number>`count(*)`.as('n')])
      .groupBy(['status', 'type'])
      .execute();
    this.ctx.metrics.jobsByStatus.reset();
    let queued = 0;
    for (const r of rows) {
      this.ctx.metrics.jobsByStatus.set({ status: r.status, type: r.type }, Number(r.n));
      if (r.status === 'queued') queued += Number(r.n);
    }
    this.ctx.metrics.queueDepth.set(queued);
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  private async deliver(jobId: string | null): Promise<boolean> {
    if (this.stopping) return false;
    let row = jobId ? await this.claimById(jobId) : await this.claimNext();
    if (!row && jobId) {
      // A BullMQ delay can end slightly before the row's run_after (clock skew): wait it out.
      const r = await this.find(jobId);
      const wait = r && r.status === 'queued' ? Date.parse(r.run_after) - this.ctx.clock.now().getTime() : 0;
      if (wait > 0 && wait < 30_000) {
        await sleep(wait + 5);
        if (!this.stopping) row = await this.claimById(jobId);
      }
    }
    if (!row) return false;
    await this.track(this.execute(row));
    return true;
  }

  private handledTypes(): string[] {
    return [...this.ctx.jobHandlers.keys()];
  }

  private claimSet(now: Date) {
    const nowIso = now.toISOString();
    return {
      status: 'running' as const,
      lease_owner: this.owner,
      lease_expires_at: new Date(now.getTime() + this.tuning.leaseMs).toISOString(),
      attempts: sql<number>`attempts + 1`,
      started_at: sql<string>`coalesce(started_at, ${nowIso})`,
      updated_at: nowIso,
    };
  }

  /** Atomically claims the oldest due queued row of a type this process can run. */
  private async claimNext(): Promise<JobRow | undefined> {
    const types = this.handledTypes();
    if (!types.length) return undefined;
    const now = this.ctx.clock.now();
    const nowIso = now.toISOString();
    const pg = this.isPostgres;
    return this.db
      .updateTable('jobs')
      .set(this.claimSet(now))
      .where('id', '=', (eb) => {
        let sub = eb
          .selectFrom('jobs as j')
          .select('j.id')
          .where('j.status', '=', 'queued')
          .where('j.run_after', '<=', nowIso)
          .where('j.type', 'in', types)
          .orderBy('j.created_at')
          .orderBy('j.id')
          .limit(1);
        if (pg) sub = sub.forUpdate().skipLocked();
        return sub;
      })
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
  }

  /** Claims one specific row (BullMQ delivery) if it is queued and due. */
  private async claimById(id: string): Promise<JobRow | undefined> {
    const types = this.handledTypes();
    const now = this.ctx.clock.now();
    return this.db
      .updateTable('jobs')
      .set(this.claimSet(now))
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('run_after', '<=', now.toISOString())
      .where('type', 'in', types.length ? types : ['\u0000'])
      .returningAll()
      .executeTakeFirst();
  }

  /** Runs one attempt of a claimed row and settles it. Never throws. */
  private async execute(row: JobRow): Promise<void> {
    const handler = this.ctx.jobHandlers.get(row.type);
    const controller = new AbortController();
    const attempt: ActiveAttempt = {
      row,
      controller,
      reason: null,
      abort(reason) {
        if (attempt.reason) return;
        attempt.reason = reason;
        const e = new Error(`job ${reason}`);
        e.name = 'AbortError';
        controller.abort(e);
      },
    };
    this.active.set(row.id, attempt);
    const log = this.log.child({ jobId: row.id, jobType: row.type, attempt: row.attempts });
    this.emit(row.id, { type: 'progress', progress: Number(row.progress), status: 'running' });

    const outputs: OutputRecord[] = [];
    const releases: Array<() => Promise<void>> = [];
    const inputPaths = new Map<string, Promise<string>>();
    let provider = row.provider;
    let tmpDir: string | null = null;
    let outcome: Outcome;
    const progress = new ProgressWriter(this, row, this.tuning.progressWriteMs, (err) => log.warn({ err }, 'progress write failed'));
    const heartbeat = this.startHeartbeat(attempt, log);

    try {
      if (!handler) throw new PermanentJobError('unknown_job_type', `No handler for job type ${row.type}.`);
      tmpDir = await mkdtemp(path.join(os.tmpdir(), `${TMP_PREFIX}${process.pid}-${row.id}-`));
      await this.removeOutputs(row, log); // leftovers of an earlier attempt
      const dir = tmpDir;
      const run: JobRunContext = {
        ctx: this.ctx,
        job: {
          id: row.id,
          userId: row.user_id,
          type: row.type,
          input: safeJson(row.input) ?? {},
          attempt: Number(row.attempts),
          livemode: row.livemode === undefined ? true : Boolean(Number(row.livemode)),
        },
        signal: controller.signal,
        tmpDir: dir,
        progress: (f) => progress.report(f),
        inputPath: (fileId) => {
          let p = inputPaths.get(fileId);
          if (!p) {
            p = (async () => {
              const h = await mediaPort(this.ctx, 'localPath')(row.user_id, fileId);
              releases.push(() => h.release());
              return h.path;
            })();
            inputPaths.set(fileId, p);
          }
          return p;
        },
        addOutput: (spec) => this.addOutput(row, attempt, spec, outputs),
        setProvider: (name) => {
          provider = name;
        },
      };
      await handler.run(run);
      outcome = { ok: true };
    } catch (err) {
      outcome = { ok: false, err };
    } finally {
      heartbeat.stop();
      await progress.flush();
      for (const release of releases) await release().catch((err) => log.warn({ err }, 'releasing an input failed'));
      if (tmpDir) await rm(tmpDir, { recursive: true, force: true }).catch((err) => log.warn({ err }, 'removing the temp dir failed'));
      this.active.delete(row.id);
    }

    try {
      await this.settle(row, attempt, outcome, outputs, provider, log);
    } catch (err) {
      // The lease will expire and the watchdog re-queues the row.
      log.error({ err }, 'settling the job failed');
    }
  }

  private async addOutput(row: JobRow, attempt: ActiveAttempt, spec: JobOutputSpec, outputs: OutputRecord[]): Promise<string> {
    attempt.controller.signal.throwIfAborted();
    const size = (await stat(spec.path)).size;
    const mine = await this.db
      .selectFrom('jobs')
      .select('id')
      .where('id', '=', row.id)
      .where('lease_owner', '=', this.owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (!mine) {
      attempt.abort('lease_lost');
      attempt.controller.signal.throwIfAborted();
    }
    const fileId = await mediaPort(this.ctx, 'createFromLocalFile')({ ...spec, userId: row.user_id, jobId: row.id });
    try {
      await this.db.insertInto('job_files').values({ job_id: row.id, file_id: fileId, direction: 'output', role: spec.role }).execute();
    } catch (err) {
      // The job was deleted meanwhile: do not leave the file behind.
      await mediaPort(this.ctx, 'deleteFile')(row.user_id, fileId).catch(() => undefined);
      throw err;
    }
    outputs.push({ file: fileId, role: spec.role, size });
    return fileId;
  }

  /** Deletes output files recorded for a job (before a new attempt writes its own). */
  private async removeOutputs(row: JobRow, log: AppContext['logger']): Promise<void> {
    const old = await this.db
      .selectFrom('job_files')
      .select('file_id')
      .where('job_id', '=', row.id)
      .where('direction', '=', 'output')
      .execute();
    if (!old.length) return;
    const deleteFile = mediaPort(this.ctx, 'deleteFile');
    for (const { file_id } of old) {
      await deleteFile(row.user_id, file_id).catch((err) => {
        if (!(err instanceof DomainError && err.status === 404)) log.warn({ err, fileId: file_id }, 'removing an old output failed');
      });
    }
    await this.db.deleteFrom('job_files').where('job_id', '=', row.id).where('direction', '=', 'output').execute();
  }

  private startHeartbeat(attempt: ActiveAttempt, log: AppContext['logger']): { stop(): void } {
    const id = attempt.row.id;
    let lastRenew = Date.now();
    let busy = false;
    const tick = async () => {
      if (busy || attempt.reason) return;
      busy = true;
      try {
        const now = this.ctx.clock.now();
        if (Date.now() - lastRenew >= this.tuning.heartbeatMs) {
          const renewed = await this.db
            .updateTable('jobs')
            .set({ lease_expires_at: new Date(now.getTime() + this.tuning.leaseMs).toISOString(), updated_at: now.toISOString() })
            .where('id', '=', id)
            .where('lease_owner', '=', this.owner)
            .where('status', '=', 'running')
            .returning('cancel_requested')
            .executeTakeFirst();
          lastRenew = Date.now();
          if (!renewed) attempt.abort('lease_lost');
          else if (Number(renewed.cancel_requested)) attempt.abort('canceled');
        } else {
          const r = await this.db
            .selectFrom('jobs')
            .select(['cancel_requested', 'lease_owner', 'status'])
            .where('id', '=', id)
            .executeTakeFirst();
          if (!r || r.lease_owner !== this.owner || r.status !== 'running') attempt.abort('lease_lost');
          else if (Number(r.cancel_requested)) attempt.abort('canceled');
        }
      } catch (err) {
        log.warn({ err }, 'job heartbeat failed');
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void tick(), Math.min(this.tuning.cancelPollMs, this.tuning.heartbeatMs));
    return { stop: () => clearInterval(timer) };
  }

  private async settle(
    row: JobRow,
    attempt: ActiveAttempt,
    outcome: Outcome,
    outputs: OutputRecord[],
    provider: string,
    log: AppContext['logger'],
  ): Promise<void> {
    if (attempt.reason === 'lease_lost') {
      log.warn('lost the lease of a running job; leaving it to its new owner');
      return;
    }
    if (outcome.ok) {
      const output = { files: outputs.map(({ file, role }) => ({ file, role })), size_bytes: outputs.reduce((s, o) => s + o.size, 0) };
      await this.finish(row, 'succeeded', {
        progress: 1,
        output: JSON.stringify(output),
        output_size_bytes: output.size_bytes,
        provider,
        error_code: null,
        error_message: null,
      });
      return;
    }
    const err = outcome.err;
    if (attempt.reason === 'shutdown') {
      // Not the job's fault: back to the queue without counting this attempt.
      const now = this.nowIso();
      const res = await this.db
        .updateTable('jobs')
        .set({ status: 'queued', attempts: sql<number>`attempts - 1`, lease_owner: null, lease_expires_at: null, run_after: now, updated_at: now })
        .where('id', '=', row.id)
        .where('lease_owner', '=', this.owner)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) {
        log.info('job interrupted by shutdown; re-queued');
        this.emit(row.id, { type: 'progress', progress: Number(row.progress), status: 'queued' });
        await this.announce({ ...row, run_after: now });
      }
      return;
    }
    let cancelRequested = attempt.reason === 'canceled';
    if (!cancelRequested) {
      const cur = await this.find(row.id);
      cancelRequested = !!cur && Number(cur.cancel_requested) === 1;
    }
    if (cancelRequested) {
      await this.finish(row, 'canceled', { provider });
      return;
    }
    const message = errorMessage(err);
    if (err instanceof PermanentJobError) {
      log.info({ code: err.code }, `job failed: ${message}`);
      await this.finish(row, 'failed', { error_code: err.code, error_message: message, provider });
      return;
    }
    if (Number(row.attempts) >= Number(row.max_attempts)) {
      log.warn({ err }, 'job failed after its last attempt');
      await this.finish(row, 'failed', { error_code: 'job_failed', error_message: message, provider });
      return;
    }
    const now = this.ctx.clock.now();
    const runAfter = new Date(now.getTime() + this.backoffMs(Number(row.attempts))).toISOString();
    log.warn({ err, runAfter }, 'job attempt failed; will retry');
    const res = await this.db
      .updateTable('jobs')
      .set({
        status: 'queued',
        lease_owner: null,
        lease_expires_at: null,
        run_after: runAfter,
        error_code: 'job_failed',
        error_message: message,
        updated_at: now.toISOString(),
      })
      .where('id', '=', row.id)
      .where('lease_owner', '=', this.owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) {
      this.emit(row.id, { type: 'progress', progress: Number(row.progress), status: 'queued' });
      await this.announce({ ...row, run_after: runAfter });
    }
  }

  /** Moves a row this process holds to a final state; refunds failed and canceled jobs. */
  private async finish(
    row: JobRow,
    status: FinalStatus,
    fields: Partial<Pick<JobRow, 'progress' | 'output' | 'output_size_bytes' | 'error_code' | 'error_message' | 'provider'>>,
  ): Promise<boolean> {
    const now = this.nowIso();
    const done = await this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('jobs')
        .set({ ...fields, status, finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null })
        .where('id', '=', row.id)
        .where('lease_owner', '=', this.owner)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      if (status !== 'succeeded') await this.ctx.services.credits.refund(row.user_id, row.id, { db: trx as unknown as Executor });
      return true;
    });
    if (done) {
      const final = await this.find(row.id);
      if (final) this.finished(final);
    }
    return done;
  }

  backoffMs(attempt: number): number {
    return Math.min(this.tuning.backoffBaseMs * 2 ** attempt, this.tuning.backoffMaxMs);
  }

  /**
   * Re-queues running rows whose lease expired (their worker died): with attempts left they go
   * back to queued after a backoff, otherwise they fail with `lease_expired` (refunded); rows
   * whose cancel was requested become canceled. In scale mode also re-sends queued rows whose
   * BullMQ message was lost. Runs at worker start-up and every watchdogMs.
   */
  async runWatchdog(): Promise<{ requeued: number; failed: number; canceled: number; resent: number }> {
    const result = { requeued: 0, failed: 0, canceled: 0, resent: 0 };
    const now = this.ctx.clock.now();
    const nowIso = now.toISOString();
    const expired = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'running')
      .where('lease_expires_at', '<', nowIso)
      .orderBy('lease_expires_at')
      .limit(200)
      .execute();
    for (const row of expired) {
      if (row.lease_owner === this.owner && this.active.has(row.id)) continue; // ours and alive
      const guard = (q: UpdateQueryBuilder<JobsDatabase, 'jobs', 'jobs', UpdateResult>) => {
        const g = q
          .where('id', '=', row.id)
          .where('status', '=', 'running')
          .where('lease_expires_at', '=', row.lease_expires_at);
        return row.lease_owner === null ? g.where('lease_owner', 'is', null) : g.where('lease_owner', '=', row.lease_owner);
      };
      const cancel = Number(row.cancel_requested) === 1;
      const exhausted = Number(row.attempts) >= Number(row.max_attempts);
      if (cancel || exhausted) {
        const status: FinalStatus = cancel ? 'canceled' : 'failed';
        const done = await this.db.transaction().execute(async (trx) => {
          const res = await guard(
            trx.updateTable('jobs').set({
              status,
              finished_at: nowIso,
              updated_at: nowIso,
              lease_owner: null,
              lease_expires_at: null,
              ...(cancel ? {} : { error_code: 'lease_expired', error_message: 'The worker running this job stopped responding.' }),
            }),
          ).executeTakeFirst();
          if (Number(res.numUpdatedRows) !== 1) return false;
          await this.ctx.services.credits.refund(row.user_id, row.id, { db: trx as unknown as Executor });
          return true;
        });
        if (done) {
          if (cancel) result.canceled++;
          else result.failed++;
          const final = await this.find(row.id);
          if (final) this.finished(final);
        }
        continue;
      }
      const runAfter = new Date(now.getTime() + this.backoffMs(Number(row.attempts))).toISOString();
      const res = await guard(
        this.db.updateTable('jobs').set({
          status: 'queued',
          lease_owner: null,
          lease_expires_at: null,
          run_after: runAfter,
          error_code: 'lease_expired',
          error_message: 'The worker running this job stopped responding.',
          updated_at: nowIso,
        }),
      ).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) {
        result.requeued++;
        this.log.warn({ jobId: row.id, previousOwner: row.lease_owner, runAfter }, 'job lease expired; re-queued');
        this.emit(row.id, { type: 'progress', progress: Number(row.progress), status: 'queued' });
        await this.announce({ id: row.id, run_after: runAfter });
      }
    }

    if (this.queueKind === 'bullmq') {
      const overdue = await this.db
        .selectFrom('jobs')
        .select(['id', 'run_after'])
        .where('status', '=', 'queued')
        .where('run_after', '<=', new Date(now.getTime() - this.tuning.resendAfterMs).toISOString())
        .where('type', 'in', this.handledTypes().length ? this.handledTypes() : ['\u0000'])
        .orderBy('run_after')
        .limit(500)
        .execute();
      for (const r of overdue) {
        await this.announce(r);
        result.resent++;
      }
    }
    return result;
  }

  /** Tells the queue a row is queued. Failures are logged: the watchdog re-sends lost messages. */
  private async announce(row: Pick<JobRow, 'id' | 'run_after'>): Promise<void> {
    if (this.stopping && this.queueKind === 'embedded') return;
    try {
      const runAt = new Date(row.run_after);
      // One BullMQ message per queued state of the row (run_after changes on every re-queue).
      await this.getQueue().enqueue(row.id, { runAt, key: `${row.id}.${runAt.getTime()}` });
    } catch (err) {
      this.log.error({ err, jobId: row.id }, 'could not enqueue job; the watchdog will retry');
    }
  }

  private async waitWhileRunning(id: string, ms: number): Promise<JobRow> {
    const deadline = Date.now() + ms;
    for (;;) {
      const r = await this.find(id);
      if (!r) throw notFound('job');
      if (r.status !== 'running' || Date.now() >= deadline) return r;
      await sleep(50);
    }
  }

  private nowIso(): string {
    return this.ctx.clock.now().toISOString();
  }

  /** @internal used by ProgressWriter */
  async writeProgress(row: JobRow, value: number): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ progress: value, updated_at: this.nowIso() })
      .where('id', '=', row.id)
      .where('lease_owner', '=', this.owner)
      .where('status', '=', 'running')
      .where('progress', '<', value)
      .execute();
    this.emit(row.id, { type: 'progress', progress: value, status: 'running' });
  }
}

/** Throttles progress writes (at most one per interval) and never lets progress go backwards. */
class ProgressWriter {
  private current: number;
  private written: number;
  private lastWrite = 0;
  private timer: NodeJS.Timeout | null = null;
  private pending: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly svc: JobsService,
    private readonly row: JobRow,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.current = Number(row.progress) || 0;
    this.written = this.current;
  }

  report(fraction: number): void {
    if (this.closed || typeof fraction !== 'number' || !Number.isFinite(fraction)) return;
    const f = Math.min(1, Math.max(0, fraction));
    if (f <= this.current) return;
    this.current = f;
    if (this.timer) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.write(), wait);
  }

  private write(): void {
    this.timer = null;
    const v = this.current;
    if (v <= this.written) return;
    this.written = v;
    this.lastWrite = Date.now();
    this.pending = this.pending.then(() => this.svc.writeProgress(this.row, v)).catch(this.onError);
  }

  /** Writes the last reported value now; later reports are ignored (the attempt is over). */
  async flush(): Promise<void> {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.write();
    }
    await this.pending;
  }
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const FROZEN_JSON_MAX_ENTRIES = 1_000;
const FROZEN_JSON_MAX_LENGTH = 4_096;
const frozenJsonCache = new Map<string, unknown>();

/** safeJson() of a short text, parsed once and deeply frozen (shared by every caller). */
function frozenJson(text: string): any {
  if (text.length > FROZEN_JSON_MAX_LENGTH) return safeJson(text);
  let value = frozenJsonCache.get(text);
  if (value === undefined) {
    value = deepFreeze(safeJson(text));
    // Records are written by the response serialiser from this text instead of walked again.
    if (value && typeof value === 'object' && !Array.isArray(value)) rememberJson(value, JSON.stringify(value));
    if (frozenJsonCache.size >= FROZEN_JSON_MAX_ENTRIES) frozenJsonCache.clear();
    frozenJsonCache.set(text, value);
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function errorMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const oneLine = msg.replace(/\s+/g, ' ').trim() || 'The job failed.';
  return oneLine.length > ERROR_MESSAGE_MAX ? `${oneLine.slice(0, ERROR_MESSAGE_MAX - 1)}…` : oneLine;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Resolves true when p settles in time, false on timeout. */
async function withTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
