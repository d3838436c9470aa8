/**
 * Adds the error contract to the generated OpenAPI document: one `Problem` schema
 * (RFC 9457 + ClipMix's `code`, `request_id`, `errors`) and, on every operation, the error
 * responses every route can give, so clients (and the SDK) get the shape from the document.
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

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Invalid request (problem+json, code e.g. `invalid_request`, `invalid_json`)',
  '401': 'Missing or invalid credentials',
  '403': 'Authenticated, but not allowed (scope, CSRF, session required)',
  '404': 'No such resource (also for resources of other accounts)',
  '429': 'Rate limited; see `Retry-After`, `RateLimit-Policy`, `RateLimit`',
  default: 'Any other error, as problem+json',
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export function addProblemResponses(doc: any): any {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.Problem = problemSchema;
  const ref = { $ref: '#/components/schemas/Problem' };
  for (const item of Object.values<any>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      op.responses ??= {};
      for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
        if (op.responses[status]) continue;
        op.responses[status] = { description, content: { 'application/problem+json': { schema: ref } } };
      }
    }
  }
  return doc;
}
