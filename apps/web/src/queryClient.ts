import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/problem';
import { qk } from './api/keys';

/** The session ended elsewhere (expired, signed out in another tab): show the login page. */
function onApiError(err: unknown): void {
  if (err instanceof ApiError && err.status === 401 && err.code === 'unauthenticated') {
    queryClient.setQueryData(qk.session, null);
  }
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: true,
      retry: (count, err) => {
        if (err instanceof ApiError && err.status > 0 && err.status < 500) return false;
        return count < 2;
      },
    },
  },
});
