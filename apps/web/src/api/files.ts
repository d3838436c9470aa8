import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { api } from './client';
import { qk } from './keys';
import type { FileKind, FileObject, List, Waveform } from './types';

export const listFiles = (q: { kind?: FileKind; limit?: number; starting_after?: string }) =>
  api<List<FileObject>>('GET', '/files', { query: q });
export const getFile = (id: string) => api<FileObject>('GET', `/files/${encodeURIComponent(id)}`);
export const deleteFile = (id: string) => api<void>('DELETE', `/files/${encodeURIComponent(id)}`);

const POLL_MS = 1500;

function anyProcessing(pages: Array<List<FileObject>> | undefined): boolean {
  return !!pages?.some((p) => p.data.some((f) => f.status === 'processing'));
}

/** Library pages, newest first, with "Load more"; polls while any file is still being prepared. */
export function useFilesInfinite(kind: FileKind | 'all', limit = 24) {
  return useInfiniteQuery({
    queryKey: qk.fileList(kind, limit),
    queryFn: ({ pageParam }) =>
      listFiles({ kind: kind === 'all' ? undefined : kind, limit, starting_after: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.has_more ? last.data[last.data.length - 1]?.id : undefined),
    refetchInterval: (query) =>
      anyProcessing((query.state.data as InfiniteData<List<FileObject>> | undefined)?.pages) ? POLL_MS : false,
  });
}

export function useFile(id: string | null) {
  return useQuery({
    queryKey: qk.file(id ?? ''),
    queryFn: () => getFile(id!),
    enabled: !!id,
    refetchInterval: (query) => (query.state.data?.status === 'processing' ? POLL_MS : false),
  });
}

export function useWaveform(url: string | null) {
  return useQuery({
    queryKey: qk.waveform(url ?? ''),
    queryFn: async () => {
      const res = await fetch(url!, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(`waveform ${res.status}`);
      return (await res.json()) as Waveform;
    },
    enabled: !!url,
    staleTime: Infinity,
    gcTime: 30 * 60_000,
    retry: 1,
  });
}

export function useDeleteFile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteFile,
    onSuccess: (_v, id) => {
      qc.removeQueries({ queryKey: qk.file(id) });
      void qc.invalidateQueries({ queryKey: qk.files });
    },
  });
}
