/**
 * Syllables → grid slots. A small dynamic programme places each syllable on a slot so stressed
 * syllables land on beats, unstressed ones avoid the downbeats, and gaps stay short; a seeded
 * jitter lets different seeds phrase the same words differently.
 */
import type { Random } from '../musicvideo/random.js';

export interface PlacedSyllable {
  /** Slot index of the onset. */
  slot: number;
  /** Length in slots (to the next syllable, or the held final note). */
  length: number;
}

/**
 * Place `stresses.length` syllables in `slots` slots (`slotsPerBeat` per beat, 4 beats per bar).
 * The last syllable is held up to `maxHold` slots. Throws RangeError when they cannot fit.
 */
export function placeSyllables(stresses: boolean[], slots: number, slotsPerBeat: number, rng: Random, maxHold = slotsPerBeat * 2): PlacedSyllable[] {
  const n = stresses.length;
  if (n === 0) return [];
  if (n > slots) throw new RangeError(`${n} syllables do not fit in ${slots} slots`);
  const jitter = Array.from({ length: slots }, () => rng.next() * 0.6);
  const slotCost = (i: number, j: number): number => {
    const onBeat = j % slotsPerBeat === 0;
    const downbeat = j % (slotsPerBeat * 2) === 0;
    const stressed = stresses[i]!;
    let c = jitter[j]!;
    if (stressed && !onBeat) c += 3;
    if (stressed && downbeat) c -= 0.4;
    if (!stressed && downbeat) c += 0.6;
    if (!stressed && onBeat && !downbeat) c += 0.2;
    return c;
  };
  const gapCost = (g: number): number => (g <= 2 ? (g - 1) * 0.1 : 0.1 + (g - 2) * 0.8);
  // cost[i][j]: best cost with syllable i on slot j; from[i][j]: slot of syllable i-1.
  const cost: number[][] = [];
  const from: number[][] = [];
  for (let i = 0; i < n; i++) {
    cost.push(new Array<number>(slots).fill(Infinity));
    from.push(new Array<number>(slots).fill(-1));
    // Leave room for the syllables still to come.
    const last = slots - (n - i);
    for (let j = i; j <= last; j++) {
      if (i === 0) {
        cost[0]![j] = slotCost(0, j) + j * 0.5;
        continue;
      }
      for (let k = Math.max(i - 1, j - slotsPerBeat * 4); k < j; k++) {
        const c = cost[i - 1]![k]! + gapCost(j - k) + slotCost(i, j);
        if (c < cost[i]![j]!) {
          cost[i]![j] = c;
          from[i]![j] = k;
        }
      }
    }
  }
  let end = -1;
  let best = Infinity;
  for (let j = 0; j < slots; j++) {
    if (cost[n - 1]![j]! < best) {
      best = cost[n - 1]![j]!;
      end = j;
    }
  }
  if (end < 0) throw new RangeError('no placement found');
  const positions = new Array<number>(n);
  for (let i = n - 1, j = end; i >= 0; j = from[i]![j]!, i--) positions[i] = j;
  return positions.map((slot, i) => ({
    slot,
    length: i + 1 < n ? positions[i + 1]! - slot : Math.max(1, Math.min(maxHold, slots - slot)),
  }));
}
