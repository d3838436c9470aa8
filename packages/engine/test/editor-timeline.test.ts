/**
 * Timeline operations rendered for real and measured: trim, cut, speed (duration ±1 frame, pitch
 * kept), concat of mixed sizes/rates with a silent source, the stream-copy fast path.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEdit } from '../src/editor/render.js';
import { EditValidationError, type EditOperation } from '../src/editor/types.js';
import { makeVideo } from '../src/testing/media.js';
import { makeGopVideo, maxVolume, streams, toneFrequency, videoPacketHashes } from './editor-measure.js';

let dir: string;
let a: string; // 320×240 @25, 3 s, 440 Hz tone
let b: string; // 640×360 @30, 2 s, no audio
let gop: string; // 320×240 @25, 4 s, keyframe every second
const report: string[] = [];
const FAST = { preset: 'ultrafast' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-editor-tl-'));
  [a, b, gop] = await Promise.all([
    makeVideo({ path: join(dir, 'a.mp4'), seconds: 3, width: 320, height: 240, fps: 25, withAudio: true }),
    makeVideo({ path: join(dir, 'b.mp4'), seconds: 2, width: 640, height: 360, fps: 30 }),
    makeGopVideo(join(dir, 'gop.mp4'), { seconds: 4, width: 320, height: 240, fps: 25, gop: 25 }),
  ]);
});
afterAll(async () => {
  console.log(['', 'editor timeline — measured:', ...report].join('\n'));
  await rm(dir, { recursive: true, force: true });
});

const render = (name: string, operations: EditOperation[], sources = [a]) =>
  renderEdit({ sources, operations, output: join(dir, `${name}.mp4`), workDir: dir, encoder: FAST });

describe('editor timeline', () => {
  it('trim keeps exactly the range (ffprobe duration ±1 frame)', async () => {
    const r = await render('trim', [{ type: 'trim', start: 0.5, end: 2.3 }]);
    const s = await streams(r.output);
    report.push(`trim 0.5–2.3: video ${s.video!.duration} s (${s.video!.frames} frames), audio ${s.audio!.duration} s`);
    expect(r.streamCopy).toBe(false);
    expect(Math.abs(s.video!.duration - 1.8)).toBeLessThanOrEqual(0.04);
    expect(s.video!.frames).toBe(45);
    expect(Math.abs(s.audio!.duration - 1.8)).toBeLessThanOrEqual(0.04);
    expect(s.video!.codec).toBe('h264');
    expect(s.video!.pixFmt).toBe('yuv420p');
    expect(s.audio!.codec).toBe('aac');
  });

  it('cut removes the range', async () => {
    const r = await render('cut', [{ type: 'cut', start: 1, end: 2.2 }]);
    const s = await streams(r.output);
    report.push(`cut 1–2.2 of 3 s: video ${s.video!.duration} s (${s.video!.frames} frames)`);
    expect(Math.abs(s.video!.duration - 1.8)).toBeLessThanOrEqual(0.04);
    expect(Math.abs(r.durationSeconds - 1.8)).toBeLessThanOrEqual(0.05);
  });

  it('speed 2× halves the duration and keeps the pitch', async () => {
    const r = await render('speed', [{ type: 'speed', factor: 2 }]);
    const s = await streams(r.output);
    const hz = await toneFrequency(r.output, 0.2, 1.3);
    report.push(`speed 2× of 3 s: video ${s.video!.duration} s, audio ${s.audio!.duration} s, tone ${hz.toFixed(1)} Hz (source 440)`);
    expect(Math.abs(s.video!.duration - 1.5)).toBeLessThanOrEqual(0.04);
    expect(Math.abs(s.audio!.duration - 1.5)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(hz - 440)).toBeLessThan(10);
  });

  it('speed 0.5× doubles the duration, pitch kept', async () => {
    const r = await render('slow', [{ type: 'trim', start: 0, end: 1 }, { type: 'speed', factor: 0.5 }]);
    const s = await streams(r.output);
    const hz = await toneFrequency(r.output, 0.2, 1.8);
    report.push(`trim 1 s + speed 0.5×: video ${s.video!.duration} s, tone ${hz.toFixed(1)} Hz`);
    expect(Math.abs(s.video!.duration - 2)).toBeLessThanOrEqual(0.04);
    expect(Math.abs(hz - 440)).toBeLessThan(10);
  });

  it('concat of 320×240@25 (with audio) and 640×360@30 (silent) normalises to the first', async () => {
    const r = await render('concat', [{ type: 'concat', inputs: [1] }], [a, b]);
    const s = await streams(r.output);
    report.push(`concat: ${s.video!.width}×${s.video!.height} @${s.video!.fps}, video ${s.video!.duration} s (${s.video!.frames} frames), audio ${s.audio!.duration} s`);
    expect([s.video!.width, s.video!.height]).toEqual([320, 240]);
    expect(s.video!.fps).toBe(25);
    expect(Math.abs(s.video!.duration - 5)).toBeLessThanOrEqual(0.04);
    expect(Math.abs(s.audio!.duration - 5)).toBeLessThanOrEqual(0.05);
    // The tone plays in the first part; the silent source adds silence.
    expect(Math.abs((await toneFrequency(r.output, 0.5, 2.5)) - 440)).toBeLessThan(10);
    expect(await maxVolume(r.output, 3.2, 4.8)).toBeLessThan(-80);
  });

  it('a keyframe-aligned trim is stream-copied: same packets, same codec parameters', async () => {
    const r = await render('copy', [{ type: 'trim', start: 1, end: 3 }], [gop]);
    const s = await streams(r.output);
    const src = await streams(gop);
    report.push(`stream-copy trim 1–3: streamCopy=${r.streamCopy}, video ${s.video!.duration} s (${s.video!.frames} frames)`);
    expect(r.streamCopy).toBe(true);
    expect(Math.abs(s.video!.duration - 2)).toBeLessThanOrEqual(0.04);
    expect({ ...s.video, duration: 0, frames: 0 }).toEqual({ ...src.video, duration: 0, frames: 0 });
    // Bit-identical pictures: the output's packets are the source's packets 25..74.
    const [out, all] = await Promise.all([videoPacketHashes(r.output), videoPacketHashes(gop)]);
    expect(out).toEqual(all.slice(25, 75));
  });

  it('cut + concat on keyframes is stream-copied too; an unaligned trim re-encodes', async () => {
    const c = await render('copy-cut', [{ type: 'cut', start: 1, end: 2 }, { type: 'concat', inputs: [0] }], [gop]);
    expect(c.streamCopy).toBe(true);
    const cs = await streams(c.output);
    expect(Math.abs(cs.video!.duration - 7)).toBeLessThanOrEqual(0.04);
    const u = await render('nocopy', [{ type: 'trim', start: 1.3, end: 2.7 }], [gop]);
    const us = await streams(u.output);
    report.push(`stream-copy cut+concat: ${cs.video!.duration} s; unaligned trim: streamCopy=${u.streamCopy}, ${us.video!.duration} s`);
    expect(u.streamCopy).toBe(false);
    expect(Math.abs(us.video!.duration - 1.4)).toBeLessThanOrEqual(0.04);
  });

  it('a bad edit list throws EditValidationError naming the operation; no file is left', async () => {
    const err = await render('bad', [{ type: 'trim', start: 0, end: 9 }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EditValidationError);
    expect((err as EditValidationError).issues[0]).toMatchObject({ index: 0, op: 'trim', field: 'end' });
    expect((await readdir(dir)).some((f) => f.startsWith('bad') || f.includes('partial'))).toBe(false);
  });

  it('cancelling stops the render with AbortError and leaves no partial file', async () => {
    const ac = new AbortController();
    const p = renderEdit({ sources: [a], operations: [{ type: 'filter', name: 'blur' }], output: join(dir, 'aborted.mp4'), workDir: dir, signal: ac.signal, encoder: FAST });
    setTimeout(() => ac.abort(), 30);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect((await readdir(dir)).filter((f) => f.includes('aborted'))).toEqual([]);
  });
});
