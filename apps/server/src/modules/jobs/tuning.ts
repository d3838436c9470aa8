/** Timings of the worker. Defaults suit production; tests shorten them with configure(). */
export interface JobsTuning {
  /** A claimed row belongs to its worker until this long after the last heartbeat. */
  leaseMs: number;
  /** Lease renewal interval. */
  heartbeatMs: number;
  /** How often a running attempt checks its row for a cancel request (other processes). */
  cancelPollMs: number;
  /** Idle embedded slots look for due rows this often. */
  pollMs: number;
  /** Watchdog interval: expired leases, lost BullMQ messages. */
  watchdogMs: number;
  /** Progress is written at most once per this interval (≤ 4 writes/s). */
  progressWriteMs: number;
  /** Retry backoff: base · 2^attempt, capped. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** BullMQ mode: a queued row overdue by this long is sent again (lost message). */
  resendAfterMs: number;
  /** BullMQ key prefix and queue name. */
  queuePrefix: string;
  queueName: string;
  /** stop() waits this long for aborted handlers; rows still held then are left to the watchdog. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_TUNING: JobsTuning = {
  leaseMs: 30_000,
  heartbeatMs: 10_000,
  cancelPollMs: 1_000,
  pollMs: 500,
  watchdogMs: 15_000,
  progressWriteMs: 250,
  backoffBaseMs: 1_000,
  backoffMaxMs: 10 * 60_000,
  resendAfterMs: 15_000,
  queuePrefix: 'clipmix',
  queueName: 'jobs',
  shutdownTimeoutMs: 30_000,
};
