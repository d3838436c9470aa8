import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config/env.js';
import {
  assertValidBlobKey,
  createBlobStore,
  InvalidBlobKeyError,
  isValidBlobKey,
  LocalBlobStore,
  newBlobKey,
  S3BlobStore,
  sanitizeBlobExt,
  type BlobStoreConfig,
} from '../src/platform/blob/index.js';

// Compile-time: the factory accepts exactly what the config produces, and vice versa.
const fromConfig: BlobStoreConfig = null as unknown as Config['blob'];
const toConfig: Config['blob'] = null as unknown as BlobStoreConfig;
void fromConfig;
void toConfig;

describe('blob keys', () => {
  it('newBlobKey → u/<userId>/<22 base62>.<ext>', () => {
    const key = newBlobKey('usr_abc123', 'mp4');
    expect(key).toMatch(/^u\/usr_abc123\/[0-9A-Za-z]{22}\.mp4$/);
    expect(isValidBlobKey(key)).toBe(true);
    const many = new Set(Array.from({ length: 1000 }, () => newBlobKey('u1', 'bin')));
    expect(many.size).toBe(1000);
  });

  it('sanitises the extension to [a-z0-9]{1,8}, else bin', () => {
    expect(sanitizeBlobExt('mp4')).toBe('mp4');
    expect(sanitizeBlobExt('.MP4')).toBe('mp4');
    expect(sanitizeBlobExt('jpeg')).toBe('jpeg');
    expect(sanitizeBlobExt('m4a ')).toBe('m4a');
    expect(sanitizeBlobExt('')).toBe('bin');
    expect(sanitizeBlobExt('toolongext')).toBe('bin');
    expect(sanitizeBlobExt('../x')).toBe('bin');
    expect(sanitizeBlobExt('tar.gz')).toBe('bin');
    expect(sanitizeBlobExt('p\0g')).toBe('bin');
    expect(newBlobKey('u1', '../../etc')).toMatch(/\.bin$/);
  });

  it('refuses user ids that are not a single safe segment', () => {
    for (const bad of ['', '..', 'a/b', 'a\\b', 'a.b', 'x\0', 'é']) {
      expect(() => newBlobKey(bad, 'bin'), bad).toThrow(InvalidBlobKeyError);
    }
  });

  it('validates keys', () => {
    for (const ok of ['a', 'u/usr_1/abc.mp4', 'a-b_c.d/e', 'u/x/y.tar.gz']) expect(() => assertValidBlobKey(ok)).not.toThrow();
    for (const bad of ['', '/', '/a', 'a/', 'a//b', '.', '..', 'a/./b', 'a/../b', '.tmp/x', 'a\\b', 'a\0b', 'a b', 'a%2fb', 'x'.repeat(1025)]) {
      expect(() => assertValidBlobKey(bad), JSON.stringify(bad)).toThrow(InvalidBlobKeyError);
    }
    expect(new InvalidBlobKeyError('x', 'y')).toBeInstanceOf(TypeError);
  });
});

describe('createBlobStore', () => {
  it('builds the configured kind', () => {
    const local = createBlobStore({ kind: 'local', root: '/tmp/clipmix-never-used' });
    expect(local).toBeInstanceOf(LocalBlobStore);
    expect(local.kind).toBe('local');
    const s3 = createBlobStore({ kind: 's3', bucket: 'b', region: 'us-east-1', forcePathStyle: false });
    expect(s3).toBeInstanceOf(S3BlobStore);
    expect(s3.kind).toBe('s3');
    (s3 as S3BlobStore).destroy();
  });

  it('refuses half-configured credentials', () => {
    expect(() => createBlobStore({ kind: 's3', bucket: 'b', region: 'r', accessKeyId: 'k', forcePathStyle: true })).toThrow(/both/);
  });
});
