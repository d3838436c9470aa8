import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createJobsTestApp, makeUser, type JobsTestUser } from './helpers/jobs.js';

interface SseEvent {
  event: string;
  data: any;
}

/** Opens the event stream over real HTTP (inject buffers) and collects events until it ends. */
async function openEvents(base: string, user: JobsTestUser, jobId: string) {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/v1/jobs/${jobId}/events`, { headers: { 'x-test-user': user.id }, signal: ac.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const done = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) comments.push(line);
          else if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length) events.push({ event, data: JSON.parse(data.join('\n')) });
      }
    }
  })().catch((err) => {
    if ((err as Error).name !== 'AbortError') throw err;
  });
  return { res, events, comments, done, abort: () => ac.abort() };
}

describe.each(DB_KINDS)('job events (SSE) on %s', (db) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createJobsTestApp({ db });
    await t.http.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.http.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => t?.close());

  it('streams progress events, then succeeded with the job, then ends', async () => {
    const u = await makeUser(t);
    const row = await t.ctx.services.jobs.create({ userId: u.id, type: 'test.progress', input: { values: [0.2, 0.4, 0.6, 0.8], delayMs: 120 } });
    const s = await openEvents(base, u, row.id);
    expect(s.res.status).toBe(200);
    expect(s.res.headers.get('content-type')).toContain('text/event-stream');
    expect(s.res.headers.get('request-id')).toMatch(/^req_/);
    await t.ctx.services.jobs.drain();
    await s.done;

    const names = s.events.map((e) => e.event);
    expect(names[0]).toBe('progress');
    expect(names.at(-1)).toBe('succeeded');
    expect(names.filter((n) => n === 'succeeded')).toHaveLength(1);
    const progress = s.events.filter((e) => e.event === 'progress').map((e) => e.data);
    expect(progress[0]).toEqual({ progress: 0, status: 'queued' });
    expect(progress.some((p) => p.status === 'running' && p.progress > 0 && p.progress < 1)).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i].progress).toBeGreaterThanOrEqual(progress[i - 1].progress);
    const final = s.events.at(-1)!.data;
    expect(final).toMatchObject({ object: 'job', id: row.id, status: 'succeeded', progress: 1 });
  });

  it('sends the final event at once for a finished job', async () => {
    const u = await makeUser(t);
    const row = await t.ctx.services.jobs.create({ userId: u.id, type: 'test.fail', input: { permanent: true } });
    await t.ctx.services.jobs.drain();
    const s = await openEvents(base, u, row.id);
    await s.done;
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({ event: 'failed', data: { id: row.id, status: 'failed', error: { code: 'unsupported_input' } } });
  });

  it('ends with canceled when the job is canceled, and notices changes made by other processes', async () => {
    const u = await makeUser(t);
    const row = await t.ctx.services.jobs.create({ userId: u.id, type: 'test.sleep', input: {} });
    const s = await openEvents(base, u, row.id);
    await new Promise((r) => setTimeout(r, 100));
    // Another process would only change the row: simulate that with a direct update (no event).
    await t.ctx.db.updateTable('jobs').set({ status: 'canceled', finished_at: new Date().toISOString() }).where('id', '=', row.id).execute();
    await s.done;
    expect(s.events.map((e) => e.event)).toEqual(['progress', 'canceled']);
  });

  it('cleans up when the client disconnects', async () => {
    const u = await makeUser(t);
    const row = await t.ctx.services.jobs.create({ userId: u.id, type: 'test.sleep', input: {} });
    const before = (t.ctx.services.jobs as unknown as { events: { listenerCount(n: string): number } }).events.listenerCount(row.id);
    const s = await openEvents(base, u, row.id);
    await new Promise((r) => setTimeout(r, 100));
    const during = (t.ctx.services.jobs as unknown as { events: { listenerCount(n: string): number } }).events.listenerCount(row.id);
    expect(during).toBe(before + 1);
    s.abort();
    await s.done;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      if ((t.ctx.services.jobs as unknown as { events: { listenerCount(n: string): number } }).events.listenerCount(row.id) === before) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((t.ctx.services.jobs as unknown as { events: { listenerCount(n: string): number } }).events.listenerCount(row.id)).toBe(before);
    await t.ctx.services.jobs.cancel(u.id, row.id);
  });
});
