import { writeFile } from 'node:fs/promises';
import { extractVideoFrame, probe, testing } from '@clipmix/engine';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, withKey } from './helpers/keys.js';
import { scratch, uploadFile } from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

let work: Awaited<ReturnType<typeof scratch>>;
const files: Record<string, string> = {};

beforeAll(async () => {
  work = await scratch();
  files.video = await testing.makeVideo({ path: work.file('clip.mp4'), seconds: 4, width: 320, height: 240, withAudio: true });
  files.hd = await testing.makeVideo({ path: work.file('hd.mp4'), seconds: 1, width: 960, height: 540, withAudio: true });
  files.song = await testing.makeTone({ path: work.file('song.wav'), seconds: 2 });
}, 60_000);

afterAll(async () => work?.remove());

/** Mean |r−g| + |g−b| over a decoded frame: 0 for grey pixels. */
async function colourfulness(image: string | Buffer): Promise<number> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  for (let p = 0; p < info.width * info.height; p++) {
    const r = data[p * 3]!;
    const g = data[p * 3 + 1]!;
    const b = data[p * 3 + 2]!;
    sum += Math.abs(r - g) + Math.abs(g - b);
  }
  return sum / (info.width * info.height);
}

// Renders run on SQLite only (the database plays no part in them; the machine is shared); the
// request checks run on both databases.
describe.each(DB_KINDS)('edits on %s', (db) => {
  const renders = db === 'sqlite';
  let t: TestApp;
  let user: TestUser;
  let other: TestUser;
  const ids: Record<string, string> = {};

  const up = async (u: TestUser, file: string, purpose: string) => {
    const res = await uploadFile(u, file, { purpose });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
    user = await signUp(t);
    other = await signUp(t);
    ids.video = await up(user, files.video!, 'video');
    ids.hd = await up(user, files.hd!, 'video');
    ids.song = await up(user, files.song!, 'audio');
    ids.foreign = await up(other, files.video!, 'video');
    await t.ctx.services.jobs.drain();
  }, 60_000);
  afterAll(async () => t?.close());

  const post = (payload: unknown) => user.request({ method: 'POST', url: '/api/v1/edits', payload: payload as object });

  async function download(fileId: string, name: string): Promise<string> {
    const res = await user.request({ method: 'GET', url: `/api/v1/files/${fileId}/content` });
    expect(res.statusCode).toBe(200);
    const p = work.file(`${db}-${name}`);
    await writeFile(p, res.rawPayload);
    return p;
  }

  async function finished(jobId: string) {
    await t.ctx.services.jobs.drain();
    return (await user.request({ method: 'GET', url: `/api/v1/jobs/${jobId}` })).json();
  }

  it('lists the filters', async () => {
    const res = await user.request({ method: 'GET', url: '/api/v1/edits/filters' });
    expect(res.statusCode).toBe(200);
    const names = res.json().data.map((f: { name: string }) => f.name);
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(names).toEqual(expect.arrayContaining(['bw', 'sepia', 'vintage', 'blur', 'vignette']));
  });

  it.runIf(renders)('trims, adds a title and turns a video black and white, as a charged job', async () => {
    const before = await t.ctx.services.credits.balance(user.id);
    const res = await post({
      source_file: ids.video,
      operations: [
        { type: 'trim', start: 0.5, end: 3 },
        { type: 'text', text: 'Hello: "world", 100%', start: 0, end: 2, position: 'bottom', size: 32, color: '#ffcc00', animation: 'fade' },
        { type: 'filter', name: 'bw' },
      ],
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ object: 'job', type: 'edit', status: 'queued', credits_charged: 5, provider: 'local' });
    expect(res.json().input).toMatchObject({ source_file: ids.video, operations: [{ type: 'trim' }, { type: 'text' }, { type: 'filter', name: 'bw' }] });
    expect(await t.ctx.services.credits.balance(user.id)).toBe(before - 5);

    const job = await finished(res.json().id);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.progress).toBe(1);
    const roles = Object.fromEntries(job.output.files.map((f: { file: string; role: string }) => [f.role, f.file]));
    expect(Object.keys(roles).sort()).toEqual(['poster', 'video']);

    const videoPath = await download(roles.video, 'edit.mp4');
    const video = await probe(videoPath);
    expect(video.video).toMatchObject({ codec: 'h264', width: 320, height: 240 });
    expect(video.audio?.codec).toBe('aac');
    expect(Math.abs(video.durationSeconds - 2.5)).toBeLessThanOrEqual(0.1);
    const frame = work.file(`${db}-frame.png`);
    await extractVideoFrame(videoPath, 2.2, frame, { maxWidth: 320 });
    expect(await colourfulness(frame)).toBeLessThan(3);
    expect(await colourfulness(await testing.makeImage({ path: work.file(`${db}-src.png`), width: 64, height: 48 }))).toBeGreaterThan(30);

    const poster = await sharp(await download(roles.poster, 'poster.jpg')).metadata();
    expect([poster.format, poster.width, poster.height]).toEqual(['jpeg', 320, 240]);
  }, 60_000);

  it.runIf(renders)('gives a test key a free, 480p, watermarked edit', async () => {
    const key = await createKey(user, { name: 'sandbox', livemode: false });
    const res = await withKey(t, key.secret, { method: 'POST', url: '/api/v1/edits', payload: { source_file: ids.hd, operations: [{ type: 'speed', factor: 2 }] } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ credits_charged: 0, livemode: false });
    const job = await finished(res.json().id);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const info = await probe(await download(job.output.files.find((f: { role: string }) => f.role === 'video').file, 'test.mp4'));
    expect(info.video!.height).toBe(480);
    expect(Math.abs(info.durationSeconds - 0.5)).toBeLessThanOrEqual(0.1);
  }, 60_000);

  it('refuses bad edit lists with a 422 naming the operation, and unknown or foreign files', async () => {
    const bad = await post({
      source_file: ids.video,
      operations: [{ type: 'trim', start: 0, end: 3 }, { type: 'speed', factor: 100 }, { type: 'filter', name: 'polka' }, { type: 'trim', start: 2, end: 1 }],
    });
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json().code).toBe('invalid_operations');
    const params = bad.json().errors.map((e: { param: string }) => e.param);
    expect(params).toEqual(expect.arrayContaining([expect.stringMatching(/^operations\[1\]\.factor/), expect.stringMatching(/^operations\[2\]\.name/)]));
    expect(params.some((p: string) => p.startsWith('operations[3]'))).toBe(true);
    expect(params.some((p: string) => p.startsWith('operations[0]'))).toBe(false);
    expect(bad.json().detail).toMatch(/operation 1 \(speed\)/);

    const unknownOp = await post({ source_file: ids.video, operations: [{ type: 'explode' }] });
    expect(unknownOp.statusCode).toBe(422);
    expect(unknownOp.json().errors[0].param).toMatch(/^operations\[0\]/);

    const outside = await post({ source_file: ids.video, operations: [{ type: 'trim', start: 1, end: 60 }] });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().errors[0].param).toMatch(/^operations\[0\]/);

    const foreign = await post({ source_file: ids.foreign, operations: [] });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'resource_missing' });
    expect(foreign.json().errors[0].param).toBe('source_file');

    const concat = await post({ source_file: ids.video, operations: [{ type: 'concat', inputs: [0, ids.foreign] }] });
    expect(concat.statusCode).toBe(404);
    expect(concat.json().errors[0].param).toBe('operations[0].inputs[1]');

    const kind = await post({ source_file: ids.song, operations: [] });
    expect(kind.statusCode).toBe(422);
    expect(kind.json()).toMatchObject({ code: 'file_kind_mismatch' });

    const schema = await post({ source_file: ids.video, operations: 'trim' });
    expect(schema.statusCode).toBe(400);

    const jobs = (await user.request({ method: 'GET', url: '/api/v1/jobs?type=edit&limit=100' })).json();
    expect(jobs.data.length).toBe(renders ? 2 : 0);
  });

  it.runIf(renders)('previews one frame as a JPEG of the asked width', async () => {
    const res = await user.request({
      method: 'POST',
      url: '/api/v1/edits/preview',
      payload: { source_file: ids.video, operations: [{ type: 'trim', start: 1, end: 3 }, { type: 'filter', name: 'bw' }], time: 0.5, width: 160 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/jpeg/);
    const meta = await sharp(res.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 160, 120]);
    expect(await colourfulness(res.rawPayload)).toBeLessThan(3);

    const colour = await user.request({ method: 'POST', url: '/api/v1/edits/preview', payload: { source_file: ids.video, operations: [], time: 0.5, width: 160 } });
    expect(colour.statusCode).toBe(200);
    expect(await colourfulness(colour.rawPayload)).toBeGreaterThan(20);

    const bad = await user.request({ method: 'POST', url: '/api/v1/edits/preview', payload: { source_file: ids.video, operations: [{ type: 'crop', aspect: '7:3' }], time: 0 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].param).toMatch(/^operations\[0\]\.aspect/);
  });

  it('needs the jobs:write scope to edit, and a caller', async () => {
    const key = await createKey(user, { name: 'reader', scopes: ['files:read', 'jobs:read'] });
    const denied = await withKey(t, key.secret, { method: 'POST', url: '/api/v1/edits', payload: { source_file: ids.video, operations: [] } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('insufficient_scope');
    const anonymous = await t.http.inject({ method: 'POST', url: '/api/v1/edits', payload: { source_file: ids.video, operations: [] } });
    expect(anonymous.statusCode).toBe(401);
    const jobs = (await user.request({ method: 'GET', url: '/api/v1/jobs?type=edit&limit=100' })).json();
    expect(jobs.data.length).toBe(renders ? 2 : 0);
  });
});
