/**
 * Preview frames: dimensions, and content equal to the rendered edit's frame at the same time
 * (through a cut, a speed change, a crop, a filter and a text overlay), not to other times.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEditPreview } from '../src/editor/preview.js';
import { renderEdit } from '../src/editor/render.js';
import type { EditOperation } from '../src/editor/types.js';
import { makeVideo } from '../src/testing/media.js';
import { grayFrames, grayImage, meanAbsDiff, streams } from './editor-measure.js';

let dir: string;
let a: string;
let b: string;
const report: string[] = [];

const OPS: EditOperation[] = [
  { type: 'cut', start: 0.4, end: 1.2 },
  { type: 'text', text: 'Preview: "t" [1]', start: 0.2, end: 1.6, position: 'center', size: 28, outline: true },
  { type: 'concat', inputs: [1] },
  { type: 'speed', factor: 1.25 },
  { type: 'crop', aspect: '1:1' },
  { type: 'filter', name: 'warm' },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-editor-pv-'));
  [a, b] = await Promise.all([
    makeVideo({ path: join(dir, 'a.mp4'), seconds: 3, width: 320, height: 240, fps: 25, withAudio: true }),
    makeVideo({ path: join(dir, 'b.mp4'), seconds: 1, width: 640, height: 360, fps: 30 }),
  ]);
});
afterAll(async () => {
  console.log(['', 'editor preview — measured:', ...report].join('\n'));
  await rm(dir, { recursive: true, force: true });
});

describe('editor preview', () => {
  it('one JPEG at time t equals the rendered edit at t, through cut, text, concat, speed, crop and filter', async () => {
    const render = await renderEdit({ sources: [a, b], operations: OPS, output: join(dir, 'full.mp4'), workDir: dir, encoder: { preset: 'ultrafast', crf: 12 } });
    const s = await streams(render.output);
    expect([s.video!.width, s.video!.height]).toEqual([240, 240]);
    const frames = await grayFrames(render.output, 240, 240);
    // Output frames at 25 fps: t = n / 25. Times inside the first piece, the text, the second piece of a, and b.
    const times = [0.2, 0.72, 1.2, 2.2];
    const previews = await Promise.all(times.map((time, i) => renderEditPreview({ sources: [a, b], operations: OPS, output: join(dir, `p${i}.jpg`), workDir: dir, time })));
    const images = await Promise.all(previews.map((p) => grayImage(p.output)));
    for (const [i, time] of times.entries()) {
      expect([previews[i]!.width, previews[i]!.height]).toEqual([240, 240]);
      const n = Math.round(time * 25);
      const same = meanAbsDiff(images[i]!, frames[n]!);
      const other = Math.min(meanAbsDiff(images[i]!, frames[Math.max(0, n - 8)]!), meanAbsDiff(images[i]!, frames[Math.min(frames.length - 1, n + 8)]!));
      report.push(`preview t=${time}: |preview − frame ${n}| = ${same.toFixed(2)}, vs frames ±8: ${other.toFixed(2)}`);
      expect(same).toBeLessThan(4);
      expect(other).toBeGreaterThan(same * 2);
    }
  });

  it('width scales the frame (a time past the end is clamped to the last frame)', async () => {
    const p = await renderEditPreview({ sources: [a, b], operations: OPS, output: join(dir, 'small.jpg'), workDir: dir, time: 99, width: 120 });
    const s = await streams(p.output);
    report.push(`preview width 120 → ${s.video!.width}×${s.video!.height}`);
    expect([p.width, p.height]).toEqual([120, 120]);
    expect([s.video!.width, s.video!.height]).toEqual([120, 120]);
    expect(s.video!.codec).toBe('mjpeg');
  });
});
