import { writeFile } from 'node:fs/promises';
import { extractVideoFrame, probe, testing } from '@clipmix/engine';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createKey, withKey } from './helpers/keys.js';
import { scratch, uploadFile } from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

const BPM = 120;
const SONG_SECONDS = 6;

let work: Awaited<ReturnType<typeof scratch>>;
const files: Record<string, string> = {};

beforeAll(async () => {
  work = await scratch();
  files.song = await testing.makeClickTrack({ path: work.file('song.wav'), bpm: BPM, seconds: SONG_SECONDS, accentEvery: 4 });
  files.a = await testing.makeImage({ path: work.file('a.jpg'), width: 1200, height: 800 });
  files.b = await testing.makeImage({ path: work.file('b.png'), width: 600, height: 900 });
  files.c = await testing.makeImage({ path: work.file('c.webp'), width: 1000, height: 1000, pattern: 'solid', color: 'green' });
}, 60_000);

afterAll(async () => work?.remove());

describe.each(DB_KINDS)('music videos on %s', (db) => {
  let t: TestApp;
  let user: TestUser;
  let other: TestUser;
  const ids: Record<string, string> = {};
  let foreignAudio: string;

  const up = async (u: TestUser, file: string, purpose: string) => {
    const res = await uploadFile(u, file, { purpose });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ db, env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
    user = await signUp(t);
    other = await signUp(t);
    ids.song = await up(user, files.song!, 'audio');
    ids.a = await up(user, files.a!, 'image');
    ids.b = await up(user, files.b!, 'image');
    ids.c = await up(user, files.c!, 'image');
    foreignAudio = await up(other, files.song!, 'audio');
    await t.ctx.services.jobs.drain(); // upload processing (thumbnails, waveforms)
  }, 60_000);
  afterAll(async () => t?.close());

  const post = (payload: unknown, u: TestUser = user) => u.request({ method: 'POST', url: '/api/v1/music_videos', payload: payload as object });
  const body = (extra: Record<string, unknown> = {}) => ({ audio_file: ids.song, image_files: [ids.a, ids.b, ids.c], resolution: '480p', ...extra });

  async function download(fileId: string, name: string): Promise<string> {
    const res = await user.request({ method: 'GET', url: `/api/v1/files/${fileId}/content` });
    expect(res.statusCode).toBe(200);
    const p = work.file(`${db}-${name}`);
    await writeFile(p, res.rawPayload);
    return p;
  }

  async function finished(jobId: string) {
    await t.ctx.services.jobs.drain();
    const res = await user.request({ method: 'GET', url: `/api/v1/jobs/${jobId}` });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  it('lists the styles', async () => {
    const res = await user.request({ method: 'GET', url: '/api/v1/music_videos/styles' });
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(list).toMatchObject({ object: 'list', has_more: false });
    expect(list.data.length).toBeGreaterThanOrEqual(6);
    for (const s of list.data) expect(Object.keys(s).sort()).toEqual(['description', 'id', 'name']);
    expect(list.data.map((s: { id: string }) => s.id)).toContain('pulse');
  });

  it('renders a beat-synced video, poster and timeline, and charges credits', async () => {
    const before = await t.ctx.services.credits.balance(user.id);
    const res = await post(body({ style: 'pulse', title: 'Click song' }));
    expect(res.statusCode, res.body).toBe(202);
    const created = res.json();
    expect(created).toMatchObject({ object: 'job', type: 'music_video', status: 'queued', credits_charged: 10, livemode: true, provider: 'local' });
    expect(created.input).toMatchObject({ audio_file: ids.song, aspect_ratio: '16:9', resolution: '480p', style: 'pulse' });
    expect(await t.ctx.services.credits.balance(user.id)).toBe(before - 10);

    const job = await finished(created.id);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.progress).toBe(1);
    expect(job.credits_charged).toBe(10);
    expect(await t.ctx.services.credits.balance(user.id)).toBe(before - 10);
    const roles = Object.fromEntries(job.output.files.map((f: { file: string; role: string }) => [f.role, f.file]));
    expect(Object.keys(roles).sort()).toEqual(['poster', 'timeline', 'video']);

    // The video: H.264 yuv420p 30 fps + AAC, as long as the song to one frame.
    const videoMeta = (await user.request({ method: 'GET', url: `/api/v1/files/${roles.video}` })).json();
    expect(videoMeta).toMatchObject({ kind: 'video', mime: 'video/mp4', role: 'video', job: created.id, width: 854, height: 480 });
    const video = await probe(await download(roles.video, 'video.mp4'));
    const song = await probe(files.song!);
    expect(video.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 854, height: 480 });
    expect(video.video!.fps).toBeCloseTo(30, 3);
    expect(video.audio?.codec).toBe('aac');
    expect(Math.abs(video.durationSeconds - song.durationSeconds)).toBeLessThanOrEqual(1 / 30 + 1e-3);

    // The poster decodes.
    const posterMeta = (await user.request({ method: 'GET', url: `/api/v1/files/${roles.poster}` })).json();
    expect(posterMeta).toMatchObject({ kind: 'image', mime: 'image/jpeg', role: 'poster' });
    const poster = await sharp(await download(roles.poster, 'poster.jpg')).raw().toBuffer({ resolveWithObject: true });
    expect([poster.info.width, poster.info.height]).toEqual([854, 480]);

    // The timeline: versioned, tempo of the click, beats, shots covering the song.
    const tl = JSON.parse((await user.request({ method: 'GET', url: `/api/v1/files/${roles.timeline}/content` })).body);
    expect(tl.version).toBe(1);
    expect(Math.abs(tl.tempo_bpm - BPM) / BPM).toBeLessThanOrEqual(0.02);
    expect(tl.beats.length).toBeGreaterThanOrEqual(SONG_SECONDS * 2 - 2);
    expect(tl.duration_seconds).toBeCloseTo(song.durationSeconds, 2);
    expect(tl.shots[0].start).toBe(0);
    expect(tl.shots.at(-1).end).toBeCloseTo(tl.duration_seconds, 6);
    for (let i = 1; i < tl.shots.length; i++) expect(tl.shots[i].start).toBeCloseTo(tl.shots[i - 1].end, 6);
    // Sources are the caller's file ids, not worker paths.
    for (const s of tl.shots) expect([ids.a, ids.b, ids.c]).toContain(s.source);
  }, 120_000);

  it('gives a test key a free, 480p, watermarked video even when 1080p is asked for', async () => {
    const key = await createKey(user, { name: 'sandbox', livemode: false });
    expect(key.secret).toMatch(/^sk_test_/);
    const before = await t.ctx.services.credits.balance(user.id);
    const res = await withKey(t, key.secret, { method: 'POST', url: '/api/v1/music_videos', payload: body({ resolution: '1080p', image_files: [ids.c, ids.a] }) });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ credits_charged: 0, livemode: false });
    const job = await finished(res.json().id);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.credits_charged).toBe(0);
    expect(await t.ctx.services.credits.balance(user.id)).toBe(before);
    const videoId = job.output.files.find((f: { role: string }) => f.role === 'video').file;
    const info = await probe(await download(videoId, 'test-video.mp4'));
    expect([info.video!.width, info.video!.height]).toEqual([854, 480]);
    expect(info.video!.codec).toBe('h264');
    expect(info.audio?.codec).toBe('aac');

    // The first shot shows the all-green photo; the TEST mark puts white text in the bottom-right corner.
    const frame = work.file(`${db}-test-frame.png`);
    await extractVideoFrame(await download(videoId, 'test-video-2.mp4'), 0.3, frame, { maxWidth: 854 });
    const whiteIn = async (left: number, top: number) => {
      const { data, info: i } = await sharp(frame).extract({ left, top, width: 160, height: 60 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      let white = 0;
      for (let p = 0; p < i.width * i.height; p++) if (data[p * 3]! > 150 && data[p * 3 + 1]! > 150 && data[p * 3 + 2]! > 150) white++;
      return white;
    };
    expect(await whiteIn(854 - 170, 480 - 70)).toBeGreaterThan(50);
    expect(await whiteIn(10, 10)).toBe(0);
  }, 120_000);

  it('refuses bad requests with clear problems', async () => {
    const zero = await post(body({ image_files: [] }));
    expect(zero.statusCode).toBe(400);
    expect(zero.json().detail).toMatch(/at least one image/);

    const many = await post(body({ image_files: Array.from({ length: 201 }, () => ids.a) }));
    expect(many.statusCode).toBe(400);
    expect(many.json().detail).toMatch(/at most 200 images/);

    const style = await post(body({ style: 'polka' }));
    expect(style.statusCode).toBe(400);
    expect(style.json().detail).toMatch(/pulse/);
    expect(style.json().errors[0].param).toBe('style');

    const aspect = await post(body({ aspect_ratio: '4:3' }));
    expect(aspect.statusCode).toBe(400);

    const order = await post(body({ photo_order: 'random' }));
    expect(order.statusCode).toBe(400);
    expect(order.json().errors[0].param).toBe('photo_order');

    const unknown = await post(body({ fps: 60 }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('invalid_request');

    const lyrics = await post(body({ lyrics: { text: 'la la', lrc: '[00:01.00] la' } }));
    expect(lyrics.statusCode).toBe(400);
    expect(lyrics.json().detail).toMatch(/exactly one/);

    const longTitle = await post(body({ title: 'x'.repeat(101) }));
    expect(longTitle.statusCode).toBe(400);

    const foreign = await post(body({ audio_file: foreignAudio }));
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'resource_missing' });
    expect(foreign.json().errors[0].param).toBe('audio_file');

    const missing = await post(body({ image_files: [ids.a, 'file_doesnotexist'] }));
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errors[0].param).toBe('image_files.1');

    const kind = await post(body({ audio_file: ids.a }));
    expect(kind.statusCode).toBe(422);
    expect(kind.json()).toMatchObject({ code: 'file_kind_mismatch' });
    const kind2 = await post(body({ image_files: [ids.a, ids.song] }));
    expect(kind2.statusCode).toBe(422);

    // None of these created a job or charged anything.
    const jobs = (await user.request({ method: 'GET', url: '/api/v1/jobs?type=music_video&limit=100' })).json();
    expect(jobs.data.length).toBe(2);
  });

  it('fails a song too short to plan with a clear code and refunds it', async () => {
    const short = await up(user, await testing.makeTone({ path: work.file(`${db}-short.wav`), seconds: 0.5 }), 'audio');
    const before = await t.ctx.services.credits.balance(user.id);
    const res = await post(body({ audio_file: short }));
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(res.json().id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'plan_failed', message: expect.stringMatching(/too short/) });
    expect(job.attempts).toBe(1);
    expect(await t.ctx.services.credits.balance(user.id)).toBe(before);
  }, 60_000);

  it('stops a running render on cancel and refunds it', async () => {
    const before = await t.ctx.services.credits.balance(user.id);
    const res = await post(body({ resolution: '720p' }));
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    const draining = t.ctx.services.jobs.drain();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const j = await t.ctx.services.jobs.get(user.id, id);
      if (j.status === 'running' && Number(j.progress) > 0.1) break;
      if (Date.now() > deadline || j.status !== 'queued' && j.status !== 'running') throw new Error(`job did not start rendering: ${j.status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const canceled = await user.request({ method: 'POST', url: `/api/v1/jobs/${id}/cancel` });
    expect(canceled.statusCode).toBe(200);
    await draining;
    const job = await finished(id);
    expect(job.status).toBe('canceled');
    expect(job.output === null || job.output.files.length === 0).toBe(true);
    expect(await t.ctx.services.credits.balance(user.id)).toBe(before);
  }, 60_000);

  it('accepts lyrics, a vertical aspect and auto photo order (job created, input recorded)', async () => {
    const res = await post(body({ aspect_ratio: '9:16', lyrics: { lrc: '[00:01.00] one\n[00:03.00] two' }, photo_order: 'auto' }));
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().input).toMatchObject({ aspect_ratio: '9:16', lyrics: { lrc: expect.stringContaining('one') }, photo_order: 'auto' });
    await user.request({ method: 'POST', url: `/api/v1/jobs/${res.json().id}/cancel` });
  });
});
