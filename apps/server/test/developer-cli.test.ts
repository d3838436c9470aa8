import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type RunningContext } from '../src/app.js';
import { loadConfig } from '../src/config/env.js';
import { buildHttp } from '../src/http/server.js';
import { DB_KINDS, freshDatabase, type FreshDatabase } from './helpers/db.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/clipmix.js');

function clipmix(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe.each(DB_KINDS)('clipmix keys create on %s', (kind) => {
  let fresh: FreshDatabase;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fresh = await freshDatabase(kind);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-cli-'));
    env = { CLIPMIX_DATA_DIR: dataDir, CLIPMIX_ALLOW_LOOPBACK_URLS: '1', ...(fresh.url ? { DATABASE_URL: fresh.url } : {}) };
    const user = await clipmix(['users', 'create', '--email', 'dev@example.com', '--name', 'Dev', '--password', 'correct horse battery'], env);
    expect(user.code, user.stderr).toBe(0);
  });
  afterAll(async () => {
    await fresh?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints only the secret on its last line; the key works with the requested scopes and mode', async () => {
    const res = await clipmix(
      ['keys', 'create', '--email', 'dev@example.com', '--name', 'ci', '--scopes', 'jobs:read,logs:read', '--callback-url', 'http://127.0.0.1:9/hooks', '--test'],
      env,
    );
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n');
    const secret = lines[lines.length - 1]!;
    expect(secret).toMatch(/^sk_test_[0-9A-Za-z]{36}$/);
    expect(lines[lines.length - 2]).toMatch(/^webhook_secret=whsec_/);
    expect(res.stderr).toContain('key_');

    let ctx: RunningContext | undefined;
    let http: FastifyInstance | undefined;
    try {
      const config = loadConfig({ ...env, CLIPMIX_LOG_LEVEL: 'silent', CLIPMIX_WORKERS: '0' });
      ctx = await createContext(config);
      http = await buildHttp(ctx, {});
      const get = (url: string) => http!.inject({ method: 'GET', url, headers: { authorization: `Bearer ${secret}` } });
      expect((await get('/api/v1/jobs')).statusCode).toBe(200);
      expect((await get('/api/v1/request_logs')).statusCode).toBe(200);
      expect((await get('/api/v1/account')).statusCode).toBe(403);
      const row = await ctx.db.selectFrom('api_keys' as any).selectAll().executeTakeFirstOrThrow() as any;
      expect(row).toMatchObject({ name: 'ci', livemode: 0, callback_url: 'http://127.0.0.1:9/hooks' });
      expect(JSON.parse(row.scopes)).toEqual(['jobs:read', 'logs:read']);
    } finally {
      await http?.close();
      await ctx?.close();
    }

    const plain = await clipmix(['keys', 'create', '--email', 'DEV@example.com', '--name', 'all'], env);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.trim()).toMatch(/^sk_live_[0-9A-Za-z]{36}$/); // nothing else on stdout
  }, 120_000);

  it('fails with a one-line reason for an unknown email or a bad scope', async () => {
    const unknown = await clipmix(['keys', 'create', '--email', 'nobody@example.com', '--name', 'x'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.trim()).toBe('clipmix: No user with the email nobody@example.com.');
    expect(unknown.stdout).toBe('');
    const scope = await clipmix(['keys', 'create', '--email', 'dev@example.com', '--name', 'x', '--scopes', 'jobs:admin'], env);
    expect(scope.code).not.toBe(0);
    expect(scope.stderr.trim().split('\n')).toHaveLength(1);
    expect(scope.stderr).toMatch(/Unknown scope: jobs:admin/);
  }, 120_000);
});
