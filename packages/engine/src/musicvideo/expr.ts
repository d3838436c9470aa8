/**
 * ffmpeg expression helpers. ffmpeg's evaluator rejects long flat sums (about 100 terms), so
 * per-beat effects are written as a balanced `if(lt(t,…),…,…)` tree: logarithmic depth, and each
 * frame evaluates only one leaf.
 */

/** Format a number compactly for an expression (4 decimals). */
export function num(v: number): string {
  return String(Math.round(v * 10000) / 10000);
}

/**
 * An expression of `t` that is `leaf(b)` for the pulse at sorted time b whose window
 * [b, b + width) contains t, and 0 elsewhere. Windows must not overlap (width ≤ gap between times).
 */
export function pulseTree(times: readonly number[], t: string, leaf: (b: number) => string): string {
  if (times.length === 0) return '0';
  if (times.length === 1) return leaf(times[0]!);
  const mid = times.length >> 1;
  return `if(lt(${t},${num(times[mid]!)}),${pulseTree(times.slice(0, mid), t, leaf)},${pulseTree(times.slice(mid), t, leaf)})`;
}

/** A decaying bump: 1 at b, falling linearly to 0 at b + width. */
export function bump(t: string, b: number, width: number): string {
  return `between(${t},${num(b)},${num(b + width)})*(1-(${t}-${num(b)})/${num(width)})`;
}

/** Pulse window that never reaches the next pulse. */
export function pulseWidth(times: readonly number[], preferred: number): number {
  let gap = Infinity;
  for (let i = 1; i < times.length; i++) gap = Math.min(gap, times[i]! - times[i - 1]!);
  return Math.max(0.02, Math.min(preferred, gap * 0.9));
}
