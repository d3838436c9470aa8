import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Job, List } from './types';

export interface ConsentState {
  object: 'privacy_consent';
  analytics: boolean | null;
  objection: boolean;
  source: string | null;
  updated_at: string | null;
}

export type PrivacyAction = 'export_requested' | 'export_ready' | 'consent_changed' | 'objection_set' | 'objection_withdrawn';

export interface PrivacyLogEntry {
  object: 'privacy_log_entry';
  id: string;
  action: PrivacyAction;
  detail: Record<string, unknown>;
  created_at: string;
}

export interface PrivacyConfig {
  object: 'privacy_config';
  integrations: {
    database: 'sqlite' | 'postgres';
    file_storage: 'local' | 's3';
    queue: 'embedded' | 'redis';
    email: 'local_mailbox' | 'smtp' | 'resend';
    analytics: 'first_party';
    ga4_conversions: boolean;
  };
  job_providers: Array<{ job_type: string; provider: string }>;
  retention: Array<{ module: string; table: string; days: number; description: string }>;
  data: Array<{ module: string; table: string; description: string; exported: boolean; deleted_with_account: boolean }>;
}

export const privacyKeys = {
  consent: ['privacy', 'consent'] as const,
  log: ['privacy', 'log'] as const,
  config: ['privacy', 'config'] as const,
};

export const getAccountConsent = () => api<ConsentState>('GET', '/account/privacy');
export const putAccountConsent = (body: { analytics?: boolean; objection?: boolean; source?: 'banner' | 'settings' }) =>
  api<ConsentState>('PUT', '/account/privacy', { body });
export const putDeviceConsent = (device_id: string, analytics: boolean) =>
  api<ConsentState>('PUT', '/privacy/consent', { body: { device_id, analytics } });
export const requestExport = () => api<Job>('POST', '/account/export');
export const deleteAccount = (password: string) => api<void>('DELETE', '/account', { body: { password } });

export function useAccountConsent() {
  return useQuery({ queryKey: privacyKeys.consent, queryFn: getAccountConsent });
}

export function usePrivacyLog() {
  return useQuery({ queryKey: privacyKeys.log, queryFn: () => api<List<PrivacyLogEntry>>('GET', '/account/privacy/log', { query: { limit: 50 } }) });
}

export function usePrivacyConfig() {
  return useQuery({ queryKey: privacyKeys.config, queryFn: () => api<PrivacyConfig>('GET', '/privacy/config'), staleTime: 5 * 60_000 });
}

/** Changes the signed-in user's consent; refreshes the state and the log. */
export function useUpdateConsent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: putAccountConsent,
    onSuccess: (state) => {
      qc.setQueryData(privacyKeys.consent, state);
      void qc.invalidateQueries({ queryKey: privacyKeys.log });
    },
  });
}
