import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../modules/developer/idempotency.js';

/**
 * The HTTP conventions every operation shares (API.md, Conventions), written into the generated
 * OpenAPI document so clients and the SDK get them from the document rather than from prose:
 *
 *  - `Idempotency-Key` request header on every POST (≤ 255 characters);
 *  - response headers: `Request-Id` on every response, `RateLimit-Policy` / `RateLimit` on every
 *    /api/v1 response (sent whenever a limit was counted), `Retry-After` on 429, and
 *    `Idempotent-Replayed` on the success responses of POSTs.
 *
 * The header and parameter objects live once under `components` and operations `$ref` them, so
 * the document grows by a few references per response, not by the objects themselves.
 */

const ref = (kind: 'headers' | 'parameters', name: string) => ({ $ref: `#/components/${kind}/${name}` });

export const conventionHeaders = {
  'Request-Id': {
    description:
      'The id of this request (`req_…`). Problems carry the same id as `request_id` and the request log as `id`; quote it when reporting a problem.',
    required: true,
    schema: { type: 'string', pattern: '^req_[0-9A-Za-z]{20}$' },
    example: 'req_0VcOlGUL0AJoU2000007',
  },
  'RateLimit-Policy': {
    description:
      'IETF RateLimit policy of the limit this request counted against: `<limit>;w=<window seconds>`. Sent for API-key requests ' +
      '(the key’s `rate_limit_per_minute`) and for rate-limited anonymous and sign-in requests (per IP).',
    required: false,
    schema: { type: 'string', pattern: '^\\d+;w=\\d+$' },
    example: '600;w=60',
  },
  RateLimit: {
    description: 'IETF RateLimit state of that limit: the limit, the requests left in the window and the seconds until it resets.',
    required: false,
    schema: { type: 'string', pattern: '^limit=\\d+, remaining=\\d+, reset=\\d+$' },
    example: 'limit=600, remaining=598, reset=55',
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying (the rest of the rate-limit window).',
    required: true,
    schema: { type: 'integer', minimum: 1 },
    example: 42,
  },
  'Idempotent-Replayed': {
    description:
      'Present (`true`) when this is the stored response of an earlier request with the same `Idempotency-Key`, returned again instead of running the request twice.',
    required: false,
    schema: { type: 'string', enum: ['true'] },
    example: 'true',
  },
} as const;

export const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    `Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with ` +
    '`Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on ' +
    'requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first ' +
    'request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — ' +
    'field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. ' +
    'Validation failures (400, 413, 415, 422) and 429s are not kept, ' +
    `so the corrected request can reuse the key. 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters (400 \`invalid_idempotency_key\` otherwise); a UUID is a good choice.`,
  schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
  example: '5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10',
} as const;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** The shared headers of a response with `status` to `method` (references to `components.headers`). */
export function responseHeaderRefs(status: string, method: string, apiPath = true): Record<string, { $ref: string }> {
  const headers: Record<string, { $ref: string }> = { 'Request-Id': ref('headers', 'Request-Id') };
  if (apiPath) {
    headers['RateLimit-Policy'] = ref('headers', 'RateLimit-Policy');
    headers.RateLimit = ref('headers', 'RateLimit');
  }
  if (status === '429') headers['Retry-After'] = ref('headers', 'Retry-After');
  if (method === 'post' && /^2/.test(status)) headers['Idempotent-Replayed'] = ref('headers', 'Idempotent-Replayed');
  return headers;
}

/**
 * Adds the shared headers and the Idempotency-Key parameter to a generated document (in place).
 * Responses that are references (`components.responses`) carry their headers themselves.
 */
export function addHttpConventions(doc: any): any {
  doc.components ??= {};
  doc.components.headers = { ...doc.components.headers, ...structuredClone(conventionHeaders) };
  doc.components.parameters = { ...doc.components.parameters, IdempotencyKey: structuredClone(idempotencyKeyParameter) };

  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      if (method === 'post') {
        op.parameters ??= [];
        const has = op.parameters.some(
          (p: any) => p?.$ref === ref('parameters', 'IdempotencyKey').$ref || (p?.in === 'header' && String(p?.name).toLowerCase() === 'idempotency-key'),
        );
        if (!has) op.parameters.push(ref('parameters', 'IdempotencyKey'));
      }
      for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
        if (!response || response.$ref) continue;
        // Headers an operation documents itself win.
        response.headers = { ...responseHeaderRefs(status, method, path.startsWith('/api/v1/')), ...response.headers };
      }
    }
  }
  return doc;
}
