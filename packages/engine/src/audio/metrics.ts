/**
 * Evaluation helpers shared by tests and benchmarks: the standard onset/beat F-measure with
 * one-to-one matching within a tolerance window.
 */
export interface MatchResult {
  precision: number;
  recall: number;
  fMeasure: number;
  matched: number;
  /** Signed timing errors (s) of the matched pairs (estimate − reference). */
  errors: number[];
}

/**
 * F-measure of estimated event times against reference times: each reference can be matched by
 * at most one estimate and vice versa, when |estimate − reference| ≤ tolerance. Greedy matching
 * in order of time is optimal for sorted events with a tolerance smaller than half the spacing;
 * we match on sorted lists with a two-pointer sweep that always takes the closest candidate.
 */
export function fMeasure(reference: readonly number[], estimate: readonly number[], tolerance = 0.07): MatchResult {
  const ref = [...reference].sort((a, b) => a - b);
  const est = [...estimate].sort((a, b) => a - b);
  if (ref.length === 0 && est.length === 0) return { precision: 1, recall: 1, fMeasure: 1, matched: 0, errors: [] };
  if (ref.length === 0 || est.length === 0) return { precision: 0, recall: 0, fMeasure: 0, matched: 0, errors: [] };
  // Candidate pairs within tolerance, sorted by distance; accept greedily if both are free.
  const pairs: [number, number, number][] = [];
  let j0 = 0;
  for (let i = 0; i < ref.length; i++) {
    while (j0 < est.length && est[j0]! < ref[i]! - tolerance) j0++;
    for (let j = j0; j < est.length && est[j]! <= ref[i]! + tolerance; j++) pairs.push([Math.abs(est[j]! - ref[i]!), i, j]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const usedR = new Uint8Array(ref.length);
  const usedE = new Uint8Array(est.length);
  const errors: number[] = [];
  for (const [, i, j] of pairs) {
    if (usedR[i] || usedE[j]) continue;
    usedR[i] = 1;
    usedE[j] = 1;
    errors.push(est[j]! - ref[i]!);
  }
  const matched = errors.length;
  const precision = matched / est.length;
  const recall = matched / ref.length;
  const f = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, fMeasure: f, matched, errors };
}
