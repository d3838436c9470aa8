/**
 * Domain errors. Services throw these; one HTTP plugin maps them to RFC 9457 problem+json,
 * and the CLI prints their message. They never carry stack traces to clients.
 */
export interface FieldError {
  param: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (code: string, message: string, errors?: FieldError[]) =>
  new DomainError(400, code, message, errors);
export const unauthorized = (message = 'Authentication is required.', code = 'unauthenticated') =>
  new DomainError(401, code, message);
export const forbidden = (message = 'You are not allowed to do this.', code = 'forbidden') =>
  new DomainError(403, code, message);
export const notFound = (what = 'resource', code = 'resource_missing') =>
  new DomainError(404, code, `No such ${what}.`);
export const conflict = (code: string, message: string) => new DomainError(409, code, message);
export const payloadTooLarge = (message: string) => new DomainError(413, 'payload_too_large', message);
export const unsupportedMedia = (message: string, code = 'unsupported_media_type') =>
  new DomainError(415, code, message);
export const unprocessable = (code: string, message: string, errors?: FieldError[]) =>
  new DomainError(422, code, message, errors);
export const paymentRequired = (message: string) => new DomainError(402, 'insufficient_credits', message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new DomainError(429, 'rate_limited', `Too many requests. Try again in ${retryAfterSeconds} s.`, undefined, {
    'Retry-After': String(retryAfterSeconds),
  });
