/**
 * `npm run bench [scenario…]`: runs benchmark scenarios (each in a process of its own) and writes
 * bench/results/<scenario>.json plus bench/results/README.md (a markdown table of every result).
 * Targets are checked here, never by timed assertions in tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarios } from './scenarios/index.js';
import type { BenchResult } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(here, 'results');
mkdirSync(resultsDir, { recursive: true });

const wanted = process.argv.slice(2);
const chosen = wanted.length ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;
if (wanted.length && chosen.length !== wanted.length) {
  const known = scenarios.map((s) => s.name).join(', ');
  process.stderr.write(`unknown scenario; known: ${known}\n`);
  process.exit(2);
}

let failed = false;
if (chosen.length > 1) {
  // Each scenario in a fresh process: some measure this process's own time and memory, which
  // must not include what an earlier scenario left behind (its heap, its allocator's pages).
  for (const s of chosen) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), s.name], { stdio: 'inherit' });
    if (child.status !== 0) failed = true;
  }
  process.exit(failed ? 1 : 0);
}
for (const s of chosen) {
  process.stderr.write(`bench: ${s.name} — ${s.description}\n`);
  const started = new Date().toISOString();
  const metrics = await s.run();
  const result: BenchResult = {
    scenario: s.name,
    description: s.description,
    started_at: started,
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    metrics,
  };
  writeFileSync(path.join(resultsDir, `${s.name}.json`), JSON.stringify(result, null, 2) + '\n');
  for (const m of metrics) {
    const verdict = m.target === undefined ? '' : m.pass ? 'PASS' : 'FAIL';
    if (m.pass === false) failed = true;
    process.stderr.write(`  ${m.name}: ${m.value} ${m.unit}${m.target ? ` (target ${m.target}) ${verdict}` : ''}\n`);
  }
}

// The table covers every scenario that has a result file, so partial runs keep older rows.
const rows: string[] = ['| scenario | metric | value | target | result |', '|---|---|---|---|---|'];
for (const f of readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort()) {
  const r = JSON.parse(readFileSync(path.join(resultsDir, f), 'utf8')) as BenchResult;
  for (const m of r.metrics) {
    rows.push(`| ${r.scenario} | ${m.name} | ${m.value} ${m.unit} | ${m.target ?? ''} | ${m.target === undefined ? '' : m.pass ? 'pass' : 'FAIL'} |`);
  }
}
writeFileSync(
  path.join(resultsDir, 'README.md'),
  `# Benchmark results\n\nWritten by \`npm run bench\` on ${new Date().toISOString()}.\n\n${rows.join('\n')}\n`,
);
process.exit(failed ? 1 : 0);
