/**
 * Cloud providers against local fake servers that follow each vendor's documented contract:
 * MiniMax Music (`POST /v1/music_generation`, hex audio), Replicate (`POST /v1/predictions`,
 * poll `urls.get`, download `output`) for YuE, and the lyrics LLMs (Anthropic Messages, OpenAI
 * Chat Completions, Gemini generateContent). Happy paths and vendor errors (job failed with a
 * clear error, credits refunded).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { probe } from '@clipmix/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GeminiLyricsWriter } from '../src/providers/lyrics/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeTone, scratch } from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: any;
}

/** A local vendor: records every request, answers with `handle`. */
async function fakeVendor(handle: (req: Seen, res: ServerResponse, base: string) => void): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const s: Seen = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
      seen.push(s);
      handle(s, res, base);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const LYRICS = '[Verse]\nRain on the window\n[Chorus]\nWe will be fine';
let work: Awaited<ReturnType<typeof scratch>>;
let mp3: Buffer;

beforeAll(async () => {
  work = await scratch();
  mp3 = await readFile(await makeTone(work.file('vendor.mp3'), { format: 'mp3', seconds: 4, freq: 330 }));
}, 30_000);
afterAll(async () => work?.remove());

async function finish(t: TestApp, user: TestUser, id: string) {
  await t.ctx.services.jobs.drain();
  return (await user.request({ method: 'GET', url: `/api/v1/jobs/${id}` })).json();
}

async function mp3Duration(t: TestApp, user: TestUser, fileId: string): Promise<number> {
  const res = await user.request({ method: 'GET', url: `/api/v1/files/${fileId}/content` });
  const p = work.file(`${fileId}.mp3`);
  await writeFile(p, res.rawPayload);
  return (await probe(p)).durationSeconds;
}

