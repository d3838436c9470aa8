import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FfmpegError,
  ProbeError,
  chain,
  displayDimensions,
  filter,
  mediaInfoFromProbeJson,
  normalizeRotation,
  probe,
  runFfmpeg,
  testing,
} from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-probe-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probe: audio', () => {
  const cases = [
    ['tone.wav', 'pcm_s16le', 'wav'],
    ['tone.mp3', 'mp3', 'mp3'],
    ['tone.flac', 'flac', 'flac'],
    ['tone.aac', 'aac', 'aac'],
    ['tone.m4a', 'aac', 'mov,mp4,m4a,3gp,3g2,mj2'],
    ['tone.ogg', 'vorbis', 'ogg'],
    ['tone.opus', 'opus', 'ogg'],
  ] as const;
  for (const [name, codec, formatName] of cases) {
    it(`${name}: ${codec} in ${formatName}, 2 s`, async () => {
      const path = await testing.makeTone({ path: join(dir, name), seconds: 2 });
      const info = await probe(path);
      expect(info.formatName).toBe(formatName);
      expect(info.audio?.codec).toBe(codec);
      expect(info.audio?.channels).toBe(1);
      expect(info.audio?.sampleRate).toBe(codec === 'opus' ? 48000 : 44100);
      expect(Math.abs(info.durationSeconds - 2)).toBeLessThan(0.1);
      expect(Math.abs(info.audio!.durationSeconds - 2)).toBeLessThan(0.1);
      expect(info.video).toBeUndefined();
      expect(info.streamCount).toBe(1);
      expect(info.sizeBytes).toBeGreaterThan(0);
    });
  }

  it('stereo and sample rate are reported', async () => {
    const info = await probe(await testing.makeTone({ path: join(dir, 'stereo.wav'), seconds: 0.5, channels: 2, sampleRate: 22050 }));
    expect(info.audio).toMatchObject({ channels: 2, sampleRate: 22050 });
    // Container bit rate: 16-bit stereo PCM plus the small WAV header.
    expect(info.bitRate! / (22050 * 2 * 16)).toBeCloseTo(1, 2);
  });
});

