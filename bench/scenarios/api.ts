/**
 * API overhead: an authenticated `GET /api/v1/jobs/{id}` (key auth + per-key rate limit +
 * request log + idempotency/CSRF hooks + SQLite read) against a bare route of the same Fastify
 * server, in one run. Targets (issue 4): ≥ 60 % of the bare route's requests per second, and
 * p99 ≤ 10 ms at a fixed 1,000 req/s.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { testing } from '@clipmix/engine';
import { createContext } from '../../apps/server/src/app.js';
import { loadConfig } from '../../apps/server/src/config/env.js';
import { buildHttp } from '../../apps/server/src/http/server.js';
import { developer } from '../../apps/server/src/modules/developer/service.js';
import type { BenchMetric, BenchScenario } from '../types.js';

async function load(url: string, headers: Record<string, string>, opts: { duration: number; connections: number; overallRate?: number }) {
  const result = await autocannon({ url, headers, duration: opts.duration, connections: opts.connections, overallRate: opts.overallRate });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

export const apiScenario: BenchScenario = {
  name: 'api-get-job',
  description: 'Authenticated GET /api/v1/jobs/{id} vs a bare Fastify route (SQLite, autocannon)',
  async run(): Promise<BenchMetric[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-bench-api-'));
    const ctx = await createContext(loadConfig({ CLIPMIX_DATA_DIR: dir, CLIPMIX_LOG_LEVEL: 'silent', CLIPMIX_WORKERS: '0' }));
    const http = await buildHttp(ctx, {});
    http.get('/bare', async () => ({ object: 'job', id: 'job_bare', status: 'succeeded', progress: 1 }));
    await http.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (http.server.address() as { port: number }).port;
      const base = `http://127.0.0.1:${port}`;
      const user = await ctx.services.accounts.createUserVerified({ email: 'bench@example.com', name: 'Bench', password: 'bench password 123' });
      const key = await developer(ctx).keys.create({ userId: user.id, name: 'bench', rateLimitPerMinute: 100_000 });
      const auth = { authorization: `Bearer ${key.secret}` };

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

      await load(`${base}/bare`, {}, { duration: 2, connections: 10 }); // warm-up
      const bare = await load(`${base}/bare`, {}, { duration: 10, connections: 10 });
      const api = await load(jobUrl, auth, { duration: 10, connections: 10 });
      const paced = await load(jobUrl, auth, { duration: 10, connections: 10, overallRate: 1000 });
      const ratio = api.rps / bare.rps;
      return [
        { name: 'bare route', value: Math.round(bare.rps), unit: 'req/s' },
        { name: 'authenticated GET job', value: Math.round(api.rps), unit: 'req/s' },
        { name: 'authenticated / bare', value: Number(ratio.toFixed(3)), unit: '×', target: '≥ 0.6', pass: ratio >= 0.6 },
        { name: 'p99 at 1,000 req/s', value: paced.p99, unit: 'ms', target: '≤ 10', pass: paced.p99 <= 10 },
        { name: 'non-2xx responses', value: api.non2xx + paced.non2xx, unit: 'responses', target: '= 0', pass: api.non2xx + paced.non2xx === 0 },
      ];
    } finally {
      await http.close();
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
