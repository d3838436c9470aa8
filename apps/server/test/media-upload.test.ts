import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { testing } from '@clipmix/engine';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { startS3rver, type S3rverHandle } from './helpers/s3rver.js';
import {
  ffprobeJson,
  leftovers,
  makeImage,
  makeTone,
  makeVideo,
  pixelAt,
  scratch,
  upload,
  uploadFile,
  type AudioFormat,
} from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

interface Sample {
  name: string;
  file: string;
  kind: 'audio' | 'video' | 'image';
  mime: string;
  /** Measured with ffprobe / sharp from the generated file. */
  duration?: number;
  width?: number;
  height?: number;
}

const AUDIO: Array<{ format: AudioFormat; mime: string }> = [
  { format: 'mp3', mime: 'audio/mpeg' },
  { format: 'wav', mime: 'audio/wav' },
  { format: 'flac', mime: 'audio/flac' },
  { format: 'm4a', mime: 'audio/mp4' },
  { format: 'aac', mime: 'audio/aac' },
  { format: 'ogg', mime: 'audio/ogg' },
  { format: 'opus', mime: 'audio/ogg' },
  { format: 'webm', mime: 'audio/webm' },
];

let work: Awaited<ReturnType<typeof scratch>>;
const samples: Sample[] = [];

beforeAll(async () => {
  work = await scratch();
  for (const a of AUDIO) {
    const file = await makeTone(work.file(`tone.${a.format}`), { format: a.format, seconds: 2 });
    const probe = await ffprobeJson(file);
    samples.push({ name: `${a.format} audio`, file, kind: 'audio', mime: a.mime, duration: Number(probe.format.duration) });
  }
  for (const [format, mime] of [
    ['mp4', 'video/mp4'],
    ['mov', 'video/quicktime'],
    ['webm', 'video/webm'],
  ] as const) {
    const file = await makeVideo(work.file(`clip.${format}`), { format, seconds: 2, width: 320, height: 240, audio: true });
    const probe = await ffprobeJson(file);
    const v = probe.streams.find((s) => s.codec_type === 'video')!;
    samples.push({ name: `${format} video`, file, kind: 'video', mime, duration: Number(probe.format.duration), width: v.width, height: v.height });
  }
  // A phone video: coded 320×240, shown rotated 90° → reported upright as 240×320.
  const rotated = await testing.makeVideo({ path: work.file('rotated.mp4'), seconds: 2, width: 320, height: 240, rotation: 90 });
  samples.push({ name: 'rotated mp4 video', file: rotated, kind: 'video', mime: 'video/mp4', duration: Number((await ffprobeJson(rotated)).format.duration), width: 240, height: 320 });
  for (const [format, ext, mime] of [
    ['jpeg', 'jpg', 'image/jpeg'],
    ['png', 'png', 'image/png'],
    ['webp', 'webp', 'image/webp'],
    ['avif', 'avif', 'image/avif'],
  ] as const) {
    const file = work.file(`photo.${ext}`);
    await sharp(await makeImage(format, { width: 64, height: 48 })).toFile(file);
    const meta = await sharp(file).metadata();
    samples.push({ name: `${format} image`, file, kind: 'image', mime, width: meta.width, height: meta.height });
  }
}, 120_000);

afterAll(async () => work?.remove());

