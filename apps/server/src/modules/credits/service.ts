import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../../app.js';
import type { Cursor } from '../../platform/db/paginate.js';
import { paginate } from '../../platform/db/paginate.js';
import type { Database, Row } from '../../platform/db/schema.js';
import { badRequest, notFound, paymentRequired } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { DEFAULT_PRICES, parsePriceOverrides } from './prices.js';

/** A database handle or an open transaction; credit operations join the caller's transaction. */
export type Executor = Kysely<Database>;

export type LedgerRow = Row<'credit_ledger'>;

export interface CreditTransaction {
  object: 'credit_transaction';
  id: string;
  delta: number;
  balance_after: number;
  reason: string;
  job_id: string | null;
  created_at: string;
}

export interface CreditsOptions {
  /** Per-type price overrides on top of prices.ts. */
  prices?: Record<string, number>;
}

/** Ledger reasons written by the jobs service. */
export const JOB_CHARGE_REASON = 'job_charge';
export const JOB_REFUND_REASON = 'job_refund';

/**
 * The credit ledger (F14): a balance column on users that can never go negative (checked by
 * a conditional UPDATE and by a CHECK constraint) and an append-only ledger with balance_after.
 * Every change is one transaction: balance update + ledger row.
 */
export class CreditsService {
  private prices: Record<string, number>;

  constructor(
    private readonly ctx: AppContext,
    opts: CreditsOptions = {},
  ) {
    const fromConfig = ctx.config.prices;
    this.prices = { ...DEFAULT_PRICES, ...parsePriceOverrides(fromConfig), ...parsePriceOverrides(opts.prices) };
  }

  /** Replaces price overrides (on top of the defaults). */
  setPrices(overrides: Record<string, number>): void {
    this.prices = { ...this.prices, ...parsePriceOverrides(overrides) };
  }

  /** Credits a job of this type costs; test-mode (livemode=false) jobs cost nothing. */
  priceOf(type: string, opts: { livemode?: boolean } = {}): number {
    if (opts.livemode === false) return 0;
    return this.prices[type] ?? 0;
  }

  /** Adds credits (purchase, bonus, coupon, starter credits). */
  async grant(userId: string, amount: number, reason: string, opts: { db?: Executor; jobId?: string | null } = {}): Promise<CreditTransaction> {
    checkAmount(amount);
    if (amount === 0) throw badRequest('invalid_amount', 'A grant must be at least 1 credit.');
    return this.inTransaction(opts.db, async (trx) => {
      const updated = await trx
        .updateTable('users')
        .set({ credits_balance: sql<number>`credits_balance + ${amount}` })
        .where('id', '=', userId)
        .returning('credits_balance')
        .executeTakeFirst();
      if (!updated) throw notFound('user');
      return this.record(trx, userId, amount, updated.credits_balance, reason, opts.jobId ?? null);
    });
  }

  /**
   * Takes credits if the balance covers them, atomically: a conditional UPDATE (so concurrent
   * charges can never overdraw) and a ledger row in one transaction. 402 `insufficient_credits`
   * otherwise. A charge of 0 records nothing and returns null.
   */
  async charge(
    userId: string,
    amount: number,
    opts: { reason: string; jobId?: string | null; db?: Executor },
  ): Promise<CreditTransaction | null> {
    checkAmount(amount);
    if (amount === 0) return null;
    return this.inTransaction(opts.db, async (trx) => {
      const updated = await trx
        .updateTable('users')
        .set({ credits_balance: sql<number>`credits_balance - ${amount}` })
        .where('id', '=', userId)
        .where('credits_balance', '>=', amount)
        .returning('credits_balance')
        .executeTakeFirst();
      if (!updated) {
        const user = await trx.selectFrom('users').select('credits_balance').where('id', '=', userId).executeTakeFirst();
        if (!user) throw notFound('user');
        throw paymentRequired(`This costs ${amount} credits but the balance is ${user.credits_balance}.`);
      }
      return this.record(trx, userId, -amount, updated.credits_balance, opts.reason, opts.jobId ?? null);
    });
  }

