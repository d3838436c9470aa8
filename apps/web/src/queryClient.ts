import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/problem';
import { qk } from './api/keys';

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (err) => {
      // The session ended elsewhere (expired, signed out in another tab): show the login page.
      if (err instanceof ApiError && err.status === 401) {
        queryClient.setQueryData(qk.session, null);
      }
    },
  }),
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
