/**
 * Loudness curve: RMS in blocks of 1/hz seconds, in dB, mapped to 0..1 where 1 is the loud end
 * of the song (99th percentile block) and 0 is `rangeDb` below it or quieter.
 */
export interface EnergyCurve {
  /** Blocks per second; values[k] covers [k/hz, (k+1)/hz). */
  hz: number;
  values: number[];
}

export interface EnergyOptions {
  hz?: number;
  rangeDb?: number;
}

export function energyCurve(samples: Float32Array, sampleRate: number, opts: EnergyOptions = {}): EnergyCurve {
  const block = Math.max(1, Math.round(sampleRate / (opts.hz ?? 10)));
  const hz = sampleRate / block;
  const range = opts.rangeDb ?? 40;
  const n = Math.ceil(samples.length / block);
  const db = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = k * block;
    const b = Math.min(samples.length, a + block);
    let s = 0;
    for (let i = a; i < b; i++) s += samples[i]! * samples[i]!;
    const ms = s / Math.max(1, b - a);
    db[k] = ms > 1e-14 ? 10 * Math.log10(ms) : -140;
  }
  const sorted = Float64Array.from(db).sort();
  const ref = n > 0 ? sorted[Math.min(n - 1, Math.floor(0.99 * n))]! : -140;
  const values: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    values[k] = ref <= -120 ? 0 : Math.max(0, Math.min(1, 1 + (db[k]! - ref) / range));
  }
  return { hz, values };
}

/** Mean of the curve over [start, end) seconds (0 when empty). */
export function meanEnergy(curve: EnergyCurve, start: number, end: number): number {
  const a = Math.max(0, Math.floor(start * curve.hz));
  const b = Math.min(curve.values.length, Math.max(a + 1, Math.ceil(end * curve.hz)));
  let s = 0;
  for (let k = a; k < b; k++) s += curve.values[k]!;
  return b > a ? s / (b - a) : 0;
}
