import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlobNotFoundError,
  createBlobStore,
  InvalidBlobKeyError,
  LocalBlobStore,
  newBlobKey,
  S3BlobStore,
  type BlobStore,
} from '../src/platform/blob/index.js';
import { startS3rver, type S3rverHandle } from './helpers/s3rver.js';

// ---------------------------------------------------------------------------------------------
// helpers

const MiB = 1024 * 1024;

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of it) out.push(k);
  return out;
}

/** Streams data in uneven chunks (1 B … 256 KiB), optionally pausing between them. */
function chunkedStream(data: Buffer, opts: { delayMs?: number; chunk?: number } = {}): Readable {
  return Readable.from(
    (async function* () {
      let off = 0;
      let i = 0;
      while (off < data.length) {
        const size = opts.chunk ?? [1, 7, 4096, 65_536, 262_144][i++ % 5];
        yield data.subarray(off, off + size);
        off += size;
        if (opts.delayMs) await sleep(opts.delayMs);
      }
    })(),
    { objectMode: false },
  );
}

/** Emits `before` bytes of data, then fails with err. */
function failingStream(data: Buffer, before: number, err: Error): Readable {
  return Readable.from(
    (async function* () {
      for (let off = 0; off < before; off += 65_536) {
        yield data.subarray(off, Math.min(before, off + 65_536));
        await sleep(0);
      }
      throw err;
    })(),
    { objectMode: false },
  );
}

const user = () => `usr_${randomBytes(6).toString('hex')}`;

const BAD_KEYS = [
  '',
  '..',
  '../escape.bin',
  'u/../../escape.bin',
  'u/x/..',
  './x',
  '/etc/passwd',
  '/tmp/x.bin',
  'u\\..\\x.bin',
  'u/x\0.bin',
  'u//x.bin',
  'u/x/',
  '.tmp/x.part',
  'u/.hidden',
  'u/x y.bin',
  'u/é.bin',
  'C:/x.bin',
];

// ---------------------------------------------------------------------------------------------
// the contract, run against both implementations

interface Subject {
  name: string;
  setup(): Promise<{ store: BlobStore; teardown(): Promise<void> }>;
}

const subjects: Subject[] = [
  {
    name: 'local',
    async setup() {
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'clipmix-blob-test-'));
      // The root does not exist yet: the store must create what it needs.
      const store = createBlobStore({ kind: 'local', root: path.join(dir, 'blobs') });
      return { store, teardown: () => fsp.rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3',
    async setup() {
      const s3 = await startS3rver();
      const store = createBlobStore(s3.config);
      return {
        store,
        async teardown() {
          (store as S3BlobStore).destroy();
          await s3.stop();
        },
      };
    },
  },
];

