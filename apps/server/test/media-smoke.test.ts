import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeTone, scratch, uploadFile, leftovers } from './helpers/media.js';
import { signUp } from './helpers/session.js';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ db: 'sqlite' }); });
  afterAll(async () => t?.close());
  it('uploads', async () => {
    const u = await signUp(t);
    const s = await scratch();
    const f = await makeTone(s.file('a.mp3'), { format: 'mp3', seconds: 2 });
    const res = await uploadFile(u, f);
    console.log(res.statusCode, res.body);
    console.log(await t.ctx.services.jobs.drain());
    console.log((await u.request({ method: 'GET', url: '/api/v1/files/' + res.json().id })).body);
    console.log(await leftovers(t));
    expect(res.statusCode).toBe(201);
  });
});