describe('MiniMax Music + Anthropic lyrics', () => {
  let t: TestApp;
  let user: TestUser;
  let minimax: Awaited<ReturnType<typeof fakeVendor>>;
  let anthropic: Awaited<ReturnType<typeof fakeVendor>>;
  let refuse = false;

  beforeAll(async () => {
    minimax = await fakeVendor((req, res) => {
      if (req.method !== 'POST' || req.url !== '/v1/music_generation') return json(res, 404, { base_resp: { status_code: 404, status_msg: 'not found' } });
      if (req.headers.authorization !== 'Bearer mm-test-key') return json(res, 200, { base_resp: { status_code: 1004, status_msg: 'authentication failed' } });
      if (refuse) return json(res, 200, { data: null, base_resp: { status_code: 1026, status_msg: 'input new_sensitive' } });
      json(res, 200, {
        data: { audio: mp3.toString('hex'), status: 2 },
        extra_info: { music_duration: 4000, music_sample_rate: 44100, music_channel: 1, bitrate: 96000, music_size: mp3.length },
        trace_id: 'trace-123',
        base_resp: { status_code: 0, status_msg: 'success' },
      });
    });
    anthropic = await fakeVendor((req, res) => {
      if (req.url !== '/v1/messages' || req.headers['x-api-key'] !== 'sk-ant-test' || !req.headers['anthropic-version']) {
        return json(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
      }
      json(res, 200, {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: req.body.model,
        content: [{ type: 'text', text: 'Here are your lyrics:\n\n**Verse 1**\nRain on the window pane\n\n**Chorus**\nWe will be fine again' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 50, output_tokens: 30 },
      });
    });
    t = await createTestApp({
      env: {
        CLIPMIX_AUTH_RATE_LIMIT: '1000',
        CLIPMIX_ALLOW_LOOPBACK_URLS: '1',
        CLIPMIX_SONG_PROVIDER: 'minimax',
        MINIMAX_API_KEY: 'mm-test-key',
        MINIMAX_BASE_URL: minimax.url,
        ANTHROPIC_API_KEY: 'sk-ant-test',
        ANTHROPIC_BASE_URL: anthropic.url,
      },
    });
    user = await signUp(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await minimax?.close();
    await anthropic?.close();
  });

  it('generates through MiniMax: documented request, hex audio stored as the song, provider recorded', async () => {
    const res = await user.request({ method: 'POST', url: '/api/v1/songs', payload: { lyrics: LYRICS, genre: 'ballad', mood: 'sad', duration_seconds: 60, tempo_bpm: 70 } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().provider).toBe('minimax (music-2.6)');
    const job = await finish(t, user, res.json().id);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.provider).toBe('minimax (music-2.6)');
    expect(job.output.files.map((f: { role: string }) => f.role)).toEqual(['audio']);
    expect(await mp3Duration(t, user, job.output.files[0].file)).toBeCloseTo(4, 0);

    const call = minimax.seen.at(-1)!;
    expect(call.headers['content-type']).toMatch(/application\/json/);
    expect(call.body).toMatchObject({ model: 'music-2.6', lyrics: LYRICS, audio_setting: { format: 'mp3', sample_rate: 44100 }, output_format: 'hex' });
    expect(call.body.prompt).toMatch(/ballad/);
    expect(call.body.prompt).toMatch(/sad/);
    expect(call.body.prompt).toMatch(/70 BPM/);
  });

  it('fails the job with MiniMax’s reason and refunds the credits when MiniMax refuses', async () => {
    refuse = true;
    const before = await t.ctx.services.credits.balance(user.id);
    const res = await user.request({ method: 'POST', url: '/api/v1/songs', payload: { lyrics: LYRICS, genre: 'pop', mood: 'happy', duration_seconds: 30 } });
    expect(res.statusCode).toBe(202);
    expect(await t.ctx.services.credits.balance(user.id)).toBe(before - 10);
    const job = await finish(t, user, res.json().id);
    refuse = false;
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('provider_rejected');
    expect(job.error.message).toMatch(/MiniMax refused the song \(1026\): input new_sensitive/);
    expect(job.attempts).toBe(1);
    expect(await t.ctx.services.credits.balance(user.id)).toBe(before);
  });

  it('writes lyrics with Anthropic (Messages API) and cleans them into tagged sections', async () => {
    const res = await user.request({ method: 'POST', url: '/api/v1/lyrics', payload: { theme: 'rainy days', genre: 'pop', mood: 'sad' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ object: 'lyrics', provider: 'anthropic (claude-haiku-4-5)', text: '[Verse]\nRain on the window pane\n\n[Chorus]\nWe will be fine again' });
    const call = anthropic.seen.at(-1)!;
    expect(call.body).toMatchObject({ model: 'claude-haiku-4-5', messages: [{ role: 'user' }] });
    expect(call.body.max_tokens).toBeGreaterThan(0);
    expect(call.body.system).toMatch(/\[Verse\]/);
    expect(call.body.messages[0].content).toMatch(/sad pop song lyrics about: rainy days/);
    const options = (await user.request({ method: 'GET', url: '/api/v1/songs/options' })).json();
    expect(options).toMatchObject({ provider: 'minimax (music-2.6)', lyrics_provider: 'anthropic' });
  });
});

describe('Replicate YuE + OpenAI lyrics', () => {
  let t: TestApp;
  let user: TestUser;
  let replicate: Awaited<ReturnType<typeof fakeVendor>>;
  let openai: Awaited<ReturnType<typeof fakeVendor>>;
  let fail = false;
  let openaiDown = false;
  const polls = new Map<string, number>();

  beforeAll(async () => {
    replicate = await fakeVendor((req, res, base) => {
      // Output files are served from a public delivery host: no token.
      if (req.method === 'GET' && /^\/files\/\w+\/output\.mp3$/.test(req.url)) {
        res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(mp3.length) });
        return res.end(mp3);
      }
      if (req.headers.authorization !== 'Bearer r8_test') return json(res, 401, { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 });
      const pred = (id: string, status: string, extra: object = {}) => ({
        id,
        version: req.body?.version ?? 'v',
        status,
        input: {},
        urls: { get: `${base}/v1/predictions/${id}`, cancel: `${base}/v1/predictions/${id}/cancel` },
        ...extra,
      });
      if (req.method === 'POST' && req.url === '/v1/predictions') {
        const id = `p${replicate.seen.length}`;
        polls.set(id, 0);
        return json(res, 201, pred(id, 'starting'));
      }
      const m = /^\/v1\/predictions\/(\w+)$/.exec(req.url);
      if (req.method === 'GET' && m) {
        const n = (polls.get(m[1]!) ?? 0) + 1;
        polls.set(m[1]!, n);
        if (n < 2) return json(res, 200, pred(m[1]!, 'processing'));
        if (fail) return json(res, 200, pred(m[1]!, 'failed', { error: 'CUDA out of memory', output: null }));
        return json(res, 200, pred(m[1]!, 'succeeded', { output: [`${base}/files/${m[1]}/output.mp3`] }));
      }
      json(res, 404, { detail: 'Not found' });
    });
    openai = await fakeVendor((req, res) => {
      if (openaiDown) return json(res, 429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } });
      if (req.url !== '/v1/chat/completions' || req.headers.authorization !== 'Bearer sk-openai-test') return json(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
      json(res, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: req.body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: '[Verse]\nNeon rivers\n[Chorus]\nWe glow' }, finish_reason: 'stop' }],
      });
    });
    t = await createTestApp({
      env: {
        CLIPMIX_AUTH_RATE_LIMIT: '1000',
        CLIPMIX_ALLOW_LOOPBACK_URLS: '1',
        CLIPMIX_SONG_PROVIDER: 'replicate',
        REPLICATE_API_TOKEN: 'r8_test',
        REPLICATE_BASE_URL: replicate.url,
        OPENAI_API_KEY: 'sk-openai-test',
        OPENAI_BASE_URL: openai.url,
      },
    });
    user = await signUp(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await replicate?.close();
    await openai?.close();
  });

  it('creates a YuE prediction, polls urls.get until it succeeds, downloads the output', async () => {
    const res = await user.request({ method: 'POST', url: '/api/v1/songs', payload: { lyrics: LYRICS, genre: 'rock', mood: 'energetic', duration_seconds: 60, seed: 5 } });
    expect(res.statusCode, res.body).toBe(202);
    const job = await finish(t, user, res.json().id);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.provider).toBe('replicate (YuE)');
    expect(job.output.files.map((f: { role: string }) => f.role)).toEqual(['audio']);
    expect(await mp3Duration(t, user, job.output.files[0].file)).toBeCloseTo(4, 0);

    const create = replicate.seen.find((s) => s.method === 'POST' && s.url === '/v1/predictions')!;
    expect(create.body.version).toMatch(/^[0-9a-f]{64}$/);
    expect(create.body.input).toMatchObject({ lyrics: '[verse]\nRain on the window\n[chorus]\nWe will be fine', num_segments: 2, seed: 5 });
    expect(create.body.input.genre_description).toMatch(/rock/);
    expect(replicate.seen.filter((s) => s.method === 'GET' && s.url.startsWith('/v1/predictions/')).length).toBe(2);
    expect(replicate.seen.some((s) => s.url.endsWith('/output.mp3'))).toBe(true);
  }, 30_000);

  it('fails the job with the prediction’s error and refunds the credits', async () => {
    fail = true;
    const before = await t.ctx.services.credits.balance(user.id);
    const res = await user.request({ method: 'POST', url: '/api/v1/songs', payload: { genre: 'edm', mood: 'dark', duration_seconds: 30, vocals: 'none' } });
    const job = await finish(t, user, res.json().id);
    fail = false;
    expect(job.status).toBe('failed');
    expect(job.error.message).toMatch(/failed: CUDA out of memory/);
    expect(await t.ctx.services.credits.balance(user.id)).toBe(before);
  }, 30_000);

  it('writes lyrics with OpenAI (Chat Completions); a vendor error is a clear 502', async () => {
    const res = await user.request({ method: 'POST', url: '/api/v1/lyrics', payload: { theme: 'city at night', genre: 'edm', mood: 'energetic' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ object: 'lyrics', provider: 'openai (gpt-4o-mini)', text: '[Verse]\nNeon rivers\n[Chorus]\nWe glow' });
    const call = openai.seen.at(-1)!;
    expect(call.body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);

    openaiDown = true;
    const down = await user.request({ method: 'POST', url: '/api/v1/lyrics', payload: { theme: 'city at night', genre: 'edm', mood: 'energetic' } });
    openaiDown = false;
    expect(down.statusCode).toBe(502);
    expect(down.json().code).toBe('lyrics_provider_failed');
    expect(down.json().detail).toMatch(/OpenAI answered 429: You exceeded your current quota/);
  });
});

