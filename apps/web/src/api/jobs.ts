import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { api } from './client';
import { qk } from './keys';
import { isJobActive, type Job, type JobStatus, type List } from './types';

export interface JobFilters {
  status?: JobStatus | 'all';
  type?: string;
  limit: number;
}

export const listJobs = (q: { status?: JobStatus; type?: string; limit?: number; starting_after?: string }) =>
  api<List<Job>>('GET', '/jobs', { query: q });
export const getJob = (id: string) => api<Job>('GET', `/jobs/${encodeURIComponent(id)}`);
export const cancelJob = (id: string) => api<Job>('POST', `/jobs/${encodeURIComponent(id)}/cancel`);
export const retryJob = (id: string) => api<Job>('POST', `/jobs/${encodeURIComponent(id)}/retry`);
export const deleteJob = (id: string) => api<void>('DELETE', `/jobs/${encodeURIComponent(id)}`);

const POLL_MS = 2500;

/** Job history pages, newest first; polls gently while any listed job is still active. */
export function useJobsInfinite(filters: JobFilters) {
  return useInfiniteQuery({
    queryKey: qk.jobList(filters),
    queryFn: ({ pageParam }) =>
      listJobs({
        status: filters.status === 'all' ? undefined : filters.status,
        type: filters.type,
        limit: filters.limit,
        starting_after: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.has_more ? last.data[last.data.length - 1]?.id : undefined),
    refetchInterval: (query) => {
      const pages = (query.state.data as InfiniteData<List<Job>> | undefined)?.pages;
      return pages?.some((p) => p.data.some((j) => isJobActive(j.status))) ? POLL_MS : false;
    },
  });
}

export function useJob(id: string | null, opts: { poll?: boolean } = {}) {
  return useQuery({
    queryKey: qk.job(id ?? ''),
    queryFn: () => getJob(id!),
    enabled: !!id,
    refetchInterval: (query) =>
      opts.poll !== false && query.state.data && isJobActive(query.state.data.status) ? POLL_MS : false,
  });
}

/** Writes a job (or part of one) into every cached list and its detail entry. */
export function patchJobInCache(qc: QueryClient, id: string, patch: Partial<Job>): void {
  qc.setQueryData<Job>(qk.job(id), (old) => (old ? { ...old, ...patch } : old));
  qc.setQueriesData<InfiniteData<List<Job>>>({ queryKey: ['jobs', 'list'] }, (old) => {
    if (!old) return old;
    let changed = false;
    const pages = old.pages.map((page) => ({
      ...page,
      data: page.data.map((job) => {
        if (job.id !== id) return job;
        changed = true;
        return { ...job, ...patch };
      }),
    }));
    return changed ? { ...old, pages } : old;
  });
}

/** After a job changes state for good: refresh everything it may have touched. */
export function invalidateAfterJob(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: qk.jobs });
  void qc.invalidateQueries({ queryKey: qk.files });
  void qc.invalidateQueries({ queryKey: qk.credits });
}

function useJobMutation(fn: (id: string) => Promise<Job | void>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (result, id) => {
      if (result) patchJobInCache(qc, id, result);
      else qc.removeQueries({ queryKey: qk.job(id) });
      invalidateAfterJob(qc);
    },
  });
}

export const useCancelJob = () => useJobMutation(cancelJob);
export const useRetryJob = () => useJobMutation(retryJob);
export const useDeleteJob = () => useJobMutation(deleteJob);