  /**
   * Gives back whatever a job has been charged and not yet refunded (its ledger rows' net).
   * Idempotent: a second call finds a net of zero and records nothing. Returns the amount.
   */
  async refund(userId: string, jobId: string, opts: { db?: Executor; reason?: string } = {}): Promise<number> {
    return this.inTransaction(opts.db, async (trx) => {
      // Lock the user's row first (row lock on PostgreSQL, the write lock on SQLite) so two
      // concurrent refunds of the same job serialise and the second sees the first's ledger row.
      const locked = await trx
        .updateTable('users')
        .set({ credits_balance: sql<number>`credits_balance` })
        .where('id', '=', userId)
        .returning('credits_balance')
        .executeTakeFirst();
      if (!locked) return 0;
      const net = await trx
        .selectFrom('credit_ledger')
        .select(sql<number>`coalesce(sum(delta), 0)`.as('net'))
        .where('user_id', '=', userId)
        .where('job_id', '=', jobId)
        .executeTakeFirstOrThrow();
      const owed = -Number(net.net);
      if (owed <= 0) return 0;
      const updated = await trx
        .updateTable('users')
        .set({ credits_balance: sql<number>`credits_balance + ${owed}` })
        .where('id', '=', userId)
        .returning('credits_balance')
        .executeTakeFirstOrThrow();
      await this.record(trx, userId, owed, updated.credits_balance, opts.reason ?? JOB_REFUND_REASON, jobId);
      return owed;
    });
  }

  /** Net credits a job holds right now (charged minus refunded). */
  async heldBy(userId: string, jobId: string, db: Executor = this.ctx.db): Promise<number> {
    const net = await db
      .selectFrom('credit_ledger')
      .select(sql<number>`coalesce(sum(delta), 0)`.as('net'))
      .where('user_id', '=', userId)
      .where('job_id', '=', jobId)
      .executeTakeFirstOrThrow();
    return -Number(net.net);
  }

  async balance(userId: string): Promise<number> {
    const user = await this.ctx.db.selectFrom('users').select('credits_balance').where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound('user');
    return Number(user.credits_balance);
  }

  /** The user's ledger, newest first (Stripe pagination). */
  async ledger(userId: string, cursor: Cursor): Promise<{ data: CreditTransaction[]; hasMore: boolean }> {
    const db = this.ctx.db;
    const { rows, hasMore } = await paginate(
      db.selectFrom('credit_ledger').selectAll().where('credit_ledger.user_id', '=', userId),
      'credit_ledger',
      cursor,
      (id) =>
        db.selectFrom('credit_ledger').select(['id', 'created_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst(),
    );
    return { data: rows.map((r) => this.toApi(r)), hasMore };
  }

  toApi(r: LedgerRow): CreditTransaction {
    return {
      object: 'credit_transaction',
      id: r.id,
      delta: Number(r.delta),
      balance_after: Number(r.balance_after),
      reason: r.reason,
      job_id: r.job_id,
      created_at: r.created_at,
    };
  }

  private async record(
    trx: Executor,
    userId: string,
    delta: number,
    balanceAfter: number,
    reason: string,
    jobId: string | null,
  ): Promise<CreditTransaction> {
    const row: LedgerRow = {
      id: newId('txn'),
      user_id: userId,
      delta,
      balance_after: Number(balanceAfter),
      reason,
      job_id: jobId,
      created_at: this.ctx.clock.now().toISOString(),
    };
    await trx.insertInto('credit_ledger').values(row).execute();
    return this.toApi(row);
  }

  private inTransaction<T>(db: Executor | undefined, fn: (trx: Executor) => Promise<T>): Promise<T> {
    const exec = db ?? this.ctx.db;
    if (exec.isTransaction) return fn(exec);
    return exec.transaction().execute(fn);
  }
}

function checkAmount(amount: number): void {
  if (!Number.isInteger(amount) || amount < 0) throw badRequest('invalid_amount', 'Credit amounts are non-negative whole numbers.');
}