describe('Gemini lyrics writer', () => {
  it('calls generateContent with x-goog-api-key and reads the candidate text', async () => {
    const gemini = await fakeVendor((req, res) => {
      if (req.url !== '/v1beta/models/gemini-2.0-flash:generateContent' || req.headers['x-goog-api-key'] !== 'g-key') return json(res, 403, { error: { code: 403, message: 'API key not valid', status: 'PERMISSION_DENIED' } });
      json(res, 200, { candidates: [{ content: { role: 'model', parts: [{ text: 'Verse:\nSlow tide\nChorus:\nHome' }] }, finishReason: 'STOP' }] });
    });
    try {
      const writer = new GeminiLyricsWriter({ apiKey: 'g-key', baseUrl: gemini.url, allowLoopback: true });
      const out = await writer.write({ theme: 'the sea', genre: 'ballad', mood: 'calm' });
      await writer.close();
      expect(out).toEqual({ provider: 'gemini (gemini-2.0-flash)', text: '[Verse]\nSlow tide\n[Chorus]\nHome' });
      expect(gemini.seen[0]!.body.contents[0].parts[0].text).toMatch(/calm ballad song lyrics about: the sea/);
      const bad = new GeminiLyricsWriter({ apiKey: 'nope', baseUrl: gemini.url, allowLoopback: true });
      await expect(bad.write({ theme: 'x', genre: 'pop', mood: 'happy' })).rejects.toThrow(/Gemini answered 403: API key not valid/);
      await bad.close();
    } finally {
      await gemini.close();
    }
  });
});
