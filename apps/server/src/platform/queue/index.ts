import { BullQueue } from './bullmq.js';
import { EmbeddedQueue } from './embedded.js';
import type { JobQueue } from './types.js';

export type { Deliver, EnqueueOptions, JobQueue } from './types.js';
export { BullQueue } from './bullmq.js';
export { EmbeddedQueue } from './embedded.js';

export interface QueueSettings {
  /** Set → BullMQ on Redis; unset → the embedded database-polling queue. */
  redisUrl?: string;
  prefix: string;
  name: string;
  pollMs: number;
  onError?: (err: unknown) => void;
}

export function createJobQueue(s: QueueSettings): JobQueue {
  if (s.redisUrl) return new BullQueue({ redisUrl: s.redisUrl, prefix: s.prefix, name: s.name, onError: s.onError });
  return new EmbeddedQueue({ pollMs: s.pollMs, onError: s.onError });
}
