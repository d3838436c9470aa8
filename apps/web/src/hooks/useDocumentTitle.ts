import { useEffect } from 'react';

/** "Library · ClipMix" in the tab and in screen readers' page announcements. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · ClipMix` : 'ClipMix';
  }, [title]);
}
