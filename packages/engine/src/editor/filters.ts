/**
 * The editor's filter gallery: each look is a short chain of cheap ffmpeg filters, all with
 * timeline support (`enable=`), so a look can cover only the content it was applied to.
 * Intensity (0..1) interpolates each look's parameters from "no change" to the full look.
 */
import { filter, type Filter } from '../ffmpeg/filtergraph.js';

export const EDIT_FILTERS: ReadonlyArray<{ name: string; label: string }> = [
  { name: 'bw', label: 'Black & white' },
  { name: 'sepia', label: 'Sepia' },
  { name: 'vintage', label: 'Vintage' },
  { name: 'vivid', label: 'Vivid' },
  { name: 'warm', label: 'Warm' },
  { name: 'cool', label: 'Cool' },
  { name: 'blur', label: 'Blur' },
  { name: 'sharpen', label: 'Sharpen' },
  { name: 'vignette', label: 'Vignette' },
  { name: 'grain', label: 'Film grain' },
  { name: 'vhs', label: 'VHS' },
  { name: 'fade_black', label: 'Fade to black' },
  { name: 'noir', label: 'Noir' },
  { name: 'cinematic', label: 'Cinematic' },
  { name: 'matte', label: 'Matte' },
  { name: 'dramatic', label: 'Dramatic' },
];

export const EDIT_FILTER_NAMES: readonly string[] = EDIT_FILTERS.map((f) => f.name);

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const lerp = (a: number, b: number, t: number): number => r3(a + (b - a) * t);

/** A colour matrix interpolated from identity to `m` (rows r, g, b). */
function mixer(m: number[][], i: number): Record<string, number> {
  const names = ['r', 'g', 'b'];
  const out: Record<string, number> = {};
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) out[`${names[row]}${names[col]}`] = lerp(row === col ? 1 : 0, m[row]![col]!, i);
  }
  return out;
}

const SEPIA = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
];
const FADED_WARM = [
  [0.9, 0.15, 0.05],
  [0.07, 0.85, 0.1],
  [0.1, 0.12, 0.7],
];

/**
 * The filters of look `name` at `intensity`, each limited to `enable` when given.
 * `fade_black` is timed, not a look: see fadeToBlack.
 */
export function lookFilters(name: string, intensity: number, enable?: string): Filter[] {
  const i = Math.min(1, Math.max(0, intensity));
  const f = (n: string, o: Record<string, string | number>): Filter => filter(n, { ...o, enable });
  switch (name) {
    case 'bw':
      return [f('hue', { s: lerp(1, 0, i) })];
    case 'sepia':
      return [f('colorchannelmixer', mixer(SEPIA, i))];
    case 'vintage':
      return [
        f('colorchannelmixer', mixer(FADED_WARM, i)),
        f('eq', { contrast: lerp(1, 0.85, i), saturation: lerp(1, 0.75, i), brightness: lerp(0, 0.03, i) }),
        f('vignette', { angle: lerp(0.2, 0.55, i) }),
      ];
    case 'vivid':
      return [f('eq', { saturation: lerp(1, 1.6, i), contrast: lerp(1, 1.1, i) })];
    case 'warm':
      return [f('colorbalance', { rs: lerp(0, 0.1, i), rm: lerp(0, 0.08, i), bs: lerp(0, -0.1, i), bm: lerp(0, -0.08, i) })];
    case 'cool':
      return [f('colorbalance', { rs: lerp(0, -0.1, i), rm: lerp(0, -0.08, i), bs: lerp(0, 0.1, i), bm: lerp(0, 0.08, i) })];
    case 'blur':
      return [f('gblur', { sigma: lerp(0.5, 8, i) })];
    case 'sharpen':
      return [f('unsharp', { lx: 5, ly: 5, la: lerp(0.3, 2, i) })];
    case 'vignette':
      return [f('vignette', { angle: lerp(0.2, 0.75, i) })];
    case 'grain':
      return [f('noise', { alls: Math.round(lerp(4, 30, i)), allf: 't' })];
    case 'vhs':
      return [
        f('chromashift', { cbh: Math.round(lerp(1, 6, i)), crh: -Math.round(lerp(1, 6, i)) }),
        f('eq', { saturation: lerp(1, 0.7, i), contrast: lerp(1, 0.9, i), brightness: lerp(0, 0.04, i) }),
        f('noise', { alls: Math.round(lerp(4, 18, i)), allf: 't' }),
      ];
    case 'noir':
      return [f('hue', { s: lerp(1, 0, i) }), f('eq', { contrast: lerp(1, 1.5, i), brightness: lerp(0, -0.05, i) })];
    case 'cinematic':
      return [
        f('colorbalance', { rs: lerp(0, -0.1, i), bs: lerp(0, 0.12, i), rh: lerp(0, 0.1, i), bh: lerp(0, -0.08, i) }),
        f('eq', { contrast: lerp(1, 1.1, i), saturation: lerp(1, 0.9, i) }),
      ];
    case 'matte':
      return [f('eq', { contrast: lerp(1, 0.75, i), brightness: lerp(0, 0.06, i), saturation: lerp(1, 0.8, i) })];
    case 'dramatic':
      return [f('eq', { contrast: lerp(1, 1.35, i), saturation: lerp(1, 1.15, i), gamma: lerp(1, 0.9, i) }), f('vignette', { angle: lerp(0.2, 0.6, i) })];
    default:
      throw new TypeError(`unknown filter ${JSON.stringify(name)}`);
  }
}

/** Seconds of the fade_black look: 0.5 s at intensity 0 to 2 s at 1. */
export function fadeToBlackSeconds(intensity: number): number {
  return 0.5 + 1.5 * Math.min(1, Math.max(0, intensity));
}
