/**
 * bearerToken (developer/auth.ts) parses `Authorization: Bearer <token>` exactly as the regular
 * expression it replaced on the hot path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bearerToken } from '../src/modules/developer/auth.js';

const REFERENCE = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const reference = (header: string) => REFERENCE.exec(header)?.[1];

describe('bearerToken', () => {
  it('agrees with /^Bearer[ \\t]+(\\S+)[ \\t]*$/i on any header', () => {
    const unit = fc.constantFrom('B', 'b', 'e', 'E', 'a', 'r', 'R', 's', 'k', '_', '1', ' ', '\t', '\n', '\u00a0', '\u2003', '\ufeff', 'é');
    const header = fc.oneof(
      fc.string({ unit }),
      fc.tuple(fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Bearer:', 'Basic'), fc.string({ unit }), fc.string({ unit })).map(([a, b, c]) => `${a}${b}${c}`),
    );
    fc.assert(
      fc.property(header, (h) => {
        expect(bearerToken(h)).toBe(reference(h));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the usual forms', () => {
    expect(bearerToken('Bearer sk_live_abc')).toBe('sk_live_abc');
    expect(bearerToken('bearer \t sk_test_x \t')).toBe('sk_test_x');
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearersk_live_abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
  });
});
