/** The request-log filters the Developers page offers, and their GET /request_logs query. */
export interface RequestLogFilters {
  method: string | null;
  /** An exact code ("404") or a class ("4xx"). */
  status: string | null;
  pathPrefix: string;
  apiKey: string | null;
  /** Local calendar days (YYYY-MM-DD), both inclusive. */
  from: string;
  to: string;
}

export const NO_FILTERS: RequestLogFilters = { method: null, status: null, pathPrefix: '', apiKey: null, from: '', to: '' };

export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'];

export function hasFilters(f: RequestLogFilters): boolean {
  return !!(f.method || f.status || f.pathPrefix.trim() || f.apiKey || f.from || f.to);
}

/** Start of a local calendar day as an ISO instant; `plusDays` moves it. Empty or invalid → undefined. */
function dayStart(day: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function toQuery(f: RequestLogFilters): Record<string, string | undefined> {
  const isClass = !!f.status && /^[1-5]xx$/.test(f.status);
  return {
    method: f.method ?? undefined,
    status: f.status && !isClass ? f.status : undefined,
    status_class: isClass ? f.status! : undefined,
    path_prefix: f.pathPrefix.trim() || undefined,
    api_key: f.apiKey ?? undefined,
    created_gte: dayStart(f.from),
    // "to" is inclusive: everything before the start of the next day.
    created_lt: dayStart(f.to, 1),
  };
}
