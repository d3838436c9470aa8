/**
 * platform/db/packed-rows.ts: rows packed into one string for the SQLite background thread.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRows, packText, unpackRows, type PackedRuns } from '../src/platform/db/packed-rows.js';

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
});
