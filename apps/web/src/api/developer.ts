import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { qk } from './keys';
import { ApiError } from './problem';
import type {
  ApiKey,
  CreateApiKeyInput,
  CreatedApiKey,
  DeliveryStatus,
  List,
  RequestLog,
  WebhookDelivery,
} from './types';

const id = (value: string) => encodeURIComponent(value);

export const createApiKey = (body: CreateApiKeyInput) => api<CreatedApiKey>('POST', '/api_keys', { body });
export const revokeApiKey = (keyId: string) => api<ApiKey>('DELETE', `/api_keys/${id(keyId)}`);
export const sendTestWebhook = (keyId: string) => api<WebhookDelivery>('POST', `/api_keys/${id(keyId)}/test_webhook`);
export const replayDelivery = (deliveryId: string) =>
  api<WebhookDelivery>('POST', `/webhook_deliveries/${id(deliveryId)}/replay`);

/** This account's API keys; `null` when the server has no developer platform (404). */
export function useApiKeys() {
  return useQuery({
    queryKey: qk.apiKeys,
    queryFn: async () => {
      try {
        return await api<List<ApiKey>>('GET', '/api_keys', { query: { limit: 100 } });
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    staleTime: 30_000,
    retry: false,
  });
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createApiKey,
    // The response holds the one-time secrets: forget it as soon as nothing shows it.
    gcTime: 0,
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: revokeApiKey,
    onSuccess: (key) => {
      qc.setQueryData<List<ApiKey> | null>(qk.apiKeys, (old) =>
        old ? { ...old, data: old.data.map((k) => (k.id === key.id ? key : k)) } : old,
      );
      void qc.invalidateQueries({ queryKey: qk.apiKeys });
    },
  });
}

export function useSendTestWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: sendTestWebhook,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.deliveries });
      void qc.invalidateQueries({ queryKey: qk.apiKeys });
    },
  });
}

export function useReplayDelivery() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: replayDelivery,
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.deliveries }),
  });
}

export interface RequestLogFilters {
  method?: string;
  status?: string;
}

/** Requests made with this account's keys, newest first, with "Load more". */
export function useRequestLogs(filters: RequestLogFilters, limit = 25) {
  return useInfiniteQuery({
    queryKey: qk.requestLogs(filters),
    queryFn: ({ pageParam }) =>
      api<List<RequestLog>>('GET', '/request_logs', {
        query: { limit, method: filters.method, status: filters.status, starting_after: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.has_more ? last.data[last.data.length - 1]?.id : undefined),
    staleTime: 0,
  });
}

/** Webhook deliveries, newest first; polls gently while any listed delivery is still pending. */
export function useWebhookDeliveries(status: DeliveryStatus | 'all', limit = 20) {
  return useInfiniteQuery({
    queryKey: qk.deliveryList(status),
    queryFn: ({ pageParam }) =>
      api<List<WebhookDelivery>>('GET', '/webhook_deliveries', {
        query: { limit, status: status === 'all' ? undefined : status, starting_after: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.has_more ? last.data[last.data.length - 1]?.id : undefined),
    staleTime: 0,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.data.some((d) => d.status === 'pending')) ? 10_000 : false,
  });
}
