import type { Deliver, EnqueueOptions, JobQueue } from './types.js';

export interface EmbeddedQueueOptions {
  /** How often an idle slot looks at the database for due rows (other processes, backoffs). */
  pollMs: number;
  onError?: (err: unknown) => void;
}

/**
 * In-process slots that each claim due rows from the database. enqueue() only wakes idle slots
 * of this process; rows created by other processes are found by polling.
 */
export class EmbeddedQueue implements JobQueue {
  readonly kind = 'embedded' as const;
  private running = false;
  private loops: Promise<void>[] = [];
  private sleepers = new Set<() => void>();
  private timers = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: EmbeddedQueueOptions) {}

  async enqueue(_jobId: string, opts: EnqueueOptions = {}): Promise<void> {
    const delay = opts.runAt ? opts.runAt.getTime() - Date.now() : 0;
    if (delay > 0 && delay < 60_000 && this.running) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.wake();
      }, delay);
      t.unref();
      this.timers.add(t);
    } else {
      this.wake();
    }
  }

  async start(concurrency: number, deliver: Deliver): Promise<void> {
    if (this.running) throw new Error('the embedded queue is already consuming');
    this.running = true;
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop(deliver));
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  async close(): Promise<void> {
    await this.stop();
  }

  /** Wakes every idle slot. */
  wake(): void {
    const sleepers = [...this.sleepers];
    this.sleepers.clear();
    for (const s of sleepers) s();
  }

  private async loop(deliver: Deliver): Promise<void> {
    while (this.running) {
      let ran = false;
      try {
        ran = await deliver(null);
      } catch (err) {
        this.opts.onError?.(err);
      }
      if (!ran && this.running) await this.sleep(this.opts.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.sleepers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}
