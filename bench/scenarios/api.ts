/**
 * API overhead: an authenticated `GET /api/v1/jobs/{id}` (key auth + per-key rate limit +
 * request log + idempotency/CSRF hooks + SQLite read) against a bare route of the same server
 * (`/healthz`), in one run. Targets (issue 4): ≥ 60 % of the bare route's requests per second,
 * and p99 ≤ 10 ms at a fixed 1,000 req/s.
 *
 * The server is `clipmix serve` in a child process (SQLite in a temp data dir, API only), so
 * autocannon here never competes with it for an event loop. BENCH_CPU_PROF=<dir> profiles it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { testing } from '@clipmix/engine';
import { cpuSeconds, runCli, startServerProcess } from '../helpers/server-process.js';
import type { BenchMetric, BenchScenario } from '../types.js';

/** One autocannon run; `cpuUsPerRequest` is the server process's CPU time per request served. */
async function load(
  pid: number,
  url: string,
  headers: Record<string, string>,
  opts: { duration: number; connections: number; overallRate?: number },
) {
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({ url, headers, duration: opts.duration, connections: opts.connections, overallRate: opts.overallRate });
  const cpu = cpuSeconds(pid) - cpuBefore;
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuUsPerRequest: result.requests.total ? (cpu * 1e6) / result.requests.total : 0,
  };
}

/** A verified user (CLI), signed in over HTTP, creates a key with a limit the run cannot reach. */
async function createBenchKey(base: string, env: Record<string, string>): Promise<string> {
  const email = 'bench@example.com';
  const password = 'bench password 123';
  await runCli(['users', 'create', '--email', email, '--name', 'Bench', '--password', password], env);
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token } = (await login.json()) as { csrf_token: string };
  const created = await fetch(`${base}/api/v1/api_keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token },
    body: JSON.stringify({ name: 'bench', rate_limit_per_minute: 100_000 }),
  });
  if (created.status !== 201) throw new Error(`creating the key answered ${created.status}: ${await created.text()}`);
  return ((await created.json()) as { secret: string }).secret;
}

export const apiScenario: BenchScenario = {
  name: 'api-get-job',
  description: 'Authenticated GET /api/v1/jobs/{id} vs a bare route of the same server (clipmix serve child, SQLite, autocannon)',
  async run(): Promise<BenchMetric[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-bench-api-'));
    const env = { CLIPMIX_DATA_DIR: dir, CLIPMIX_LOG_LEVEL: 'warn', CLIPMIX_WORKERS: '0', DATABASE_URL: '', REDIS_URL: '' };
    const server = await startServerProcess(env);
    try {
      const base = server.baseUrl;
      const auth = { authorization: `Bearer ${await createBenchKey(base, env)}` };

      // A real job: uploading a file creates its media.process job.
      const song = await testing.makeTone({ path: path.join(dir, 'song.wav'), seconds: 1 });
      const form = new FormData();
      form.append('file', new Blob([readFileSync(song)]), 'song.wav');
      const upload = await fetch(`${base}/api/v1/files`, { method: 'POST', headers: auth, body: form });
      const file = (await upload.json()) as { processing_job: string | null };
      if (!file.processing_job) throw new Error(`upload did not create a job: ${upload.status}`);
      const jobUrl = `${base}/api/v1/jobs/${file.processing_job}`;
      const check = await fetch(jobUrl, { headers: auth });
      if (check.status !== 200) throw new Error(`GET job answered ${check.status}`);

      const bareUrl = `${base}/healthz`;
      const pid = server.child.pid!;
      await load(pid, bareUrl, {}, { duration: 2, connections: 10 }); // warm-up (JIT) of both paths
      await load(pid, jobUrl, auth, { duration: 2, connections: 10 });
      const bare = await load(pid, bareUrl, {}, { duration: 10, connections: 10 });
      const api = await load(pid, jobUrl, auth, { duration: 10, connections: 10 });
      const paced = await load(pid, jobUrl, auth, { duration: 10, connections: 10, overallRate: 1000 });
      const ratio = api.rps / bare.rps;
      const non2xx = api.non2xx + paced.non2xx;
      return [
        { name: 'bare route', value: Math.round(bare.rps), unit: 'req/s' },
        { name: 'authenticated GET job', value: Math.round(api.rps), unit: 'req/s' },
        { name: 'authenticated / bare', value: Number(ratio.toFixed(3)), unit: '×', target: '≥ 0.6', pass: ratio >= 0.6 },
        // Server CPU per request: steadier than req/s when other processes compete for the CPUs.
        { name: 'server CPU per bare request', value: Math.round(bare.cpuUsPerRequest), unit: 'µs' },
        { name: 'server CPU per authenticated request', value: Math.round(api.cpuUsPerRequest), unit: 'µs' },
        { name: 'CPU-cost ratio bare / authenticated', value: Number((bare.cpuUsPerRequest / api.cpuUsPerRequest).toFixed(3)), unit: '×' },
        { name: 'paced rate achieved', value: Math.round(paced.rps), unit: 'req/s' },
        { name: 'p99 at 1,000 req/s', value: paced.p99, unit: 'ms', target: '≤ 10', pass: paced.p99 <= 10 },
        { name: 'non-2xx responses', value: non2xx, unit: 'responses', target: '= 0', pass: non2xx === 0 },
      ];
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
