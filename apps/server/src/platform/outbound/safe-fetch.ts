import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector, fetch, type Dispatcher } from 'undici';
import { isAddressAllowed, ipLiteral } from './address-policy.js';

export class OutboundBlockedError extends Error {
  constructor(
    readonly code: 'url_invalid' | 'scheme_not_allowed' | 'address_not_allowed' | 'redirect_refused' | 'response_too_large',
    message: string,
  ) {
    super(message);
    this.name = 'OutboundBlockedError';
  }
}

export interface SafeFetchOptions {
  /** CLIPMIX_ALLOW_LOOPBACK_URLS: loopback over http for development and tests. */
  allowLoopback: boolean;
  /** DNS resolver (tests inject one to simulate rebinding). */
  lookup?: LookupFunction;
  timeoutMs?: number;
}

export interface SafeResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** Checks a URL before any connection: scheme, credentials, IP literal ranges. */
export function checkOutboundUrl(raw: string, allowLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundBlockedError('url_invalid', 'The URL is not valid.');
  }
  if (url.username || url.password) throw new OutboundBlockedError('url_invalid', 'URLs with credentials are not allowed.');
  const literal = ipLiteral(url.hostname);
  const loopbackHost = literal ? isAddressAllowed(literal, true) && !isAddressAllowed(literal, false) : url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(allowLoopback && url.protocol === 'http:' && loopbackHost)) {
    throw new OutboundBlockedError('scheme_not_allowed', 'Only public https URLs are allowed.');
  }
  if (literal && !isAddressAllowed(literal, allowLoopback)) {
    throw new OutboundBlockedError('address_not_allowed', 'That address is private, loopback or reserved.');
  }
  return url;
}

/**
 * An undici dispatcher that validates every resolved address before connecting AND the socket's
 * actual remote address after connecting — so DNS rebinding between a check and the connect
 * cannot reach a private address.
 */
export function createGuardedAgent(opts: SafeFetchOptions): Agent {
  const baseLookup: LookupFunction = opts.lookup ?? (dns.lookup as unknown as LookupFunction);
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    baseLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses as unknown as string, family: 4 }]) as dns.LookupAddress[];
      const allowed = list.filter((a) => isAddressAllowed(a.address, opts.allowLoopback));
      if (!allowed.length) {
        return callback(new OutboundBlockedError('address_not_allowed', `${hostname} resolves to a private, loopback or reserved address.`), '', 4);
      }
      if ((options as { all?: boolean }).all) return (callback as any)(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
  const connector = buildConnector({ lookup: guardedLookup, timeout: opts.timeoutMs ?? 15_000 } as any);
  return new Agent({
    connect(options, callback) {
      connector(options, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('connect failed'), null);
        const remote = (socket as TLSSocket).remoteAddress;
        if (!remote || !isAddressAllowed(remote, opts.allowLoopback)) {
          socket.destroy();
          return callback(new OutboundBlockedError('address_not_allowed', 'Connected to a disallowed address.'), null);
        }
        callback(null, socket);
      });
    },
    maxRedirections: 0,
  } as Agent.Options);
}

export class SafeHttpClient {
  private readonly agent: Dispatcher;
  constructor(private readonly opts: SafeFetchOptions) {
    this.agent = createGuardedAgent(opts);
  }

  /** POST/GET without following redirects; a 3xx is refused. Bodies are capped at maxBytes. */
  async request(
    rawUrl: string,
    init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; maxBytes?: number; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<SafeResponse> {
    const url = checkOutboundUrl(rawUrl, this.opts.allowLoopback);
    try {
      const res = await fetch(url, {
        method: init.method ?? 'GET',
        headers: init.headers,
        body: init.body,
        redirect: 'manual',
        dispatcher: this.agent,
        signal: withTimeout(init.signal, init.timeoutMs ?? this.opts.timeoutMs ?? 15_000),
      });
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        throw new OutboundBlockedError('redirect_refused', `The server answered with a redirect (${res.status}); redirects are not followed.`);
      }
      const max = init.maxBytes ?? 5 * 1024 * 1024;
      const chunks: Buffer[] = [];
      let size = 0;
      if (res.body) {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > max) throw new OutboundBlockedError('response_too_large', `The response is larger than ${max} bytes.`);
          chunks.push(Buffer.from(chunk));
        }
      }
      return { status: res.status, headers: res.headers as unknown as Headers, body: Buffer.concat(chunks) };
    } catch (err) {
      throw unwrapBlocked(err);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function unwrapBlocked(err: unknown): unknown {
  let e: unknown = err;
  for (let i = 0; i < 5 && e; i++) {
    if (e instanceof OutboundBlockedError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return err;
}

/** The request's timeout, combined with the caller's cancel signal when there is one. */
function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
