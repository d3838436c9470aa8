/**
 * platform/db/packed-rows.ts: rows packed into one string for the SQLite background thread.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedRowBytes, packField, packRows, packText, unpackRows, type PackedRuns } from '../src/platform/db/packed-rows.js';

const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '\\', '\t', '\n', 'N', 't', 'n', ' ', 'é', '😀', '\u0000') });
const textOrNull = fc.option(text, { nil: null });
const integer = fc.option(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), { nil: null });

describe('packed rows', () => {
  it('unpack(pack(rows)) gives the rows back, for any text (TAB, LF, backslash, \\N) and any integer', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(textOrNull, integer, textOrNull), { maxLength: 20 }), (rows) => {
        const packed = packRows(rows, [1]);
        expect(unpackRows(packed)).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  it('a row of one empty field and no row at all stay apart', () => {
    expect(unpackRows(packRows([[''], ['']], []))).toEqual([[''], ['']]);
    expect(unpackRows(packRows([['']], []))).toEqual([['']]);
    expect(unpackRows(packRows([], []))).toEqual([]);
  });

  it('escapes only what it must: plain text is passed through as is', () => {
    expect(packText('req_0Abc')).toBe('req_0Abc');
    expect(packText('a\tb\nc\\d')).toBe('a\\tb\\nc\\\\d');
  });

  it('refuses what it cannot carry, and a count that does not match', () => {
    expect(() => packRows([[1.5]], [0])).toThrow(/integers only/);
    const bad: PackedRuns = { packed: 'a\nb', count: 1, integerColumns: [] };
    expect(() => unpackRows(bad)).toThrow(/expected 1 rows, found 2/);
  });

  it('runs from its own source text alone (as the background thread runs it)', () => {
    const isolated = new Function(`return (${unpackRows.toString()});`)() as typeof unpackRows;
    const rows = [['x\ty', 7, null], ['\\N', -3, 'ok']];
    expect(isolated(packRows(rows, [1]))).toEqual(rows);
  });

  it('PackedRowBytes: rows added one by one come back as full runs and one shorter run, in order, through any growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(textOrNull, integer, textOrNull), { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 64 }),
        (rows, perRun, capacity) => {
          // Integer column 1 of each row, at 1, 4, 7… of a run's parameter list.
          const integersOf = (n: number) => Array.from({ length: n }, (_, r) => r * 3 + 1);
          const bytes = new PackedRowBytes(perRun, integersOf, capacity);
          for (const row of rows) bytes.add(row.map(packField).join('\t'));
          expect(bytes.size).toBe(rows.length);
          const batch = bytes.take();
          expect(bytes.size).toBe(0);
          expect(batch.rows).toBe(rows.length);
          const fullRuns = Math.floor(rows.length / perRun);
          expect(batch.full?.count ?? 0).toBe(fullRuns);
          expect(batch.restRows).toBe(rows.length % perRun);
          const runs = [...(batch.full ? unpackRows(batch.full) : []), ...(batch.rest ? unpackRows(batch.rest) : [])];
          expect(runs.map((r) => r.length)).toEqual([
            ...Array<number>(fullRuns).fill(perRun * 3),
            ...(batch.restRows ? [batch.restRows * 3] : []),
          ]);
          expect(runs.flat()).toEqual(rows.flat());
          // The next batch starts empty and is independent of the one handed over.
          bytes.add('x');
          const next = bytes.take();
          expect(unpackRows(next.full ?? next.rest!)).toEqual([['x']]);
          expect(runs.flat()).toEqual(rows.flat());
        },
      ),
      { numRuns: 400 },
    );
  });

  it('PackedRowBytes: the bytes survive a structured clone (how they reach the background thread)', () => {
    const bytes = new PackedRowBytes(2, () => [1, 3]);
    for (const row of [['é😀', 1], ['a\\tb', 2], ['z', 3]] as const) bytes.add(row.map(packField).join('\t'));
    const batch = structuredClone(bytes.take());
    expect(unpackRows(batch.full!)).toEqual([['é😀', 1, 'a\\tb', 2]]);
    expect(unpackRows(batch.rest!)).toEqual([['z', 3]]);
  });
});