describe.each(subjects)('BlobStore contract: $name', (subject) => {
  let store: BlobStore;
  let teardown: (() => Promise<void>) | undefined;
  const data = randomBytes(6 * MiB + 12_345); // > one 5 MiB part: S3 uses multipart
  const dataHash = sha256(data);

  beforeAll(async () => {
    ({ store, teardown } = await subject.setup());
  });
  afterAll(async () => teardown?.());

  it('has the expected kind', () => {
    expect(store.kind).toBe(subject.name);
  });

  it('stores a buffer and reads back identical bytes', async () => {
    const key = newBlobKey(user(), 'bin');
    await expect(store.put(key, data, { contentType: 'application/octet-stream' })).resolves.toEqual({ size: data.length });
    expect(await store.stat(key)).toEqual({ size: data.length });
    expect(sha256(await readAll(await store.get(key)))).toBe(dataHash);
  });

  it('stores a stream and reads back identical bytes', async () => {
    const key = newBlobKey(user(), 'mp4');
    await expect(store.put(key, chunkedStream(data), { contentType: 'video/mp4' })).resolves.toEqual({ size: data.length });
    expect(await store.stat(key)).toEqual({ size: data.length });
    expect(sha256(await readAll(await store.get(key)))).toBe(dataHash);
  });

  it('stores small and empty bodies', async () => {
    const small = newBlobKey(user(), 'txt');
    await store.put(small, Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect((await readAll(await store.get(small))).toString()).toBe('hello world');

    const empty = newBlobKey(user(), 'txt');
    await expect(store.put(empty, Buffer.alloc(0))).resolves.toEqual({ size: 0 });
    expect(await store.stat(empty)).toEqual({ size: 0 });
    expect((await readAll(await store.get(empty))).length).toBe(0);
  });

  it('stores a local file and leaves it in place', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'clipmix-blob-src-'));
    try {
      const src = path.join(dir, 'in.bin');
      await fsp.writeFile(src, data);
      const key = newBlobKey(user(), 'bin');
      await expect(store.putFile(key, src)).resolves.toEqual({ size: data.length });
      expect(sha256(await fsp.readFile(src))).toBe(dataHash);
      expect(sha256(await readAll(await store.get(key)))).toBe(dataHash);
      await expect(store.putFile(newBlobKey(user(), 'bin'), path.join(dir, 'missing.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('replaces an existing object on put', async () => {
    const key = newBlobKey(user(), 'bin');
    await store.put(key, Buffer.from('first version'));
    await store.put(key, Buffer.from('second'));
    expect(await store.stat(key)).toEqual({ size: 6 });
    expect((await readAll(await store.get(key))).toString()).toBe('second');
  });

  it('reads inclusive byte ranges', async () => {
    const key = newBlobKey(user(), 'bin');
    await store.put(key, data);
    const range = async (start: number, end: number) => readAll(await store.get(key, { start, end }));

    expect(await range(0, 0)).toEqual(data.subarray(0, 1));
    const mid = Math.floor(data.length / 2);
    expect(sha256(await range(mid, mid + 99_999))).toBe(sha256(data.subarray(mid, mid + 100_000)));
    expect(await range(data.length - 1, data.length - 1)).toEqual(data.subarray(data.length - 1));
    expect(sha256(await range(0, data.length - 1))).toBe(dataHash);
    // An end past the last byte is clamped, as in HTTP.
    expect(await range(data.length - 3, data.length + 1000)).toEqual(data.subarray(data.length - 3));
  });

  it('rejects malformed and unsatisfiable ranges with RangeError', async () => {
    const key = newBlobKey(user(), 'bin');
    await store.put(key, Buffer.from('0123456789'));
    await expect(store.get(key, { start: 5, end: 4 })).rejects.toBeInstanceOf(RangeError);
    await expect(store.get(key, { start: -1, end: 4 })).rejects.toBeInstanceOf(RangeError);
    await expect(store.get(key, { start: 0.5, end: 4 })).rejects.toBeInstanceOf(RangeError);
    await expect(store.get(key, { start: 10, end: 20 })).rejects.toBeInstanceOf(RangeError);
  });

  it('reports missing objects: stat → null, get/localPath → BlobNotFoundError', async () => {
    const key = newBlobKey(user(), 'bin');
    expect(await store.stat(key)).toBeNull();
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.get(key, { start: 0, end: 10 })).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.get(key)).rejects.toMatchObject({ key });
    await expect(store.localPath(key)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('deletes idempotently', async () => {
    const key = newBlobKey(user(), 'bin');
    await store.put(key, Buffer.from('bye'));
    await store.delete(key);
    expect(await store.stat(key)).toBeNull();
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.delete(key)).resolves.toBeUndefined();
    await expect(store.delete(newBlobKey(user(), 'bin'))).resolves.toBeUndefined();
  });

  it('lists keys by string prefix, in byte order', async () => {
    const a = user();
    const keys = [
      `u/${a}/b/2.bin`,
      `u/${a}/b/10.bin`,
      `u/${a}/b-c.bin`,
      `u/${a}/a.txt`,
      `u/${a}x/other.bin`,
      `u/${a}/b/deep/er/x.bin`,
    ];
    for (const k of keys) await store.put(k, Buffer.from(k));
    const sorted = (xs: string[]) => [...xs].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));

    expect(await collect(store.list(`u/${a}/`))).toEqual(sorted(keys.filter((k) => k.startsWith(`u/${a}/`))));
    // Plain string prefix, like S3: `u/<a>` also matches `u/<a>x/…`.
    expect(await collect(store.list(`u/${a}`))).toEqual(sorted(keys));
    expect(await collect(store.list(`u/${a}/b/`))).toEqual(sorted(keys.filter((k) => k.startsWith(`u/${a}/b/`))));
    expect(await collect(store.list(`u/${a}/b`))).toEqual(sorted(keys.filter((k) => k.startsWith(`u/${a}/b`))));
    expect(await collect(store.list(`u/${a}/nothing`))).toEqual([]);
    expect(await collect(store.list(`u/nobody-${a}/`))).toEqual([]);

    const all = await collect(store.list());
    expect(all).toEqual(expect.arrayContaining(keys));
    expect(all).toEqual(sorted(all));

    for (const k of keys) await store.delete(k);
    expect(await collect(store.list(`u/${a}`))).toEqual([]);
  });

  it('refuses list prefixes that could escape', async () => {
    for (const p of ['../', 'u/../', '/etc', 'u\\x', 'u/\0']) {
      await expect(collect(store.list(p)), p).rejects.toBeInstanceOf(InvalidBlobKeyError);
    }
  });

  it('gives a local path with the same bytes; release cleans up', async () => {
    const key = newBlobKey(user(), 'mp4');
    await store.put(key, data);
    const lp = await store.localPath(key);
    expect(path.isAbsolute(lp.path)).toBe(true);
    expect(path.extname(lp.path)).toBe('.mp4'); // tools like ffmpeg look at the extension
    expect(sha256(await fsp.readFile(lp.path))).toBe(dataHash);
    await lp.release();
    await lp.release(); // idempotent
    if (store.kind === 's3') {
      expect(existsSync(lp.path)).toBe(false);
      expect(existsSync(path.dirname(lp.path))).toBe(false);
    } else {
      // The local store hands out the blob itself; release must not delete it.
      expect(existsSync(lp.path)).toBe(true);
    }
    expect(await store.stat(key)).toEqual({ size: data.length });
  });

  it('refuses keys that are malformed or could escape, for every operation', async () => {
    for (const key of BAD_KEYS) {
      const label = JSON.stringify(key);
      await expect(store.put(key, Buffer.from('x')), label).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.put(key, Readable.from([Buffer.from('x')])), label).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.putFile(key, '/dev/null'), label).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.get(key), label).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.stat(key), label).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.delete(key), label).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.localPath(key), label).rejects.toBeInstanceOf(InvalidBlobKeyError);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// local store only

