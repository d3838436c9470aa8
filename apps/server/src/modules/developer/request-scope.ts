import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the developer platform tracks about one /api/v1 request made with an API key, for its
 * request-log row. The request hooks (hooks.ts) run the rest of the request inside this scope,
 * so code deep in a service can add to it without knowing about HTTP.
 */
export interface RequestScope {
  /** Credits charged by jobs created (or retried) during this request. */
  creditsCharged: number;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` (the rest of the request's hook chain and handler) inside `scope`. */
export function runInRequestScope(scope: RequestScope, fn: () => void): void {
  storage.run(scope, fn);
}

/**
 * Integration point for JobsService: call with the credits a job creation or retry charged.
 * Outside an API-key request (sessions, workers, CLI) it does nothing.
 */
export function noteCreditsCharged(amount: number): void {
  const scope = storage.getStore();
  if (scope && Number.isFinite(amount) && amount > 0) scope.creditsCharged += amount;
}
