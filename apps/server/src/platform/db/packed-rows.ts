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
  packed: string;
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
  for (const line of runs.packed.split('\n')) {
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
