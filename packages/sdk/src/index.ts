/**
 * @clipmix/sdk — typed client of the ClipMix public API.
 *
 * The API shapes come from `schema.d.ts`, generated from the server's OpenAPI document by
 * `node --import tsx packages/sdk/scripts/generate.ts`; nothing here restates them by hand.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, paths } from './schema.js';

/** The typed openapi-fetch client: `client.GET('/api/v1/jobs/{id}', { params: { path: { id } } })`. */
export type ClipMixClient = Client<paths>;

// ---- Resource types, taken from the generated paths -------------------------------------------

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** A `job` (GET /api/v1/jobs/{id}). */
export type Job = JsonOf<paths['/api/v1/jobs/{id}']['get']['responses'][200]>;
export type JobStatus = Job['status'];
/** The statuses after which a job never changes again. */
export type FinalJobStatus = Exclude<JobStatus, 'queued' | 'running'>;
/** A `file` (POST /api/v1/files, GET /api/v1/files/{id}). */
export type FileObject = JsonOf<paths['/api/v1/files']['post']['responses'][201]>;
type UploadForm = NonNullable<paths['/api/v1/files']['post']['requestBody']>['content']['multipart/form-data'];
export type FilePurpose = NonNullable<UploadForm['purpose']>;
/** The JSON body of POST /api/v1/music_videos. */
export type CreateMusicVideoParams = NonNullable<paths['/api/v1/music_videos']['post']['requestBody']>['content']['application/json'];

export const FINAL_JOB_STATUSES: readonly FinalJobStatus[] = ['succeeded', 'failed', 'canceled'];

// ---- Errors ------------------------------------------------------------------------------------

/**
 * An RFC 9457 problem document, as every ClipMix error response (`application/problem+json`),
 * typed from the OpenAPI document's `Problem` schema. Fields other than `status` and `code` are
 * optional here because a proxy in front of ClipMix may answer with something that is not a
 * problem document; unknown members are kept.
 */
export type Problem = Partial<components['schemas']['Problem']> & {
  status: number;
  code: string;
  [member: string]: unknown;
};

/** Thrown for every non-2xx API response. */
export class ClipMixApiError extends Error {
  override readonly name = 'ClipMixApiError';
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  /** The request id (problem `request_id`, else the `Request-Id` header). */
  readonly requestId: string | undefined;
  /** Same as `requestId`, spelled as in the problem document. */
  readonly request_id: string | undefined;
  readonly errors: Problem['errors'];
  readonly problem: Problem;
  readonly headers: Headers;

  constructor(problem: Problem, headers: Headers = new Headers()) {
    super(`${problem.status} ${problem.code}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.problem = problem;
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.requestId = problem.request_id ?? headers.get('request-id') ?? undefined;
    this.request_id = this.requestId;
    this.errors = problem.errors;
    this.headers = headers;
  }

  /** Builds the error from a non-2xx response (its body is read from a clone). */
  static async fromResponse(response: Response): Promise<ClipMixApiError> {
    let body: unknown;
    const text = await response.clone().text().catch(() => '');
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const p = (body && typeof body === 'object' ? body : {}) as Partial<Problem>;
    const problem: Problem = {
      ...p,
      status: typeof p.status === 'number' ? p.status : response.status,
      code: typeof p.code === 'string' ? p.code : `http_${response.status}`,
      detail: typeof p.detail === 'string' ? p.detail : text.slice(0, 500) || response.statusText || undefined,
    };
    return new ClipMixApiError(problem, response.headers);
  }
}

export class ClipMixTimeoutError extends Error {
  override readonly name = 'ClipMixTimeoutError';
}

// ---- Client ------------------------------------------------------------------------------------

export interface ClipMixClientOptions {
  /** Server origin, e.g. `https://clipmix.example` (the `/api/v1/...` paths are appended). */
  baseUrl: string;
  /** `sk_live_…` or `sk_test_…`. */
  apiKey: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof globalThis.fetch;
  /** Throw `ClipMixApiError` for non-2xx responses (default true). With false, read `{ error }`. */
  throwOnError?: boolean;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

const throwOnErrorMiddleware: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await ClipMixApiError.fromResponse(response);
    return undefined;
  },
};

export function createClipMixClient(options: ClipMixClientOptions): ClipMixClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const client = createClient<paths>({
    baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: { ...options.headers, Authorization: `Bearer ${options.apiKey}` },
  });
  if (options.throwOnError !== false) client.use(throwOnErrorMiddleware);
  return client;
}

// ---- Helpers -----------------------------------------------------------------------------------

/** What the helpers attach (non-enumerable) to the objects they return. */
export interface ResponseInfo {
  status: number;
  requestId: string | null;
  /** True when the server replayed a stored response for a reused `Idempotency-Key`. */
  idempotentReplayed: boolean;
  headers: Headers;
}
export type WithResponse<T> = T & { readonly lastResponse: ResponseInfo };

