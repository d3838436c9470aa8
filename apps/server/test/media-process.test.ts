import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { leftovers, makeImage, makeTone, makeVideo, scratch, upload } from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

let work: Awaited<ReturnType<typeof scratch>>;
const media: Record<string, Buffer> = {};

beforeAll(async () => {
  work = await scratch();
  media.tone = await readFile(await makeTone(work.file('tone.wav'), { format: 'wav', seconds: 2 }));
  media.silence = await readFile(await makeTone(work.file('silence.wav'), { format: 'wav', seconds: 2, silent: true }));
  media.video = await readFile(await makeVideo(work.file('clip.mp4'), { format: 'mp4', seconds: 2, width: 640, height: 360, audio: true }));
  media.mute = await readFile(await makeVideo(work.file('mute.webm'), { format: 'webm', seconds: 2, width: 320, height: 240 }));
  media.photo = await makeImage('png', { width: 1000, height: 500 });
  media.tall = await makeImage('jpeg', { width: 200, height: 100, orientation: 6 });
}, 120_000);

afterAll(async () => work?.remove());

describe.each(DB_KINDS)('media.process on %s', (db) => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
    user = await signUp(t);
  });
  afterAll(async () => t?.close());

  async function uploadAndProcess(data: Buffer, filename: string) {
    const res = await upload(user, { data, filename });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().status).toBe('processing');
    await t.ctx.services.jobs.drain();
    const file = (await user.request({ method: 'GET', url: `/api/v1/files/${res.json().id}` })).json();
    expect(file.status).toBe('ready');
    const job = await t.ctx.services.jobs.get(user.id, file.processing_job);
    expect(job.status, job.error_message ?? '').toBe('succeeded');
    return file;
  }

  async function fetchBytes(url: string) {
    const r = await user.request({ method: 'GET', url });
    expect(r.statusCode).toBe(200);
    return r;
  }

  it('makes a WebP thumbnail of an image (480 px longest side)', async () => {
    const file = await uploadAndProcess(media.photo!, 'wide.png');
    expect(file.thumbnail_url).toMatch(/^\/api\/v1\/files\/file_\w+\/content$/);
    expect(file.waveform_url).toBeNull();
    const thumb = await fetchBytes(file.thumbnail_url);
    expect(thumb.headers['content-type']).toBe('image/webp');
    const meta = await sharp(thumb.rawPayload).metadata();
    expect(meta.format).toBe('webp');
    expect([meta.width, meta.height]).toEqual([480, 240]);
    await sharp(thumb.rawPayload).raw().toBuffer(); // decodes

    // The thumbnail is a file of its own (role + parent), hidden from the library listing.
    const thumbId = file.thumbnail_url.split('/')[4];
    const derived = (await user.request({ method: 'GET', url: `/api/v1/files/${thumbId}` })).json();
    expect(derived).toMatchObject({ role: 'thumbnail', parent_file: file.id, kind: 'image', mime: 'image/webp', width: 480, height: 240 });
    const list = (await user.request({ method: 'GET', url: '/api/v1/files' })).json();
    expect(list.data.map((f: { id: string }) => f.id)).toContain(file.id);
    expect(list.data.map((f: { id: string }) => f.id)).not.toContain(thumbId);
  });

  it('thumbnails the upright version of an EXIF-rotated photo', async () => {
    const file = await uploadAndProcess(media.tall!, 'tall.jpg');
    const meta = await sharp((await fetchBytes(file.thumbnail_url)).rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([100, 200]);
  });

  it('makes a waveform of audio: 1000 (min, max) pairs, silence flat, a tone loud', async () => {
    const tone = await uploadAndProcess(media.tone!, 'tone.wav');
    const silence = await uploadAndProcess(media.silence!, 'silence.wav');
    expect(tone.thumbnail_url).toBeNull();
    const read = async (f: { waveform_url: string }) => {
      const r = await fetchBytes(f.waveform_url);
      expect(r.headers['content-type']).toContain('application/json');
      return r.json() as { peaks: number[]; duration_seconds: number };
    };
    const loud = await read(tone);
    const quiet = await read(silence);
    for (const w of [loud, quiet]) {
      expect(w.peaks).toHaveLength(2000);
      expect(w.peaks.every((p) => typeof p === 'number' && p >= -1 && p <= 1)).toBe(true);
      expect(w.duration_seconds).toBeCloseTo(2, 1);
    }
    const maxAbs = (p: number[]) => Math.max(...p.map(Math.abs));
    expect(maxAbs(quiet.peaks)).toBeLessThan(0.01);
    // ffmpeg's sine source peaks at 1/8 full scale.
    expect(maxAbs(loud.peaks)).toBeGreaterThan(0.1);
    // Every bucket of a steady tone swings both ways.
    for (let i = 0; i < 2000; i += 2) {
      expect(loud.peaks[i]!).toBeLessThan(-0.08);
      expect(loud.peaks[i + 1]!).toBeGreaterThan(0.08);
    }
  });

  it('makes a thumbnail and a waveform of a video with sound, only a thumbnail without', async () => {
    const clip = await uploadAndProcess(media.video!, 'clip.mp4');
    const meta = await sharp((await fetchBytes(clip.thumbnail_url)).rawPayload).metadata();
    expect(meta.format).toBe('webp');
    expect([meta.width, meta.height]).toEqual([480, 270]);
    expect((await fetchBytes(clip.waveform_url)).json().peaks).toHaveLength(2000);
    const job = await t.ctx.services.jobs.get(user.id, clip.processing_job);
    const api = t.ctx.services.jobs.toApi(job);
    expect(api.output?.files.map((f) => f.role).sort()).toEqual(['thumbnail', 'waveform']);

    const mute = await uploadAndProcess(media.mute!, 'mute.webm');
    expect(mute.thumbnail_url).not.toBeNull();
    expect(mute.waveform_url).toBeNull();
  });

  it('deleting a file deletes its thumbnail and waveform (rows and blobs)', async () => {
    const clip = await uploadAndProcess(media.video!, 'clip.mp4');
    const before = await leftovers(t);
    const rows = await t.ctx.db.selectFrom('files').select(['id', 'blob_key']).where('parent_file_id', '=', clip.id).execute();
    expect(rows).toHaveLength(2);
    const own = await t.ctx.db.selectFrom('files').select('blob_key').where('id', '=', clip.id).executeTakeFirstOrThrow();
    expect((await user.request({ method: 'DELETE', url: `/api/v1/files/${clip.id}` })).statusCode).toBe(204);
    const after = await leftovers(t);
    expect(after.rows).toBe(before.rows - 3);
    for (const key of [own.blob_key, ...rows.map((r) => r.blob_key)]) {
      expect(after.blobs).not.toContain(key);
      expect(await t.ctx.blobs.stat(key)).toBeNull();
    }
    for (const r of rows) expect((await user.request({ method: 'GET', url: `/api/v1/files/${r.id}` })).statusCode).toBe(404);
  });

  it('a file deleted before its job runs leaves no outputs behind', async () => {
    const res = await upload(user, { data: media.photo!, filename: 'gone.png' });
    const before = await leftovers(t);
    await t.ctx.services.media.deleteFile(user.id, res.json().id);
    await t.ctx.services.jobs.drain();
    const after = await leftovers(t);
    expect(after.rows).toBe(before.rows - 1);
    expect(after.blobs.length).toBe(before.blobs.length - 1);
    const job = await t.ctx.services.jobs.get(user.id, res.json().processing_job);
    expect(['canceled', 'failed']).toContain(job.status);
  });
});
