import type { ProblemDetails } from './types';

/** An API failure: the RFC 9457 problem the server sent, or one made up for network failures. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly fieldErrors: Array<{ param: string; message: string }>;

  constructor(problem: ProblemDetails) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code ?? (problem.status === 0 ? 'network_error' : `http_${problem.status}`);
    this.detail = problem.detail;
    this.requestId = problem.request_id;
    this.fieldErrors = problem.errors ?? [];
  }

  /** The message for one form field, when the server pointed at it. */
  fieldError(param: string): string | undefined {
    return this.fieldErrors.find((e) => e.param === param || e.param.endsWith(`.${param}`))?.message;
  }
}

/** Reads a problem body from any failed response (problem+json, plain JSON or nothing usable). */
export async function parseProblem(res: Response): Promise<ApiError> {
  let body: Partial<ProblemDetails> | null = null;
  try {
    const text = await res.text();
    body = text ? (JSON.parse(text) as Partial<ProblemDetails>) : null;
  } catch {
    body = null;
  }
  return new ApiError({
    ...(body ?? {}),
    status: res.status,
    request_id: body?.request_id ?? res.headers.get('Request-Id') ?? undefined,
  });
}

export function problemFromText(status: number, text: string, requestId?: string | null): ApiError {
  let body: Partial<ProblemDetails> | null = null;
  try {
    body = text ? (JSON.parse(text) as Partial<ProblemDetails>) : null;
  } catch {
    body = null;
  }
  return new ApiError({ ...(body ?? {}), status, request_id: body?.request_id ?? requestId ?? undefined });
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
