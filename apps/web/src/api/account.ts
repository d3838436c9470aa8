import { useMutation, useQuery } from '@tanstack/react-query';
import { useSetUser } from './auth';
import { api } from './client';
import { qk } from './keys';
import type { CreditBalance, Locale, User } from './types';

export const updateAccount = (patch: { name?: string; locale?: Locale }) =>
  api<User>('PATCH', '/account', { body: patch });

export function useUpdateAccount() {
  const setUser = useSetUser();
  return useMutation({ mutationFn: updateAccount, onSuccess: setUser });
}

export function useCredits(enabled = true) {
  return useQuery({
    queryKey: qk.credits,
    queryFn: () => api<CreditBalance>('GET', '/credits'),
    enabled,
    staleTime: 30_000,
  });
}
