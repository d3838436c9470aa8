import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameExtractionError, extractVideoFrame, filter, chain, probe, runFfmpeg, testing } from '../src/index.js';

let dir: string;
let video: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-thumb-'));
  video = await testing.makeVideo({ path: join(dir, 'v.mp4'), seconds: 1, width: 320, height: 240, withAudio: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function imageSize(path: string): Promise<{ codec: string; width: number; height: number }> {
  const info = await probe(path);
  return { codec: info.video!.codec, width: info.video!.width, height: info.video!.height };
}

describe('extractVideoFrame', () => {
  it('writes a JPEG scaled to maxWidth, keeping the aspect ratio', async () => {
    const out = join(dir, 'a.jpg');
    await extractVideoFrame(video, 0.5, out, { maxWidth: 160 });
    expect(await imageSize(out)).toEqual({ codec: 'mjpeg', width: 160, height: 120 });
  });

  it('writes WebP by extension and never enlarges', async () => {
    const out = join(dir, 'b.webp');
    await extractVideoFrame(video, 0.2, out, { maxWidth: 1000 });
    expect(await imageSize(out)).toEqual({ codec: 'webp', width: 320, height: 240 });
  });

  it('honours maxHeight as well', async () => {
    const out = join(dir, 'c.png');
    await extractVideoFrame(video, 0, out, { maxWidth: 1000, maxHeight: 60 });
    expect(await imageSize(out)).toEqual({ codec: 'png', width: 80, height: 60 });
  });

  it('applies the display rotation', async () => {
    const rotated = await testing.makeVideo({ path: join(dir, 'rot.mov'), seconds: 0.4, width: 320, height: 240, rotation: 90 });
    const out = join(dir, 'rot.jpg');
    await extractVideoFrame(rotated, 0.1, out, { maxWidth: 120 });
    expect(await imageSize(out)).toEqual({ codec: 'mjpeg', width: 120, height: 160 });
  });

  it('makes non-square pixels square', async () => {
    const anamorphic = join(dir, 'sar.mp4');
    await runFfmpeg([
      '-f', 'lavfi', '-i', chain(filter('testsrc2', { s: '160x120', d: 0.2 }), filter('setsar', { sar: 2 })),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', anamorphic,
    ]);
    const out = join(dir, 'sar.jpg');
    await extractVideoFrame(anamorphic, 0, out, { maxWidth: 1000 });
    expect(await imageSize(out)).toEqual({ codec: 'mjpeg', width: 320, height: 120 });
  });

  it('rejects a time past the end, leaving no stale output behind', async () => {
    const out = join(dir, 'a.jpg'); // written by the first test
    await expect(extractVideoFrame(video, 30, out, { maxWidth: 160 })).rejects.toBeInstanceOf(FrameExtractionError);
    await expect(stat(out)).rejects.toThrow();
  });

  it('rejects bad arguments before running anything', async () => {
    await expect(extractVideoFrame(video, 0, join(dir, 'x.gif'), { maxWidth: 100 })).rejects.toThrow(TypeError);
    await expect(extractVideoFrame(video, -1, join(dir, 'x.jpg'), { maxWidth: 100 })).rejects.toThrow(RangeError);
    await expect(extractVideoFrame(video, 0, join(dir, 'x.jpg'), { maxWidth: 0 })).rejects.toThrow(RangeError);
  });
});
