import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

/** Runs a one-time email-link action exactly once for a token (also under StrictMode). */
export function useTokenAction<T>(token: string, action: (token: string) => Promise<T>, onDone?: (result: T) => void) {
  const started = useRef<string | null>(null);
  const mutation = useMutation({ mutationFn: action, onSuccess: onDone });
  const { mutate } = mutation;
  useEffect(() => {
    if (!token || started.current === token) return;
    started.current = token;
    mutate(token);
  }, [token, mutate]);
  return mutation;
}
