import { sql } from 'kysely';
import type { AppContext } from '../../app.js';
import type { Executor } from '../credits/service.js';
import type { JobRow } from './db.js';
import { PermanentJobError } from './handler.js';
import type { ActiveAttempt, JobsState } from './state.js';
import type { FinalStatus } from './types.js';

export interface OutputRecord {
  file: string;
  role: string;
  size: number;
}

export type Outcome = { ok: true } | { ok: false; err: unknown };

const ERROR_MESSAGE_MAX = 500;

/**
 * Records how an attempt ended: succeeded; back to the queue (shutdown, or a retryable error
 * with attempts left, after a backoff); canceled; or failed. A lost lease leaves the row alone.
 */
export async function settle(
  state: JobsState,
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
    await finish(state, row, 'succeeded', {
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
    const now = state.nowIso();
    const res = await state.db
      .updateTable('jobs')
      .set({ status: 'queued', attempts: sql<number>`attempts - 1`, lease_owner: null, lease_expires_at: null, run_after: now, updated_at: now })
      .where('id', '=', row.id)
      .where('lease_owner', '=', state.owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) {
      log.info('job interrupted by shutdown; re-queued');
      state.emit(row.id, { type: 'progress', progress: Number(row.progress), status: 'queued' });
      await state.announce({ ...row, run_after: now });
    }
    return;
  }
  let cancelRequested = attempt.reason === 'canceled';
  if (!cancelRequested) {
    const cur = await state.find(row.id);
    cancelRequested = !!cur && Number(cur.cancel_requested) === 1;
  }
  if (cancelRequested) {
    await finish(state, row, 'canceled', { provider });
    return;
  }
  const message = errorMessage(err);
  if (err instanceof PermanentJobError) {
    log.info({ code: err.code }, `job failed: ${message}`);
    await finish(state, row, 'failed', { error_code: err.code, error_message: message, provider });
    return;
  }
  if (Number(row.attempts) >= Number(row.max_attempts)) {
    log.warn({ err }, 'job failed after its last attempt');
    await finish(state, row, 'failed', { error_code: 'job_failed', error_message: message, provider });
    return;
  }
  const now = state.ctx.clock.now();
  const runAfter = new Date(now.getTime() + state.backoffMs(Number(row.attempts))).toISOString();
  log.warn({ err, runAfter }, 'job attempt failed; will retry');
  const res = await state.db
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
    .where('lease_owner', '=', state.owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 1) {
    state.emit(row.id, { type: 'progress', progress: Number(row.progress), status: 'queued' });
    await state.announce({ ...row, run_after: runAfter });
  }
}

/** Moves a row this process holds to a final state; refunds failed and canceled jobs. */
async function finish(
  state: JobsState,
  row: JobRow,
  status: FinalStatus,
  fields: Partial<Pick<JobRow, 'progress' | 'output' | 'output_size_bytes' | 'error_code' | 'error_message' | 'provider'>>,
): Promise<boolean> {
  const now = state.nowIso();
  const done = await state.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('jobs')
      .set({ ...fields, status, finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null })
      .where('id', '=', row.id)
      .where('lease_owner', '=', state.owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    if (status !== 'succeeded') await state.ctx.services.credits.refund(row.user_id, row.id, { db: trx as unknown as Executor });
    return true;
  });
  if (done) {
    const final = await state.find(row.id);
    if (final) state.finished(final);
  }
  return done;
}

function errorMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const oneLine = msg.replace(/\s+/g, ' ').trim() || 'The job failed.';
  return oneLine.length > ERROR_MESSAGE_MAX ? `${oneLine.slice(0, ERROR_MESSAGE_MAX - 1)}…` : oneLine;
}