describe('probe: video and images', () => {
  it('mp4: h264 + aac, size, fps, frames, pixel format', async () => {
    const path = await testing.makeVideo({ path: join(dir, 'v.mp4'), seconds: 1, width: 320, height: 240, fps: 25, withAudio: true });
    const info = await probe(path);
    expect(info.formatName).toBe('mov,mp4,m4a,3gp,3g2,mj2');
    expect(info.streamCount).toBe(2);
    expect(info.video).toEqual({ codec: 'h264', width: 320, height: 240, fps: 25, rotation: 0, pixFmt: 'yuv420p', frames: 25 });
    expect(info.audio?.codec).toBe('aac');
    expect(Math.abs(info.durationSeconds - 1)).toBeLessThan(0.1);
    expect(info.bitRate).toBeGreaterThan(0);
  });

  it('mov without audio', async () => {
    const info = await probe(await testing.makeVideo({ path: join(dir, 'v.mov'), seconds: 1, width: 160, height: 90, fps: 30 }));
    expect(info.formatName).toBe('mov,mp4,m4a,3gp,3g2,mj2');
    expect(info.video).toMatchObject({ codec: 'h264', width: 160, height: 90, fps: 30 });
    expect(info.audio).toBeUndefined();
    expect(info.streamCount).toBe(1);
  });

  it('webm: vp8 + opus (stream durations come from the container)', async () => {
    const path = await testing.makeVideo({ path: join(dir, 'v.webm'), seconds: 1, width: 320, height: 180, withAudio: true });
    const info = await probe(path);
    expect(info.formatName).toBe('matroska,webm');
    expect(info.video).toMatchObject({ codec: 'vp8', width: 320, height: 180, fps: 25 });
    expect(info.audio).toMatchObject({ codec: 'opus', sampleRate: 48000 });
    expect(Math.abs(info.durationSeconds - 1)).toBeLessThan(0.1);
    expect(Math.abs(info.audio!.durationSeconds - 1)).toBeLessThan(0.1);
  });

  it('images: png, jpg, webp', async () => {
    for (const [ext, codec] of [['png', 'png'], ['jpg', 'mjpeg'], ['webp', 'webp']] as const) {
      const info = await probe(await testing.makeImage({ path: join(dir, `i.${ext}`), width: 97, height: 61 }));
      expect(info.video).toMatchObject({ codec, width: 97, height: 61, rotation: 0 });
      expect(info.audio).toBeUndefined();
    }
  });

  it('a % in a file name is part of the name (no image2 sequence pattern)', async () => {
    const photo = await probe(await testing.makeImage({ path: join(dir, 'photo 100%d.jpg'), width: 33, height: 21 }));
    expect(photo.video).toMatchObject({ codec: 'mjpeg', width: 33, height: 21 });
    const song = await probe(await testing.makeTone({ path: join(dir, 'mix 50%.wav'), seconds: 0.5 }));
    expect(song.audio?.durationSeconds).toBeCloseTo(0.5, 2);
  });

  it('rotation is the clockwise turn ffmpeg itself applies for display', async () => {
    // A 64×32 frame with a white block in its top-left corner, flagged with a display matrix.
    const plain = join(dir, 'marker.mp4');
    await runFfmpeg([
      '-f', 'lavfi', '-i', chain(filter('color', { c: 'black', s: '64x32', d: 0.2 }), filter('drawbox', { x: 0, y: 0, w: 16, h: 8, c: 'white', t: 'fill' })),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', plain,
    ]);
    const seen = new Set<number>();
    for (const tag of ['90', '180', '270']) {
      const flagged = join(dir, `marker-${tag}.mp4`);
      await runFfmpeg(['-i', plain, '-c', 'copy', '-metadata:s:v:0', `rotate=${tag}`, flagged]);
      const info = await probe(flagged);
      const video = info.video!;
      seen.add(video.rotation);
      // Decode with ffmpeg's autorotate and find where the corner block ended up.
      const raw = join(dir, `marker-${tag}.gray`);
      await runFfmpeg(['-i', flagged, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', raw]);
      const pixels = await readFile(raw);
      const { width, height } = displayDimensions(video);
      expect(pixels.length).toBe(width * height);
      const bright = (x: number, y: number) => pixels[y * width + x]! > 128;
      const corner = {
        0: [2, 2],
        90: [width - 3, 2], // clockwise: top-left goes to top-right
        180: [width - 3, height - 3],
        270: [2, height - 3],
      }[video.rotation] as [number, number];
      expect(bright(...corner)).toBe(true);
      expect(bright(width >> 1, height >> 1)).toBe(false);
    }
    expect([...seen].sort()).toEqual([180, 270, 90]);
  });

  it('makeVideo rotation flags the file as asked', async () => {
    const info = await probe(await testing.makeVideo({ path: join(dir, 'rot.mp4'), seconds: 0.4, width: 320, height: 240, rotation: 90 }));
    expect(info.video).toMatchObject({ width: 320, height: 240, rotation: 90 });
    expect(displayDimensions(info.video!)).toEqual({ width: 240, height: 320 });
  });
});

describe('probe: unreadable input → ProbeError', () => {
  it('zero-byte file', async () => {
    const path = join(dir, 'zero.mp4');
    await writeFile(path, '');
    await expect(probe(path)).rejects.toBeInstanceOf(ProbeError);
  });

  it('truncated mp4 (index at the end is cut off)', async () => {
    const whole = await readFile(await testing.makeVideo({ path: join(dir, 'whole.mp4'), seconds: 1, width: 160, height: 120 }));
    const path = join(dir, 'truncated.mp4');
    await writeFile(path, whole.subarray(0, whole.length >> 1));
    const error = (await probe(path).catch((e: unknown) => e)) as ProbeError;
    expect(error).toBeInstanceOf(ProbeError);
    expect(error.file).toBe(path);
    expect(error.message).toContain('Invalid data');
  });

  it('corrupt bytes and text with a media extension', async () => {
    let seed = 12345;
    const noise = Buffer.alloc(30000, 0).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    await writeFile(join(dir, 'noise.mp4'), noise);
    await writeFile(join(dir, 'text.mp3'), 'hello, this is not audio\n');
    await expect(probe(join(dir, 'noise.mp4'))).rejects.toBeInstanceOf(ProbeError);
    await expect(probe(join(dir, 'text.mp3'))).rejects.toBeInstanceOf(ProbeError);
  });

  it('missing file', async () => {
    await expect(probe(join(dir, 'nope.wav'))).rejects.toBeInstanceOf(ProbeError);
  });

  it('a missing ffprobe binary is a tool error, not a verdict on the file', async () => {
    const error = await probe(join(dir, 'tone.wav'), { binaries: { ffprobe: join(dir, 'no-ffprobe') } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
  });

  it('an aborted probe rejects with AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await probe(join(dir, 'tone.wav'), { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });
});

describe('probe JSON mapping', () => {
  const base = { format: { format_name: 'mov', duration: '3.5', size: '100', bit_rate: 'N/A' } };
  const video = { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '30000/1001' };

  it('reads rotation from the display matrix (counter-clockwise) or the legacy tag (clockwise)', () => {
    const withMatrix = mediaInfoFromProbeJson({ ...base, streams: [{ ...video, side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }] }, 'x');
    expect(withMatrix.video?.rotation).toBe(90);
    expect(displayDimensions(withMatrix.video!)).toEqual({ width: 1080, height: 1920 });
    const withTag = mediaInfoFromProbeJson({ ...base, streams: [{ ...video, tags: { rotate: '270' } }] }, 'x');
    expect(withTag.video?.rotation).toBe(270);
    expect(withTag.video?.fps).toBeCloseTo(29.97, 2);
    expect(withTag.bitRate).toBeNull();
    expect(withTag.durationSeconds).toBe(3.5);
  });

  it('skips cover art and keeps the audio', () => {
    const info = mediaInfoFromProbeJson({
      format: { format_name: 'mp3', duration: '10' },
      streams: [
        { codec_type: 'audio', codec_name: 'mp3', sample_rate: '44100', channels: 2 },
        { codec_type: 'video', codec_name: 'mjpeg', width: 500, height: 500, disposition: { attached_pic: 1 } },
      ],
    }, 'x');
    expect(info.video).toBeUndefined();
    expect(info.audio).toEqual({ codec: 'mp3', sampleRate: 44100, channels: 2, durationSeconds: 10 });
    expect(info.streamCount).toBe(2);
  });

  it('no streams → ProbeError', () => {
    expect(() => mediaInfoFromProbeJson({ format: {}, streams: [] }, 'x')).toThrow(ProbeError);
    expect(() => mediaInfoFromProbeJson({}, 'x')).toThrow(ProbeError);
  });

  it('normalizeRotation snaps to quarter turns', () => {
    expect([0, 90, -90, 180, -180, 270, 360, 450, 89.6, -270.2].map(normalizeRotation)).toEqual([0, 90, 270, 180, 180, 270, 0, 90, 90, 90]);
  });
});
