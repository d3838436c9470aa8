import { useQuery } from '@tanstack/react-query';
import { api, buildUrl, getCsrfToken } from './client';
import { parseProblem } from './problem';
import type { Job, List } from './types';

/** One operation of an edit list (API.md "Edit operations"); the server validates the details. */
export type EditOperation = { type: string } & Record<string, unknown>;

export interface EditFilter {
  object: 'edit_filter';
  name: string;
  label: string;
}

export interface EditRequest {
  source_file: string;
  operations: EditOperation[];
}

export const createEdit = (body: EditRequest) => api<Job>('POST', '/edits', { body });

export function useEditFilters() {
  return useQuery({
    queryKey: ['edits', 'filters'],
    queryFn: () => api<List<EditFilter>>('GET', '/edits/filters'),
    staleTime: Infinity,
  });
}

/** One JPEG frame of the edit at `time` (seconds of the output), as a Blob. */
export async function fetchEditPreview(body: EditRequest & { time: number; width?: number }): Promise<Blob> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'image/jpeg' };
  const csrf = getCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(buildUrl('/edits/preview'), { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body) });
  if (!res.ok) throw await parseProblem(res);
  return res.blob();
}

// Filter thumbnails and the timeline strip share this queue so they never flood the server
// (which renders at most two previews at a time anyway); the paused-player frame skips it.
const QUEUE_LIMIT = 2;
let running = 0;
const waiting: Array<() => void> = [];

export async function queuedEditPreview(body: Parameters<typeof fetchEditPreview>[0]): Promise<Blob> {
  if (running >= QUEUE_LIMIT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fetchEditPreview(body);
  } finally {
    running--;
    waiting.shift()?.();
  }
}
