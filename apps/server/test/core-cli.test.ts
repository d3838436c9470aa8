import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipmix as run, type CliResult } from './helpers/cli.js';
import { DB_KINDS, freshDatabase, type FreshDatabase } from './helpers/db.js';

/** The bundled CLI (helpers/cli.ts); `entry: 'bin'` below is the shipped bin/clipmix.js. */
function clipmix(args: string[], env: Record<string, string> = {}, entry: 'bundle' | 'bin' = 'bundle'): Promise<CliResult> {
  return run(args, { env, entry });
}

describe('clipmix --help', () => {
  it('lists every command, and each command has its own help', async () => {
    const [top, ...helps] = await Promise.all([
      // The shipped entry point (tsx + sources) answers too, not only the test bundle.
      clipmix(['--help'], {}, 'bin'),
      ...[['serve'], ['worker'], ['migrate'], ['users', 'create'], ['purge']].map((c) => clipmix([...c, '--help'])),
    ]);
    expect(top!.code).toBe(0);
    for (const c of ['serve', 'worker', 'migrate', 'users', 'keys', 'purge']) expect(top!.stdout).toContain(c);
    for (const h of helps) {
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(/Usage: clipmix /);
    }
    expect(helps[3]!.stdout).toContain('--password');
  });

  it('fails with a one-line reason and a non-zero exit on bad configuration or arguments', async () => {
    const bad = await clipmix(['migrate'], { DATABASE_URL: 'mysql://nope', CLIPMIX_DATA_DIR: os.tmpdir() });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('DATABASE_URL');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await clipmix(['users', 'create', '--email', 'a@example.com']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/required option/);
  });
});

describe.each(DB_KINDS)('clipmix migrate, users create and purge on %s', (kind) => {
  let fresh: FreshDatabase;
  let env: Record<string, string>;
  let dataDir: string;
  beforeAll(async () => {
    fresh = await freshDatabase(kind);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-cli-'));
    env = { CLIPMIX_DATA_DIR: dataDir, ...(fresh.url ? { DATABASE_URL: fresh.url } : {}) };
  });
  afterAll(async () => {
    await fresh?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates, reverts one, migrates again', async () => {
    const up = await clipmix(['migrate'], env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/applied 20261129000100_core/);
    const again = await clipmix(['migrate'], env);
    expect(again.stdout.trim()).toBe('database is up to date');
    const down = await clipmix(['migrate', '--down'], env);
    expect(down.stdout).toMatch(/^reverted \d+_\w+/);
    expect((await clipmix(['migrate'], env)).stdout).toMatch(/^applied /);
  });

  it('creates a user once and refuses a duplicate with a clear message', async () => {
    const first = await clipmix(['users', 'create', '--email', 'Op@Example.com', '--name', 'Op', '--password', 'long enough password'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n').pop()).toMatch(/^usr_[0-9A-Za-z]+$/);
    const dup = await clipmix(['users', 'create', '--email', 'op@example.com', '--name', 'Op', '--password', 'long enough password'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr.trim().split('\n')).toHaveLength(1);
    const short = await clipmix(['users', 'create', '--email', 'x@example.com', '--name', 'X', '--password', 'short'], env);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password/i);
  });

  it('purges by the retention declarations and reports per table', async () => {
    const res = await clipmix(['purge'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/request_logs: 0 deleted/);
    expect(res.stdout).toMatch(/idempotency_records: 0 deleted/);
  });
});
