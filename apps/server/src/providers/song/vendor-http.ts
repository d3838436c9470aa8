import { writeFile } from 'node:fs/promises';
import { OutboundBlockedError, SafeHttpClient } from '../../platform/outbound/safe-fetch.js';

/** A cloud vendor said no (or could not be reached). `status` is the HTTP status (0: no answer). */
export class VendorError extends Error {
  override name = 'VendorError';
  constructor(
    readonly vendor: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  /** 4xx answers (bad key, refused content, quota) will not get better by retrying. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

export interface VendorRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * JSON calls and downloads for cloud adapters, all through the SSRF-safe client: vendor URLs
 * and the result URLs they hand back (which we did not choose) cannot reach private addresses.
 */
export class VendorHttp {
  private readonly client: SafeHttpClient;

  constructor(
    readonly vendor: string,
    opts: { allowLoopback: boolean },
  ) {
    this.client = new SafeHttpClient({ allowLoopback: opts.allowLoopback, timeoutMs: 60_000 });
  }

  /** Sends JSON, returns the parsed JSON answer; non-2xx → VendorError with the vendor's message. */
  async json<T>(url: string, req: VendorRequest = {}, errorText: (body: unknown) => string | undefined = defaultErrorText): Promise<T> {
    const res = await this.send(url, {
      method: req.method ?? (req.body === undefined ? 'GET' : 'POST'),
      headers: { accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      maxBytes: 64 * 1024 * 1024,
      ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    let parsed: unknown;
    try {
      parsed = res.body.length ? JSON.parse(res.body.toString('utf8')) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.status < 200 || res.status >= 300) {
      const why = errorText(parsed) ?? (res.body.toString('utf8').slice(0, 200).trim() || 'no details');
      throw new VendorError(this.vendor, res.status, `${this.vendor} answered ${res.status}: ${why}`);
    }
    if (parsed === undefined) throw new VendorError(this.vendor, 502, `${this.vendor} answered with something that is not JSON`);
    return parsed as T;
  }

  /** Downloads a result file (public https only, no redirects) to `dest`; returns its size. */
  async download(url: string, dest: string, signal?: AbortSignal, maxBytes = 200 * 1024 * 1024): Promise<number> {
    const res = await this.send(url, { method: 'GET', maxBytes, timeoutMs: 300_000, ...(signal ? { signal } : {}) });
    if (res.status !== 200) throw new VendorError(this.vendor, res.status, `downloading the ${this.vendor} result failed (HTTP ${res.status})`);
    if (!res.body.length) throw new VendorError(this.vendor, 502, `the ${this.vendor} result is empty`);
    await writeFile(dest, res.body);
    return res.body.length;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async send(url: string, init: Parameters<SafeHttpClient['request']>[1]) {
    try {
      return await this.client.request(url, init);
    } catch (err) {
      if (init?.signal?.aborted) throw init.signal.reason ?? err;
      if (err instanceof OutboundBlockedError) throw new VendorError(this.vendor, 400, `refused to contact ${this.vendor}: ${err.message}`);
      const e = err as Error;
      const why = e.name === 'TimeoutError' ? 'timed out' : (e.message || 'network error');
      throw new VendorError(this.vendor, 0, `could not reach ${this.vendor}: ${why}`);
    }
  }
}

function defaultErrorText(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, any>;
  const m = b.error?.message ?? b.detail ?? b.message ?? b.error ?? b.title;
  return typeof m === 'string' ? m : undefined;
}

/** Waits `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
