/**
 * Reduces interleaved min,max peak pairs to `buckets` amplitudes in 0..1
 * (each the largest absolute value of its range, normalised to the loudest bucket).
 */
export function bucketPeaks(peaks: readonly number[], buckets: number): number[] {
  const pairs = Math.floor(peaks.length / 2);
  if (pairs === 0 || buckets <= 0) return [];
  const out = new Array<number>(buckets).fill(0);
  for (let b = 0; b < buckets; b += 1) {
    const from = Math.floor((b * pairs) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * pairs) / buckets));
    let max = 0;
    for (let i = from; i < to && i < pairs; i += 1) {
      const lo = Math.abs(peaks[2 * i] ?? 0);
      const hi = Math.abs(peaks[2 * i + 1] ?? 0);
      if (lo > max) max = lo;
      if (hi > max) max = hi;
    }
    out[b] = max;
  }
  const loudest = Math.max(...out);
  return loudest > 0 ? out.map((v) => v / loudest) : out;
}
