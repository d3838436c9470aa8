import type { FastifyRequest } from 'fastify';
import { unprocessable } from '../../platform/errors.js';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { keys?: string[] } };
}

/**
 * Song requests answer schema violations with 422 and one `errors[]` entry per parameter
 * (unknown genre, duration out of range …) instead of the platform's generic 400.
 */
export function throwIfInvalid(req: FastifyRequest): void {
  const v = (req as unknown as { validationError?: { message: string; validation?: ValidationIssue[] } }).validationError;
  if (!v) return;
  const errors = (v.validation ?? []).map((e) => {
    const p = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    return { param: p || e.params?.issue?.keys?.join(',') || 'body', message: e.message ?? 'is invalid' };
  });
  if (!errors.length) errors.push({ param: 'body', message: v.message });
  throw unprocessable('invalid_song_request', errors.map((e) => `${e.param}: ${e.message}`).join('; '), errors);
}
