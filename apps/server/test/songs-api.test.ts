/**
 * Song studio API: POST /songs → a `song` job rendered by the local composer, measured on its
 * real outputs (ffprobe duration, ffmpeg ebur128 loudness, MIDI and LRC contents); validation
 * (422 naming the parameter), scopes, test keys, options and the local lyrics writer.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { probe } from '@clipmix/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createKey, withKey } from './helpers/keys.js';
import { scratch } from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

const run = promisify(execFile);

/** Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's EBU R128 meter reports them. */
async function loudness(file: string): Promise<{ integrated: number; truePeak: number }> {
  const { stderr } = await run('ffmpeg', ['-nostdin', '-hide_banner', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
  const truePeak = Number(/Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1]);
  return { integrated, truePeak };
}

const LYRICS = `[Verse]
City lights are calling out my name
Every window shining like a flame
[Chorus]
We are running through the golden night
Hold on tight we are the morning light`;

let work: Awaited<ReturnType<typeof scratch>>;
let t: TestApp;
let user: TestUser;

beforeAll(async () => {
  work = await scratch();
  t = await createTestApp({ env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
  user = await signUp(t);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await work?.remove();
});

const post = (payload: unknown, u: TestUser = user) => u.request({ method: 'POST', url: '/api/v1/songs', payload: payload as object });

async function download(fileId: string, name: string): Promise<string> {
  const res = await user.request({ method: 'GET', url: `/api/v1/files/${fileId}/content` });
  expect(res.statusCode).toBe(200);
  const p = work.file(name);
  await writeFile(p, res.rawPayload);
  return p;
}

describe('songs API', () => {
  it('renders a 15 s sung song: MP3 + WAV at −14 LUFS, stems, MIDI and LRC, provider recorded, credits charged', async () => {
    const before = await t.ctx.services.credits.balance(user.id);
    const res = await post({ lyrics: LYRICS, genre: 'pop', mood: 'happy', duration_seconds: 15, vocals: 'sung', seed: 7, title: 'City Lights' });
    expect(res.statusCode, res.body).toBe(202);
    const created = res.json();
    expect(created).toMatchObject({ object: 'job', type: 'song', status: 'queued', credits_charged: 10 });
    expect(created.provider).toMatch(/^local-composer/);
    expect(created.input).toMatchObject({ genre: 'pop', mood: 'happy', duration_seconds: 15, seed: 7 });

    await t.ctx.services.jobs.drain();
    const job = (await user.request({ method: 'GET', url: `/api/v1/jobs/${created.id}` })).json();
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.progress).toBe(1);
    expect(job.provider).toMatch(/^local-composer \(algorithmic; .*sung voice\)$/);
    expect(await t.ctx.services.credits.balance(user.id)).toBe(before - 10);

    const byRole = (role: string) => job.output.files.filter((f: { role: string }) => f.role === role).map((f: { file: string }) => f.file as string);
    expect([...new Set(job.output.files.map((f: { role: string }) => f.role))].sort()).toEqual(['audio', 'lyrics_lrc', 'midi', 'stems']);
    expect(byRole('audio')).toHaveLength(2);
    expect(byRole('stems').length).toBeGreaterThanOrEqual(4);

    const meta = async (id: string) => (await user.request({ method: 'GET', url: `/api/v1/files/${id}` })).json();
    const audioMeta = await Promise.all(byRole('audio').map(meta));
    const mp3Meta = audioMeta.find((m) => m.mime === 'audio/mpeg');
    const wavMeta = audioMeta.find((m) => m.mime === 'audio/wav');
    expect(mp3Meta).toMatchObject({ kind: 'audio', role: 'audio', job: created.id, filename: 'city-lights.mp3' });
    expect(wavMeta).toMatchObject({ kind: 'audio', filename: 'city-lights.wav' });

    const mp3 = await download(mp3Meta.id, 'song.mp3');
    const info = await probe(mp3);
    expect(info.audio?.codec).toBe('mp3');
    expect(Math.abs(info.durationSeconds - 15)).toBeLessThanOrEqual(1);
    const lufs = await loudness(mp3);
    expect(Math.abs(lufs.integrated - -14)).toBeLessThanOrEqual(1);
    const wav = await download(wavMeta.id, 'song.wav');
    expect(Math.abs((await probe(wav)).durationSeconds - 15)).toBeLessThanOrEqual(1);
    expect((await loudness(wav)).truePeak).toBeLessThanOrEqual(-1);

    // Stems are real audio as long as the song; names say which stem.
    const stemNames: string[] = [];
    for (const id of byRole('stems')) {
      const m = await meta(id);
      stemNames.push(m.filename);
      // Each stem covers the whole song from 0 s (fluidsynth may add a release tail after it).
      const p = await probe(await download(id, m.filename));
      expect(p.durationSeconds).toBeGreaterThanOrEqual(14);
    }
    expect(stemNames.join(' ')).toMatch(/drums/);
    expect(stemNames.join(' ')).toMatch(/bass/);
    expect(stemNames.join(' ')).toMatch(/vocals|lead/);

    const midi = await user.request({ method: 'GET', url: `/api/v1/files/${byRole('midi')[0]}/content` });
    expect(midi.rawPayload.subarray(0, 4).toString('latin1')).toBe('MThd');
    expect(midi.rawPayload.readUInt16BE(10)).toBeGreaterThanOrEqual(4); // tracks

    const lrc = (await user.request({ method: 'GET', url: `/api/v1/files/${byRole('lyrics_lrc')[0]}/content` })).body;
    expect(lrc).toMatch(/\[ti:City Lights\]/);
    const stamps = [...lrc.matchAll(/^\[(\d\d):(\d\d\.\d\d)\](.+)$/gm)].map((m) => ({ at: Number(m[1]) * 60 + Number(m[2]), text: m[3]! }));
    expect(stamps.length).toBeGreaterThanOrEqual(1);
    for (const s of stamps) expect(LYRICS).toContain(s.text);
    for (const s of stamps) expect(s.at).toBeLessThan(15);
  }, 90_000);

  it('refuses bad requests with 422 problems naming the parameter, before charging', async () => {
    const before = await t.ctx.services.credits.balance(user.id);
    const jobsBefore = (await user.request({ method: 'GET', url: '/api/v1/jobs' })).json().data.length;
    const genre = await post({ genre: 'polka', mood: 'happy', duration_seconds: 30 });
    expect(genre.statusCode).toBe(422);
    expect(genre.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(genre.json().errors.map((e: { param: string }) => e.param)).toEqual(['genre']);
    expect(genre.json().detail).toMatch(/pop/);

    const mood = await post({ genre: 'pop', mood: 'meh', duration_seconds: 30 });
    expect(mood.statusCode).toBe(422);
    expect(mood.json().errors[0].param).toBe('mood');

    for (const d of [5, 0, 3 * 3600]) {
      const short = await post({ genre: 'rock', mood: 'sad', duration_seconds: d });
      expect(short.statusCode).toBe(422);
      expect(short.json().errors[0]).toMatchObject({ param: 'duration_seconds' });
    }

    const key = await post({ genre: 'rock', mood: 'sad', duration_seconds: 30, key: 'H lydian' });
    expect(key.statusCode).toBe(422);
    expect(key.json().errors[0].param).toBe('key');

    const noWords = await post({ genre: 'rock', mood: 'sad', duration_seconds: 30, vocals: 'sung' });
    expect(noWords.statusCode).toBe(422);
    expect(noWords.json().errors[0].param).toBe('lyrics');

    const huge = await post({ genre: 'rock', mood: 'sad', duration_seconds: 30, lyrics: 'la la la\n'.repeat(10_000) });
    expect(huge.statusCode).toBe(422);
    expect(huge.json().errors[0].param).toBe('lyrics');

    expect(await t.ctx.services.credits.balance(user.id)).toBe(before);
    const jobs = (await user.request({ method: 'GET', url: '/api/v1/jobs' })).json();
    expect(jobs.data).toHaveLength(jobsBefore);
  });

  it('needs the jobs:write scope; test keys are free', async () => {
    const readOnly = await createKey(user, { name: 'reader', scopes: ['jobs:read'] });
    const denied = await withKey(t, readOnly.secret, { method: 'POST', url: '/api/v1/songs', payload: { genre: 'pop', mood: 'calm', duration_seconds: 15 } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('insufficient_scope');
    const lyricsDenied = await withKey(t, readOnly.secret, { method: 'POST', url: '/api/v1/lyrics', payload: { theme: 'rain', genre: 'pop', mood: 'sad' } });
    expect(lyricsDenied.statusCode).toBe(403);
    const anonymous = await t.http.inject({ method: 'POST', url: '/api/v1/songs', payload: { genre: 'pop', mood: 'calm', duration_seconds: 15 } });
    expect(anonymous.statusCode).toBe(401);

    const sandbox = await createKey(user, { name: 'sandbox', livemode: false });
    const free = await withKey(t, sandbox.secret, { method: 'POST', url: '/api/v1/songs', payload: { genre: 'lofi', mood: 'calm', duration_seconds: 15, vocals: 'none' } });
    expect(free.statusCode, free.body).toBe(202);
    expect(free.json()).toMatchObject({ credits_charged: 0, livemode: false });
    const canceled = await withKey(t, sandbox.secret, { method: 'POST', url: `/api/v1/jobs/${free.json().id}/cancel` });
    expect(canceled.json().status).toBe('canceled');
  });

  it('lists the options for the web pickers and writes lyrics locally from a theme', async () => {
    const res = await user.request({ method: 'GET', url: '/api/v1/songs/options' });
    expect(res.statusCode).toBe(200);
    const o = res.json();
    expect(o.genres.map((g: { id: string }) => g.id)).toEqual(expect.arrayContaining(['pop', 'rock', 'hip-hop', 'edm', 'lofi', 'ballad', 'country', 'jazz']));
    for (const g of o.genres) expect(g.default_tempo_bpm).toBeGreaterThanOrEqual(40);
    expect(o.moods.length).toBeGreaterThanOrEqual(6);
    expect(o.vocal_styles).toEqual(['sung', 'spoken', 'none']);
    expect(o).toMatchObject({ duration_seconds: { min: 15, max: 300 }, lyrics_provider: 'local-template' });
    expect(o.provider).toMatch(/^local-composer/);

    const lyrics = await user.request({ method: 'POST', url: '/api/v1/lyrics', payload: { theme: 'a summer road trip with old friends', genre: 'country', mood: 'happy', seed: 3 } });
    expect(lyrics.statusCode, lyrics.body).toBe(200);
    expect(lyrics.json()).toMatchObject({ object: 'lyrics', provider: 'local-template' });
    expect(lyrics.json().text).toMatch(/^\[Verse( \d)?\]/m);
    expect(lyrics.json().text).toMatch(/\[Chorus\]/);
    const bad = await user.request({ method: 'POST', url: '/api/v1/lyrics', payload: { theme: '', genre: 'country', mood: 'happy' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].param).toBe('theme');
  });
});
