import { readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import {
  ffmpeg,
  leftovers,
  makeImage,
  makeTone,
  makeVideo,
  multipartBody,
  noiseBytes,
  pixelBombPng,
  scratch,
  upload,
  type Leftovers,
} from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

let work: Awaited<ReturnType<typeof scratch>>;
const media: Record<string, Buffer> = {};

const half = (b: Buffer) => b.subarray(0, Math.floor(b.length / 2));

beforeAll(async () => {
  work = await scratch();
  media.mp3 = await readFile(await makeTone(work.file('t.mp3'), { format: 'mp3', seconds: 3 }));
  media.flac = await readFile(await makeTone(work.file('t.flac'), { format: 'flac', seconds: 3 }));
  media.mp4 = await readFile(await makeVideo(work.file('v.mp4'), { format: 'mp4', seconds: 3, audio: true }));
  media.mp4fast = await readFile(await makeVideo(work.file('f.mp4'), { format: 'mp4', seconds: 3, audio: true, faststart: true }));
  media.webm = await readFile(await makeVideo(work.file('v.webm'), { format: 'webm', seconds: 3 }));
  media.tone5 = await readFile(await makeTone(work.file('t5.wav'), { format: 'wav', seconds: 5 }));
  media.tone1 = await readFile(await makeTone(work.file('t1.wav'), { format: 'wav', seconds: 1.5 }));
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=64x48:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', work.file('v.mkv')]);
  media.mkv = await readFile(work.file('v.mkv'));
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=64x48:d=1', '-frames:v', '1', work.file('i.gif')]);
  media.gif = await readFile(work.file('i.gif'));
  media.png = await makeImage('png', { width: 300, height: 200 });
  media.jpeg = await makeImage('jpeg', { width: 600, height: 400 });
  await writeFile(work.file('unused'), '');
}, 120_000);

afterAll(async () => work?.remove());

describe.each(DB_KINDS)('hostile uploads on %s', (db) => {
  let t: TestApp;
  let user: TestUser;
  let before: Leftovers;

  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
    user = await signUp(t);
  });
  afterAll(async () => t?.close());

  /** Nothing may be stored: no row, no blob, no temp file. */
  async function expectNothingLeft() {
    const now = await leftovers(t);
    expect(now.rows).toBe(before.rows);
    expect(now.blobs).toEqual(before.blobs);
    expect(now.tmp).toEqual([]);
  }

  const refused: Array<{ name: string; data: () => Buffer; filename: string; type: string; purpose?: string; status: number; code: string }> = [
    { name: 'a zero-byte file', data: () => Buffer.alloc(0), filename: 'empty.mp3', type: 'audio/mpeg', status: 422, code: 'media_invalid' },
    { name: 'an MP3 cut in half', data: () => half(media.mp3!), filename: 'half.mp3', type: 'audio/mpeg', status: 422, code: 'media_invalid' },
    { name: 'a FLAC cut in half', data: () => half(media.flac!), filename: 'half.flac', type: 'audio/flac', status: 422, code: 'media_invalid' },
    { name: 'an MP4 cut in half', data: () => half(media.mp4!), filename: 'half.mp4', type: 'video/mp4', status: 422, code: 'media_invalid' },
    { name: 'a faststart MP4 cut in half', data: () => half(media.mp4fast!), filename: 'half.mp4', type: 'video/mp4', status: 422, code: 'media_invalid' },
    { name: 'a WebM cut in half', data: () => half(media.webm!), filename: 'half.webm', type: 'video/webm', status: 422, code: 'media_invalid' },
    { name: 'a PNG cut in half', data: () => half(media.png!), filename: 'half.png', type: 'image/png', status: 422, code: 'media_invalid' },
    { name: 'a JPEG cut in half', data: () => half(media.jpeg!), filename: 'half.jpg', type: 'image/jpeg', status: 422, code: 'media_invalid' },
    { name: 'random bytes', data: () => noiseBytes(64 * 1024), filename: 'song.mp3', type: 'audio/mpeg', status: 415, code: 'unsupported_media_type' },
    { name: 'a text file named .jpg', data: () => Buffer.from('hello, I am not a picture\n'.repeat(50)), filename: 'photo.jpg', type: 'image/jpeg', status: 415, code: 'unsupported_media_type' },
    { name: 'a GIF', data: () => media.gif!, filename: 'anim.gif', type: 'image/gif', status: 415, code: 'unsupported_media_type' },
    { name: 'a Matroska video', data: () => media.mkv!, filename: 'clip.mkv', type: 'video/x-matroska', status: 415, code: 'unsupported_media_type' },
    { name: 'a PNG named .mp3 uploaded as audio', data: () => media.png!, filename: 'song.mp3', type: 'audio/mpeg', purpose: 'audio', status: 422, code: 'purpose_mismatch' },
    { name: 'an MP3 uploaded as a face photo', data: () => media.mp3!, filename: 'me.jpg', type: 'image/jpeg', purpose: 'face', status: 422, code: 'purpose_mismatch' },
    { name: 'a pixel bomb (30000×30000 PNG)', data: () => pixelBombPng(30000, 30000), filename: 'bomb.png', type: 'image/png', status: 422, code: 'image_too_large' },
  ];

  it.each(refused)('refuses $name and leaves nothing behind', async (c) => {
    before = await leftovers(t);
    const started = Date.now();
    const res = await upload(user, { data: c.data(), filename: c.filename, contentType: c.type, purpose: c.purpose });
    expect(res.statusCode, res.body).toBe(c.status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: c.status, code: c.code });
    expect(res.json().request_id).toBe(res.headers['request-id']);
    if (c.code === 'image_too_large') expect(Date.now() - started).toBeLessThan(5000);
    await expectNothingLeft();
  });

  it('stores a PNG named .mp3 with an audio Content-Type as the image it is', async () => {
    const res = await upload(user, { data: media.png!, filename: 'song.mp3', contentType: 'audio/mpeg' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'image', mime: 'image/png', width: 300, height: 200, filename: 'song.mp3' });
    const row = await t.ctx.db.selectFrom('files').select('blob_key').where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row.blob_key).toMatch(/\.png$/);
  });

  it('accepts a matching purpose', async () => {
    const res = await upload(user, { data: media.mp3!, filename: 'v.mp3', purpose: 'voice_sample' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'audio', purpose: 'voice_sample' });
  });

  it('refuses malformed requests with 400/415 and leaves nothing behind', async () => {
    before = await leftovers(t);
    const post = (payload: Buffer | string, contentType: string) =>
      user.request({ method: 'POST', url: '/api/v1/files', payload, headers: { 'content-type': contentType } });

    // Truncated multipart: the closing boundary never comes.
    const good = multipartBody([{ name: 'file', filename: 'a.png', data: media.png! }]);
    const cut = await post(good.payload.subarray(0, good.payload.length - 40), good.contentType);
    expect(cut.statusCode, cut.body).toBe(400);
    expect(cut.json().code).toBe('invalid_multipart');
    // Garbage that claims to be multipart.
    const garbage = await post('this is not multipart at all', 'multipart/form-data; boundary=xyz');
    expect(garbage.statusCode, garbage.body).toBe(400);
    // No boundary at all.
    const noBoundary = await post('--x\r\n', 'multipart/form-data');
    expect(noBoundary.statusCode).toBe(400);
    // Only a purpose, no file.
    const missing = multipartBody([{ name: 'purpose', value: 'audio' }]);
    const noFile = await post(missing.payload, missing.contentType);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json()).toMatchObject({ code: 'file_missing', errors: [{ param: 'file' }] });
    // The file in another field.
    const wrongField = multipartBody([{ name: 'upload', filename: 'a.png', data: media.png! }]);
    const wf = await post(wrongField.payload, wrongField.contentType);
    expect(wf.statusCode).toBe(400);
    // Two files.
    const two = multipartBody([
      { name: 'file', filename: 'a.png', data: media.png! },
      { name: 'file', filename: 'b.png', data: media.png! },
    ]);
    const twoRes = await post(two.payload, two.contentType);
    expect(twoRes.statusCode).toBe(400);
    // Unknown purpose.
    const badPurpose = await upload(user, { data: media.png!, filename: 'a.png', purpose: 'wallpaper' });
    expect(badPurpose.statusCode).toBe(400);
    expect(badPurpose.json().errors[0].param).toBe('purpose');
    // Not multipart, not JSON.
    const text = await post('just text', 'text/plain');
    expect(text.statusCode).toBe(415);
    const octets = await post(media.png!, 'application/octet-stream');
    expect(octets.statusCode).toBe(415);
    // JSON without an upload id, and with an unknown one.
    const json = await user.request({ method: 'POST', url: '/api/v1/files', payload: { purpose: 'audio' } });
    expect(json.statusCode).toBe(400);
    const unknown = await user.request({ method: 'POST', url: '/api/v1/files', payload: { upload_id: 'A'.repeat(32) } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('upload_missing');
    // Not signed in.
    const anon = await t.http.inject({ method: 'POST', url: '/api/v1/files', payload: good.payload, headers: { 'content-type': good.contentType } });
    expect(anon.statusCode).toBe(401);
    await expectNothingLeft();
  });
});

