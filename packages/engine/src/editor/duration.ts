import { planEdit } from './model.js';
import type { EditOperation } from './types.js';

/**
 * Length of the edited output, seconds. `sourceDurations` is aligned with `sources`; sources
 * named by key (concat of a string) need `keyDurations`.
 */
export function editedDuration(operations: EditOperation[], sourceDurations: number[], keyDurations: Record<string, number> = {}): number {
  const keys = Object.keys(keyDurations);
  for (const op of operations) {
    if (op.type !== 'concat') continue;
    for (const ref of op.inputs) {
      if (typeof ref === 'string' && !keys.includes(ref)) throw new TypeError(`editedDuration: no duration for source ${JSON.stringify(ref)}`);
      if (typeof ref === 'number' && sourceDurations[ref] === undefined) throw new TypeError(`editedDuration: no duration for source ${ref}`);
    }
  }
  const table = { count: sourceDurations.length, keys, durations: [...sourceDurations, ...keys.map((k) => keyDurations[k]!)] };
  return planEdit(operations, table, { width: 2, height: 2 }).duration;
}