describe.each(DB_KINDS)('uploads and library on %s', (db) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
    alice = await signUp(t);
    bob = await signUp(t);
  });
  afterAll(async () => t?.close());

  it('accepts every supported format and reports what decoding measured', async () => {
    for (const s of samples) {
      // The client's name and type say nothing: every file is sent as "blob" / octet-stream.
      const res = await upload(alice, { data: await readFile(s.file), filename: 'blob', contentType: 'application/octet-stream' });
      expect(res.statusCode, `${s.name}: ${res.body}`).toBe(201);
      const f = res.json();
      expect(f, s.name).toMatchObject({ object: 'file', kind: s.kind, mime: s.mime, filename: 'blob', status: 'processing' });
      expect(f.id).toMatch(/^file_[0-9A-Za-z]{22}$/);
      expect(f.size_bytes).toBe((await readFile(s.file)).length);
      expect(f.content_url).toBe(`/api/v1/files/${f.id}/content`);
      expect(f.processing_job).toMatch(/^job_/);
      if (s.duration !== undefined) expect(f.duration_seconds, s.name).toBeCloseTo(s.duration, 1);
      else expect(f.duration_seconds).toBeNull();
      expect(f.width, s.name).toBe(s.width ?? null);
      expect(f.height, s.name).toBe(s.height ?? null);
      expect(Date.parse(f.created_at)).not.toBeNaN();
    }
    const left = await leftovers(t);
    expect(left.tmp).toEqual([]);
    expect(left.rows).toBe(samples.length);
    expect(left.blobs).toHaveLength(samples.length);
    // Keys are server-made, under the owner's prefix, with the detected format's extension.
    for (const key of left.blobs) expect(key).toMatch(new RegExp(`^u/${alice.id}/[0-9A-Za-z]{22}\\.(mp3|wav|flac|m4a|aac|ogg|opus|webm|mp4|mov|jpg|png|webp|avif)$`));
  });

  it('stores an EXIF-rotated JPEG upright (orientation 6: 200×100 → 100×200)', async () => {
    const jpeg = await makeImage('jpeg', { width: 200, height: 100, orientation: 6 });
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const res = await upload(alice, { data: jpeg, filename: 'phone.jpg', contentType: 'image/jpeg' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 100, height: 200 });
    const content = await alice.request({ method: 'GET', url: res.json().content_url });
    const stored = content.rawPayload;
    const meta = await sharp(stored).metadata();
    expect([meta.width, meta.height]).toEqual([100, 200]);
    expect(meta.orientation ?? 1).toBe(1);
    // The red marker was the top-left quadrant of the coded pixels; 90° clockwise puts it top-right.
    const [r1, , b1] = await pixelAt(stored, 90, 10);
    expect(r1).toBeGreaterThan(200);
    expect(b1).toBeLessThan(60);
    const [r2, , b2] = await pixelAt(stored, 10, 190);
    expect(r2).toBeLessThan(60);
    expect(b2).toBeGreaterThan(200);
  });

  it('keeps the original bytes of an image that needs no rotation', async () => {
    const jpeg = await makeImage('jpeg', { width: 120, height: 80 });
    const res = await upload(alice, { data: jpeg, filename: 'flat.jpg' });
    expect(res.statusCode).toBe(201);
    const content = await alice.request({ method: 'GET', url: res.json().content_url });
    expect(Buffer.compare(content.rawPayload, jpeg)).toBe(0);
  });

  it('stores a path-traversal name only as sanitised metadata', async () => {
    const png = await makeImage('png', { width: 8, height: 8 });
    const before = await leftovers(t);
    const res = await upload(alice, { data: png, filename: '../../etc/passwd.png', contentType: 'image/png' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().filename).toBe('passwd.png');
    const row = await t.ctx.db.selectFrom('files').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row.original_name).toBe('passwd.png');
    expect(row.blob_key).toMatch(new RegExp(`^u/${alice.id}/[0-9A-Za-z]{22}\\.png$`));
    const after = await leftovers(t);
    expect(after.blobs.filter((k) => !before.blobs.includes(k))).toEqual([row.blob_key]);
    expect(existsSync(path.join(t.dataDir, 'etc'))).toBe(false);
    expect(existsSync(path.join(t.dataDir, 'blobs', 'etc'))).toBe(false);

    const odd = await upload(alice, { data: png, filename: 'C:\\Users\\x\\na\u00efve\u0007 \u00e9t\u00e9;.png' });
    expect(odd.json().filename).toBe('na\u00efve \u00e9t\u00e9;.png');
    const dl = await alice.request({ method: 'GET', url: `${odd.json().content_url}?download=1` });
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="na_ve _t__.png"; filename*=UTF-8''na%C3%AFve%20%C3%A9t%C3%A9%3B.png`);
  });

  it('serves content with Range support', async () => {
    const wav = samples.find((s) => s.name === 'wav audio')!;
    const original = await readFile(wav.file);
    const size = original.length;
    const res = await upload(alice, { data: original, filename: 'song.wav', contentType: 'audio/wav' });
    const url = res.json().content_url as string;

    const full = await alice.request({ method: 'GET', url });
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('audio/wav');
    expect(full.headers['content-length']).toBe(String(size));
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.headers['content-disposition']).toBe(`inline; filename="song.wav"; filename*=UTF-8''song.wav`);
    expect(full.headers['x-content-type-options']).toBe('nosniff');
    const etag = full.headers.etag as string;
    expect(etag).toMatch(/^"file_/);
    expect(Buffer.compare(full.rawPayload, original)).toBe(0);

    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=100-', 100, size - 1],
      ['bytes=-50', size - 50, size - 1],
      ['bytes=1000-1000', 1000, 1000],
      [`bytes=${size - 10}-${size + 5000}`, size - 10, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const r = await alice.request({ method: 'GET', url, headers: { range } });
      expect(r.statusCode, range).toBe(206);
      expect(r.headers['content-range'], range).toBe(`bytes ${start}-${end}/${size}`);
      expect(r.headers['content-length'], range).toBe(String(end - start + 1));
      expect(Buffer.compare(r.rawPayload, original.subarray(start, end + 1)), range).toBe(0);
    }
    for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, 'bytes=-0']) {
      const r = await alice.request({ method: 'GET', url, headers: { range } });
      expect(r.statusCode, range).toBe(416);
      expect(r.headers['content-range']).toBe(`bytes */${size}`);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    // Malformed or multi-range headers are ignored: the whole file.
    for (const range of ['bytes=5-2', 'items=0-5', 'bytes=0-1,5-6']) {
      const r = await alice.request({ method: 'GET', url, headers: { range } });
      expect(r.statusCode, range).toBe(200);
      expect(r.rawPayload.length).toBe(size);
    }
    const cached = await alice.request({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(cached.statusCode).toBe(304);
    const stale = await alice.request({ method: 'GET', url, headers: { range: 'bytes=0-9', 'if-range': '"other"' } });
    expect(stale.statusCode).toBe(200);
  });

  it('lists newest first with Stripe pagination and a kind filter', async () => {
    const u = await signUp(t);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await uploadFile(u, samples.find((s) => s.name === 'png image')!.file);
      ids.push(r.json().id);
    }
    const tone = await uploadFile(u, samples.find((s) => s.name === 'mp3 audio')!.file);
    ids.push(tone.json().id);

    const all = await u.request({ method: 'GET', url: '/api/v1/files' });
    expect(all.json().object).toBe('list');
    expect(all.json().data.map((f: { id: string }) => f.id)).toEqual([...ids].reverse());
    const p1 = (await u.request({ method: 'GET', url: '/api/v1/files?limit=2' })).json();
    expect(p1.has_more).toBe(true);
    expect(p1.data.map((f: { id: string }) => f.id)).toEqual([ids[3], ids[2]]);
    const p2 = (await u.request({ method: 'GET', url: `/api/v1/files?limit=2&starting_after=${ids[2]}` })).json();
    expect(p2.data.map((f: { id: string }) => f.id)).toEqual([ids[1], ids[0]]);
    expect(p2.has_more).toBe(false);
    const back = (await u.request({ method: 'GET', url: `/api/v1/files?limit=2&ending_before=${ids[0]}` })).json();
    expect(back.data.map((f: { id: string }) => f.id)).toEqual([ids[2], ids[1]]);
    const audio = (await u.request({ method: 'GET', url: '/api/v1/files?kind=audio' })).json();
    expect(audio.data.map((f: { id: string }) => f.id)).toEqual([ids[3]]);
    expect((await u.request({ method: 'GET', url: '/api/v1/files?kind=nope' })).statusCode).toBe(400);
    const one = await u.request({ method: 'GET', url: `/api/v1/files/${ids[0]}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: ids[0], kind: 'image' });
  });

  it('answers 404 to another user on every route', async () => {
    const res = await uploadFile(alice, samples.find((s) => s.name === 'png image')!.file);
    const id = res.json().id as string;
    for (const [method, url] of [
      ['GET', `/api/v1/files/${id}`],
      ['GET', `/api/v1/files/${id}/content`],
      ['DELETE', `/api/v1/files/${id}`],
    ] as const) {
      const r = await bob.request({ method, url });
      expect(r.statusCode, `${method} ${url}`).toBe(404);
      expect(r.json().code).toBe('resource_missing');
    }
    const list = (await bob.request({ method: 'GET', url: '/api/v1/files' })).json();
    expect(list.data.map((f: { id: string }) => f.id)).not.toContain(id);
    await expect(t.ctx.services.media.localPath(bob.id, id)).rejects.toMatchObject({ status: 404 });
    // Still there for its owner.
    expect((await alice.request({ method: 'GET', url: `/api/v1/files/${id}` })).statusCode).toBe(200);
  });

  it('deletes the row and the blob', async () => {
    const res = await uploadFile(alice, samples.find((s) => s.name === 'mp3 audio')!.file);
    const id = res.json().id as string;
    const row = await t.ctx.db.selectFrom('files').select('blob_key').where('id', '=', id).executeTakeFirstOrThrow();
    expect(await t.ctx.blobs.stat(row.blob_key)).not.toBeNull();
    const del = await alice.request({ method: 'DELETE', url: `/api/v1/files/${id}` });
    expect(del.statusCode).toBe(204);
    expect(await t.ctx.blobs.stat(row.blob_key)).toBeNull();
    const keys: string[] = [];
    for await (const k of t.ctx.blobs.list(`u/${alice.id}/`)) keys.push(k);
    expect(keys).not.toContain(row.blob_key);
    expect((await alice.request({ method: 'GET', url: `/api/v1/files/${id}` })).statusCode).toBe(404);
    expect((await alice.request({ method: 'DELETE', url: `/api/v1/files/${id}` })).statusCode).toBe(404);
    // The service method is idempotent.
    await expect(t.ctx.services.media.deleteFile(alice.id, id)).resolves.toBeUndefined();
  });

  it('needs authentication and the files scopes', async () => {
    const anon = await t.http.inject({ method: 'GET', url: '/api/v1/files' });
    expect(anon.statusCode).toBe(401);
    // An API key with only files:read (simulated authenticator in front of the real ones).
    t.ctx.authenticators.unshift(async (req) =>
      req.headers['x-test-key'] === 'read-only' ? { userId: alice.id, via: 'api_key', apiKeyId: 'key_test', scopes: ['files:read'], livemode: true } : null,
    );
    try {
      const list = await t.http.inject({ method: 'GET', url: '/api/v1/files', headers: { 'x-test-key': 'read-only' } });
      expect(list.statusCode).toBe(200);
      const png = await makeImage('png', { width: 4, height: 4 });
      const { multipartBody } = await import('./helpers/media.js');
      const body = multipartBody([{ name: 'file', filename: 'a.png', data: png }]);
      const post = await t.http.inject({
        method: 'POST',
        url: '/api/v1/files',
        payload: body.payload,
        headers: { 'x-test-key': 'read-only', 'content-type': body.contentType },
      });
      expect(post.statusCode).toBe(403);
      expect(post.json().code).toBe('insufficient_scope');
    } finally {
      t.ctx.authenticators.shift();
    }
  });

  it('describes the routes in the OpenAPI document', async () => {
    const spec = (await t.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const p of ['/api/v1/files', '/api/v1/files/{id}', '/api/v1/files/{id}/content', '/api/v1/uploads']) expect(Object.keys(spec.paths)).toContain(p);
    expect(spec.paths['/api/v1/files'].post.responses['201']).toBeDefined();
  });
});

