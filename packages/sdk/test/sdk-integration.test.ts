/**
 * End to end through the SDK against the real server (`clipmix serve` as a child process):
 * upload a song and photos, make a music video, wait for it, download the video and probe it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClipMixApiError,
  createClipMixClient,
  createMusicVideo,
  downloadFile,
  outputFileId,
  uploadFile,
  waitForJob,
  type ClipMixClient,
  type FileObject,
} from '../src/index.js';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(ROOT, 'apps/server/bin/clipmix.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function clipmix(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args], { cwd: ROOT, env, timeout: 60_000 });
  return stdout;
}

describe('SDK against a running server', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let serverLog = '';
  let baseUrl: string;
  let client: ClipMixClient;
  let apiKey: string;
  const uploads: { song?: FileObject; images: FileObject[] } = { images: [] };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-sdk-it-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      CLIPMIX_DATA_DIR: path.join(dir, 'data'),
      CLIPMIX_LOG_LEVEL: 'warn',
      CLIPMIX_WORKERS: '1',
    };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    delete env.S3_BUCKET;

    // Migrations run on start; the CLI commands below share the same data dir (SQLite).
    server = spawn(process.execPath, [CLI, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d) => (serverLog += d));
    server.stderr!.on('data', (d) => (serverLog += d));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}):\n${serverLog}`);
      const ok = await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`server not ready after 90 s:\n${serverLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    await clipmix(['users', 'create', '--email', 'sdk@example.com', '--name', 'SDK', '--password', 'correct horse battery staple'], env);
    const secret = (await clipmix(['keys', 'create', '--email', 'sdk@example.com', '--name', 'sdk'], env)).trim().split('\n').pop()!;
    expect(secret).toMatch(/^sk_live_/);
    apiKey = secret;
    client = createClipMixClient({ baseUrl, apiKey: secret });

    // Media: a 6 s song and three different 640×480 photos.
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=6', path.join(dir, 'song.mp3')]);
    for (const [i, color] of ['red', 'green', 'blue'].entries()) {
      await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=640x480,drawbox=c=${color}@0.5:t=fill`, '-frames:v', '1', path.join(dir, `img${i}.png`)]);
    }
  }, 180_000);

  afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      process.kill(server.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads files (multipart) and waits for their media.process job', async () => {
    const song = await uploadFile(client, { data: await readFile(path.join(dir, 'song.mp3')), filename: 'song.mp3', purpose: 'audio', contentType: 'audio/mpeg' });
    expect(song).toMatchObject({ object: 'file', kind: 'audio' });
    expect(song.id).toMatch(/^file_/);
    expect(song.lastResponse.status).toBe(201);
    uploads.song = song;
    for (let i = 0; i < 3; i++) {
      const bytes = await readFile(path.join(dir, `img${i}.png`));
      const img = await uploadFile(client, { data: new Blob([new Uint8Array(bytes)], { type: 'image/png' }), filename: `img${i}.png`, purpose: 'image' });
      expect(img).toMatchObject({ object: 'file', kind: 'image', width: 640, height: 480 });
      uploads.images.push(img);
    }

    expect(song.processing_job, 'an upload queues a media.process job').toBeTruthy();
    const processed = await waitForJob(client, song.processing_job!, { intervalMs: 250, timeoutMs: 60_000 });
    expect(processed).toMatchObject({ type: 'media.process', status: 'succeeded' });
  }, 90_000);

  it('makes a music video (idempotently), waits for it and downloads an H.264/AAC MP4', async () => {
    expect(uploads.song, 'the upload test must pass first').toBeDefined();
    const body = { audio_file: uploads.song!.id, image_files: uploads.images.map((f) => f.id), resolution: '480p' as const };
    const idempotencyKey = `sdk-${randomUUID()}`;

    const job = await createMusicVideo(client, body, { idempotencyKey });
    expect(job).toMatchObject({ object: 'job', type: 'music_video' });
    expect(job.lastResponse).toMatchObject({ status: 202, idempotentReplayed: false });

    const replay = await createMusicVideo(client, body, { idempotencyKey });
    expect(replay.lastResponse.idempotentReplayed).toBe(true);
    expect(replay.lastResponse.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.id).toBe(job.id);

    const reused = await createMusicVideo(client, { ...body, resolution: '720p' }, { idempotencyKey }).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(ClipMixApiError);
    expect(reused).toMatchObject({ status: 422, code: 'idempotency_key_reused' });

    const polled: number[] = [];
    const done = await waitForJob(client, job.id, { intervalMs: 500, timeoutMs: 240_000, onPoll: (j) => polled.push(j.progress) });
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(polled.length).toBeGreaterThan(0);

    const videoId = outputFileId(done, 'video');
    expect(videoId, JSON.stringify(done.output)).toMatch(/^file_/);
    const bytes = await downloadFile(client, videoId!);
    const mp4 = path.join(dir, 'out.mp4');
    await writeFile(mp4, bytes);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', mp4]);
    const streams = (JSON.parse(stdout) as { streams: Array<{ codec_type: string; codec_name: string; height?: number }> }).streams;
    expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', height: 480 });
    expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
  }, 300_000);

  it('runs the quick start the Developers page shows (examples/quickstart.ts) as written', async () => {
    const work = path.join(dir, 'quickstart');
    await run('mkdir', ['-p', work]);
    await run('cp', [path.join(dir, 'song.mp3'), path.join(work, 'song.mp3')]);
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=800x600', '-frames:v', '1', path.join(work, 'photo.jpg')]);
    const example = path.join(ROOT, 'packages/sdk/examples/quickstart.ts');
    // tsx from this repository (the scratch directory has no node_modules to find it in).
    const tsx = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
    const { stdout } = await run(process.execPath, ['--import', tsx, example], {
      cwd: work,
      env: { ...process.env, CLIPMIX_URL: baseUrl, CLIPMIX_API_KEY: apiKey },
      timeout: 240_000,
    });
    expect(stdout).toMatch(/^job job_\S+ queued$/m);
    expect(stdout.trim().split('\n').at(-1)).toBe('wrote video.mp4');
    const { stdout: probed } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path.join(work, 'video.mp4')]);
    const info = JSON.parse(probed) as { streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }>; format: { duration: string } };
    expect(info.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 720, height: 1280 });
    expect(info.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
    expect(Math.abs(Number(info.format.duration) - 6)).toBeLessThan(0.2);
  }, 300_000);

  it('surfaces problems as ClipMixApiError with code and request_id', async () => {
    const err = await createMusicVideo(client, {
      audio_file: uploads.song?.id ?? 'file_missing',
      image_files: ['file_missing'],
      // @ts-expect-error — not a field of POST /api/v1/music_videos; the generated types reject it too.
      colour: 'teal',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClipMixApiError);
    const apiErr = err as ClipMixApiError;
    expect(apiErr.status).toBe(400);
    expect(apiErr.code).toBe('invalid_request');
    expect(apiErr.request_id).toMatch(/^req_/);
    expect(apiErr.problem.request_id).toBe(apiErr.headers.get('request-id'));
    expect(apiErr.detail).toBeTruthy();

    const missing = await waitForJob(client, 'job_doesnotexist', { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'ClipMixApiError', status: 404 });

    const anon = createClipMixClient({ baseUrl, apiKey: 'sk_live_wrong' });
    const unauth = await anon.GET('/api/v1/jobs').catch((e: unknown) => e);
    expect(unauth).toBeInstanceOf(ClipMixApiError);
    expect(unauth).toMatchObject({ status: 401 });
  });
});