export interface PostOptions {
  /** Sent as `Idempotency-Key`: a retry with the same key returns the first response (24 h). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

async function unwrap<T>(
  result: { data?: T; error?: unknown; response: Response },
): Promise<WithResponse<T>> {
  const { data, response } = result;
  if (!response.ok || data === undefined) {
    // Only reached when the client was created with `throwOnError: false`.
    throw await ClipMixApiError.fromResponse(response);
  }
  const info: ResponseInfo = {
    status: response.status,
    requestId: response.headers.get('request-id'),
    idempotentReplayed: response.headers.get('idempotent-replayed') === 'true',
    headers: response.headers,
  };
  Object.defineProperty(data, 'lastResponse', { value: info, enumerable: false });
  return data as WithResponse<T>;
}

/** The `Idempotency-Key` header parameter every POST declares in the OpenAPI document. */
function idempotencyHeader(opts: PostOptions): { 'Idempotency-Key'?: components['parameters']['IdempotencyKey'] } {
  return opts.idempotencyKey ? { 'Idempotency-Key': opts.idempotencyKey } : {};
}

export interface UploadFileParams extends PostOptions {
  data: Blob | Uint8Array | ArrayBuffer;
  filename: string;
  purpose?: FilePurpose;
  /** MIME type of the part (only used when `data` is not already a typed Blob). */
  contentType?: string;
}

/** POST /api/v1/files (multipart). The new upload gets a `media.process` job (`processing_job`). */
export async function uploadFile(client: ClipMixClient, params: UploadFileParams): Promise<WithResponse<FileObject>> {
  const blob =
    params.data instanceof Blob
      ? params.data
      : new Blob([params.data instanceof ArrayBuffer ? params.data : new Uint8Array(params.data)], {
          type: params.contentType ?? 'application/octet-stream',
        });
  const form = new FormData();
  if (params.purpose) form.append('purpose', params.purpose);
  form.append('file', blob, params.filename);
  return unwrap(
    await client.POST('/api/v1/files', {
      body: params.purpose ? { purpose: params.purpose } : {},
      bodySerializer: () => form,
      params: { header: idempotencyHeader(params) },
      signal: params.signal,
    }),
  );
}

/** POST /api/v1/music_videos → the queued `music_video` job. */
export async function createMusicVideo(
  client: ClipMixClient,
  params: CreateMusicVideoParams,
  opts: PostOptions = {},
): Promise<WithResponse<Job>> {
  return unwrap(
    await client.POST('/api/v1/music_videos', { body: params, params: { header: idempotencyHeader(opts) }, signal: opts.signal }),
  );
}

/** GET /api/v1/jobs/{id}. */
export async function getJob(client: ClipMixClient, jobId: string, opts: { signal?: AbortSignal } = {}): Promise<WithResponse<Job>> {
  return unwrap(await client.GET('/api/v1/jobs/{id}', { params: { path: { id: jobId } }, signal: opts.signal }));
}

export interface WaitForJobOptions {
  /** Poll interval (default 1000 ms). */
  intervalMs?: number;
  /** Give up after this long with `ClipMixTimeoutError` (default 10 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with every polled state. */
  onPoll?: (job: Job) => void;
}

/**
 * Polls GET /api/v1/jobs/{id} until the job is `succeeded`, `failed` or `canceled` and returns it
 * (check `job.status`; a failed job carries `error: {code, message}`).
 */
export async function waitForJob(client: ClipMixClient, jobId: string, opts: WaitForJobOptions = {}): Promise<WithResponse<Job>> {
  const intervalMs = opts.intervalMs ?? 1000;
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  for (;;) {
    opts.signal?.throwIfAborted();
    const job = await getJob(client, jobId, { signal: opts.signal });
    opts.onPoll?.(job);
    if (isFinalJobStatus(job.status)) return job;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new ClipMixTimeoutError(`job ${jobId} still ${job.status} (progress ${job.progress}) after ${opts.timeoutMs ?? 600_000} ms`);
    }
    await sleep(Math.min(intervalMs, left), opts.signal);
  }
}

export function isFinalJobStatus(status: JobStatus): status is FinalJobStatus {
  return (FINAL_JOB_STATUSES as readonly string[]).includes(status);
}

/** The file id of a job output by role (`video`, `poster`, `timeline`, `audio`, …), or undefined. */
export function outputFileId(job: Job, role: string): string | undefined {
  return job.output?.files.find((f) => f.role === role)?.file;
}

/** GET /api/v1/files/{id}/content as bytes. */
export async function downloadFile(client: ClipMixClient, fileId: string, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
  const { data, response } = await client.GET('/api/v1/files/{id}/content', {
    params: { path: { id: fileId } },
    parseAs: 'arrayBuffer',
    signal: opts.signal,
  });
  if (!response.ok || !data) throw await ClipMixApiError.fromResponse(response);
  return new Uint8Array(data);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