describe.each(DB_KINDS)('uploads with the S3 blob store on %s', (db) => {
  let t: TestApp;
  let s3: S3rverHandle;
  let user: TestUser;

  beforeAll(async () => {
    s3 = await startS3rver();
    t = await createTestApp({ db, env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' }, configure: (c) => (c.blob = s3.config) });
    user = await signUp(t);
  });
  afterAll(async () => {
    await t?.close();
    (t?.ctx.blobs as { destroy?: () => void } | undefined)?.destroy?.();
    await s3?.stop();
  });

  it('stores, processes, serves ranges and deletes through S3', async () => {
    expect(t.ctx.blobs.kind).toBe('s3');
    const video = samples.find((s) => s.name === 'mp4 video')!;
    const original = await readFile(video.file);
    const res = await upload(user, { data: original, filename: 'clip.mp4' });
    expect(res.statusCode, res.body).toBe(201);
    await t.ctx.services.jobs.drain();
    const file = (await user.request({ method: 'GET', url: `/api/v1/files/${res.json().id}` })).json();
    expect(file.status).toBe('ready');
    expect(file.thumbnail_url).not.toBeNull();
    expect(file.waveform_url).not.toBeNull();
    const part = await user.request({ method: 'GET', url: file.content_url, headers: { range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(Buffer.compare(part.rawPayload, original.subarray(100, 200))).toBe(0);
    const keys = (await leftovers(t)).blobs;
    expect(keys).toHaveLength(3);
    expect((await user.request({ method: 'DELETE', url: `/api/v1/files/${file.id}` })).statusCode).toBe(204);
    expect((await leftovers(t)).blobs).toEqual([]);
    expect((await leftovers(t)).tmp).toEqual([]);
  });
});
