import type { FileKind, JobStatus } from './types';

/** React Query keys, in one place so invalidation stays consistent. */
export const qk = {
  session: ['session'] as const,
  account: ['account'] as const,
  files: ['files'] as const,
  fileList: (kind: FileKind | 'all', limit: number) => ['files', 'list', kind, limit] as const,
  file: (id: string) => ['files', 'detail', id] as const,
  waveform: (url: string) => ['waveform', url] as const,
  jobs: ['jobs'] as const,
  jobList: (filters: { status?: JobStatus | 'all'; type?: string; limit: number }) =>
    ['jobs', 'list', filters.status ?? 'all', filters.type ?? 'all', filters.limit] as const,
  job: (id: string) => ['jobs', 'detail', id] as const,
  credits: ['credits'] as const,
  mailbox: ['mailbox'] as const,
  apiKeys: ['api_keys'] as const,
  requestLogs: (filters: { method?: string; status?: string }) =>
    ['request_logs', filters.method ?? 'all', filters.status ?? 'all'] as const,
  deliveries: ['webhook_deliveries'] as const,
  deliveryList: (status: string) => ['webhook_deliveries', status] as const,
};
