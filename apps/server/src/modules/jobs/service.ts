import type { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { AppContext } from '../../app.js';
import { paginate, type Cursor } from '../../platform/db/paginate.js';
import { QueryTemplate } from '../../platform/db/query-template.js';
import { changeEpochOf, EpochCache } from '../../platform/db/change-epoch.js';
import { DomainError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { JOB_CHARGE_REASON, type Executor } from '../credits/service.js';
// Integration (developer platform, F15): API request logs record the credits each request charged.
import { noteCreditsCharged } from '../developer/request-scope.js';
import { API_COLUMNS, toApi, toApiReadOnly, type JobApi, type JobApiRow } from './api-view.js';
import type { JobsDb, JobRow } from './db.js';
import { insertJob, type CreateJobOptions } from './create.js';
import { mediaPort } from './media-port.js';
import { writeProgress } from './progress-writer.js';
import { JobRunner } from './runner.js';
import { JobsState, type JobEvent } from './state.js';
import type { JobsTuning } from './tuning.js';
import { JOB_TYPES } from './types.js';
import { runWatchdog, sweepTempDirs } from './watchdog.js';

export type { JobRow } from './db.js';
export type { JobApi, JobApiRow } from './api-view.js';
export type { JobEvent } from './state.js';
export { DEFAULT_TUNING, type JobsTuning } from './tuning.js';
export type { CreateJobOptions } from './create.js';

/** Every ownership check (cancel, retry, delete, SSE): compiled once, run many times. */
const jobByIdForUser = new QueryTemplate(2, (db: JobsDb, id: string, userId: string) =>
  db.selectFrom('jobs').selectAll().where('id', '=', id).where('user_id', '=', userId),
);
/** GET /jobs/{id}: only the columns the API shows (fewer values to read and turn into JS). */
const jobApiByIdForUser = new QueryTemplate(2, (db: JobsDb, id: string, userId: string) =>
  db.selectFrom('jobs').select(API_COLUMNS).where('id', '=', id).where('user_id', '=', userId),
);

export interface ListJobsOptions extends Cursor {
  status?: string;
  type?: string;
}

/**
 * F3 jobs. The row is the truth (status, progress, attempts, lease, credits); the queue only
 * carries ids. Workers claim rows atomically with a lease, renew it by heartbeat, and a watchdog
 * re-queues rows whose worker died. Embedded mode polls the database; scale mode (REDIS_URL)
 * delivers ids through BullMQ to `clipmix worker` processes.
 */
export class JobsService {
  /** This service instance's lease owner id (unique per process and context). */
  readonly owner: string;
  /** Shared with the worker parts: timings, running attempts, queue, events, stopping flag. */
  private readonly state: JobsState;
  private readonly runner: JobRunner;
  /** The state's emitter: listeners are added here, events are emitted by the worker parts. */
  private readonly events: EventEmitter;
  /** GET /jobs/{id} rows by user and id, valid while the database's change epoch stands. */
  /** By job id (ids are unique), with the owner the row was read for. */
  private readonly apiRows = new EpochCache<{ userId: string; row: Readonly<JobApiRow> }>(1000);

  constructor(private readonly ctx: AppContext) {
    this.state = new JobsState(ctx);
    this.owner = this.state.owner;
    this.events = this.state.events;
    this.runner = new JobRunner(this.state);
  }

  private get db(): JobsDb {
    return this.state.db;
  }

  /** Adjusts timings (tests: short leases, a unique BullMQ prefix). Call before use. */
  configure(t: Partial<JobsTuning>): void {
    this.state.tuning = { ...this.state.tuning, ...t };
  }

  get settings(): Readonly<JobsTuning> {
    return this.state.tuning;
  }

  /** 'embedded' or 'bullmq', from config. */
  get queueKind(): 'embedded' | 'bullmq' {
    return this.state.queueKind;
  }

  // ───────────────────────────── creating and reading ─────────────────────────────

  /**
   * Creates a queued job: refuses unknown types (400 unknown_job_type), charges its price in the
   * same transaction as the insert (402 insufficient_credits → no row), records input files,
   * then announces the id to the queue.
   */
  async create(o: CreateJobOptions): Promise<JobRow> {
    const row = await insertJob(this.ctx, o);
    noteCreditsCharged(row.credits_charged); // developer platform: credits of this API request (no-op outside one)

    this.state.emit(row.id, { type: 'progress', progress: 0, status: 'queued' });
    await this.state.announce(row);
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
    const hit = this.cachedForApi(userId, id);
    if (hit) return hit;
    const epoch = changeEpochOf(this.ctx.db)?.() ?? null;
    const row = await jobApiByIdForUser.executeTakeFirst(this.db, id, userId);
    if (!row) throw notFound('job');
    if (epoch !== null) this.apiRows.set(id, epoch, { userId, row: Object.freeze(row) });
    return row;
  }

  /**
   * getForApi's row when it is cached and still current, without a promise (GET /jobs/{id}
   * answers a hit synchronously); undefined otherwise.
   */
  cachedForApi(userId: string, id: string): Readonly<JobApiRow> | undefined {
    const epoch = changeEpochOf(this.ctx.db)?.() ?? null;
    if (epoch === null) return undefined;
    // Keyed by the id alone (no key text to build and hash per request); another account
    // asking for the same id misses and reads the database, which answers 404.
    const hit = this.apiRows.get(id, epoch);
    return hit && hit.userId === userId ? hit.row : undefined;
  }

  /** Any job by id (workers, SSE polling after the ownership check). */
  /** Any job by id (workers, SSE polling after the ownership check). */
  async find(id: string): Promise<JobRow | undefined> {
    return this.state.find(id);
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
    return toApi(row);
  }

  /**
   * toApi() for a response that is only serialised (GET /jobs/{id}): `input` and `output` come
   * from a small cache of parsed, deeply frozen values by their JSON text — a job's input never
   * changes, and parsing a short text costs more than looking it up.
   */
  toApiReadOnly(row: JobApiRow): JobApi {
    return toApiReadOnly(row);
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
      const now = this.state.nowIso();
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
        this.state.finished(finished);
        return finished;
      }
      row = await this.get(userId, id); // it was claimed meanwhile
    }
    if (row.status === 'running') {
      await this.db
        .updateTable('jobs')
        .set({ cancel_requested: 1, updated_at: this.state.nowIso() })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute();
      this.state.active.get(id)?.abort('canceled');
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
    const now = this.state.nowIso();
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
    this.state.emit(id, { type: 'progress', progress: 0, status: 'queued' });
    await this.state.announce(queued);
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
    this.state.emit(id, { type: 'deleted' });
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

  // ───────────────────────────── workers ─────────────────────────────

  /** Throws when a declared product job type (types.ts) has no handler. */
  assertHandlers(types: readonly string[] = JOB_TYPES): void {
    this.runner.assertHandlers(types);
  }

  /**
   * Starts `count` job slots in this process (embedded: database polling; scale mode: a BullMQ
   * worker) and the watchdog. Refuses to start if a declared job type has no handler.
   */
  async startWorkers(count: number): Promise<void> {
    await this.runner.start(count);
  }

  /**
   * Graceful stop: no new claims; running handlers are aborted with reason 'shutdown' and their
   * rows go back to queued without counting the attempt; waits for them; closes the queue.
   */
  async stop(): Promise<void> {
    await this.runner.stop();
  }

  /** Removes temp dirs of attempts whose process died (watchdog.ts). Returns how many. */
  async sweepTempDirs(): Promise<number> {
    return sweepTempDirs(this.ctx.logger);
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
    return this.runner.runOnce();
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

  backoffMs(attempt: number): number {
    return this.state.backoffMs(attempt);
  }

  /** Recovers rows whose worker died and re-sends lost BullMQ messages (watchdog.ts). */
  async runWatchdog(): Promise<{ requeued: number; failed: number; canceled: number; resent: number }> {
    return runWatchdog(this.state);
  }

  /** @internal writes a running attempt's progress (see progress-writer.ts) */
  async writeProgress(row: JobRow, value: number): Promise<void> {
    await writeProgress(this.state, row, value);
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
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
