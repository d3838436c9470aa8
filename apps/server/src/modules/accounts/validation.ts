import { z } from 'zod';
import { badRequest, type FieldError } from '../../platform/errors.js';

/**
 * Input rules shared by the HTTP schemas (zod, also in OpenAPI) and the service (the CLI calls
 * the service directly). Emails are normalised (trimmed, lowercased) before anything else.
 */
export const EMAIL_MAX = 254;
export const NAME_MAX = 100;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

// RFC-ish: a local part without spaces, quotes or brackets (≤ 64), '@', then dot-separated
// labels of letters/digits/hyphens (Unicode letters allowed), the last one ≥ 2 letters.
const EMAIL_RE =
  /^(?=[^@]{1,64}@)[^\s@"(),:;<>[\]\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;
// eslint-disable-next-line no-control-regex
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX)
  .regex(EMAIL_RE, { message: 'must be a valid email address' })
  .describe('Email address (case-insensitive)');

export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(NAME_MAX)
  .regex(NO_CONTROL_CHARS, { message: 'must not contain control characters' })
  .describe('Display name');

export const passwordSchema = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX).describe(`${PASSWORD_MIN}–${PASSWORD_MAX} characters`);

/** Parses with a zod schema and turns issues into a 400 `invalid_request` DomainError. */
export function validate<T extends z.ZodTypeAny>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const errors: FieldError[] = r.error.issues.map((i) => ({ param: i.path.join('.') || 'body', message: i.message }));
  throw badRequest('invalid_request', `The request is invalid: ${errors.map((e) => `${e.param}: ${e.message}`).join('; ')}`, errors);
}
