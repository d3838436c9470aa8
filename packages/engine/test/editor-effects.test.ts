/**
 * Effects rendered for real and measured: crop/rotate by dimensions, flip by mirrored pixels, bw
 * by signalstats saturation, text by pixels in its region only while it is on, fades by black
 * first/last frames, mute by volumedetect, replace by the tone's frequency, ducking by level,
 * maxHeight and the watermark, and every gallery filter through ffmpeg.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDIT_FILTERS } from '../src/editor/filters.js';
import { renderEdit } from '../src/editor/render.js';
import type { EditOperation } from '../src/editor/types.js';
import { makeTone, makeVideo } from '../src/testing/media.js';
import { grayFrames, makeSolidVideo, maxVolume, meanAbsDiff, signalstats, streams, toneFrequency } from './editor-measure.js';

let dir: string;
let a: string; // testsrc2 320×240 @25, 3 s, 440 Hz
let solid: string; // flat colour 320×240 @25, 3 s, 440 Hz
let short: string; // testsrc2 320×240 @25, 1 s
let music: string; // 660 Hz, 4 s
const report: string[] = [];
const FAST = { preset: 'ultrafast' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-editor-fx-'));
  [a, solid, short, music] = await Promise.all([
    makeVideo({ path: join(dir, 'a.mp4'), seconds: 3, width: 320, height: 240, fps: 25, withAudio: true }),
    makeSolidVideo(join(dir, 'solid.mp4'), { seconds: 3, width: 320, height: 240 }),
    makeVideo({ path: join(dir, 'short.mp4'), seconds: 1, width: 320, height: 240, fps: 25, withAudio: true }),
    makeTone({ path: join(dir, 'music.wav'), seconds: 4, freq: 660, amplitude: 0.5, sampleRate: 48000 }),
  ]);
});
afterAll(async () => {
  console.log(['', 'editor effects — measured:', ...report].join('\n'));
  await rm(dir, { recursive: true, force: true });
});

const render = (name: string, operations: EditOperation[], extra: { sources?: string[]; sourceMap?: Record<string, string>; maxHeight?: number; watermark?: string } = {}) =>
  renderEdit({ sources: extra.sources ?? [a], operations, output: join(dir, `${name}.mp4`), workDir: dir, encoder: FAST, ...extra });

describe('editor effects', () => {
  it('crop by aspect preset and by rectangle, then rotate: output dimensions', async () => {
    const [sq, rect] = await Promise.all([
      render('crop-square', [{ type: 'trim', start: 0, end: 0.5 }, { type: 'crop', aspect: '1:1' }]),
      render('crop-rect', [{ type: 'trim', start: 0, end: 0.5 }, { type: 'crop', x: 10, y: 20, width: 100, height: 60 }, { type: 'rotate', degrees: 90 }]),
    ]);
    const [s1, s2] = await Promise.all([streams(sq.output), streams(rect.output)]);
    report.push(`crop 1:1 → ${s1.video!.width}×${s1.video!.height}; crop 100×60 + rotate 90 → ${s2.video!.width}×${s2.video!.height}`);
    expect([s1.video!.width, s1.video!.height]).toEqual([240, 240]);
    expect([s2.video!.width, s2.video!.height]).toEqual([60, 100]);
    expect([rect.width, rect.height]).toEqual([60, 100]);
  });

  it('flip horizontal mirrors the picture', async () => {
    const [plain, flipped] = await Promise.all([
      render('noflip', [{ type: 'trim', start: 0, end: 0.2 }]),
      render('flip', [{ type: 'trim', start: 0, end: 0.2 }, { type: 'flip', direction: 'horizontal' }]),
    ]);
    const [p] = await grayFrames(plain.output, 320, 240);
    const [f] = await grayFrames(flipped.output, 320, 240);
    const mirrored = Buffer.alloc(p!.length);
    for (let y = 0; y < 240; y++) for (let x = 0; x < 320; x++) mirrored[y * 320 + x] = p![y * 320 + 319 - x]!;
    const same = meanAbsDiff(f!, mirrored);
    const differs = meanAbsDiff(f!, p!);
    report.push(`flip: |flipped − mirror(plain)| = ${same.toFixed(2)}, |flipped − plain| = ${differs.toFixed(2)}`);
    expect(same).toBeLessThan(3);
    expect(differs).toBeGreaterThan(20);
  });

  it('bw: saturation ≈ 0 on the content it was applied to, colour on content concatenated later', async () => {
    const r = await render('bw', [{ type: 'trim', start: 0, end: 1 }, { type: 'filter', name: 'bw' }, { type: 'concat', inputs: [1] }], { sources: [a, short] });
    const stats = await signalstats(r.output);
    const grey = stats.slice(0, 24).map((s) => s.SATAVG!);
    const colour = stats.slice(26).map((s) => s.SATAVG!);
    report.push(`bw: SATAVG max ${Math.max(...grey).toFixed(2)} on the filtered second, min ${Math.min(...colour).toFixed(1)} after the concat (${stats.length} frames)`);
    expect(stats.length).toBe(50);
    expect(Math.max(...grey)).toBeLessThan(1);
    expect(Math.min(...colour)).toBeGreaterThan(20);
  });

  it('text changes pixels in its region only, only between its start and end', async () => {
    const r = await render('text', [
      { type: 'text', text: "Hi: it's [x]; %{pts} \\n 漢字 ☀", start: 1, end: 2, position: { x: 0.05, y: 0.05 }, size: 40, color: '#ffff00', outline: true },
    ], { sources: [solid] });
    const frames = await grayFrames(r.output, 320, 240);
    const bg = frames[0]![160 * 320 + 160]!;
    const changed = (f: Buffer, y0: number, y1: number) => {
      let c = 0;
      for (let y = y0; y < y1; y++) for (let x = 0; x < 320; x++) if (Math.abs(f[y * 320 + x]! - bg) > 30) c++;
      return c;
    };
    const inside = frames.map((f) => changed(f, 0, 110));
    const outside = frames.map((f) => changed(f, 130, 240));
    const on = inside.filter((_, n) => n >= 26 && n <= 48);
    const off = inside.filter((_, n) => n <= 24 || n >= 51);
    report.push(`text: region pixels changed while on ≥ ${Math.min(...on)}, while off ≤ ${Math.max(...off)}, outside the region ≤ ${Math.max(...outside)} (${frames.length} frames)`);
    expect(frames.length).toBe(75);
    expect(Math.min(...on)).toBeGreaterThan(300);
    expect(Math.max(...off)).toBe(0);
    expect(Math.max(...outside)).toBe(0);
  });

  it('fade in/out: black first and last frames, bright middle; audio faded', async () => {
    const r = await render('fade', [{ type: 'fade', in: 0.5, out: 0.5 }]);
    const stats = await signalstats(r.output);
    const first = stats[0]!;
    const last = stats[stats.length - 1]!;
    const mid = stats[37]!;
    const edgeDb = await maxVolume(r.output, 0, 0.03);
    const midDb = await maxVolume(r.output, 1, 2);
    report.push(`fade: first YAVG ${first.YAVG!.toFixed(2)}/YMAX ${first.YMAX}, last YAVG ${last.YAVG!.toFixed(2)}/YMAX ${last.YMAX}, middle YAVG ${mid.YAVG!.toFixed(1)}; audio first 30 ms ${edgeDb} dB vs middle ${midDb} dB`);
    // Limited-range black is 16; a few pixels of coding noise are allowed at the maximum.
    for (const f of [first, last]) {
      expect(f.YAVG).toBeLessThanOrEqual(16.5);
      expect(f.YMAX).toBeLessThanOrEqual(24);
    }
    expect(mid.YAVG).toBeGreaterThan(60);
    expect(edgeDb).toBeLessThan(midDb - 20);
  });

  it('audio mute is silence; replace plays the new file; ducking lowers it under the original', async () => {
    const sourceMap = { music };
    const [muted, replaced, mixed, ducked] = await Promise.all([
      render('mute', [{ type: 'audio', mode: 'mute' }]),
      render('replace', [{ type: 'trim', start: 0, end: 1.5 }, { type: 'audio', mode: 'replace', file: 'music' }], { sourceMap }),
      render('mix', [{ type: 'trim', start: 0, end: 1.5 }, { type: 'audio', mode: 'mix', file: 'music', volume: 1 }], { sourceMap }),
      render('duck', [{ type: 'trim', start: 0, end: 1.5 }, { type: 'audio', mode: 'mix', file: 'music', volume: 1, duck: true }], { sourceMap }),
    ]);
    const [mutedDb, mutedFacts] = await Promise.all([maxVolume(muted.output), streams(muted.output)]);
    const hz = await toneFrequency(replaced.output, 0.2, 1.3);
    const [mixDb, duckDb] = await Promise.all([maxVolume(mixed.output, 0.5, 1.4), maxVolume(ducked.output, 0.5, 1.4)]);
    report.push(`audio: mute max ${mutedDb} dB; replace tone ${hz.toFixed(1)} Hz (file 660, source 440); mix peak ${mixDb} dB vs ducked ${duckDb} dB`);
    expect(mutedDb).toBeLessThan(-80);
    expect(Math.abs(mutedFacts.audio!.duration - 3)).toBeLessThan(0.05);
    expect(Math.abs(hz - 660)).toBeLessThan(10);
    expect(duckDb).toBeLessThan(mixDb - 1.5);
  });

  it('maxHeight caps a 720p resize; the watermark marks the corner', async () => {
    const [capped, plain] = await Promise.all([
      render('capped', [{ type: 'trim', start: 0, end: 0.4 }, { type: 'resize', resolution: '720p' }], { sources: [solid], maxHeight: 240, watermark: 'ClipMix [test]: 100%' }),
      render('uncapped', [{ type: 'trim', start: 0, end: 0.4 }, { type: 'resize', resolution: '480p' }], { sources: [solid] }),
    ]);
    const [s1, s2] = await Promise.all([streams(capped.output), streams(plain.output)]);
    const [f] = await grayFrames(capped.output, 320, 240);
    const bg = f![120 * 320 + 100]!;
    let corner = 0;
    let rest = 0;
    for (let y = 0; y < 240; y++) {
      for (let x = 0; x < 320; x++) {
        const d = Math.abs(f![y * 320 + x]! - bg) > 30;
        if (y > 200 && x > 160) corner += d ? 1 : 0;
        else if (y < 180) rest += d ? 1 : 0;
      }
    }
    report.push(`maxHeight 240 on 720p → ${s1.video!.width}×${s1.video!.height}; 480p → ${s2.video!.width}×${s2.video!.height}; watermark pixels ${corner} in the corner, ${rest} elsewhere`);
    expect([s1.video!.width, s1.video!.height]).toEqual([320, 240]);
    expect([s2.video!.width, s2.video!.height]).toEqual([640, 480]);
    expect(corner).toBeGreaterThan(50);
    expect(rest).toBe(0);
  });

  it('every gallery filter runs through ffmpeg (all in one graph)', async () => {
    const ops: EditOperation[] = [{ type: 'trim', start: 0, end: 0.4 }, ...EDIT_FILTERS.map((f) => ({ type: 'filter' as const, name: f.name, intensity: 0.5 }))];
    const r = await render('all-filters', ops);
    const s = await streams(r.output);
    report.push(`all ${EDIT_FILTERS.length} filters: ${s.video!.frames} frames`);
    expect(EDIT_FILTERS.length).toBeGreaterThanOrEqual(12);
    expect(s.video!.frames).toBe(10);
  });
});
