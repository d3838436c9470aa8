/**
 * The job queue carries job ids only; the `jobs` row is the truth (status, attempts, lease).
 * Two implementations, chosen once from config by the jobs service:
 *  - embedded: in-process slots poll the database (any number of processes may share it);
 *  - bullmq:   ids travel through Redis to any number of `clipmix worker` processes.
 */
export interface EnqueueOptions {
  /** Not before this time (a retry's backoff). Default: now. */
  runAt?: Date;
  /**
   * Dedupe key of this delivery: adding the same key twice while the first is still waiting is a
   * no-op (BullMQ job id). Must not contain ':'. Default: the job id.
   */
  key?: string;
}

/**
 * Runs one delivery. `jobId` is the id carried by the queue, or null for the embedded queue,
 * which asks "claim any due row". Resolves true when a job was run (the embedded slot then
 * asks again at once), false when there was nothing to do (it sleeps until woken or polled).
 */
export type Deliver = (jobId: string | null) => Promise<boolean>;

export interface JobQueue {
  readonly kind: 'embedded' | 'bullmq';
  /** Announces a queued row. Never the source of truth: a lost message is re-sent by the watchdog. */
  enqueue(jobId: string, opts?: EnqueueOptions): Promise<void>;
  /** Starts `concurrency` consumer slots in this process. */
  start(concurrency: number, deliver: Deliver): Promise<void>;
  /** Stops taking deliveries and waits for the ones in flight. */
  stop(): Promise<void>;
  /** Stops and releases connections. Idempotent. */
  close(): Promise<void>;
}
