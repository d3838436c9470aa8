import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { List, RequestLog } from '../../api/types';
import { toQuery, type RequestLogFilters } from './requestLogFilters';

/**
 * The request log with every filter GET /request_logs supports, newest first, with "Load more".
 * Its query key starts with 'request_logs', so invalidating the request log refreshes it too.
 */
export function useRequestLogSearch(filters: RequestLogFilters, limit = 25) {
  const query = toQuery(filters);
  return useInfiniteQuery({
    queryKey: ['request_logs', 'search', query] as const,
    queryFn: ({ pageParam }) => api<List<RequestLog>>('GET', '/request_logs', { query: { ...query, limit, starting_after: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.has_more ? last.data[last.data.length - 1]?.id : undefined),
    staleTime: 0,
  });
}
