import { sql } from 'kysely';
import type { JobRow } from './db.js';
import { executeAttempt } from './attempt.js';
import type { JobsState } from './state.js';
import { JOB_TYPES } from './types.js';
import { runWatchdog, sweepTempDirs } from './watchdog.js';

/**
 * The worker side of one JobsService: job slots fed by the queue, atomic claims of due rows,
 * the attempts in flight, the periodic watchdog and the graceful stop.
 */
export class JobRunner {
  private readonly inFlight = new Set<Promise<void>>();
  private workers = 0;
  private watchdogTimer: NodeJS.Timeout | null = null;
  private watchdogRun: Promise<unknown> | null = null;

  constructor(private readonly state: JobsState) {}

  /** Throws when a declared product job type (types.ts) has no handler. */
  assertHandlers(types: readonly string[] = JOB_TYPES): void {
    const missing = types.filter((t) => !this.state.ctx.jobHandlers.has(t));
    if (missing.length) {
      throw new Error(
        `cannot start job workers: no handler registered for job type${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
          `(declared in modules/jobs/types.ts; register it in its module's jobHandlers)`,
      );
    }
  }

  async start(count: number): Promise<void> {
    if (count <= 0) return;
    this.assertHandlers();
    if (this.workers > 0) throw new Error('job workers are already running in this process');
    const { state } = this;
    const log = state.log;
    state.stopping = false;
    this.workers = count;
    await sweepTempDirs(log).catch((err) => log.warn({ err }, 'sweeping stale job temp dirs failed'));
    await runWatchdog(state).catch((err) => log.error({ err }, 'job watchdog failed'));
    this.watchdogTimer = setInterval(() => {
      if (this.watchdogRun) return;
      this.watchdogRun = runWatchdog(state)
        .catch((err) => log.error({ err }, 'job watchdog failed'))
        .finally(() => {
          this.watchdogRun = null;
        });
    }, state.tuning.watchdogMs);
    await state.getQueue().start(count, (jobId) => this.deliver(jobId));
    log.info({ slots: count, queue: state.queueKind, owner: state.owner }, 'job workers started');
  }

  async stop(): Promise<void> {
    const { state } = this;
    state.stopping = true;
    if (this.watchdogTimer) clearInterval(this.watchdogTimer);
    this.watchdogTimer = null;
    for (const a of state.active.values()) a.abort('shutdown');
    const queue = state.queue;
    const waited = await withTimeout(
      (async () => {
        if (queue) await queue.stop().catch((err) => state.log.error({ err }, 'stopping the job queue failed'));
        await Promise.allSettled([...this.inFlight]);
        await this.watchdogRun?.catch(() => undefined);
      })(),
      state.tuning.shutdownTimeoutMs,
    );
    if (!waited) state.log.warn({ jobs: [...state.active.keys()] }, 'job handlers did not stop in time; their leases will expire');
    state.queue = null;
    if (queue) await queue.close().catch((err) => state.log.error({ err }, 'closing the job queue failed'));
    this.workers = 0;
  }

  async runOnce(): Promise<boolean> {
    if (this.state.stopping) return false;
    const row = await this.claimNext();
    if (!row) return false;
    await this.track(executeAttempt(this.state, row));
    return true;
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  private async deliver(jobId: string | null): Promise<boolean> {
    const { state } = this;
    if (state.stopping) return false;
    let row = jobId ? await this.claimById(jobId) : await this.claimNext();
    if (!row && jobId) {
      // A BullMQ delay can end slightly before the row's run_after (clock skew): wait it out.
      const r = await state.find(jobId);
      const wait = r && r.status === 'queued' ? Date.parse(r.run_after) - state.ctx.clock.now().getTime() : 0;
      if (wait > 0 && wait < 30_000) {
        await sleep(wait + 5);
        if (!state.stopping) row = await this.claimById(jobId);
      }
    }
    if (!row) return false;
    await this.track(executeAttempt(state, row));
    return true;
  }

  private claimSet(now: Date) {
    const nowIso = now.toISOString();
    return {
      status: 'running' as const,
      lease_owner: this.state.owner,
      lease_expires_at: new Date(now.getTime() + this.state.tuning.leaseMs).toISOString(),
      attempts: sql<number>`attempts + 1`,
      started_at: sql<string>`coalesce(started_at, ${nowIso})`,
      updated_at: nowIso,
    };
  }

  /** Atomically claims the oldest due queued row of a type this process can run. */
  private async claimNext(): Promise<JobRow | undefined> {
    const { state } = this;
    const types = state.handledTypes();
    if (!types.length) return undefined;
    const now = state.ctx.clock.now();
    const nowIso = now.toISOString();
    const pg = state.isPostgres;
    return state.db
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
    const { state } = this;
    const types = state.handledTypes();
    const now = state.ctx.clock.now();
    return state.db
      .updateTable('jobs')
      .set(this.claimSet(now))
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('run_after', '<=', now.toISOString())
      .where('type', 'in', types.length ? types : ['\u0000'])
      .returningAll()
      .executeTakeFirst();
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
