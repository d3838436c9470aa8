import { useEffect, useRef, useState } from 'react';
import { fetchEditPreview, queuedEditPreview, type EditRequest } from '../../api/edits';

export type PreviewRequest = EditRequest & { time: number; width?: number };

/**
 * An object URL for the preview frame of `request` (null until one is ready). Stale answers are
 * dropped rather than aborted; `delayMs` debounces fast-changing requests (scrubbing).
 * `forKey` says which request the current URL shows.
 */
export function usePreviewImage(request: PreviewRequest | null, opts: { delayMs?: number; queued?: boolean } = {}) {
  const key = request ? JSON.stringify(request) : null;
  const [state, setState] = useState<{ url: string | null; error: unknown; forKey: string | null }>({ url: null, error: null, forKey: null });
  const latest = useRef<string | null>(null);
  const current = useRef<string | null>(null);
  latest.current = key;

  useEffect(() => {
    if (!key) return;
    const body = JSON.parse(key) as PreviewRequest;
    const timer = setTimeout(() => {
      (opts.queued ? queuedEditPreview : fetchEditPreview)(body)
        .then((blob) => {
          if (latest.current !== key) return;
          const url = URL.createObjectURL(blob);
          if (current.current) URL.revokeObjectURL(current.current);
          current.current = url;
          setState({ url, error: null, forKey: key });
        })
        .catch((error: unknown) => {
          if (latest.current === key) setState((prev) => ({ ...prev, error, forKey: key }));
        });
    }, opts.delayMs ?? 0);
    return () => clearTimeout(timer);
  }, [key, opts.delayMs, opts.queued]);

  useEffect(
    () => () => {
      if (current.current) URL.revokeObjectURL(current.current);
    },
    [],
  );

  return { ...state, key };
}
