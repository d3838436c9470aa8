import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from '../../app.js';
import { DomainError } from '../../platform/errors.js';
import { safeJson } from './api-view.js';
import type { JobRow } from './db.js';
import { PermanentJobError, type JobOutputSpec, type JobRunContext } from './handler.js';
import { mediaPort } from './media-port.js';
import { ProgressWriter, writeProgress } from './progress-writer.js';
import { settle, type OutputRecord, type Outcome } from './settle.js';
import type { ActiveAttempt, JobsState } from './state.js';

/** Per-attempt temp dirs: `clipmix-job-<pid>-<jobId>-XXXXXX` in the OS temp dir. */
const TMP_PREFIX = 'clipmix-job-';

/** Runs one attempt of a claimed row and settles it. Never throws. */
export async function executeAttempt(state: JobsState, row: JobRow): Promise<void> {
  const { ctx } = state;
  const handler = ctx.jobHandlers.get(row.type);
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
  state.active.set(row.id, attempt);
  const log = state.log.child({ jobId: row.id, jobType: row.type, attempt: row.attempts });
  state.emit(row.id, { type: 'progress', progress: Number(row.progress), status: 'running' });

  const outputs: OutputRecord[] = [];
  const releases: Array<() => Promise<void>> = [];
  const inputPaths = new Map<string, Promise<string>>();
  let provider = row.provider;
  let tmpDir: string | null = null;
  let outcome: Outcome;
  const progress = new ProgressWriter(
    (r, value) => writeProgress(state, r, value),
    row,
    state.tuning.progressWriteMs,
    (err) => log.warn({ err }, 'progress write failed'),
  );
  const heartbeat = startHeartbeat(state, attempt, log);

  try {
    if (!handler) throw new PermanentJobError('unknown_job_type', `No handler for job type ${row.type}.`);
    tmpDir = await mkdtemp(path.join(os.tmpdir(), `${TMP_PREFIX}${process.pid}-${row.id}-`));
    await removeOutputs(state, row, log); // leftovers of an earlier attempt
    const dir = tmpDir;
    const run: JobRunContext = {
      ctx,
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
            const h = await mediaPort(ctx, 'localPath')(row.user_id, fileId);
            releases.push(() => h.release());
            return h.path;
          })();
          inputPaths.set(fileId, p);
        }
        return p;
      },
      addOutput: (spec) => addOutput(state, row, attempt, spec, outputs),
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
    state.active.delete(row.id);
  }

  try {
    await settle(state, row, attempt, outcome, outputs, provider, log);
  } catch (err) {
    // The lease will expire and the watchdog re-queues the row.
    log.error({ err }, 'settling the job failed');
  }
}

async function addOutput(
  state: JobsState,
  row: JobRow,
  attempt: ActiveAttempt,
  spec: JobOutputSpec,
  outputs: OutputRecord[],
): Promise<string> {
  attempt.controller.signal.throwIfAborted();
  const size = (await stat(spec.path)).size;
  const mine = await state.db
    .selectFrom('jobs')
    .select('id')
    .where('id', '=', row.id)
    .where('lease_owner', '=', state.owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (!mine) {
    attempt.abort('lease_lost');
    attempt.controller.signal.throwIfAborted();
  }
  const fileId = await mediaPort(state.ctx, 'createFromLocalFile')({ ...spec, userId: row.user_id, jobId: row.id });
  try {
    await state.db.insertInto('job_files').values({ job_id: row.id, file_id: fileId, direction: 'output', role: spec.role }).execute();
  } catch (err) {
    // The job was deleted meanwhile: do not leave the file behind.
    await mediaPort(state.ctx, 'deleteFile')(row.user_id, fileId).catch(() => undefined);
    throw err;
  }
  outputs.push({ file: fileId, role: spec.role, size });
  return fileId;
}

/** Deletes output files recorded for a job (before a new attempt writes its own). */
async function removeOutputs(state: JobsState, row: JobRow, log: AppContext['logger']): Promise<void> {
  const old = await state.db
    .selectFrom('job_files')
    .select('file_id')
    .where('job_id', '=', row.id)
    .where('direction', '=', 'output')
    .execute();
  if (!old.length) return;
  const deleteFile = mediaPort(state.ctx, 'deleteFile');
  for (const { file_id } of old) {
    await deleteFile(row.user_id, file_id).catch((err) => {
      if (!(err instanceof DomainError && err.status === 404)) log.warn({ err, fileId: file_id }, 'removing an old output failed');
    });
  }
  await state.db.deleteFrom('job_files').where('job_id', '=', row.id).where('direction', '=', 'output').execute();
}

/**
 * Renews the attempt's lease every heartbeatMs and, between renewals, checks its row every
 * cancelPollMs: a cancel request or a lost lease aborts the attempt.
 */
function startHeartbeat(state: JobsState, attempt: ActiveAttempt, log: AppContext['logger']): { stop(): void } {
  const id = attempt.row.id;
  let lastRenew = Date.now();
  let busy = false;
  const tick = async () => {
    if (busy || attempt.reason) return;
    busy = true;
    try {
      const now = state.ctx.clock.now();
      if (Date.now() - lastRenew >= state.tuning.heartbeatMs) {
        const renewed = await state.db
          .updateTable('jobs')
          .set({ lease_expires_at: new Date(now.getTime() + state.tuning.leaseMs).toISOString(), updated_at: now.toISOString() })
          .where('id', '=', id)
          .where('lease_owner', '=', state.owner)
          .where('status', '=', 'running')
          .returning('cancel_requested')
          .executeTakeFirst();
        lastRenew = Date.now();
        if (!renewed) attempt.abort('lease_lost');
        else if (Number(renewed.cancel_requested)) attempt.abort('canceled');
      } else {
        const r = await state.db
          .selectFrom('jobs')
          .select(['cancel_requested', 'lease_owner', 'status'])
          .where('id', '=', id)
          .executeTakeFirst();
        if (!r || r.lease_owner !== state.owner || r.status !== 'running') attempt.abort('lease_lost');
        else if (Number(r.cancel_requested)) attempt.abort('canceled');
      }
    } catch (err) {
      log.warn({ err }, 'job heartbeat failed');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), Math.min(state.tuning.cancelPollMs, state.tuning.heartbeatMs));
  return { stop: () => clearInterval(timer) };
}
