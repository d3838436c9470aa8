import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import { qk } from '../../api/keys';
import { uploadFile, type UploadHandle } from '../../api/upload';
import { ApiError } from '../../api/problem';
import type { FileObject } from '../../api/types';
import { guessKind, UploadsContext, type UploadItem, type UploadsApi } from './uploadsContext';

/** How many files travel at once; the rest wait their turn. */
const PARALLEL = 3;

type Action =
  | { type: 'add'; items: UploadItem[] }
  | { type: 'start'; id: string }
  | { type: 'progress'; id: string; progress: number }
  | { type: 'done'; id: string; result: FileObject }
  | { type: 'error'; id: string; error: unknown }
  | { type: 'canceled'; id: string }
  | { type: 'retry'; id: string }
  | { type: 'dismiss'; id: string }
  | { type: 'clearFinished' };

function reducer(items: UploadItem[], action: Action): UploadItem[] {
  const patch = (id: string, p: Partial<UploadItem>) => items.map((it) => (it.id === id ? { ...it, ...p } : it));
  switch (action.type) {
    case 'add':
      return [...action.items, ...items];
    case 'start':
      return patch(action.id, { status: 'uploading', progress: 0, error: undefined });
    case 'progress':
      return patch(action.id, { progress: action.progress });
    case 'done':
      return patch(action.id, { status: 'done', progress: 1, result: action.result });
    case 'error':
      return patch(action.id, { status: 'error', error: action.error });
    case 'canceled':
      return patch(action.id, { status: 'canceled' });
    case 'retry':
      return patch(action.id, { status: 'queued', progress: 0, error: undefined });
    case 'dismiss':
      return items.filter((it) => it.id !== action.id);
    case 'clearFinished':
      return items.filter((it) => it.status === 'queued' || it.status === 'uploading');
  }
}

let seq = 0;

/** Keeps uploads going while the user moves between pages; at most three in flight. */
export function UploadsProvider({ children }: { children: ReactNode }) {
  const [items, dispatch] = useReducer(reducer, []);
  const handles = useRef(new Map<string, UploadHandle>());
  const qc = useQueryClient();

  useEffect(() => {
    const waiting = items.filter((it) => it.status === 'queued' && !handles.current.has(it.id)).reverse(); // oldest first
    for (const item of waiting.slice(0, Math.max(0, PARALLEL - handles.current.size))) {
      dispatch({ type: 'start', id: item.id });
      let last = 0;
      const handle = uploadFile(item.file, (fraction) => {
        // Progress events are frequent; re-render on visible steps only.
        if (fraction === 1 || Math.abs(fraction - last) >= 0.01) {
          last = fraction;
          dispatch({ type: 'progress', id: item.id, progress: fraction });
        }
      });
      handles.current.set(item.id, handle);
      handle.promise
        .then((result) => {
          handles.current.delete(item.id);
          dispatch({ type: 'done', id: item.id, result });
          qc.setQueryData(qk.file(result.id), result);
          void qc.invalidateQueries({ queryKey: qk.files });
          void qc.invalidateQueries({ queryKey: qk.jobs });
        })
        .catch((error: unknown) => {
          handles.current.delete(item.id);
          if (error instanceof ApiError && error.code === 'aborted') dispatch({ type: 'canceled', id: item.id });
          else dispatch({ type: 'error', id: item.id, error });
        });
    }
  }, [items, qc]);

  const add = useCallback((files: File[]) => {
    const added = files.map<UploadItem>((file) => ({
      id: `up_${Date.now().toString(36)}_${(seq += 1)}`,
      file,
      kind: guessKind(file),
      progress: 0,
      status: 'queued',
    }));
    // Newest first in the list, but started in the order chosen.
    dispatch({ type: 'add', items: added.reverse() });
  }, []);

  const api = useMemo<UploadsApi>(
    () => ({
      items,
      add,
      cancel: (id) => {
        const handle = handles.current.get(id);
        if (handle) handle.abort();
        else dispatch({ type: 'canceled', id });
      },
      retry: (id) => dispatch({ type: 'retry', id }),
      dismiss: (id) => dispatch({ type: 'dismiss', id }),
      clearFinished: () => dispatch({ type: 'clearFinished' }),
    }),
    [items, add],
  );

  return <UploadsContext.Provider value={api}>{children}</UploadsContext.Provider>;
}
