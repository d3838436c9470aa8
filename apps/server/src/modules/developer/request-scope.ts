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

/** Scopes entered and not yet left. */
let open = 0;

/**
 * Runs `fn` (the rest of the request's hook chain and handler) inside `scope`. Returns the
 * function that leaves it; call it once the request is over (calling it again does nothing).
 *
 * On Node 20 an AsyncLocalStorage costs every promise of the process an init hook for as long as
 * it is enabled, so it is disabled again whenever no request is inside a scope: requests that
 * never enter one (GETs: they charge nothing) then pay nothing for it.
 */
export function runInRequestScope(scope: RequestScope, fn: () => void): () => void {
  open++;
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    if (--open === 0) storage.disable();
  };
  storage.run(scope, fn);
  return leave;
}

/**
 * Integration point for JobsService: call with the credits a job creation or retry charged.
 * Outside an API-key request (sessions, workers, CLI) it does nothing.
 */
export function noteCreditsCharged(amount: number): void {
  const scope = storage.getStore();
  if (scope && Number.isFinite(amount) && amount > 0) scope.creditsCharged += amount;
}
