import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database as BetterSqlite } from 'better-sqlite3';
import { unpackRows, type PackedRuns } from './packed-rows.js';

/**
 * WAL checkpoints off the event loop.
 *
 * In WAL mode SQLite appends every commit to the `-wal` file and, by default, the connection
 * whose commit takes the WAL past 1,000 pages copies it back into the database file right there,
 * synchronously, with two fsyncs — a stall of tens of milliseconds on the event loop every few
 * thousand API requests (request logs are written in batches, but they are still writes).
 *
 * Here one worker thread per process (shared by every SQLite database the process opens) keeps
 * its own connection to each database and runs `PRAGMA wal_checkpoint(PASSIVE)` every
 * CHECKPOINT_INTERVAL_MS: it copies what no reader still needs and never waits for, or blocks,
 * readers and writers. Once the worker has the database open, the main connection's automatic
 * checkpoint threshold is raised to SAFETY_NET_PAGES, so it only ever checkpoints by itself if
 * the worker has stopped (the WAL then stays bounded as before). If the worker fails, the
 * default threshold is restored.
 *
 * The same thread also runs background writes (`BackgroundWriter`): statements whose result
 * nobody waits for on a request's path, such as the batched request-log INSERTs (~15 µs a row of
 * B-tree work that would otherwise run on the event loop). They use a second connection of the
 * worker's, with a busy timeout and foreign keys on like the main one; until the thread has the
 * database open, or once it has failed, `write` rejects with BackgroundUnavailable and the caller
 * writes on its own connection.
 *
 * Nothing changes for `:memory:` databases, and short-lived processes (CLI commands) never start
 * the worker: it starts START_DELAY_MS after the first database is opened.
 */
