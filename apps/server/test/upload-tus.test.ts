import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { leftovers, makeTone, noiseBytes, scratch } from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

const TUS = { 'tus-resumable': '1.0.0' };
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

let work: Awaited<ReturnType<typeof scratch>>;
let song: Buffer;

beforeAll(async () => {
  work = await scratch();
  song = await readFile(await makeTone(work.file('song.mp3'), { format: 'mp3', seconds: 3 }));
}, 60_000);

afterAll(async () => work?.remove());

describe.each(DB_KINDS)('resumable uploads (tus) on %s', (db) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_AUTH_RATE_LIMIT: '1000', CLIPMIX_MAX_UPLOAD_MB: '5' } });
    alice = await signUp(t);
    bob = await signUp(t);
  });
  afterAll(async () => t?.close());

  async function create(user: TestUser, length: number, filename = 'song.mp3') {
    const res = await user.request({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...TUS, 'upload-length': String(length), 'upload-metadata': `filename ${b64(filename)},filetype ${b64('audio/mpeg')}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/api\/v1\/uploads\/[A-Za-z0-9]{32}$/);
    return { location, id: location.split('/').pop()! };
  }

  async function patch(user: TestUser, location: string, offset: number, chunk: Buffer) {
    return user.request({
      method: 'PATCH',
      url: location,
      payload: chunk,
      headers: { ...TUS, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    });
  }

  async function sendInChunks(user: TestUser, location: string, data: Buffer, parts: number) {
    const size = Math.ceil(data.length / parts);
    let offset = 0;
    while (offset < data.length) {
      const chunk = data.subarray(offset, offset + size);
      const res = await patch(user, location, offset, chunk);
      expect(res.statusCode, res.body).toBe(204);
      offset += chunk.length;
      expect(res.headers['upload-offset']).toBe(String(offset));
      const head = await user.request({ method: 'HEAD', url: location, headers: TUS });
      expect(head.statusCode).toBe(200);
      expect(head.headers['upload-offset']).toBe(String(offset));
      expect(head.headers['upload-length']).toBe(String(data.length));
    }
  }

  it('uploads in three chunks, then turns the upload into a validated file', async () => {
    const before = await leftovers(t);
    const { location, id } = await create(alice, song.length, 'my song.mp3');

    // Not finished yet: the file cannot be created.
    const early = await alice.request({ method: 'POST', url: '/api/v1/files', payload: { upload_id: id } });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('upload_incomplete');

    // A chunk at the wrong offset is refused.
    expect((await patch(alice, location, 10, song.subarray(10, 20))).statusCode).toBe(409);
    await sendInChunks(alice, location, song, 3);
    expect((await leftovers(t)).tus.length).toBeGreaterThan(0);

    const res = await alice.request({ method: 'POST', url: '/api/v1/files', payload: { upload_id: id, purpose: 'audio' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'audio', mime: 'audio/mpeg', purpose: 'audio', filename: 'my song.mp3', size_bytes: song.length });
    expect(res.json().duration_seconds).toBeCloseTo(3, 0);
    const content = await alice.request({ method: 'GET', url: res.json().content_url });
    expect(Buffer.compare(content.rawPayload, song)).toBe(0);

    const after = await leftovers(t);
    expect(after.tus).toEqual([]);
    expect(after.tmp).toEqual([]);
    expect(after.rows).toBe(before.rows + 1);
    // The upload is gone: it cannot be used twice.
    expect((await alice.request({ method: 'HEAD', url: location, headers: TUS })).statusCode).toBe(404);
    const again = await alice.request({ method: 'POST', url: '/api/v1/files', payload: { upload_id: id } });
    expect(again.statusCode).toBe(404);
  });

  it('accepts creation-with-upload (bytes in the POST)', async () => {
    const res = await alice.request({
      method: 'POST',
      url: '/api/v1/uploads',
      payload: song,
      headers: { ...TUS, 'upload-length': String(song.length), 'content-type': 'application/offset+octet-stream' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['upload-offset']).toBe(String(song.length));
    const id = (res.headers.location as string).split('/').pop();
    const file = await alice.request({ method: 'POST', url: '/api/v1/files', payload: { upload_id: id } });
    expect(file.statusCode, file.body).toBe(201);
    expect(file.json().filename).toMatch(/^file_\w+\.mp3$/);
  });

  it('refuses a corrupt upload with 422 and leaves nothing behind', async () => {
    const before = await leftovers(t);
    for (const [data, status] of [
      [noiseBytes(30_000, 7), 415],
      [song.subarray(0, Math.floor(song.length / 2)), 422],
    ] as const) {
      const { location, id } = await create(alice, data.length, 'broken.mp3');
      await sendInChunks(alice, location, data, 3);
      const res = await alice.request({ method: 'POST', url: '/api/v1/files', payload: { upload_id: id } });
      expect(res.statusCode, res.body).toBe(status);
      const now = await leftovers(t);
      expect(now.rows).toBe(before.rows);
      expect(now.blobs).toEqual(before.blobs);
      expect(now.tmp).toEqual([]);
      expect(now.tus).toEqual([]);
    }
  });

  it("keeps each user's uploads private", async () => {
    const { location, id } = await create(alice, song.length);
    expect((await bob.request({ method: 'HEAD', url: location, headers: TUS })).statusCode).toBe(404);
    expect((await patch(bob, location, 0, song)).statusCode).toBe(404);
    expect((await bob.request({ method: 'DELETE', url: location, headers: TUS })).statusCode).toBe(404);
    expect((await bob.request({ method: 'POST', url: '/api/v1/files', payload: { upload_id: id } })).statusCode).toBe(404);
    // Still Alice's, untouched; she can terminate it.
    const head = await alice.request({ method: 'HEAD', url: location, headers: TUS });
    expect(head.headers['upload-offset']).toBe('0');
    expect((await alice.request({ method: 'DELETE', url: location, headers: TUS })).statusCode).toBe(204);
    expect((await leftovers(t)).tus).toEqual([]);
  });

  it('enforces authentication, CSRF, the protocol version and the size limit', async () => {
    const anon = await t.http.inject({ method: 'POST', url: '/api/v1/uploads', headers: { ...TUS, 'upload-length': '10' } });
    expect(anon.statusCode).toBe(401);
    const noCsrf = await alice.request({ method: 'POST', url: '/api/v1/uploads', headers: { ...TUS, 'upload-length': '10', 'x-csrf-token': 'wrong' } });
    expect(noCsrf.statusCode).toBe(403);
    const noVersion = await alice.request({ method: 'POST', url: '/api/v1/uploads', headers: { 'upload-length': '10' } });
    expect(noVersion.statusCode).toBe(412);
    const tooBig = await alice.request({ method: 'POST', url: '/api/v1/uploads', headers: { ...TUS, 'upload-length': String(6 * 1024 * 1024) } });
    expect(tooBig.statusCode).toBe(413);
    const options = await t.http.inject({ method: 'OPTIONS', url: '/api/v1/uploads' });
    expect(options.statusCode).toBe(204);
    expect(options.headers['tus-version']).toContain('1.0.0');
    expect(Number(options.headers['tus-max-size'])).toBe(5 * 1024 * 1024);
    expect((await leftovers(t)).tus).toEqual([]);
  });

  it('works over a real socket (streamed PATCH bodies, multipart via FormData)', async () => {
    const address = await t.http.listen({ port: 0, host: '127.0.0.1' });
    const auth = { cookie: alice.cookie, 'x-csrf-token': alice.csrf };
    const created = await fetch(`${address}/api/v1/uploads`, {
      method: 'POST',
      headers: { ...auth, ...TUS, 'upload-length': String(song.length), 'upload-metadata': `filename ${b64('net.mp3')}` },
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    let offset = 0;
    for (const chunk of [song.subarray(0, 10_000), song.subarray(10_000)]) {
      const r = await fetch(`${address}${location}`, {
        method: 'PATCH',
        headers: { ...auth, ...TUS, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        body: new Uint8Array(chunk),
      });
      expect(r.status, await r.text()).toBe(204);
      offset += chunk.length;
      expect(r.headers.get('upload-offset')).toBe(String(offset));
    }
    const done = await fetch(`${address}/api/v1/files`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ upload_id: location.split('/').pop() }),
    });
    expect(done.status, await done.clone().text()).toBe(201);
    expect((await done.json()).filename).toBe('net.mp3');

    const form = new FormData();
    form.append('purpose', 'audio');
    form.append('file', new Blob([new Uint8Array(song)], { type: 'audio/mpeg' }), 'form.mp3');
    const posted = await fetch(`${address}/api/v1/files`, { method: 'POST', headers: auth, body: form });
    expect(posted.status, await posted.clone().text()).toBe(201);
    const file = await posted.json();
    expect(file).toMatchObject({ kind: 'audio', filename: 'form.mp3', purpose: 'audio' });
    const ranged = await fetch(`${address}${file.content_url}`, { headers: { ...auth, range: 'bytes=10-19' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.compare(Buffer.from(await ranged.arrayBuffer()), song.subarray(10, 20))).toBe(0);
    expect((await leftovers(t)).tus).toEqual([]);
  });
});
