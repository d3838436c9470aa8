import type { ByteRange } from './types.js';

/** Throws RangeError unless range is two safe non-negative integers with start <= end. */
export function assertValidRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`invalid byte range ${start}-${end}`);
  }
}

/** The error both stores throw when range.start is at or beyond the end of the object. */
export function unsatisfiableRange(key: string, range: ByteRange, size?: number): RangeError {
  const of = size === undefined ? '' : ` of ${size} bytes`;
  return new RangeError(`byte range ${range.start}-${range.end} not satisfiable for ${key}${of}`);
}
