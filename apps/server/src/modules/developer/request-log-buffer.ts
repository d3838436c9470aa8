import { PackedRowBytes, type PackedBatch } from '../../platform/db/packed-rows.js';

/**
 * A batch is written after this long, or as soon as it holds FLUSH_ROWS rows. Each batch costs
 * the event loop a wake-up of the background thread (~40 µs on a VM) and, through its commit, one
 * re-read of every cached job row, and the background thread one commit. Batches of 1,000 cost
 * the background thread 7.5 µs a request against 8.5–8.8 µs for batches of 250 (alternating
 * rounds on a 2-CPU VM). Rows held as objects outlived V8's nursery and were copied and promoted
 * (then ~10 µs a request in garbage collection with the default 1 MB nursery); held as bytes
 * (PackedRowBytes) they are not on the V8 heap at all.
 */
export const FLUSH_INTERVAL_MS = 250;
export const FLUSH_ROWS = 1000;

/**
 * Collects request-log rows and writes them in batches, so an API request costs no database
 * write of its own (one batch of up to FLUSH_ROWS rows, committed once, replaces up to FLUSH_ROWS
 * commits). Rows are held packed (packed-rows.ts), as bytes outside the V8 heap, `perRun` to an
 * INSERT's parameter list.
 *
 * flush() writes everything added so far and resolves once it (and any earlier batch) is in the
 * database: GET /request_logs calls it so a caller sees its own requests, and the HTTP server's
 * onClose calls it so a clean shutdown loses nothing. Rows still buffered when a process dies
 * are lost (at most FLUSH_INTERVAL_MS worth).
 */
export class RequestLogBuffer {
  private readonly rows: PackedRowBytes;
  private timer: NodeJS.Timeout | null = null;
  /** The last batch written; batches are written one after another, in order. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (batch: PackedBatch) => Promise<void>,
    perRun: number,
    integerColumnsOf: (rowsInRun: number) => readonly number[],
  ) {
    this.rows = new PackedRowBytes(perRun, integerColumnsOf);
  }

  /** Adds a row: its fields packed and joined by TAB (packed-rows.ts). */
  add(packedRow: string): void {
    this.rows.add(packedRow);
    if (this.rows.size >= FLUSH_ROWS) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
      // Never keeps a process alive on its own: shutdown flushes explicitly.
      this.timer.unref();
    }
  }

  /** Writes every buffered row; resolves when they (and earlier batches) are stored. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.rows.size) {
      const batch = this.rows.take();
      this.writing = this.writing.then(() => this.write(batch));
    }
    return this.writing;
  }

  get size(): number {
    return this.rows.size;
  }
}
