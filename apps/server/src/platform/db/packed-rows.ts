/**
 * Rows of statement parameters packed into one string, to cross to the SQLite background thread
 * (checkpointer.ts) as a single value.
 *
 * A batch of 250 request-log rows posted as 250 arrays of 12 values costs the event loop ~2 µs a
 * row in structured-clone serialisation (measured on a 2-CPU VM); one string is one copy. The
 * sender builds the text as it walks its rows (no array per row), the background thread unpacks
 * it.
 *
 * Format: fields separated by TAB, rows by LF. In a text field, backslash, TAB and LF are written
 * `\\`, `\t`, `\n`; `\N` alone is NULL. Integer columns (listed by the sender) are written as
 * decimal digits and unpacked as numbers; every other field is text.
 */
export interface PackedRuns {
  /** The text, or its UTF-8 bytes (PackedRowBytes). */
  packed: string | Uint8Array;
  /** How many rows `packed` holds (an empty string is no row, or one row of one empty field). */
  count: number;
  /** Indexes of the integer columns. */
  integerColumns: readonly number[];
}

const NEEDS_ESCAPE = /[\\\t\n]/;

/** A text field as written into a packed row (escaped only where it has to be). */
export function packText(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : '\\n')) : value;
}

/** A field of any parameter type (generic senders and tests; hot paths write their fields themselves). */
export function packField(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`packed rows carry integers only, not ${value}`);
    return String(value);
  }
  return packText(value);
}

/** Packs rows whose `integerColumns` hold integers (or null) and whose other columns hold text (or null). */
export function packRows(rows: readonly (readonly (string | number | null)[])[], integerColumns: readonly number[]): PackedRuns {
  return { packed: rows.map((row) => row.map(packField).join('\t')).join('\n'), count: rows.length, integerColumns };
}

/**
 * Unpacks what packRows (or a sender writing the same format) produced. Self-contained — it is
 * also run by the background thread, from its source text — so it refers to nothing outside
 * itself and declares no named inner function (a bundler could wrap those in a helper).
 */
export function unpackRows(runs: PackedRuns): (string | number | null)[][] {
  const integer: boolean[] = [];
  for (const c of runs.integerColumns) integer[c] = true;
  const rows: (string | number | null)[][] = [];
  if (runs.count === 0) return rows;
  const text = typeof runs.packed === 'string' ? runs.packed : new TextDecoder().decode(runs.packed);
  for (const line of text.split('\n')) {
    const fields = line.split('\t');
    const row: (string | number | null)[] = new Array(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f === '\\N') row[i] = null;
      else if (integer[i]) row[i] = Number(f);
      else if (f.indexOf('\\') < 0) row[i] = f;
      else row[i] = f.replace(/\\(.)/g, (_m: string, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
    }
    rows.push(row);
  }
  if (rows.length !== runs.count) throw new Error(`packed rows: expected ${runs.count} rows, found ${rows.length}`);
  return rows;
}

/** What PackedRowBytes.take() hands over: its rows as at most two statements' runs. */
export interface PackedBatch {
  rows: number;
  /** Every complete run of `perRun` rows (null when there is none). */
  full: PackedRuns | null;
  /** The rows after them, as one shorter run of `restRows` rows (null when there are none). */
  rest: PackedRuns | null;
  restRows: number;
}

const TAB = 9;
const LF = 10;
const MIN_CAPACITY = 16 * 1024;

/**
 * Rows packed into UTF-8 bytes as they arrive, `perRun` rows to a line (the parameter list of one
 * multi-row INSERT), for a batch that is held until it is written.
 *
 * A batch held as objects and strings stays on the V8 heap until it is written: each scavenge
 * copies it and the older rows are promoted, so a busy server ran more and slower scavenges, a
 * full mark-compact every few seconds, and each batch's packed string (a rope of ~24,000 pieces)
 * was flattened into a new large-object page when it was posted. Bytes in a Buffer are outside
 * the heap: a row's strings die young, and posting the batch is one copy of a byte array.
 */
export class PackedRowBytes {
  private bytes: Buffer;
  private used = 0;
  private rows = 0;
  /** Byte offset where the current (possibly incomplete) run starts. */
  private runStart = 0;

  constructor(
    private readonly perRun: number,
    /** The integer columns of a run of `n` rows (PackedRuns.integerColumns). */
    private readonly integerColumnsOf: (n: number) => readonly number[],
    private capacity = 256 * 1024,
  ) {
    this.bytes = Buffer.allocUnsafeSlow(Math.max(1, capacity));
  }

  get size(): number {
    return this.rows;
  }

  /** Appends one row: its fields packed (packText, or digits) and joined by TAB. */
  add(fields: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; 1 more for the separator.
    const worst = fields.length * 3 + 1;
    if (this.used + worst > this.bytes.length) this.grow(worst);
    if (this.rows > 0) {
      if (this.rows % this.perRun === 0) {
        this.bytes[this.used++] = LF;
        this.runStart = this.used;
      } else {
        this.bytes[this.used++] = TAB;
      }
    }
    this.used += this.bytes.write(fields, this.used, 'utf8');
    this.rows++;
  }

  /** Hands over every row added so far and starts an empty batch. */
  take(): PackedBatch {
    const { bytes, used, rows, runStart, perRun } = this;
    const restRows = rows % perRun;
    const fullRuns = (rows - restRows) / perRun;
    // The end of the last complete run: all of it when there is no rest, else before the LF
    // that starts the rest.
    const fullEnd = restRows === 0 ? used : Math.max(0, runStart - 1);
    const batch: PackedBatch = {
      rows,
      full: fullRuns ? { packed: bytes.subarray(0, fullEnd), count: fullRuns, integerColumns: this.integerColumnsOf(perRun) } : null,
      rest: restRows ? { packed: bytes.subarray(runStart, used), count: 1, integerColumns: this.integerColumnsOf(restRows) } : null,
      restRows,
    };
    // The next batch likely needs what this one did (a fresh buffer: this one's bytes are handed over).
    this.capacity = Math.max(MIN_CAPACITY, Math.ceil(used * 1.25));
    this.bytes = Buffer.allocUnsafeSlow(this.capacity);
    this.used = 0;
    this.rows = 0;
    this.runStart = 0;
    return batch;
  }

  private grow(atLeast: number): void {
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + atLeast));
    this.bytes.copy(bigger, 0, 0, this.used);
    this.bytes = bigger;
    this.capacity = bigger.length;
  }
}
