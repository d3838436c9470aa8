import type { AppContext } from '../../app.js';
import { DomainError, badRequest } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { JOB_CHARGE_REASON, type Executor } from '../credits/service.js';
import type { JobsDb, JobRow } from './db.js';

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

/**
 * Inserts a queued job: refuses unknown types (400 unknown_job_type), checks the input files are
 * the user's, charges the price in the same transaction as the insert (402 insufficient_credits
 * → no row) and records the input files. Returns the new row.
 */
export async function insertJob(ctx: AppContext, o: CreateJobOptions): Promise<JobRow> {
  const handler = ctx.jobHandlers.get(o.type);
  if (!handler) throw badRequest('unknown_job_type', `Unknown job type "${o.type}".`);
  if (o.input !== undefined && (o.input === null || typeof o.input !== 'object' || Array.isArray(o.input))) {
    throw new TypeError('job input must be a JSON object');
  }
  const livemode = o.livemode ?? true;
  const price = livemode ? (o.price ?? ctx.services.credits.priceOf(o.type)) : 0;
  if (!Number.isInteger(price) || price < 0) throw new Error(`invalid price ${price} for job type ${o.type}`);

  const now = ctx.clock.now().toISOString();
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
    max_attempts: ctx.config.jobMaxAttempts,
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

  await (ctx.db as unknown as JobsDb).transaction().execute(async (trx) => {
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
    await ctx.services.credits.charge(o.userId, price, {
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
  return row;
}
