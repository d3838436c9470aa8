/**
 * Aggregate frame-wise features over time units (beats, bars or fixed blocks): the mean of the
 * frames whose centre falls in each unit (the nearest frame when a unit is shorter than a frame).
 * `trimEnd` (s) leaves out frames centred that close to the end of the unit, whose analysis
 * window already reaches into the next unit (a transient there would leak backwards).
 */
export function aggregateFrames(
  values: Float32Array,
  dim: number,
  frameRate: number,
  unitStarts: readonly number[],
  end: number,
  trimEnd = 0,
): Float32Array {
  const nFrames = Math.floor(values.length / dim);
  const nUnits = unitStarts.length;
  const out = new Float32Array(nUnits * dim);
  for (let u = 0; u < nUnits; u++) {
    const t0 = unitStarts[u]!;
    const t1 = u + 1 < nUnits ? unitStarts[u + 1]! : end;
    let a = Math.max(0, Math.ceil(t0 * frameRate));
    let b = Math.min(nFrames, Math.ceil((t1 - trimEnd) * frameRate));
    if (b <= a) {
      a = Math.min(nFrames - 1, Math.max(0, Math.round(t0 * frameRate)));
      b = a + 1;
    }
    const o = u * dim;
    for (let f = a; f < b; f++) {
      const fo = f * dim;
      for (let d = 0; d < dim; d++) out[o + d] = out[o + d]! + values[fo + d]!;
    }
    const inv = 1 / (b - a);
    for (let d = 0; d < dim; d++) out[o + d] = out[o + d]! * inv;
  }
  return out;
}

/** Z-score a list of numbers (all zeros when constant). */
export function zscore(x: readonly number[]): number[] {
  const n = x.length;
  if (n === 0) return [];
  const m = x.reduce((a, v) => a + v, 0) / n;
  const sd = Math.sqrt(x.reduce((a, v) => a + (v - m) * (v - m), 0) / n);
  return sd > 1e-12 ? x.map((v) => (v - m) / sd) : x.map(() => 0);
}
