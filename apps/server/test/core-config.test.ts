import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/env.js';

describe('configuration', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'clipmix-cfg-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('defaults to SQLite, local blobs and the embedded queue', () => {
    const dir = tmp();
    const c = loadConfig({ CLIPMIX_DATA_DIR: dir });
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ kind: 'sqlite', file: path.join(dir, 'clipmix.sqlite') });
    expect(c.blob).toEqual({ kind: 'local', root: path.join(dir, 'blobs') });
    expect(c.redisUrl).toBeUndefined();
  });

  it('generates CLIPMIX_SECRET into the data dir once, private, and reuses it', () => {
    const dir = tmp();
    const a = loadConfig({ CLIPMIX_DATA_DIR: dir });
    const b = loadConfig({ CLIPMIX_DATA_DIR: dir });
    expect(a.secret.length).toBeGreaterThanOrEqual(32);
    expect(b.secret).toBe(a.secret);
    const file = path.join(dir, 'secret.key');
    expect(readFileSync(file, 'utf8').trim()).toBe(a.secret);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('switches to PostgreSQL, Redis and S3 by configuration', () => {
    const c = loadConfig({
      CLIPMIX_DATA_DIR: tmp(),
      DATABASE_URL: 'postgres://u@h:5432/d',
      REDIS_URL: 'redis://127.0.0.1:6379',
      S3_BUCKET: 'b',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_FORCE_PATH_STYLE: '1',
      CLIPMIX_SECRET: 'x'.repeat(40),
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/d' });
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.blob).toMatchObject({ kind: 's3', bucket: 'b', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
    expect(c.secret).toBe('x'.repeat(40));
  });

  it('lists every invalid variable in one clear error', () => {
    const run = () => loadConfig({ CLIPMIX_DATA_DIR: tmp(), PORT: 'abc', DATABASE_URL: 'mysql://x', CLIPMIX_SECRET: 'short' });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL');
      expect(msg).toContain('CLIPMIX_SECRET');
    }
  });
});
