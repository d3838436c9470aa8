import { rememberJson } from '../../platform/known-json.js';
import type { JobRow } from './db.js';

/** The columns the API shows of a job (toApi). */
export const API_COLUMNS = [
  'id',
  'type',
  'status',
  'progress',
  'created_at',
  'started_at',
  'finished_at',
  'input',
  'output',
  'error_code',
  'error_message',
  'credits_charged',
  'provider',
  'attempts',
  'livemode',
] as const;
export type JobApiRow = Pick<JobRow, (typeof API_COLUMNS)[number]>;

export interface JobApi {
  object: 'job';
  id: string;
  type: string;
  status: JobRow['status'];
  progress: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  input: Record<string, unknown>;
  output: { files: { file: string; role: string }[]; size_bytes: number } | null;
  error: { code: string; message: string } | null;
  credits_charged: number;
  provider: string;
  attempts: number;
  livemode: boolean;
}

export function toApi(row: JobApiRow): JobApi {
  return toApiWith(row, safeJson);
}

/**
 * toApi() for a response that is only serialised (GET /jobs/{id}): `input` and `output` come
 * from a small cache of parsed, deeply frozen values by their JSON text — a job's input never
 * changes, and parsing a short text costs more than looking it up.
 */
export function toApiReadOnly(row: JobApiRow): JobApi {
  return toApiWith(row, frozenJson);
}

function toApiWith(row: JobApiRow, parse: (text: string) => any): JobApi {
  const output = row.output ? (parse(row.output) as JobApi['output']) : null;
  return {
    object: 'job',
    id: row.id,
    type: row.type,
    status: row.status,
    progress: Number(row.progress),
    created_at: row.created_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    input: (parse(row.input) as Record<string, unknown>) ?? {},
    output,
    error: row.status === 'failed' ? { code: row.error_code ?? 'job_failed', message: row.error_message ?? 'The job failed.' } : null,
    credits_charged: Number(row.credits_charged),
    provider: row.provider,
    attempts: Number(row.attempts),
    livemode: row.livemode === undefined ? true : Boolean(Number(row.livemode)),
  };
}

export function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const FROZEN_JSON_MAX_ENTRIES = 1_000;
const FROZEN_JSON_MAX_LENGTH = 4_096;
const frozenJsonCache = new Map<string, unknown>();

/** safeJson() of a short text, parsed once and deeply frozen (shared by every caller). */
function frozenJson(text: string): any {
  if (text.length > FROZEN_JSON_MAX_LENGTH) return safeJson(text);
  let value = frozenJsonCache.get(text);
  if (value === undefined) {
    value = deepFreeze(safeJson(text));
    // Records are written by the response serialiser from this text instead of walked again.
    if (value && typeof value === 'object' && !Array.isArray(value)) rememberJson(value, JSON.stringify(value));
    if (frozenJsonCache.size >= FROZEN_JSON_MAX_ENTRIES) frozenJsonCache.clear();
    frozenJsonCache.set(text, value);
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
