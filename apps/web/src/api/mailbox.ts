import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import { qk } from './keys';
import { ApiError } from './problem';
import type { List, MailMessage } from './types';

/** The development mailbox; `null` when the server sends real email (404). */
export function useMailbox(opts: { enabled?: boolean; poll?: boolean } = {}) {
  return useQuery({
    queryKey: qk.mailbox,
    queryFn: async () => {
      try {
        return await api<List<MailMessage>>('GET', '/dev/mailbox');
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    enabled: opts.enabled ?? true,
    staleTime: 10_000,
    retry: false,
    refetchInterval: (query) => (opts.poll && query.state.data ? 5000 : false),
  });
}
