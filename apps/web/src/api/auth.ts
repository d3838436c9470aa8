import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, refreshSession, setCsrfToken } from './client';
import { qk } from './keys';
import type { Session, User } from './types';

export async function signup(body: { email: string; name: string; password: string }): Promise<Session> {
  const session = await api<Session>('POST', '/auth/signup', { body });
  setCsrfToken(session.csrf_token);
  return session;
}

export async function login(body: { email: string; password: string }): Promise<Session> {
  const session = await api<Session>('POST', '/auth/login', { body });
  setCsrfToken(session.csrf_token);
  return session;
}

export async function logout(): Promise<void> {
  await api<void>('POST', '/auth/logout');
  setCsrfToken(null);
}

export const verifyEmail = (token: string) => api<{ user: User }>('POST', '/auth/verify_email', { body: { token } });
export const resendVerification = () => api<void>('POST', '/auth/verify_email/resend');
export const requestPasswordReset = (email: string) => api<void>('POST', '/auth/password_reset', { body: { email } });
export const confirmPasswordReset = (token: string, password: string) =>
  api<void>('POST', '/auth/password_reset/confirm', { body: { token, password } });
export const requestEmailChange = (new_email: string, password: string) =>
  api<void>('POST', '/account/email_change', { body: { new_email, password } });
export const confirmEmailChange = (token: string) =>
  api<{ user: User }>('POST', '/auth/email_change/confirm', { body: { token } });

/** The signed-in session (null when signed out). Loaded once; updated by login, signup and account edits. */
export function useSession() {
  return useQuery({
    queryKey: qk.session,
    queryFn: refreshSession,
    staleTime: 5 * 60_000,
    retry: false,
    refetchOnWindowFocus: false,
  });
}

/** The signed-in user; only call below RequireAuth. */
export function useUser(): User {
  const { data } = useSession();
  if (!data) throw new Error('useUser() needs a signed-in session');
  return data.user;
}

/** Replaces the user in the cached session (after verify, account edits). */
export function useSetUser() {
  const qc = useQueryClient();
  return (user: User) => {
    qc.setQueryData<Session | null>(qk.session, (s) => (s ? { ...s, user } : s));
  };
}