describe.each(DB_KINDS)('upload limits on %s', (db) => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_MAX_UPLOAD_MB: '1', CLIPMIX_MAX_MEDIA_SECONDS: '2', CLIPMIX_MAX_IMAGE_MEGAPIXELS: '1' } });
    user = await signUp(t);
  });
  afterAll(async () => t?.close());

  it('refuses a file over the size limit with 413', async () => {
    const before = await leftovers(t);
    const big = Buffer.concat([media.png!, noiseBytes(2 * 1024 * 1024)]);
    const res = await upload(user, { data: big, filename: 'big.png', contentType: 'image/png' });
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
    // Without a Content-Length the body is still counted and cut off.
    const { payload, contentType } = multipartBody([{ name: 'file', filename: 'big.png', data: big }]);
    const { Readable } = await import('node:stream');
    const streamed = await user.request({
      method: 'POST',
      url: '/api/v1/files',
      payload: Readable.from([payload.subarray(0, 1000), payload.subarray(1000)]),
      headers: { 'content-type': contentType },
    });
    expect(streamed.statusCode, streamed.body).toBe(413);
    const now = await leftovers(t);
    expect(now.rows).toBe(before.rows);
    expect(now.blobs).toEqual(before.blobs);
    expect(now.tmp).toEqual([]);
  });

  it('refuses media longer than the duration limit with 422', async () => {
    const res = await upload(user, { data: media.tone5!, filename: 'long.wav' });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().code).toBe('media_too_long');
    const ok = await upload(user, { data: media.tone1!, filename: 'short.wav' });
    expect(ok.statusCode).toBe(201);
    expect((await leftovers(t)).tmp).toEqual([]);
  });

  it('refuses images over the pixel limit before decoding them', async () => {
    const big = await sharp({ create: { width: 1200, height: 1000, channels: 3, background: 'white' } }).png().toBuffer();
    const res = await upload(user, { data: big, filename: 'big.png' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('image_too_large');
  });
});
