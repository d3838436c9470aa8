import { useCallback, useReducer } from 'react';

interface State<T> {
  past: T[];
  present: T;
  future: T[];
  /** Consecutive commits with the same key (typing, one slider) become one undo step. */
  lastKey: string | null;
  lastAt: number;
}

type Action<T> =
  | { type: 'commit'; next: T | ((prev: T) => T); key?: string; at: number }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'reset'; value: T };

const LIMIT = 200;
const COALESCE_MS = 1000;

function reducer<T>(s: State<T>, a: Action<T>): State<T> {
  switch (a.type) {
    case 'commit': {
      const next = typeof a.next === 'function' ? (a.next as (p: T) => T)(s.present) : a.next;
      if (Object.is(next, s.present)) return s;
      const coalesce = a.key !== undefined && a.key === s.lastKey && a.at - s.lastAt < COALESCE_MS;
      return {
        past: coalesce ? s.past : [...s.past, s.present].slice(-LIMIT),
        present: next,
        future: [],
        lastKey: a.key ?? null,
        lastAt: a.at,
      };
    }
    case 'undo': {
      const prev = s.past[s.past.length - 1];
      if (prev === undefined) return s;
      return { past: s.past.slice(0, -1), present: prev, future: [s.present, ...s.future], lastKey: null, lastAt: 0 };
    }
    case 'redo': {
      const next = s.future[0];
      if (next === undefined) return s;
      return { past: [...s.past, s.present], present: next, future: s.future.slice(1), lastKey: null, lastAt: 0 };
    }
    case 'reset':
      return { past: [], present: a.value, future: [], lastKey: null, lastAt: 0 };
  }
}

/** A value with undo/redo. */
export function useHistory<T>(initial: T) {
  const [state, dispatch] = useReducer(reducer<T>, { past: [], present: initial, future: [], lastKey: null, lastAt: 0 });
  const commit = useCallback((next: T | ((prev: T) => T), key?: string) => dispatch({ type: 'commit', next, key, at: Date.now() }), []);
  const undo = useCallback(() => dispatch({ type: 'undo' }), []);
  const redo = useCallback(() => dispatch({ type: 'redo' }), []);
  const reset = useCallback((value: T) => dispatch({ type: 'reset', value }), []);
  return { value: state.present, commit, undo, redo, reset, canUndo: state.past.length > 0, canRedo: state.future.length > 0 };
}
