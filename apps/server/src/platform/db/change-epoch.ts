import { closeSync, openSync, readSync } from 'node:fs';
import type { Kysely } from 'kysely';

/**
 * "Has anything been committed to this SQLite database since I last looked?" — for at most one
 * small read per CHANGE_EPOCH_REUSE_MS instead of a read transaction per query.
 *
 * In WAL mode every commit, by any connection of any process, publishes itself by rewriting
 * the wal-index header at the start of the `-shm` file (its change counter, frame count, salts
 * and checksums: https://sqlite.org/walformat.html#the_wal_index_file_format); a checkpoint
 * that restarts the WAL rewrites it too. SQLite's own readers compare that header to decide
 * whether their page cache is still good. `changeEpoch()` reads the same 48 bytes and returns a
 * number that goes up whenever they differ from the previous read, so a value cached under
 * epoch E is still what the database holds while `changeEpoch()` returns E. Reading the epoch
 * *before* the query that fills a cache entry keeps it conservative: a commit landing between
 * the two only makes the entry look older than it is.
 *
 * That read is a system call (~5–9 µs on a VM, a tenth of a small API request), so under load
 * one read serves every call for CHANGE_EPOCH_REUSE_MS:
 *  - this connection's own writes move the epoch at once: the statement cache reports every
 *    statement that may write or end a transaction (noteWrite), and the next call reads the
 *    header again and moves the epoch even if the header has not changed yet (an open
 *    transaction) — read-your-writes holds for every request of this process;
 *  - a commit by another connection or process is seen within CHANGE_EPOCH_REUSE_MS.
 *
 * A header read while a writer is rewriting it differs from the last one (a new epoch: a miss),
 * or equals it (that commit is not published yet: readers would not see it either). The file is
 * held open from the first call; SQLite never removes it while our connection is open.
 *
 * null (no epoch, do not cache): PostgreSQL, `:memory:`, or a `-shm` file that cannot be read.
 */
export type ChangeEpoch = () => number | null;

/**
 * How long one read of the wal-index header answers for commits made by other connections. At
 * 30k req/s a 1 ms window still cost ~0.3 µs a request in reads (CPU profile); 5 ms of delay in
 * seeing another process's commit is below what a polling client can tell from network jitter.
 */
export const CHANGE_EPOCH_REUSE_MS = 5;

const HEADER_BYTES = 48;
const epochs = new WeakMap<object, ChangeEpoch>();

export interface RegisteredEpoch {
  /** This connection ran a statement that may have written (or committed): the epoch moves. */
  noteWrite(): void;
  /** Stops reading (before the connection closes). */
  drop(): void;
}

/** connectDb: the epoch of a file-backed SQLite database (the main connection must be in WAL mode). */
export function registerChangeEpoch(db: Kysely<any>, file: string, now: () => number = () => performance.now()): RegisteredEpoch {
  let fd: number | null = null;
  let failed = false;
  let epoch = 0;
  let last = Buffer.alloc(HEADER_BYTES);
  let next = Buffer.alloc(HEADER_BYTES);
  let writes = 0;
  let seenWrites = 0;
  let readAt = -Infinity;
  const read: ChangeEpoch = () => {
    if (failed) return null;
    const t = now();
    if (writes === seenWrites && t - readAt < CHANGE_EPOCH_REUSE_MS) return epoch;
    const wrote = writes !== seenWrites;
    try {
      fd ??= openSync(`${file}-shm`, 'r');
      if (readSync(fd, next, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return null;
    } catch {
      failed = true;
      return null;
    }
    seenWrites = writes;
    readAt = t;
    if (!next.equals(last)) {
      [last, next] = [next, last];
      epoch++;
    } else if (wrote) {
      epoch++;
    }
    return epoch;
  };
  epochs.set(db, read);
  return {
    noteWrite: () => void writes++,
    drop: () => {
      failed = true;
      epochs.delete(db);
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** The change epoch of `db`, or null where there is none (then read the database every time). */
export function changeEpochOf(db: Kysely<any>): ChangeEpoch | null {
  return epochs.get(db) ?? null;
}

/**
 * A small map of values that stay valid while the database's change epoch does not move: any
 * commit anywhere empties it in effect. Bounded: the oldest entries go first.
 */
export class EpochCache<V> {
  private readonly entries = new Map<string, { epoch: number; value: V }>();

  constructor(private readonly max = 1000) {}

  get(key: string, epoch: number): V | undefined {
    const e = this.entries.get(key);
    return e && e.epoch === epoch ? e.value : undefined;
  }

  set(key: string, epoch: number, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { epoch, value });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}
