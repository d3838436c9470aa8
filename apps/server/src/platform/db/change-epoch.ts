import { closeSync, openSync, readSync } from 'node:fs';
import type { Kysely } from 'kysely';

/**
 * "Has anything been committed to this SQLite database since I last looked?" — for one
 * syscall instead of a read transaction.
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
 * A header read while a writer is rewriting it differs from the last one (a new epoch: a miss),
 * or equals it (that commit is not published yet: readers would not see it either). The file is
 * held open from the first call; SQLite never removes it while our connection is open.
 *
 * null (no epoch, do not cache): PostgreSQL, `:memory:`, or a `-shm` file that cannot be read.
 */
export type ChangeEpoch = () => number | null;

const HEADER_BYTES = 48;
const epochs = new WeakMap<object, ChangeEpoch>();

/** connectDb: the epoch of a file-backed SQLite database (the main connection must be in WAL mode). */
export function registerChangeEpoch(db: Kysely<any>, file: string): () => void {
  let fd: number | null = null;
  let failed = false;
  let epoch = 0;
  let last = Buffer.alloc(HEADER_BYTES);
  let next = Buffer.alloc(HEADER_BYTES);
  const read: ChangeEpoch = () => {
    if (failed) return null;
    try {
      fd ??= openSync(`${file}-shm`, 'r');
      if (readSync(fd, next, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return null;
    } catch {
      failed = true;
      return null;
    }
    if (!next.equals(last)) {
      [last, next] = [next, last];
      epoch++;
    }
    return epoch;
  };
  epochs.set(db, read);
  return () => {
    failed = true;
    epochs.delete(db);
    if (fd !== null) closeSync(fd);
    fd = null;
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