describe('LocalBlobStore', () => {
  let dir: string;
  let root: string;
  let store: LocalBlobStore;
  const tmpEntries = async () => fsp.readdir(path.join(root, '.tmp')).catch(() => [] as string[]);

  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'clipmix-blob-local-'));
    root = path.join(dir, 'root');
    store = new LocalBlobStore(root);
  });
  afterAll(async () => fsp.rm(dir, { recursive: true, force: true }));

  it('maps keys to files under the root', async () => {
    const key = newBlobKey(user(), 'png');
    await store.put(key, Buffer.from('png bytes'));
    const file = path.join(root, ...key.split('/'));
    expect(await fsp.readFile(file, 'utf8')).toBe('png bytes');
    expect((await store.localPath(key)).path).toBe(file);
  });

  it('a stream that errors midway leaves no file and no temp file', async () => {
    const a = user();
    const key = `u/${a}/broken.bin`;
    const data = randomBytes(2 * MiB);
    await expect(store.put(key, failingStream(data, MiB, new Error('client went away')))).rejects.toThrow('client went away');
    expect(await store.stat(key)).toBeNull();
    expect(existsSync(path.join(root, 'u', a, 'broken.bin'))).toBe(false);
    expect(await collect(store.list(`u/${a}/`))).toEqual([]);
    expect(await tmpEntries()).toEqual([]);
  });

  it('an aborted stream (destroyed without an error) leaves nothing either', async () => {
    const key = newBlobKey(user(), 'bin');
    const src = new PassThrough();
    const pending = store.put(key, src);
    src.write(randomBytes(100_000));
    await sleep(20);
    src.destroy();
    await expect(pending).rejects.toThrow(/premature close/i);
    expect(await store.stat(key)).toBeNull();
    expect(await tmpEntries()).toEqual([]);
  });

  it('a failed overwrite keeps the previous version intact', async () => {
    const key = newBlobKey(user(), 'bin');
    const v1 = randomBytes(300_000);
    await store.put(key, v1);
    await expect(store.put(key, failingStream(randomBytes(MiB), 500_000, new Error('boom')))).rejects.toThrow('boom');
    expect(sha256(await readAll(await store.get(key)))).toBe(sha256(v1));
    expect(await tmpEntries()).toEqual([]);
  });

  it('refuses path traversal and never touches anything outside the root', async () => {
    const outside = path.join(dir, 'escape.bin');
    for (const key of ['../escape.bin', 'u/../../escape.bin', `${dir}/escape.bin`, '..\\escape.bin', 'u/\0/../../escape.bin']) {
      await expect(store.put(key, Buffer.from('pwned')), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
    }
    expect(existsSync(outside)).toBe(false);
    expect((await fsp.readdir(dir)).sort()).toEqual(['root']);
    // The temp area is not addressable as a key, and never listed.
    await expect(store.stat('.tmp/anything.part')).rejects.toBeInstanceOf(InvalidBlobKeyError);
    for (const k of await collect(store.list())) expect(k.startsWith('.tmp')).toBe(false);
  });

  it('a concurrent reader never observes a partial file', async () => {
    const key = newBlobKey(user(), 'bin');
    const file = path.join(root, ...key.split('/'));
    const data = randomBytes(40 * 16_384);
    let settled = false;
    const put = store.put(key, chunkedStream(data, { chunk: 16_384, delayMs: 5 })).finally(() => {
      settled = true;
    });

    // Each sample is the size seen (via the store and via the filesystem), or null when absent.
    const samples: Array<number | null> = [];
    const contentHashes = new Set<string>();
    let sawTempFile = false;
    while (!settled) {
      samples.push((await store.stat(key))?.size ?? null);
      samples.push(await fsp.stat(file).then((s) => s.size, () => null));
      const content = await fsp.readFile(file).catch(() => null);
      if (content) contentHashes.add(sha256(content));
      if ((await tmpEntries()).length > 0) sawTempFile = true;
      await sleep(1);
    }
    await expect(put).resolves.toEqual({ size: data.length });

    expect(sawTempFile).toBe(true); // the write really was in progress while we polled
    expect(samples.filter((s) => s === null).length).toBeGreaterThan(20);
    // Any sighting is the complete file (it can appear just before put() resolves, while the
    // directory is fsynced), and once there it stays there.
    expect(samples.filter((s) => s !== null).every((s) => s === data.length)).toBe(true);
    const first = samples.findIndex((s) => s !== null);
    if (first >= 0) expect(samples.slice(first).every((s) => s !== null)).toBe(true);
    expect([...contentHashes].every((h) => h === sha256(data))).toBe(true);
    expect(await store.stat(key)).toEqual({ size: data.length });
    expect(sha256(await fsp.readFile(file))).toBe(sha256(data));
    expect(await tmpEntries()).toEqual([]);
  });

  it('during a slow overwrite readers see the complete old version, then the complete new one', async () => {
    const key = newBlobKey(user(), 'bin');
    const v1 = randomBytes(100_000);
    const v2 = randomBytes(30 * 16_384);
    await store.put(key, v1);
    let settled = false;
    const put = store.put(key, chunkedStream(v2, { chunk: 16_384, delayMs: 5 })).finally(() => {
      settled = true;
    });
    const hashes = new Set<string>();
    while (!settled) {
      hashes.add(sha256(await readAll(await store.get(key))));
      await sleep(2);
    }
    await put;
    hashes.add(sha256(await readAll(await store.get(key))));
    expect([...hashes].every((h) => h === sha256(v1) || h === sha256(v2))).toBe(true);
    expect(hashes.has(sha256(v1))).toBe(true);
    expect(hashes.has(sha256(v2))).toBe(true);
  });

  it('concurrent writers to different keys in one directory all land', async () => {
    const a = user();
    const bodies = Array.from({ length: 20 }, () => randomBytes(50_000));
    await Promise.all(bodies.map((b, i) => store.put(`u/${a}/${i}.bin`, chunkedStream(b))));
    for (const [i, b] of bodies.entries()) expect(sha256(await readAll(await store.get(`u/${a}/${i}.bin`)))).toBe(sha256(b));
    // Deleting while writing: the parent directory may be pruned and recreated in between.
    await Promise.all(bodies.flatMap((b, i) => [store.delete(`u/${a}/${i}.bin`), store.put(`u/${a}/n${i}.bin`, b)]));
    expect(await collect(store.list(`u/${a}/`))).toHaveLength(20);
    expect(await tmpEntries()).toEqual([]);
  });

  it('delete prunes empty parent directories but never the root', async () => {
    const a = user();
    const k1 = `u/${a}/x/one.bin`;
    const k2 = `u/${a}/two.bin`;
    await store.put(k1, Buffer.from('1'));
    await store.put(k2, Buffer.from('2'));
    await store.delete(k1);
    expect(existsSync(path.join(root, 'u', a, 'x'))).toBe(false);
    expect(existsSync(path.join(root, 'u', a))).toBe(true); // still holds two.bin
    await store.delete(k2);
    expect(existsSync(path.join(root, 'u', a))).toBe(false);
    expect(existsSync(root)).toBe(true);

    // A fresh store whose only key goes away keeps its root.
    const lonelyRoot = path.join(dir, 'lonely');
    const lonely = new LocalBlobStore(lonelyRoot);
    await lonely.put('solo.bin', Buffer.from('x'));
    await lonely.delete('solo.bin');
    expect(existsSync(lonelyRoot)).toBe(true);
  });

  it('works on a root that does not exist yet', async () => {
    const fresh = new LocalBlobStore(path.join(dir, 'never', 'created'));
    expect(await fresh.stat('u/x/y.bin')).toBeNull();
    expect(await collect(fresh.list())).toEqual([]);
    await expect(fresh.delete('u/x/y.bin')).resolves.toBeUndefined();
  });

  it('list skips stray files no key could name', async () => {
    const strayRoot = path.join(dir, 'stray');
    const s = new LocalBlobStore(strayRoot);
    await s.put('u/a/ok.bin', Buffer.from('ok'));
    await fsp.writeFile(path.join(strayRoot, 'u', 'a', '.DS_Store'), 'x');
    await fsp.writeFile(path.join(strayRoot, 'u', 'a', 'has space.bin'), 'x');
    await fsp.writeFile(path.join(strayRoot, '.tmp', 'leftover.part'), 'x');
    expect(await collect(s.list())).toEqual(['u/a/ok.bin']);
  });

  it('sweeps temp files left by a crashed process (older than a day) on first write', async () => {
    const crashRoot = path.join(dir, 'crash');
    await fsp.mkdir(path.join(crashRoot, '.tmp'), { recursive: true });
    const old = path.join(crashRoot, '.tmp', 'old.part');
    const recent = path.join(crashRoot, '.tmp', 'recent.part');
    await fsp.writeFile(old, 'x');
    await fsp.writeFile(recent, 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await fsp.utimes(old, twoDaysAgo, twoDaysAgo);
    await new LocalBlobStore(crashRoot).put('u/a/b.bin', Buffer.from('x'));
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true); // may belong to a live writer in another process
  });
});

