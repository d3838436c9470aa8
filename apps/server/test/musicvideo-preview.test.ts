/**
 * POST /api/v1/music_videos/preview: a photo in a style and aspect, as a small JPEG for the
 * wizard's style picker. Measured on the decoded pixels.
 */
import { writeFile } from 'node:fs/promises';
import { testing } from '@clipmix/engine';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { makeImage, scratch, uploadFile } from './helpers/media.js';
import { signUp, type TestUser } from './helpers/session.js';

let work: Awaited<ReturnType<typeof scratch>>;
let t: TestApp;
let user: TestUser;
let other: TestUser;
const ids: Record<string, string> = {};

async function up(u: TestUser, file: string, purpose: string): Promise<string> {
  const res = await uploadFile(u, file, { purpose });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

beforeAll(async () => {
  work = await scratch();
  const photo = await testing.makeImage({ path: work.file('bars.jpg'), width: 1200, height: 800 });
  // Blue with a red top-left quadrant as stored; EXIF 6 (rotate 90° clockwise) puts red top-right.
  const rotated = work.file('rotated.jpg');
  await writeFile(rotated, await makeImage('jpeg', { width: 800, height: 600, orientation: 6 }));
  const song = await testing.makeTone({ path: work.file('tone.wav'), seconds: 1 });
  t = await createTestApp({ env: { CLIPMIX_AUTH_RATE_LIMIT: '1000' } });
  user = await signUp(t);
  other = await signUp(t);
  ids.photo = await up(user, photo, 'image');
  ids.rotated = await up(user, rotated, 'image');
  ids.song = await up(user, song, 'audio');
  ids.foreign = await up(other, photo, 'image');
}, 60_000);

afterAll(async () => {
  await t?.close();
  await work?.remove();
});

const preview = (payload: Record<string, unknown>, u: TestUser = user) =>
  u.request({ method: 'POST', url: '/api/v1/music_videos/preview', payload });

async function pixels(jpeg: Buffer) {
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    info,
    data,
    at(x: number, y: number): [number, number, number] {
      const i = (y * info.width + x) * 3;
      return [data[i]!, data[i + 1]!, data[i + 2]!];
    },
    /** Mean luma of one row. */
    rowLuma(y: number): number {
      let sum = 0;
      for (let x = 0; x < info.width; x++) {
        const [r, g, b] = this.at(x, y);
        sum += 0.299 * r + 0.587 * g + 0.114 * b;
      }
      return sum / info.width;
    },
  };
}

describe('music video style previews', () => {
  it('renders a 320 px wide JPEG in each aspect, with cache headers', async () => {
    const expected = { '16:9': [320, 180], '9:16': [320, 568], '1:1': [320, 320] } as const;
    for (const [aspect, [w, h]] of Object.entries(expected)) {
      const res = await preview({ image_file: ids.photo, style: 'pulse', aspect_ratio: aspect });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toMatch(/private, max-age=\d+/);
      expect(res.headers.etag).toMatch(/^"mvp-/);
      const meta = await sharp(res.rawPayload).metadata();
      expect(meta.format).toBe('jpeg');
      expect([meta.width, meta.height]).toEqual([w, h]);
    }
  });

  it('serves the same frame again from the cache', async () => {
    const a = await preview({ image_file: ids.photo, style: 'lyric', aspect_ratio: '1:1' });
    const b = await preview({ image_file: ids.photo, style: 'lyric', aspect_ratio: '1:1' });
    expect(b.statusCode).toBe(200);
    expect(b.headers.etag).toBe(a.headers.etag);
    expect(Buffer.compare(a.rawPayload, b.rawPayload)).toBe(0);
    const other = await preview({ image_file: ids.photo, style: 'lyric', aspect_ratio: '16:9' });
    expect(other.headers.etag).not.toBe(a.headers.etag);
  });

  it('shows the look of each style in the pixels', async () => {
    const frame = async (style: string) => {
      const res = await preview({ image_file: ids.photo, style, aspect_ratio: '16:9' });
      expect(res.statusCode, res.body).toBe(200);
      return pixels(res.rawPayload);
    };
    const [minimal, vhs, cinematic] = await Promise.all([frame('minimal'), frame('retro_vhs'), frame('cinematic')]);
    let diff = 0;
    for (let i = 0; i < minimal.data.length; i++) diff += Math.abs(minimal.data[i]! - vhs.data[i]!);
    const meanDiff = diff / minimal.data.length;
    expect(meanDiff).toBeGreaterThan(12);
    // Cinematic letterboxes 16:9 to 2.39:1 (about 23 px bars): the top rows are black; minimal's are not.
    expect(cinematic.rowLuma(4)).toBeLessThan(12);
    expect(cinematic.rowLuma(90)).toBeGreaterThan(40);
    expect(minimal.rowLuma(4)).toBeGreaterThan(40);
  });

  it('applies EXIF orientation before cropping', async () => {
    const res = await preview({ image_file: ids.rotated, style: 'minimal', aspect_ratio: '9:16' });
    expect(res.statusCode, res.body).toBe(200);
    const p = await pixels(res.rawPayload);
    expect([p.info.width, p.info.height]).toEqual([320, 568]);
    // Upright the photo is 600×800 with red in its top-right quarter.
    const [r1, , b1] = p.at(260, 120);
    const [r2, , b2] = p.at(60, 120);
    const [r3, , b3] = p.at(260, 480);
    expect(r1).toBeGreaterThan(200);
    expect(b1).toBeLessThan(60);
    expect(b2).toBeGreaterThan(200);
    expect(r2).toBeLessThan(60);
    expect(b3).toBeGreaterThan(200);
    expect(r3).toBeLessThan(60);
  });

  it('answers problems for unknown, foreign and non-image files and unknown styles', async () => {
    const unknown = await preview({ image_file: 'file_doesnotexist', style: 'pulse' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.json()).toMatchObject({ code: 'resource_missing', errors: [{ param: 'image_file' }] });

    const foreign = await preview({ image_file: ids.foreign, style: 'pulse' });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('resource_missing');

    const audio = await preview({ image_file: ids.song, style: 'pulse' });
    expect(audio.statusCode).toBe(422);
    expect(audio.json()).toMatchObject({ code: 'file_kind_mismatch', errors: [{ param: 'image_file' }] });
    expect(audio.json().detail).toMatch(/audio file; an image file is needed/);

    const style = await preview({ image_file: ids.photo, style: 'disco' });
    expect(style.statusCode).toBe(400);
    expect(style.json()).toMatchObject({ code: 'invalid_request', errors: [{ param: 'style' }] });
    expect(style.json().detail).toMatch(/available styles: .*minimal/);

    const aspect = await preview({ image_file: ids.photo, aspect_ratio: '4:3' });
    expect(aspect.statusCode).toBe(400);
    expect(aspect.json().errors[0].param).toBe('aspect_ratio');

    const anonymous = await t.http.inject({ method: 'POST', url: '/api/v1/music_videos/preview', payload: { image_file: ids.photo } });
    expect(anonymous.statusCode).toBe(401);
  });
});
