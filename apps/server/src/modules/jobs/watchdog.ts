import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { UpdateQueryBuilder, UpdateResult } from 'kysely';
import type { AppContext } from '../../app.js';
import type { Executor } from '../credits/service.js';
import type { JobsDatabase } from './db.js';
import type { JobsState } from './state.js';
import type { FinalStatus } from './types.js';

/**
 * Re-queues running rows whose lease expired (their worker died): with attempts left they go
 * back to queued after a backoff, otherwise they fail with `lease_expired` (refunded); rows
 * whose cancel was requested become canceled. In scale mode also re-sends queued rows whose
 * BullMQ message was lost. Runs at worker start-up and every watchdogMs.
 */
export async function runWatchdog(state: JobsState): Promise<{ requeued: number; failed: number; canceled: number; resent: number }> {
  const result = { requeued: 0, failed: 0, canceled: 0, resent: 0 };
  const now = state.ctx.clock.now();
  const nowIso = now.toISOString();
  const expired = await state.db
    .selectFrom('jobs')
    .selectAll()
    .where('status', '=', 'running')
    .where('lease_expires_at', '<', nowIso)
    .orderBy('lease_expires_at')
    .limit(200)
    .execute();
  for (const row of expired) {
    if (row.lease_owner === state.owner && state.active.has(row.id)) continue; // ours and alive
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
      const done = await state.db.transaction().execute(async (trx) => {
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
        await state.ctx.services.credits.refund(row.user_id, row.id, { db: trx as unknown as Executor });
        return true;
      });
      if (done) {
        if (cancel) result.canceled++;
        else result.failed++;
        const final = await state.find(row.id);
        if (final) state.finished(final);
      }
      continue;
    }
    const runAfter = new Date(now.getTime() + state.backoffMs(Number(row.attempts))).toISOString();
    const res = await guard(
      state.db.updateTable('jobs').set({
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
      state.log.warn({ jobId: row.id, previousOwner: row.lease_owner, runAfter }, 'job lease expired; re-queued');
      state.emit(row.id, { type: 'progress', progress: Number(row.progress), status: 'queued' });
      await state.announce({ id: row.id, run_after: runAfter });
    }
  }

  if (state.queueKind === 'bullmq') {
    const overdue = await state.db
      .selectFrom('jobs')
      .select(['id', 'run_after'])
      .where('status', '=', 'queued')
      .where('run_after', '<=', new Date(now.getTime() - state.tuning.resendAfterMs).toISOString())
      .where('type', 'in', state.handledTypes().length ? state.handledTypes() : ['\u0000'])
      .orderBy('run_after')
      .limit(500)
      .execute();
    for (const r of overdue) {
      await state.announce(r);
      result.resent++;
    }
  }
  return result;
}

/**
 * Removes per-attempt temp dirs left by processes that died mid-job (SIGKILL, OOM): their
 * names carry the owner's PID (TMP_PREFIX in attempt.ts). Runs when workers start. Returns how
 * many were removed.
 */
export async function sweepTempDirs(log: AppContext['logger']): Promise<number> {
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
  if (removed) log.info({ removed }, 'removed temp dirs of job attempts whose process died');
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
