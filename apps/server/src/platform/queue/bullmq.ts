import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Deliver, EnqueueOptions, JobQueue } from './types.js';

export interface BullQueueOptions {
  redisUrl: string;
  /** Redis key prefix (BullMQ `prefix`); tests use a unique one per run. */
  prefix: string;
  /** Queue name; must not contain ':'. */
  name: string;
  onError?: (err: unknown) => void;
}

interface Payload {
  jobId: string;
}

/**
 * BullMQ on Redis carries job ids to `clipmix worker` processes. BullMQ's own retries are off
 * (attempts live in the job row); finished BullMQ jobs are removed so a re-queued row can be
 * sent again under a new key.
 */
export class BullQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private queue: Queue<Payload> | null = null;
  private worker: Worker<Payload> | null = null;
  private connections: Redis[] = [];
  private closed = false;

  constructor(private readonly opts: BullQueueOptions) {}

  private connect(): Redis {
    // BullMQ needs maxRetriesPerRequest: null for blocking commands.
    const c = new Redis(this.opts.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    c.on('error', (err) => this.opts.onError?.(err));
    this.connections.push(c);
    return c;
  }

  private getQueue(): Queue<Payload> {
    if (this.closed) throw new Error('the job queue is closed');
    if (!this.queue) {
      this.queue = new Queue<Payload>(this.opts.name, { connection: this.connect(), prefix: this.opts.prefix });
      this.queue.on('error', (err) => this.opts.onError?.(err));
    }
    return this.queue;
  }

  async enqueue(jobId: string, opts: EnqueueOptions = {}): Promise<void> {
    const delay = opts.runAt ? Math.max(0, opts.runAt.getTime() - Date.now()) : 0;
    await this.getQueue().add(
      'run',
      { jobId },
      { jobId: opts.key ?? jobId, delay, attempts: 1, removeOnComplete: true, removeOnFail: true },
    );
  }

  async start(concurrency: number, deliver: Deliver): Promise<void> {
    if (this.closed) throw new Error('the job queue is closed');
    if (this.worker) throw new Error('the BullMQ worker is already running');
    this.worker = new Worker<Payload>(
      this.opts.name,
      async (job) => {
        await deliver(job.data.jobId);
      },
      { connection: this.connect(), prefix: this.opts.prefix, concurrency },
    );
    this.worker.on('error', (err) => this.opts.onError?.(err));
    await this.worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stop();
    const q = this.queue;
    this.queue = null;
    if (q) await q.close();
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
    this.connections = [];
  }
}
