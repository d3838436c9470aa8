import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type FieldError } from '../platform/errors.js';

/** RFC 9457 problem document, as every ClipMix error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  request_id: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(
  req: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
): Problem {
  return {
    type: `https://docs.clipmix.dev/errors/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    request_id: String(req.id),
    ...(errors && errors.length ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, p: Problem, headers?: Record<string, string>) {
  if (headers) reply.headers(headers);
  return reply.code(p.status).type('application/problem+json').send(p);
}

/** Maps any thrown error to a problem. Unknown errors become a 500 without internals. */
export function errorToProblem(err: unknown, req: FastifyRequest): { problem: Problem; headers?: Record<string, string> } {
  if (err instanceof DomainError) {
    return { problem: problem(req, err.status, err.code, err.message, err.errors), headers: err.headers };
  }
  const fe = err as FastifyError & { validation?: unknown; validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const where = fe.validationContext ?? 'body';
    const errors = fe.validation.map((v) => {
      const p = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const param = p || (v.params as { issue?: { keys?: string[] } })?.issue?.keys?.join(',') || where;
      return { param, message: v.message ?? 'is invalid' };
    });
    return { problem: problem(req, 400, 'invalid_request', `The request ${where} is invalid: ${errors.map((e) => `${e.param}: ${e.message}`).join('; ')}`, errors) };
  }
  const code = fe?.code;
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (fe instanceof SyntaxError && status === 400)) {
    return { problem: problem(req, 400, 'invalid_json', 'The request body is not valid JSON.') };
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { problem: problem(req, 415, 'unsupported_content_type', 'This endpoint does not accept that Content-Type.') };
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE') {
    return { problem: problem(req, 413, 'payload_too_large', 'The request body is too large.') };
  }
  if (status === 429) {
    return { problem: problem(req, 429, 'rate_limited', fe.message || 'Too many requests.') };
  }
  if (status >= 400 && status < 500) {
    return { problem: problem(req, status, (code ?? 'bad_request').toLowerCase(), fe.message || 'Bad request.') };
  }
  return { problem: problem(req, 500, 'internal_error', 'Something went wrong on our side. Quote the request id when reporting it.') };
}