// ---------------------------------------------------------------------------------------------
// S3 store only

describe('S3BlobStore', () => {
  let s3: S3rverHandle;
  let store: S3BlobStore;

  beforeAll(async () => {
    s3 = await startS3rver();
    store = new S3BlobStore(s3.config);
  });
  afterAll(async () => {
    store?.destroy();
    await s3?.stop();
  });

  it('a stream that errors midway leaves no object (single-part and multipart)', async () => {
    const a = user();
    const data = randomBytes(12 * MiB);
    // Fails before one part is full: nothing was sent yet.
    await expect(store.put(`u/${a}/small.bin`, failingStream(data, MiB, new Error('client went away')))).rejects.toThrow(
      'client went away',
    );
    // Fails after a multipart upload started and parts were uploaded: the upload is never completed.
    await expect(store.put(`u/${a}/large.bin`, failingStream(data, 11 * MiB, new Error('client went away')))).rejects.toThrow(
      'client went away',
    );
    expect(await store.stat(`u/${a}/small.bin`)).toBeNull();
    expect(await store.stat(`u/${a}/large.bin`)).toBeNull();
    expect(await collect(store.list(`u/${a}/`))).toEqual([]);
  });

  it('a failed overwrite keeps the previous version intact', async () => {
    const key = newBlobKey(user(), 'bin');
    const v1 = randomBytes(100_000);
    await store.put(key, v1);
    await expect(store.put(key, failingStream(randomBytes(8 * MiB), 7 * MiB, new Error('boom')))).rejects.toThrow('boom');
    expect(sha256(await readAll(await store.get(key)))).toBe(sha256(v1));
  });

  it('records the content type', async () => {
    const key = newBlobKey(user(), 'png');
    await store.put(key, Buffer.from('png'), { contentType: 'image/png' });
    const head = await store.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(head.ContentType).toBe('image/png');
  });

  it('paginates list', async () => {
    const paged = new S3BlobStore({ ...s3.config, listPageSize: 2 });
    try {
      const a = user();
      // Includes names where byte order differs from directory-walk order (`b-c` < `b/…`).
      const keys = [...Array.from({ length: 7 }, (_, i) => `u/${a}/${i}.bin`), `u/${a}/b-c.bin`, `u/${a}/b/x.bin`, `u/${a}/b/y.bin`, `u/${a}/b.bin`];
      for (const k of keys) await paged.put(k, Buffer.from(k));
      const expected = [...keys].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0));
      expect(await collect(paged.list(`u/${a}/`))).toEqual(expected);
      expect(await collect(paged.list(`u/${a}/b`))).toEqual(expected.filter((k) => k.startsWith(`u/${a}/b`)));
    } finally {
      paged.destroy();
    }
  });

  it('buckets are isolated: a second bucket starts empty', async () => {
    const other = new S3BlobStore({ ...s3.config, bucket: await s3.createBucket() });
    try {
      expect(await collect(other.list())).toEqual([]);
    } finally {
      other.destroy();
    }
  });

  it('the test server stops promptly even with a stream left open, and cleans up', async () => {
    const own = await startS3rver();
    const st = new S3BlobStore(own.config);
    await st.put('u/a/big.bin', randomBytes(4 * MiB));
    const leaked = await st.get('u/a/big.bin'); // never read
    const started = Date.now();
    await Promise.all([own.stop(), own.stop()]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(existsSync(own.directory)).toBe(false);
    leaked.destroy();
    st.destroy();
  });

  it('maps a missing bucket to an error, not to "not found"', async () => {
    const ghost = new S3BlobStore({ ...s3.config, bucket: 'no-such-bucket-here' });
    try {
      await expect(ghost.get('u/a/b.bin')).rejects.not.toBeInstanceOf(BlobNotFoundError);
      await expect(ghost.put('u/a/b.bin', Buffer.from('x'))).rejects.toThrow();
    } finally {
      ghost.destroy();
    }
  });
});
