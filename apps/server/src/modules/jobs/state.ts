import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { AppContext } from '../../app.js';
import { dialectOf } from '../../platform/db/connect.js';
import { randomBase62 } from '../../platform/ids.js';
import { createJobQueue, type JobQueue } from '../../platform/queue/index.js';
import type { JobsDb, JobRow } from './db.js';
import { DEFAULT_TUNING, type JobsTuning } from './tuning.js';

export type JobEvent =
  | { type: 'progress'; progress: number; status: JobRow['status'] }
  | { type: 'finished'; job: JobRow }
  | { type: 'deleted' };

export type AbortReason = 'canceled' | 'shutdown' | 'lease_lost';

export interface ActiveAttempt {
  row: JobRow;
  controller: AbortController;
  reason: AbortReason | null;
  abort(reason: AbortReason): void;
}

/**
 * The state one JobsService shares with its worker parts (runner, attempts, watchdog): lease
 * owner id, timings, the attempts running in this process, the stopping flag, the queue and the
 * in-process events — with the few operations on them that every part needs.
 */
export class JobsState {
  /** This service instance's lease owner id (unique per process and context). */
  readonly owner = `${os.hostname()}:${process.pid}:${randomBase62(8)}`;
  tuning: JobsTuning = { ...DEFAULT_TUNING };
  readonly active = new Map<string, ActiveAttempt>();
  stopping = false;
  /** Created on first use (getQueue); stop() closes it and clears this. */
  queue: JobQueue | null = null;
  /** Per job id: JobEvent; 'job:finished': the final row (JobsService.subscribe, onFinished). */
  readonly events = new EventEmitter();

  constructor(readonly ctx: AppContext) {
    this.events.setMaxListeners(0);
  }

  get db(): JobsDb {
    return this.ctx.db as unknown as JobsDb;
  }

  get log() {
    return this.ctx.logger;
  }

  get isPostgres(): boolean {
    return dialectOf(this.ctx.db) === 'postgres';
  }

  /** 'embedded' or 'bullmq', from config. */
  get queueKind(): 'embedded' | 'bullmq' {
    return this.ctx.config.redisUrl ? 'bullmq' : 'embedded';
  }

  nowIso(): string {
    return this.ctx.clock.now().toISOString();
  }

  handledTypes(): string[] {
    return [...this.ctx.jobHandlers.keys()];
  }

  async find(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  backoffMs(attempt: number): number {
    return Math.min(this.tuning.backoffBaseMs * 2 ** attempt, this.tuning.backoffMaxMs);
  }

  getQueue(): JobQueue {
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

  /** Tells the queue a row is queued. Failures are logged: the watchdog re-sends lost messages. */
  async announce(row: Pick<JobRow, 'id' | 'run_after'>): Promise<void> {
    if (this.stopping && this.queueKind === 'embedded') return;
    try {
      const runAt = new Date(row.run_after);
      // One BullMQ message per queued state of the row (run_after changes on every re-queue).
      await this.getQueue().enqueue(row.id, { runAt, key: `${row.id}.${runAt.getTime()}` });
    } catch (err) {
      this.log.error({ err, jobId: row.id }, 'could not enqueue job; the watchdog will retry');
    }
  }

  // ───────────────────────────── events ─────────────────────────────

  emit(jobId: string, e: JobEvent): void {
    this.events.emit(jobId, e);
  }

  finished(row: JobRow): void {
    this.ctx.metrics.jobsFinished.inc({ type: row.type, status: row.status });
    this.emit(row.id, { type: 'finished', job: row });
    try {
      this.events.emit('job:finished', row);
    } catch (err) {
      this.log.error({ err, jobId: row.id }, 'job finished listener failed');
    }
  }
}
