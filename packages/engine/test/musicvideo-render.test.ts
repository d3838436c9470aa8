/**
 * Renders real music videos (480p, short songs) and measures the files: codecs, frame rate,
 * faststart, exact duration, cut times, captions on screen, cancellation.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAudio } from '../src/audio/analyze.js';
import { synthDrumGroove, writeSynthWav } from '../src/audio/synth-test-signals.js';
import { chain, filter } from '../src/ffmpeg/filtergraph.js';
import { probe } from '../src/ffmpeg/probe.js';
import { runFfmpeg } from '../src/ffmpeg/run.js';
import { planMusicVideo, type PlannerAnalysis, type PlannerMedia } from '../src/musicvideo/planner.js';
import { renderMusicVideo } from '../src/musicvideo/render.js';
import { TIMELINE_FPS, type Timeline } from '../src/musicvideo/timeline.js';
import { makeImage, makeVideo } from '../src/testing/media.js';

const run = promisify(execFile);
let dir: string;
const report: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-mv-'));
});
afterAll(async () => {
  console.log(['', 'music-video render — measured:', ...report].join('\n'));
  await rm(dir, { recursive: true, force: true });
});

/** A drum groove with ground-truth beats; `analysis` from ground truth unless `analyze`. */
async function makeSong(name: string, bars: number, bpm = 120): Promise<{ path: string; analysis: PlannerAnalysis }> {
  const sig = synthDrumGroove({
    bpm,
    leadInSeconds: 0.3,
    tailSeconds: 0.4,
    sections: [
      { label: 'verse', bars: Math.ceil(bars / 2), gainDb: -6 },
      { label: 'chorus', bars: Math.floor(bars / 2), layers: { bass: true, perc: true } },
    ],
  });
  const path = join(dir, `${name}.wav`);
  await writeSynthWav(path, sig);
  const energies = [0.35, 0.9];
  return {
    path,
    analysis: {
      durationSeconds: sig.durationSeconds,
      tempoBpm: bpm,
      beats: sig.beats,
      downbeats: sig.downbeats,
      beatsPerBar: sig.beatsPerBar,
      sections: sig.sections.map((s, i) => ({ start: i === 0 ? 0 : s.start, end: i === sig.sections.length - 1 ? sig.durationSeconds : sig.sections[i + 1]!.start, label: s.label, energy: energies[i]! })),
      hasBeat: true,
    },
  };
}

async function solid(name: string, color: string, width: number, height: number): Promise<PlannerMedia> {
  const path = join(dir, name);
  await makeImage({ path, width, height, pattern: 'solid', color });
  return { path, kind: 'image', width, height };
}

interface Probed {
  streams: Array<{ codec_type: string; codec_name: string; pix_fmt?: string; avg_frame_rate?: string; r_frame_rate?: string; nb_frames?: string; duration?: string; width?: number; height?: number; sample_rate?: string; bit_rate?: string; channels?: number }>;
  format: { duration: string };
}

async function ffprobe(path: string): Promise<Probed> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]);
  return JSON.parse(stdout) as Probed;
}

/** Order of the top-level MP4 boxes. */
async function topLevelBoxes(path: string): Promise<string[]> {
  const fh = await open(path, 'r');
  const size = (await fh.stat()).size;
  const boxes: string[] = [];
  const head = Buffer.alloc(16);
  let pos = 0;
  try {
    while (pos + 8 <= size) {
      await fh.read(head, 0, 16, pos);
      let len = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      if (len === 1) len = Number(head.readBigUInt64BE(8));
      if (len === 0) len = size - pos;
      boxes.push(type);
      pos += len;
    }
  } finally {
    await fh.close();
  }
  return boxes;
}

/** Checks every render must pass: H.264 yuv420p 30 fps + AAC, faststart, exact duration. */
async function checkOutput(path: string, audio: string, size: { width: number; height: number }): Promise<void> {
  const p = await ffprobe(path);
  const v = p.streams.find((s) => s.codec_type === 'video')!;
  const a = p.streams.find((s) => s.codec_type === 'audio')!;
  expect(v).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', avg_frame_rate: '30/1', r_frame_rate: '30/1', ...size });
  expect(a).toMatchObject({ codec_name: 'aac', channels: 2 });
  expect(Number(a.sample_rate)).toBeGreaterThanOrEqual(44100);
  expect(Number(a.bit_rate)).toBeGreaterThan(64_000); // asked for 192k; simple test audio needs less
  const audioSeconds = (await probe(audio)).durationSeconds;
  expect(Number(v.nb_frames)).toBe(Math.round(audioSeconds * TIMELINE_FPS));
  expect(Math.abs(Number(v.duration) - audioSeconds)).toBeLessThanOrEqual(1 / TIMELINE_FPS);
  expect(Math.abs(Number(p.format.duration) - audioSeconds)).toBeLessThanOrEqual(1 / TIMELINE_FPS);
  expect(Math.abs(Number(v.duration) - Number(a.duration))).toBeLessThanOrEqual(1 / TIMELINE_FPS);
  const boxes = await topLevelBoxes(path);
  expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
  expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
}

