import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeSong, parseKey, SongRequestError, type SongRequest } from '../src/composer/index.js';

const ok: SongRequest = { genre: 'pop', mood: 'happy', durationSeconds: 20, seed: 1 };

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof SongRequestError) return e.field;
    throw e;
  }
  return undefined;
}

describe('song request validation', () => {
  it('names the field of each bad value', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ genre: 'polka' }, 'genre'],
      [{ mood: 'hungry' }, 'mood'],
      [{ durationSeconds: 0 }, 'durationSeconds'],
      [{ durationSeconds: 14.9 }, 'durationSeconds'],
      [{ durationSeconds: 10800 }, 'durationSeconds'],
      [{ durationSeconds: Number.NaN }, 'durationSeconds'],
      [{ tempoBpm: 39 }, 'tempoBpm'],
      [{ tempoBpm: 221 }, 'tempoBpm'],
      [{ key: 'H major' }, 'key'],
      [{ key: 'C lydian dominant' }, 'key'],
      [{ lyrics: 'la '.repeat(2000) }, 'lyrics'],
      [{ lyrics: 'line\n'.repeat(10_000) }, 'lyrics'],
      [{ vocals: 'sung' }, 'lyrics'],
      [{ vocals: 'sung', lyrics: '🎶 🎶 !!!' }, 'lyrics'],
      [{ vocals: 'rap' }, 'vocals'],
      [{ seed: Infinity }, 'seed'],
    ];
    for (const [patch, field] of cases) {
      expect(fieldOf(() => composeSong({ ...ok, ...patch } as SongRequest)), JSON.stringify(patch).slice(0, 60)).toBe(field);
    }
    expect(() => composeSong({ ...ok, genre: 'polka' as never })).toThrow(/unknown genre "polka"; expected one of pop, rock/);
  });

  it('accepts the limits and common key spellings', () => {
    expect(composeSong({ ...ok, durationSeconds: 15, tempoBpm: 40 }).durationSeconds).toBe(15);
    expect(composeSong({ ...ok, durationSeconds: 300, tempoBpm: 220 }).tempoBpm).toBe(220);
    expect(parseKey('Bbm')).toEqual({ tonic: 'Bb', mode: 'minor' });
    expect(parseKey('F# minor')).toEqual({ tonic: 'F#', mode: 'minor' });
    expect(parseKey('A major')).toEqual({ tonic: 'A', mode: 'major' });
    expect(parseKey('c')).toEqual({ tonic: 'C', mode: 'major' });
    expect(parseKey('A#')).toEqual({ tonic: 'Bb', mode: 'major' });
    expect(parseKey('Cmin')).toEqual({ tonic: 'C', mode: 'minor' });
    expect(parseKey('X')).toBeUndefined();
  });

  it('random requests either compose or throw SongRequestError, nothing else', () => {
    const anything = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(undefined), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }));
    const request = fc.record(
      {
        genre: fc.oneof(fc.constantFrom('pop', 'jazz', 'edm', 'opera'), anything),
        mood: fc.oneof(fc.constantFrom('sad', 'epic', 'sleepy'), anything),
        durationSeconds: fc.oneof(fc.double({ min: -10, max: 400, noNaN: false }), anything),
        tempoBpm: fc.oneof(fc.integer({ min: 0, max: 300 }), anything),
        key: fc.oneof(fc.constantFrom('C', 'Dbm', 'G# minor', 'Q'), anything),
        lyrics: fc.oneof(fc.string({ maxLength: 300, unit: 'grapheme' }), fc.constantFrom('[Chorus]\n😀😀', '[Verse]\n東京の夜\n[Chorus]\nla la la'), anything),
        theme: fc.oneof(fc.string({ maxLength: 40 }), anything),
        vocals: fc.oneof(fc.constantFrom('sung', 'spoken', 'none'), anything),
        seed: fc.oneof(fc.integer(), anything),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(request, (req) => {
        try {
          const song = composeSong(req as unknown as SongRequest);
          expect(Math.abs(song.durationSeconds - (req.durationSeconds as number))).toBeLessThanOrEqual(1);
        } catch (e) {
          if (!(e instanceof SongRequestError)) throw e;
        }
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('rejects requests that are not objects', () => {
    for (const bad of [null, undefined, 'pop', 42, []]) expect(fieldOf(() => composeSong(bad as unknown as SongRequest))).toBe('request');
  });
});
