import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { AppContext } from '../../app.js';
import { DAY_MS, HOUR_MS } from '../../platform/clock.js';
import { runRetention, startDailyRetention, type PurgeCounts } from './retention.js';

export const RETENTION_QUEUE = 'retention';
export const RETENTION_SCHEDULER_ID = 'daily-retention';
/** A run holding the lock longer than this is presumed dead; the next one may start. */
const LOCK_TTL_MS = 6 * HOUR_MS;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface RetentionScheduler {
  readonly kind: 'embedded' | 'bullmq';
  stop(): Promise<void>;
}

/**
 * Runs `runRetention` under a Redis lock (SET NX PX): when a run is already going anywhere, this
 * one returns null instead of running twice at once.
 */
export async function runRetentionLocked(ctx: AppContext, redis: Redis, lockKey: string): Promise<PurgeCounts | null> {
  const token = randomBytes(16).toString('hex');
  if ((await redis.set(lockKey, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') return null;
  try {
    return await runRetention(ctx);
  } finally {
    await redis.eval(RELEASE, 1, lockKey, token);
  }
}

/**
 * The daily retention run. Embedded (no REDIS_URL): a timer in this process. Scale mode: one
 * BullMQ job scheduler (upsertJobScheduler is idempotent, so every process may call it and there
 * is still one schedule), processed by whichever process's worker takes it, under a lock.
 */
export async function startRetentionScheduler(
  ctx: AppContext,
  opts: { everyMs?: number; onRun?: (counts: PurgeCounts | null) => void } = {},
): Promise<RetentionScheduler> {
  if (!ctx.config.redisUrl) {
    const stop = startDailyRetention(ctx);
    return { kind: 'embedded', stop: async () => stop() };
  }
  const prefix = ctx.services.jobs.settings.queuePrefix;
  const connections: Redis[] = [];
  const connection = () => {
    const c = new Redis(ctx.config.redisUrl!, { maxRetriesPerRequest: null });
    c.on('error', (err) => ctx.logger.warn({ err }, 'retention scheduler: redis error'));
    connections.push(c);
    return c;
  };
  const lockRedis = connection();
  const queue = new Queue(RETENTION_QUEUE, { connection: connection(), prefix });
  await queue.upsertJobScheduler(
    RETENTION_SCHEDULER_ID,
    { every: opts.everyMs ?? DAY_MS },
    { name: 'run', opts: { removeOnComplete: 10, removeOnFail: 10, attempts: 1 } },
  );
  const worker = new Worker(
    RETENTION_QUEUE,
    async () => {
      const counts = await runRetentionLocked(ctx, lockRedis, `${prefix}:retention:lock`);
      ctx.logger.info({ counts }, counts ? 'retention purge finished' : 'retention purge skipped: another run holds the lock');
      opts.onRun?.(counts);
      return counts;
    },
    { connection: connection(), prefix, concurrency: 1 },
  );
  const onError = (err: unknown) => ctx.logger.error({ err }, 'retention scheduler error');
  queue.on('error', onError);
  worker.on('error', onError);
  worker.on('failed', (_job, err) => ctx.logger.error({ err }, 'retention purge failed'));
  return {
    kind: 'bullmq',
    async stop() {
      await worker.close();
      await queue.close();
      for (const c of connections) c.disconnect();
    },
  };
}