/** Per-frame mean colour (area average of a region) as rgb triples. */
async function frameColours(path: string, crop?: string): Promise<Array<[number, number, number]>> {
  const vf = `${crop ? `${crop},` : ''}scale=1:1:flags=area`;
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-vf', vf, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    encoding: 'buffer', maxBuffer: 64 * 1024 * 1024,
  });
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i + 2 < stdout.length; i += 3) out.push([stdout[i]!, stdout[i + 1]!, stdout[i + 2]!]);
  return out;
}

/** Pixels lighter than `level` (luma 0–255) in a crop of the frame shown at `t` seconds. */
async function lightPixels(path: string, t: number, crop: string, level = 120): Promise<number> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-ss', String(t), '-i', path, '-frames:v', '1', '-vf', crop, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], {
    encoding: 'buffer', maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.reduce((n, v) => n + (v > level ? 1 : 0), 0);
}

async function timed<T>(label: string, seconds: number, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  const wall = (performance.now() - t0) / 1000;
  report.push(`  ${label.padEnd(44)} ${seconds.toFixed(1)} s of video in ${wall.toFixed(1)} s wall (${(wall / seconds).toFixed(2)} s per s)`);
  return result;
}

describe('renderMusicVideo', () => {
  it('16:9 end to end (analysis → plan → render) in the pulse style with title card', async () => {
    const { path: audio } = await makeSong('e2e', 4, 120);
    const analysis = await analyzeAudio(audio);
    const media = [
      await solid('a.jpg', 'orange', 1200, 800),
      { path: join(dir, 'pattern.png'), kind: 'image' as const, width: 640, height: 960 },
      await solid('c.jpg', 'teal', 900, 900),
    ];
    await makeImage({ path: media[1]!.path, width: 640, height: 960 });
    const timeline = planMusicVideo({ analysis, media, style: 'pulse', aspect: '16:9', resolution: '480p', seed: 2, title: 'Hello 世界' });
    const out = join(dir, 'e2e.mp4');
    const fractions: number[] = [];
    const result = await timed('pulse 16:9 480p (e2e)', timeline.duration_seconds, () =>
      renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(dir, 'work'), onProgress: (f) => fractions.push(f) }));
    expect(result.frames).toBe(Math.round(timeline.duration_seconds * 30));
    await checkOutput(out, audio, { width: 854, height: 480 });
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.length).toBeGreaterThan(3);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThan(fractions[i - 1]!);
    expect(await readdir(join(dir, 'work'))).toEqual([]);
  });

  it('9:16 with a video clip, a PNG with alpha, a grayscale photo and audio-reactive layers (neon)', async () => {
    const { path: audio, analysis } = await makeSong('neon', 4, 128);
    const clip = await makeVideo({ path: join(dir, 'clip.mp4'), seconds: 1.5, width: 320, height: 240, rotation: 90 });
    const alpha = join(dir, 'alpha.png');
    // Red where transparent (alpha 0), opaque white box in the middle.
    const box = 'between(X,100,299)*between(Y,75,224)';
    await runFfmpeg(['-f', 'lavfi', '-i', chain(filter('color', { c: 'white', s: '400x300', d: 1 }), filter('format', { pix_fmts: 'rgba' }),
      filter('geq', { r: 255, g: `if(${box},255,0)`, b: `if(${box},255,0)`, a: `if(${box},255,0)` })), '-frames:v', '1', alpha]);
    const gray = join(dir, 'gray.png');
    await runFfmpeg(['-f', 'lavfi', '-i', chain(filter('testsrc', { s: '500x700', d: 1 }), filter('format', { pix_fmts: 'gray' })), '-frames:v', '1', gray]);
    const media: PlannerMedia[] = [
      { path: clip, kind: 'video', width: 240, height: 320, durationSeconds: 1.5 },
      { path: alpha, kind: 'image', width: 400, height: 300 },
      { path: gray, kind: 'image', width: 500, height: 700 },
    ];
    const timeline = planMusicVideo({ analysis, media, style: 'neon_visualizer', aspect: '9:16', resolution: '480p', seed: 9 });
    expect(timeline.layers.map((l) => l.type)).toEqual(expect.arrayContaining(['spectrum', 'waveform', 'beat_pulse']));
    const out = join(dir, 'neon.mp4');
    await timed('neon_visualizer 9:16 480p (clip, alpha, gray)', timeline.duration_seconds, () =>
      renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(dir, 'work') }));
    await checkOutput(out, audio, { width: 480, height: 854 });
    // Transparent pixels of the PNG come out black, not garbage: the frame centre of the alpha shot
    // is white (the opaque box) and its corners dark.
    const shot = timeline.shots.find((s) => s.source === alpha)!;
    const mid = (shot.start + shot.end) / 2;
    const frame = join(dir, 'alpha-frame.png');
    await runFfmpeg(['-ss', String(mid), '-i', out, '-frames:v', '1', frame]);
    const centre = await frameColours(frame, 'crop=60:60:210:397');
    expect(Math.min(...centre[0]!)).toBeGreaterThan(150);
    const top = await frameColours(frame, 'crop=440:20:20:5');
    expect(top[0]![0]).toBeLessThan(80);
  });

  it('1:1 lyric video: karaoke captions are on screen exactly during their lines', async () => {
    const { path: audio, analysis } = await makeSong('lyric', 4, 120);
    const media = [await solid('dark.jpg', '0x202020', 800, 600)];
    const lrc = '[00:01.00]<00:01.00>Hello <00:01.60>caption <00:02.20>world\n[00:03.50]\n[00:05.00]漢字 line two 🎵\n';
    const timeline = planMusicVideo({ analysis, media, style: 'lyric', aspect: '1:1', resolution: '480p', lyrics: { lrc } });
    timeline.layers = timeline.layers.filter((l) => l.type !== 'vignette');
    expect(timeline.captions).toMatchObject({ timing: 'exact', karaoke: true, position: 'center' });
    const out = join(dir, 'lyric.mp4');
    const result = await timed('lyric 1:1 480p (captions)', timeline.duration_seconds, () =>
      renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(dir, 'work') }));
    // 🎵 is drawn from Symbola's outline glyph (see the emoji test), so nothing is left out.
    expect(result.warnings).toEqual([]);
    await checkOutput(out, audio, { width: 480, height: 480 });
    // The centre band: dark photo without text, much brighter with the caption.
    const band = (await frameColours(out, 'crop=400:60:40:210')).map((c) => c[0] + c[1] + c[2]);
    const at = (t: number) => band[Math.round(t * 30)]!;
    // Line 1 runs 1.0–2.7 s (its last word tag + 0.5 s), line 2 from 5.0 s to the end.
    const background = Math.max(at(0.5), at(3.2), at(4.6));
    const withText = [1.3, 2.0, 2.5, 5.5, 6.5].map(at);
    for (const v of withText) expect(v).toBeGreaterThan(background + 40);
    report.push(`  captions: centre band brightness ${background} without text, ≥ ${Math.min(...withText)} with`);
  });

  it('draws emoji in captions and title cards as outline glyphs; leaves out only those no outline font has', async () => {
    const { path: audio, analysis } = await makeSong('emoji', 4, 120);
    const media = [await solid('dark-emoji.jpg', '0x202020', 800, 600)];
    // 🎵🔥 (Unicode 6) are in Symbola; 🫠 (Unicode 14) is only in the colour emoji font. U+E000
    // (private use, in no font) is drawn as two missing-glyph boxes: what unrendered emoji look like.
    const lrc = '[00:01.00]🎵🔥\n[00:02.50]\n[00:03.00]🫠\n[00:04.00]\n[00:04.50]\ue000\ue000\n[00:05.50]\n';
    const timeline = planMusicVideo({ analysis, media, style: 'lyric', aspect: '1:1', resolution: '480p', lyrics: { lrc } });
    timeline.layers = [{ type: 'title_card', text: '🎵🔥 🫠', start: 6, end: 8 }];
    const out = join(dir, 'emoji.mp4');
    const result = await renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(dir, 'work') });
    expect(result.warnings).toEqual([
      'captions: 🫠 cannot be drawn (not in any drawable font) and were left out',
      'title_card: 🫠 cannot be drawn (not in any drawable font) and were left out',
    ]);
    await checkOutput(out, audio, { width: 480, height: 480 });
    // Text-coloured (light) pixels in the centre band, where both captions and cards are.
    const band = 'crop=400:100:40:190';
    const [empty, emoji, stripped, boxes, card] = await Promise.all([0.5, 1.8, 3.5, 5.0, 7.0].map((t) => lightPixels(out, t, band)));
    expect(emoji).toBeGreaterThan(empty + 500);
    expect(emoji).toBeGreaterThan(2 * boxes);
    expect(card).toBeGreaterThan(empty + 500);
    expect(card).toBeGreaterThan(2 * boxes);
    expect(boxes).toBeGreaterThan(empty + 50);
    expect(stripped).toBeLessThan(empty + 20);
    report.push(`  emoji: light pixels in the centre band ${empty} empty, ${emoji} with 🎵🔥 captions, ${card} with a 🎵🔥 card, ${stripped} with 🫠 (left out), ${boxes} with two missing-glyph boxes`);
  });

  it('puts cuts on the planned frames (hard cuts and transitions, across segment joins)', async () => {
    const { path: audio, analysis } = await makeSong('cuts', 5, 120);
    const colours: Array<[string, [number, number, number]]> = [
      ['red', [255, 0, 0]], ['lime', [0, 255, 0]], ['blue', [0, 0, 255]], ['yellow', [255, 255, 0]], ['magenta', [255, 0, 255]], ['white', [255, 255, 255]],
    ];
    const media: PlannerMedia[] = [];
    for (const [i, [name]] of colours.entries()) media.push(await solid(`cut-${name}.png`, name, 600 + i * 120, 400 + ((i * 170) % 500)));
    const timeline: Timeline = planMusicVideo({ analysis, media, style: 'pulse', aspect: '16:9', resolution: '480p', seed: 11 });
    timeline.layers = [];
    // Short fades on every other cut, hard cuts on the rest.
    timeline.shots.forEach((s, i) => {
      if (i === 0) return;
      if (i % 2) s.transition = { type: 'fade', duration: 4 / 30 };
      else delete s.transition;
    });
    const out = join(dir, 'cuts.mp4');
    await timed('cut test 16:9 480p (3 segments)', timeline.duration_seconds, () =>
      renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(dir, 'work'), maxShotsPerSegment: 3 }));
    await checkOutput(out, audio, { width: 854, height: 480 });
    const frames = await frameColours(out);
    // Index of the photo whose colour is nearest to a frame's mean colour.
    const nearest = (c: [number, number, number]) => {
      let best = 0;
      let bestD = Infinity;
      colours.forEach(([, ref], i) => {
        const d = Math.hypot(c[0] - ref[0], c[1] - ref[1], c[2] - ref[2]);
        if (d < bestD) { bestD = d; best = i; }
      });
      return best;
    };
    const shown = frames.map(nearest);
    let within = 0;
    const errors: number[] = [];
    for (let i = 1; i < timeline.shots.length; i++) {
      const planned = Math.round(timeline.shots[i]!.start * 30);
      const want = timeline.shots[i]!.media_index;
      // First frame at or after the previous cut that shows the new photo.
      let found = -1;
      for (let f = Math.round(timeline.shots[i - 1]!.start * 30) + 1; f < frames.length; f++) {
        if (shown[f] === want) { found = f; break; }
      }
      errors.push(found - planned);
      if (Math.abs(found - planned) <= 1) within++;
    }
    const share = within / (timeline.shots.length - 1);
    report.push(`  cut accuracy: ${within}/${timeline.shots.length - 1} cuts within one frame (${(share * 100).toFixed(0)} %), offsets in frames: ${errors.join(' ')}`);
    expect(timeline.shots.length).toBeGreaterThan(8);
    expect(share).toBeGreaterThanOrEqual(0.9);
    // A fade is a linear mix: on the cut frame (the middle of a 4-frame fade) both photos weigh
    // one half, a frame before the new one weighs a quarter.
    const mixErrors: number[] = [];
    for (let i = 1; i < timeline.shots.length; i++) {
      if (!timeline.shots[i]!.transition) continue;
      const cut = Math.round(timeline.shots[i]!.start * 30);
      const a = colours[timeline.shots[i - 1]!.media_index]![1];
      const b = colours[timeline.shots[i]!.media_index]![1];
      for (const [offset, w] of [[0, 0.5], [-1, 0.25]] as const) {
        const got = frames[cut + offset]!;
        mixErrors.push(Math.max(...got.map((v, c) => Math.abs(v - (a[c]! * (1 - w) + b[c]! * w)))));
      }
    }
    report.push(`  fades: largest channel error against the linear mix ${Math.max(...mixErrors).toFixed(0)} (of 255)`);
    expect(mixErrors.length).toBeGreaterThan(4);
    for (const e of mixErrors) expect(e).toBeLessThanOrEqual(32);
  });

  it('renders the remaining styles, with quotes, colons, brackets and commas in every path', async () => {
    const { path: audio, analysis } = await makeSong('styles', 2, 120);
    const weird = join(dir, "we'ird: [dir], x;y=z %{n}");
    await mkdir(weird);
    const media = [await solid("we'ird: [dir], x;y=z %{n}/s1,a'b.jpg", 'navy', 1000, 700), await solid('s2.jpg', 'gold', 700, 1000)];
    for (const style of ['cinematic', 'retro_vhs', 'minimal']) {
      const timeline = planMusicVideo({ analysis, media, style, aspect: '16:9', resolution: '480p', title: `${style} 'quoted' %{pts} \\ end` });
      const out = join(weird, `${style} [1]: it's.mp4`);
      await timed(`${style} 16:9 480p`, timeline.duration_seconds, () =>
        renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(weird, 'work;dir') }));
      await checkOutput(out, audio, { width: 854, height: 480 });
    }
  });

  it('cancel kills ffmpeg and leaves no output and no partial file', async () => {
    const { path: audio, analysis } = await makeSong('cancel', 16, 120);
    const media = [await solid('x1.jpg', 'purple', 1400, 900), await solid('x2.jpg', 'olive', 900, 1400)];
    const timeline = planMusicVideo({ analysis, media, style: 'cinematic', resolution: '480p' });
    const outDir = join(dir, 'cancel-out');
    await mkdir(outDir);
    const out = join(outDir, 'never.mp4');
    const controller = new AbortController();
    const started = performance.now();
    const render = renderMusicVideo({
      timeline, audioPath: audio, output: out, workDir: join(dir, 'cancel-work'), signal: controller.signal,
      onProgress: (f) => { if (f > 0.15) controller.abort(); },
    });
    await expect(render).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(30_000);
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(outDir)).toEqual([]);
    expect(await readdir(join(dir, 'cancel-work'))).toEqual([]);
    const { stdout } = await run('ps', ['-eo', 'args']);
    expect(stdout.split('\n').filter((l) => l.includes('ffmpeg') && l.includes(outDir))).toEqual([]);
  });

  it('an audio encode that fails (it runs beside the segments) stops the render with its own error', async () => {
    const { path: audio, analysis } = await makeSong('audio-fails', 16, 120);
    const media = [await solid('af1.jpg', 'navy', 1400, 900), await solid('af2.jpg', 'maroon', 900, 1400)];
    const timeline = planMusicVideo({ analysis, media, style: 'minimal', resolution: '480p' });
    // Real ffmpeg for everything but the AAC encode, which fails once the first segment runs.
    const wrapper = join(dir, 'ffmpeg-audio-fails.sh');
    await writeFile(wrapper, '#!/bin/sh\ncase "$*" in *audio.m4a*) sleep 1; echo "aac: encoder failed on purpose" >&2; exit 7;; esac\nexec ffmpeg "$@"\n');
    await chmod(wrapper, 0o755);
    const outDir = join(dir, 'audio-fails-out');
    await mkdir(outDir);
    const out = join(outDir, 'never.mp4');
    const render = renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(dir, 'audio-fails-work'), binaries: { ffmpeg: wrapper } });
    await expect(render).rejects.toThrow(/aac: encoder failed on purpose/);
    expect(await readdir(outDir)).toEqual([]);
    expect(await readdir(join(dir, 'audio-fails-work'))).toEqual([]);
    const { stdout } = await run('ps', ['-eo', 'args']);
    expect(stdout.split('\n').filter((l) => l.includes('ffmpeg') && l.includes('audio-fails-work'))).toEqual([]);
  });

  it('rejects an invalid timeline before running anything', async () => {
    const { path: audio, analysis } = await makeSong('bad', 2);
    const timeline = planMusicVideo({ analysis, media: [await solid('b.jpg', 'red', 100, 100)] });
    const out = join(dir, 'bad.mp4');
    await expect(renderMusicVideo({ timeline: { ...timeline, style: 'nope' }, audioPath: audio, output: out, workDir: join(dir, 'work') }))
      .rejects.toThrow(/style: unknown style "nope"; known styles: pulse, cinematic/);
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
