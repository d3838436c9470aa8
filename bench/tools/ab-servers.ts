/**
 * A/B comparison of API server variants (a development tool, not part of `npm run bench`).
 *
 *   node --import tsx bench/tools/ab-servers.ts '<variants JSON>' [rounds]
 *
 * Each variant is `{ "name", "route": "bare" | "auth", "env"?: {…}, "root"?: "<checkout>" }`:
 * its own `clipmix serve` process (SQLite in a temp dir; `root` runs another checkout, e.g. a
 * git worktree of an older commit with its CLI bundle built; `env` adds environment variables).
 * "bare" loads GET /healthz, "auth" an authenticated GET /api/v1/jobs/{id} (fresh keys each
 * round, one per connection, so no round reaches a key's rate limit). Rounds alternate between the variants, so a
 * change in the machine's speed touches them all alike; each variant's median is printed:
 * requests per second, and the server's CPU per request split into its main thread and the
 * others (the SQLite background thread, GC helpers), from /proc. SECS (3) sets a round's length,
 * CONNS (10) autocannon's connections, BENCH_CPU_PROF=<dir> writes CPU profiles.
 *
 * On a shared 2-CPU VM, rounds of one variant spread by ±15 %: compare CPU per request over
 * several rounds, or CPU profiles, rather than single figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { testing } from '@clipmix/engine';
import { freePort, SERVER_NODE_FLAGS } from '../helpers/server-process.js';
import { createBenchKeys } from '../scenarios/api.js';

interface Variant {
  name: string;
  route: 'bare' | 'auth';
  env?: Record<string, string>;
  root?: string;
}

interface Round {
  rps: number;
  mainUs: number;
  otherUs: number;
}

const variants = JSON.parse(process.argv[2] ?? '[]') as Variant[];
const rounds = Number(process.argv[3] ?? 3);
const seconds = Number(process.env.SECS ?? 3);
const connections = Number(process.env.CONNS ?? 10);
if (!variants.length) {
  console.error(`usage: node --import tsx bench/tools/ab-servers.ts '[{"name":"a","route":"auth"},{"name":"b","route":"bare"}]' [rounds]`);
  process.exit(2);
}

/** CPU ticks (1/100 s) of a process's main thread and of its other threads, from /proc. */
function threadTicks(pid: number): { main: number; other: number } {
  let main = 0;
  let other = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (tid === String(pid)) main += ticks;
      else other += ticks;
    } catch {
      // The thread ended meanwhile.
    }
  }
  return { main, other };
}

async function startServer(root: string, env: Record<string, string>) {
  const port = await freePort();
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...prof, path.join(root, 'apps/server/bin/clipmix.js'), 'serve'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${root}: clipmix serve did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function prepare(v: Variant) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-ab-'));
  const env = { CLIPMIX_DATA_DIR: dir, CLIPMIX_LOG_LEVEL: 'warn', CLIPMIX_WORKERS: '0', DATABASE_URL: '', REDIS_URL: '', ...v.env };
  const server = await startServer(v.root ?? process.cwd(), env);
  const keys = await createBenchKeys(server.baseUrl, env, rounds * connections + 1);
  const song = await testing.makeTone({ path: path.join(dir, 'song.wav'), seconds: 1 });
  const form = new FormData();
  form.append('file', new Blob([readFileSync(song)]), 'song.wav');
  const upload = await fetch(`${server.baseUrl}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${keys[0]}` }, body: form });
  const job = ((await upload.json()) as { processing_job: string }).processing_job;
  const url = v.route === 'bare' ? `${server.baseUrl}/healthz` : `${server.baseUrl}/api/v1/jobs/${job}`;
  // Round r's connection c sends key 1 + r·connections + c: a fast host would take a single key
  // past its 100,000-a-minute limit within a round.
  const headersFor = (round: number) => {
    let client = 0;
    return (c: autocannon.Client) =>
      c.setHeaders(v.route === 'bare' ? {} : { authorization: `Bearer ${keys[round < 0 ? 0 : 1 + round * connections + (client++ % connections)]}` });
  };
  await autocannon({ url, setupClient: headersFor(-1), duration: 2, connections }); // JIT warm-up
  return { v, server, url, headersFor, dir, rounds: [] as Round[] };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const prepared = [];
for (const v of variants) prepared.push(await prepare(v));
for (let round = 0; round < rounds; round++) {
  for (const p of prepared) {
    const before = threadTicks(p.server.pid);
    const res = await autocannon({ url: p.url, setupClient: p.headersFor(round), duration: seconds, connections });
    const after = threadTicks(p.server.pid);
    const n = res.requests.total;
    if (res.non2xx) console.log(`${p.v.name}: ${res.non2xx} non-2xx responses in round ${round + 1}`);
    p.rounds.push({ rps: res.requests.average, mainUs: ((after.main - before.main) * 1e4) / n, otherUs: ((after.other - before.other) * 1e4) / n });
  }
}
for (const p of prepared) {
  const rps = median(p.rounds.map((r) => r.rps));
  const main = median(p.rounds.map((r) => r.mainUs));
  const other = median(p.rounds.map((r) => r.otherUs));
  console.log(
    `${p.v.name.padEnd(24)} ${Math.round(rps)} req/s [${p.rounds.map((r) => Math.round(r.rps)).join(' ')}]  CPU per request: main thread ${main.toFixed(1)} µs, other threads ${other.toFixed(1)} µs`,
  );
  await p.server.stop();
  rmSync(p.dir, { recursive: true, force: true });
}
