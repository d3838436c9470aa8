/**
 * An evenly paced load: `rate` requests a second, each sent at its own scheduled instant over
 * `connections` keep-alive connections (undici), for `seconds`.
 *
 * Why not autocannon's `overallRate`: autocannon paces per second — each connection sends as
 * fast as it can until it has made its share of the second's requests, then waits for the next
 * second (autocannon/lib/httpClient.js, `reqsMadeThisSecond`). "1,000 req/s" there is a burst
 * at full speed lasting ~0.1 s, once a second, so its p99 measures latency at saturation. Here
 * the arrivals are spread over the second like real clients' are (an open model: a request is
 * sent on time whether or not earlier ones have been answered).
 *
 * Latency runs from the moment a request is handed to the connection pool to the end of its
 * response body. `maxSendLagMs` says how late the generator itself sent (its timer's jitter):
 * when it is large, the figures measure the load generator's machine, not the server.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface PacedResult {
  sent: number;
  completed: number;
  non2xx: number;
  errors: number;
  /** Requests a second actually sent over the run. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  maxSendLagMs: number;
}

export async function pacedLoad(
  url: string,
  headers: Record<string, string>,
  opts: { rate: number; seconds: number; connections: number },
): Promise<PacedResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: opts.connections, pipelining: 1 });
  const path = target.pathname + target.search;
  const total = Math.round(opts.rate * opts.seconds);
  const latencies = new Float64Array(total);
  let sent = 0;
  let completed = 0;
  let non2xx = 0;
  let errors = 0;
  let maxSendLagMs = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const settle = () => {
    if (completed + errors === total) resolveDone();
  };

  const fire = () => {
    const startedAt = performance.now();
    pool.request({ path, method: 'GET', headers }).then(
      async (res) => {
        await res.body.dump();
        latencies[completed++] = performance.now() - startedAt;
        if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
        settle();
      },
      () => {
        errors++;
        settle();
      },
    );
  };

  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) * opts.rate) / 1000) + 1);
      if (due - sent > 1) maxSendLagMs = Math.max(maxSendLagMs, ((due - 1 - sent) * 1000) / opts.rate);
      while (sent < due) {
        sent++;
        fire();
      }
      if (sent >= total) return resolve();
      // Node's timers fire at ≥ 1 ms: at 1,000 req/s that is about one request a tick.
      setTimeout(tick, Math.max(0, (sent * 1000) / opts.rate - (performance.now() - start)));
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  await done;
  await pool.close();

  const sorted = latencies.subarray(0, completed).sort();
  const at = (q: number) => (completed ? sorted[Math.min(completed - 1, Math.floor(q * completed))]! : 0);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    sent,
    completed,
    non2xx,
    errors,
    rps: sent / elapsed,
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(completed ? sorted[completed - 1]! : 0),
    maxSendLagMs: round(maxSendLagMs),
  };
}
