import { addHttpConventions, responseHeaderRefs } from './openapi-conventions.js';
import { addOperationExamples } from './openapi-examples.js';

/**
 * Adds the error contract to the generated OpenAPI document: one `Problem` schema
 * (RFC 9457 + ClipMix's `code`, `request_id`, `errors`) and, on every operation, the error
 * responses every route can give, so clients (and the SDK) get the shape from the document.
 * POSTs also get the Idempotency-Key conflicts (409 `idempotency_key_in_use`, 422
 * `idempotency_key_reused`). The shared error responses are defined once under
 * `components.responses` (with their headers and examples) and referenced by the operations.
 */
export const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details. `detail` is safe to show to users; quote `request_id` when reporting.',
  required: ['type', 'title', 'status', 'detail', 'code', 'request_id'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://docs.clipmix.dev/errors/invalid_request' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'The request body is invalid: style: Invalid option' },
    code: { type: 'string', example: 'invalid_request' },
    request_id: { type: 'string', example: 'req_3kTqP0cW1xYzAbCdEfGh' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['param', 'message'],
        properties: { param: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

/** Problem examples shared by many responses (`$ref`ed from `components.examples`). */
export const problemExamples = {
  IdempotencyKeyInUse: {
    summary: 'The first request with this Idempotency-Key is still running',
    value: {
      type: 'https://docs.clipmix.dev/errors/idempotency_key_in_use',
      title: 'Conflict',
      status: 409,
      detail: 'A request with this Idempotency-Key is still being processed. Retry after it finishes to get its response.',
      code: 'idempotency_key_in_use',
      request_id: 'req_0VcOlJGo0AJoU2000012',
    },
  },
  IdempotencyKeyReused: {
    summary: 'The Idempotency-Key was first used with a different request',
    value: {
      type: 'https://docs.clipmix.dev/errors/idempotency_key_reused',
      title: 'Unprocessable Content',
      status: 422,
      detail:
        'This Idempotency-Key was already used with a different request (POST /api/v1/music_videos with other parameters). Use a new key for a new request.',
      code: 'idempotency_key_reused',
      request_id: 'req_0VcOlJGo0AJoU2000013',
    },
  },
  RateLimited: {
    summary: 'Over the rate limit',
    value: {
      type: 'https://docs.clipmix.dev/errors/rate_limited',
      title: 'Too Many Requests',
      status: 429,
      detail: 'Too many requests. Try again in 42 s.',
      code: 'rate_limited',
      request_id: 'req_0VcOlJGo0AJoU2000014',
    },
  },
} as const;

type ExampleName = keyof typeof problemExamples;

interface SharedResponse {
  status: string;
  description: string;
  /** Only POSTs can give it (the Idempotency-Key ones). */
  postOnly?: boolean;
  example?: ExampleName;
}

/** The error responses every operation (or every POST) can give, by component name. */
const SHARED_RESPONSES: Record<string, SharedResponse> = {
  BadRequest: {
    status: '400',
    description: 'Invalid request (problem+json, code e.g. `invalid_request`, `invalid_json`; on POST also `invalid_idempotency_key`)',
  },
  Unauthorized: { status: '401', description: 'Missing or invalid credentials' },
  Forbidden: { status: '403', description: 'Authenticated, but not allowed (scope, CSRF, session required)' },
  NotFound: { status: '404', description: 'No such resource (also for resources of other accounts)' },
  IdempotencyKeyInUse: {
    status: '409',
    postOnly: true,
    description:
      'Conflict: `idempotency_key_in_use` — a request with this Idempotency-Key is still running; retry after it finishes to get its response',
    example: 'IdempotencyKeyInUse',
  },
  IdempotencyKeyReused: {
    status: '422',
    postOnly: true,
    description:
      'Unprocessable: `idempotency_key_reused` — this Idempotency-Key was already used with a different request (method, path or body); ' +
      'operations that check their input beyond its shape also answer 422 with their own code (see the description)',
    example: 'IdempotencyKeyReused',
  },
  RateLimited: { status: '429', description: 'Rate limited; see `Retry-After`, `RateLimit-Policy`, `RateLimit`', example: 'RateLimited' },
  Error: { status: 'default', description: 'Any other error, as problem+json' },
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const PROBLEM_JSON = 'application/problem+json';
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/** The problem code an example shows, e.g. `idempotency_key_in_use` (also its key in `examples`). */
const codeOf = (name: ExampleName): string => problemExamples[name].value.code;

const exampleRefs = (name: ExampleName | undefined) =>
  name ? { examples: { [codeOf(name)]: { $ref: `#/components/examples/${name}` } } } : {};

/**
 * Completes the generated document with everything the routes share. server.ts applies this as
 * @fastify/swagger's `transformObject`, so besides the problem responses it also adds the HTTP
 * conventions (headers, Idempotency-Key: openapi-conventions.ts) and the request/response
 * examples (openapi-examples.ts).
 */
export function addProblemResponses(doc: any): any {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.Problem = problemSchema;
  doc.components.examples = { ...doc.components.examples, ...structuredClone(problemExamples) };
  doc.components.responses ??= {};
  for (const [name, r] of Object.entries(SHARED_RESPONSES)) {
    doc.components.responses[name] = {
      description: r.description,
      headers: responseHeaderRefs(r.status, r.postOnly ? 'post' : 'get'),
      content: { [PROBLEM_JSON]: { schema: PROBLEM_REF, ...exampleRefs(r.example) } },
    };
  }
  for (const item of Object.values<any>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      op.responses ??= {};
      for (const [name, r] of Object.entries(SHARED_RESPONSES)) {
        if (r.postOnly && method !== 'post') continue;
        const own = op.responses[r.status];
        if (!own) {
          op.responses[r.status] = { $ref: `#/components/responses/${name}` };
        } else if (r.postOnly && !own.$ref && !String(own.description ?? '').includes(codeOf(r.example!))) {
          // The operation documents its own 409/422: the Idempotency-Key one can happen as well.
          own.description = `${own.description ?? ''} Also: ${r.description}`.trim();
          const media = own.content?.[PROBLEM_JSON];
          if (media) own.content[PROBLEM_JSON] = { ...media, examples: { ...media.examples, ...exampleRefs(r.example).examples } };
        }
      }
    }
  }
  addHttpConventions(doc);
  addOperationExamples(doc);
  return doc;
}
