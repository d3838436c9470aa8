import type { JobRow } from './db.js';
import type { JobsState } from './state.js';

/**
 * Writes a running attempt's progress, only upwards and only while this process holds the
 * lease, and tells in-process subscribers.
 */
export async function writeProgress(state: JobsState, row: JobRow, value: number): Promise<void> {
  await state.db
    .updateTable('jobs')
    .set({ progress: value, updated_at: state.nowIso() })
    .where('id', '=', row.id)
    .where('lease_owner', '=', state.owner)
    .where('status', '=', 'running')
    .where('progress', '<', value)
    .execute();
  state.emit(row.id, { type: 'progress', progress: value, status: 'running' });
}

/** Throttles progress writes (at most one per interval) and never lets progress go backwards. */
export class ProgressWriter {
  private current: number;
  private written: number;
  private lastWrite = 0;
  private timer: NodeJS.Timeout | null = null;
  private pending: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly writeValue: (row: JobRow, value: number) => Promise<void>,
    private readonly row: JobRow,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.current = Number(row.progress) || 0;
    this.written = this.current;
  }

  report(fraction: number): void {
    if (this.closed || typeof fraction !== 'number' || !Number.isFinite(fraction)) return;
    const f = Math.min(1, Math.max(0, fraction));
    if (f <= this.current) return;
    this.current = f;
    if (this.timer) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.write(), wait);
  }

  private write(): void {
    this.timer = null;
    const v = this.current;
    if (v <= this.written) return;
    this.written = v;
    this.lastWrite = Date.now();
    this.pending = this.pending.then(() => this.writeValue(this.row, v)).catch(this.onError);
  }

  /** Writes the last reported value now; later reports are ignored (the attempt is over). */
  async flush(): Promise<void> {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.write();
    }
    await this.pending;
  }
}
