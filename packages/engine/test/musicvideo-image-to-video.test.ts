import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../src/ffmpeg/probe.js';
import { planMusicVideo } from '../src/musicvideo/planner.js';
import { renderMusicVideo } from '../src/musicvideo/render.js';
import { LocalKenBurnsImageToVideo, type ImageToVideo } from '../src/providers/image-to-video.js';
import { makeImage, makeTone } from '../src/testing/media.js';

const run = promisify(execFile);
let dir: string;
let photo: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-i2v-'));
  photo = await makeImage({ path: join(dir, 'photo.jpg'), width: 900, height: 1200 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Mean luma of frame n (whole frame) and a few pixels' worth of fingerprint. */
async function frameBytes(path: string, n: number): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-vf', `select=eq(n\\,${n}),scale=32:18:flags=area`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], {
    encoding: 'buffer',
  });
  return stdout;
}

describe('LocalKenBurnsImageToVideo', () => {
  const provider: ImageToVideo = new LocalKenBurnsImageToVideo({ workDir: tmpdir() });

  it('is honest about what it is', () => {
    expect(provider.id).toBe('local-kenburns');
    expect(provider.local).toBe(true);
    expect(provider.describe()).toMatch(/no AI model/);
  });

  it('animates a photo into an H.264 clip of the asked size and length, deterministically, with visible motion', async () => {
    const a = join(dir, 'a.mp4');
    const b = join(dir, 'b.mp4');
    await provider.animate({ imagePath: photo, durationSeconds: 2, width: 640, height: 360, motionHint: 'zoom_in' }, a);
    await provider.animate({ imagePath: photo, durationSeconds: 2, width: 640, height: 360, motionHint: 'zoom_in' }, b);
    const info = await probe(a);
    expect(info.video).toMatchObject({ codec: 'h264', width: 640, height: 360, pixFmt: 'yuv420p', fps: 30, frames: 60 });
    expect(info.audio).toBeUndefined();
    const hash = async (p: string) => createHash('sha256').update(await readFile(p)).digest('hex');
    expect(await hash(a)).toBe(await hash(b));
    const first = await frameBytes(a, 0);
    const last = await frameBytes(a, 59);
    let diff = 0;
    for (let i = 0; i < first.length; i++) diff += Math.abs(first[i]! - last[i]!);
    expect(diff / first.length).toBeGreaterThan(3);
  });

  it('renders the parallax motion and rejects bad input clearly', async () => {
    const out = join(dir, 'parallax.mp4');
    await provider.animate({ imagePath: photo, durationSeconds: 1, width: 480, height: 270, motionHint: 'parallax' }, out);
    expect((await probe(out)).video).toMatchObject({ width: 480, height: 270, frames: 30 });
    await expect(provider.animate({ imagePath: photo, durationSeconds: 1, width: 481, height: 270 }, join(dir, 'x.mp4'))).rejects.toThrow(/even/);
    await expect(provider.animate({ imagePath: photo, durationSeconds: 0, width: 480, height: 270 }, join(dir, 'x.mp4'))).rejects.toThrow(/durationSeconds/);
    await expect(provider.animate({ imagePath: photo, durationSeconds: 1, width: 480, height: 270, motionHint: 'spin' as never }, join(dir, 'x.mp4')))
      .rejects.toThrow(/unknown motion hint/);
    expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('its clips work as video shots in a music video', async () => {
    const clip = join(dir, 'shot.mp4');
    await provider.animate({ imagePath: photo, durationSeconds: 1.5, width: 854, height: 480, motionHint: 'pan_down' }, clip);
    const audio = await makeTone({ path: join(dir, 'tone.wav'), seconds: 4 });
    const timeline = planMusicVideo({
      analysis: { durationSeconds: 4, tempoBpm: 0, beats: [], downbeats: [], sections: [{ start: 0, end: 4, label: 'verse', energy: 0.5 }], hasBeat: false },
      media: [{ path: clip, kind: 'video', width: 854, height: 480, durationSeconds: 1.5 }, { path: photo, kind: 'image', width: 900, height: 1200 }],
      style: 'minimal',
      resolution: '480p',
    });
    expect(timeline.shots.some((s) => s.kind === 'video')).toBe(true);
    const out = join(dir, 'mv.mp4');
    await renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(dir, 'work') });
    expect((await probe(out)).video).toMatchObject({ width: 854, height: 480, frames: 120 });
  });
});
