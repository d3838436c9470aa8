/**
 * Credits charged per job type (F14). A type not listed here costs nothing. Operators override
 * single prices with a map (CreditsService option / `config.prices`), e.g. `{"music_video": 12}`.
 */
export const DEFAULT_PRICES: Readonly<Record<string, number>> = Object.freeze({
  'media.process': 0,
  music_video: 10,
  song: 10,
  edit: 5,
  voiceover: 3,
  translation: 10,
  avatar: 10,
  brand_video: 15,
  memory_video: 10,
  script_video: 15,
  'account.export': 0,
});

/** Validates an override map: non-negative integer prices only. */
export function parsePriceOverrides(map: unknown): Record<string, number> {
  if (map === undefined || map === null) return {};
  if (typeof map !== 'object' || Array.isArray(map)) throw new Error('prices must be an object of job type → credits');
  const out: Record<string, number> = {};
  for (const [type, value] of Object.entries(map as Record<string, unknown>)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new Error(`price of ${type} must be a non-negative integer, got ${JSON.stringify(value)}`);
    }
    out[type] = value;
  }
  return out;
}