export const CHECKPOINT_INTERVAL_MS = 1_000;
export const SAFETY_NET_PAGES = 20_000;
const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;
const START_DELAY_MS = 1_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const unpackRows = ${unpackRows.toString()};
const Database = require(workerData.driver);
const dbs = new Map();
// Background writes get their own connection (waits for locks; foreign keys on, as the main one).
const writers = new Map();
function writerFor(m) {
  let w = writers.get(m.id);
  if (!w) {
    const db = new Database(m.file, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // As the main connection (connect.ts): in WAL mode a commit is not fsynced, a checkpoint is.
    db.pragma('synchronous = NORMAL');
    const statements = new Map();
    const prepared = (sql) => {
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        if (statements.size > 100) statements.clear();
        statements.set(sql, stmt);
      }
      return stmt;
    };
    // A message's statements commit together (one commit, one WAL-index change) or not at all.
    const runAll = db.transaction((list) => {
      for (const [sql, runs] of list) {
        const stmt = prepared(sql);
        for (const params of Array.isArray(runs) ? runs : unpackRows(runs)) stmt.run(params);
      }
    });
    w = { db, runAll };
    writers.set(m.id, w);
  }
  return w;
}
parentPort.on('message', (m) => {
  if (m.type === 'open') {
    try {
      const db = new Database(m.file, { fileMustExist: true });
      db.pragma('busy_timeout = 0');
      dbs.set(m.id, db);
      parentPort.postMessage({ type: 'opened', id: m.id });
    } catch (err) {
      parentPort.postMessage({ type: 'failed', id: m.id, message: String(err && err.message) });
    }
  } else if (m.type === 'run') {
    try {
      const w = writerFor(m);
      w.runAll.immediate(m.statements);
      parentPort.postMessage({ type: 'ran', id: m.id, seq: m.seq });
    } catch (err) {
      parentPort.postMessage({ type: 'ran', id: m.id, seq: m.seq, error: String(err && err.message) });
    }
  } else if (m.type === 'close') {
    const db = dbs.get(m.id);
    dbs.delete(m.id);
    try { db && db.close(); } catch {}
    const w = writers.get(m.id);
    writers.delete(m.id);
    try { w && w.db.close(); } catch {}
  }
});
setInterval(() => {
  for (const db of dbs.values()) {
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  }
}, workerData.intervalMs);
`;

interface Registered {
  file: string;
  main: BetterSqlite;
  opened: boolean;
}

/** The worker is not running (yet, or any more): write on the main connection instead. */
export class BackgroundUnavailable extends Error {
  constructor() {
    super('the SQLite background thread is not running');
    this.name = 'BackgroundUnavailable';
  }
}

export interface BackgroundWriter {
  /** True while writes go to the background thread. */
  readonly ready: boolean;
  /**
   * Runs write statements there, in one transaction (all or none; one commit); resolves once it
   * is committed. Parameters: strings, finite numbers and null only.
   */
  write(statements: readonly BackgroundStatement[]): Promise<void>;
}

export type BackgroundParams = readonly (string | number | null)[];

export interface BackgroundStatement {
  sql: string;
  /**
   * The statement runs once per parameter list, in order, prepared once. Many lists travel best
   * packed into one string (packed-rows.ts): one copy instead of one per value.
   */
  runs: readonly BackgroundParams[] | PackedRuns;
}

const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
let nextSeq = 1;

function settleAll(): void {
  for (const p of pending.values()) p.reject(new BackgroundUnavailable());
  pending.clear();
}

function backgroundWrite(id: number, statements: readonly BackgroundStatement[]): Promise<void> {
  const r = registered.get(id);
  const w = worker;
  if (!w || !r?.opened) return Promise.reject(new BackgroundUnavailable());
  const seq = nextSeq++;
  return new Promise<void>((resolve, reject) => {
    // A pending write keeps the process alive (the worker is unref'd otherwise): shutdown waits for it.
    if (pending.size === 0) w.ref();
    pending.set(seq, { resolve, reject });
    // One message per batch (waking the sleeping thread costs ~40 µs of this thread's time on a
    // VM); the values travel by structured clone, so a batch of many rows should come packed
    // into one string (packed-rows.ts): one copy instead of one per value.
    const list = statements.map((s) => [s.sql, s.runs]);
    w.postMessage({ type: 'run', id, file: r.file, seq, statements: list });
  });
}

let worker: Worker | null = null;
let startTimer: NodeJS.Timeout | null = null;
let nextId = 1;
const registered = new Map<number, Registered>();

function setAutocheckpoint(db: BetterSqlite, pages: number): void {
  try {
    if (db.open) db.pragma(`wal_autocheckpoint = ${pages}`);
  } catch {
    // Busy (an iterator is open): the old threshold stays, which is only less efficient.
  }
}

function post(message: unknown): void {
  worker?.postMessage(message);
}

function startWorker(): void {
  startTimer = null;
  if (worker || registered.size === 0) return;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, intervalMs: CHECKPOINT_INTERVAL_MS } });
  w.unref();
  w.on('message', (m: { type: string; id: number; seq?: number; error?: string }) => {
    if (m.type === 'ran') {
      const p = pending.get(m.seq!);
      pending.delete(m.seq!);
      if (pending.size === 0) w.unref();
      if (m.error === undefined) p?.resolve();
      else p?.reject(new Error(m.error));
      return;
    }
    const r = registered.get(m.id);
    if (!r) return;
    if (m.type === 'opened') {
      r.opened = true;
      setAutocheckpoint(r.main, SAFETY_NET_PAGES);
    }
  });
  const fail = () => {
    if (worker !== w) return;
    worker = null;
    settleAll();
    for (const r of registered.values()) {
      if (r.opened) setAutocheckpoint(r.main, DEFAULT_AUTOCHECKPOINT_PAGES);
      r.opened = false;
    }
  };
  w.on('error', fail);
  w.on('exit', fail);
  worker = w;
  for (const [id, r] of registered) post({ type: 'open', id, file: r.file });
}

/**
 * Hands a file database in WAL mode to the background thread. Returns its writer for that
 * database and the function to call before the main connection closes.
 */
export function registerForCheckpoints(main: BetterSqlite, file: string): { close: () => void; writer: BackgroundWriter } {
  const id = nextId++;
  registered.set(id, { file, main, opened: false });
  if (worker) post({ type: 'open', id, file });
  else if (!startTimer) {
    startTimer = setTimeout(startWorker, START_DELAY_MS);
    startTimer.unref();
  }
  const writer: BackgroundWriter = {
    get ready() {
      return worker !== null && registered.get(id)?.opened === true;
    },
    write: (statements) => backgroundWrite(id, statements),
  };
  const close = () => {
    if (!registered.delete(id)) return;
    post({ type: 'close', id });
    if (registered.size === 0) {
      if (startTimer) clearTimeout(startTimer);
      startTimer = null;
      const w = worker;
      worker = null;
      // Let it close its connections first (messages are handled in order), then end it.
      w?.postMessage({ type: 'noop' });
      if (w) {
        setTimeout(() => {
          void w.terminate();
          settleAll();
        }, 100).unref();
      }
    }
  };
  return { close, writer };
}
