import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { probe, testing } from '@clipmix/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipmix as run, type CliResult } from './helpers/cli.js';
import { scratch } from './helpers/media.js';

const BPM = 100;

let work: Awaited<ReturnType<typeof scratch>>;
let song: string;
let dir: string;

/** The bundled CLI (helpers/cli.ts), run in the scratch directory. */
function clipmix(args: string[]): Promise<CliResult> {
  return run(args, { cwd: work.dir, env: { CLIPMIX_LOG_LEVEL: 'silent' } });
}

beforeAll(async () => {
  work = await scratch();
  song = await testing.makeClickTrack({ path: work.file('song.mp3'), bpm: BPM, seconds: 7, accentEvery: 4 });
  dir = work.file('photos');
  await mkdir(dir);
  // Name order, not creation order: 10 after 2.
  await testing.makeImage({ path: path.join(dir, '10-last.png'), width: 640, height: 960 });
  await testing.makeImage({ path: path.join(dir, '2-first.jpg'), width: 1280, height: 720 });
  await testing.makeImage({ path: path.join(dir, '3-second.webp'), width: 800, height: 800, pattern: 'solid', color: 'orange' });
}, 60_000);

afterAll(async () => work?.remove());

describe('clipmix render', () => {
  it('renders a music video from local files, with --timeline-out; the path is the last stdout line', async () => {
    const out = work.file('out/video.mp4');
    const timeline = work.file('out/timeline.json');
    const r = await clipmix(['render', '--audio', song, '--images', dir, '--style', 'minimal', '--aspect', '1:1', '--resolution', '480p', '--timeline-out', timeline, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(out);
    expect(r.stderr).toMatch(/Rendering/);

    const info = await probe(out);
    expect(info.video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 480, height: 480 });
    expect(info.video!.fps).toBeCloseTo(30, 3);
    expect(info.audio?.codec).toBe('aac');
    const audio = await probe(song);
    expect(Math.abs(info.durationSeconds - audio.durationSeconds)).toBeLessThanOrEqual(1 / 30 + 0.03); // mp3 priming

    const tl = JSON.parse(await readFile(timeline, 'utf8'));
    expect(tl).toMatchObject({ version: 1, style: 'minimal', aspect: '1:1', width: 480, height: 480, fps: 30 });
    expect(Math.abs(tl.tempo_bpm - BPM) / BPM).toBeLessThanOrEqual(0.02);
    expect(tl.media.map((m: { path: string }) => m.path)).toEqual(['2-first.jpg', '3-second.webp', '10-last.png']);
    expect(tl.shots[0].source).toBe('2-first.jpg');
    expect(tl.shots.at(-1).end).toBeCloseTo(tl.duration_seconds, 6);
  }, 120_000);

  it('prints each compromise the video made as a warning line, as in the timeline', async () => {
    const out = work.file('out/warned.mp4');
    const timeline = work.file('out/warned.json');
    const lyrics = work.file('late.lrc');
    await writeFile(lyrics, '[00:01.00]First line\n[00:30.00]Long after the song has ended\n');
    const r = await clipmix(['render', '--audio', song, '--images', dir, '--resolution', '480p', '--lyrics', lyrics, '--timeline-out', timeline, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const tl = JSON.parse(await readFile(timeline, 'utf8'));
    expect(tl.warnings.some((w: string) => /lyric/i.test(w))).toBe(true);
    const printed = r.stderr.split('\n').filter((l) => l.startsWith('warning: ')).map((l) => l.slice('warning: '.length));
    expect(printed).toEqual(tl.warnings);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(out);
  }, 120_000);

  it('--photo-order auto shuffles the photos (seeded: the same seed, the same order)', async () => {
    const names = async (seed: string, order?: string) => {
      const timeline = work.file(`out/order-${order ?? 'default'}-${seed}.json`);
      const args = ['render', '--audio', song, '--images', dir, '--resolution', '480p', '--seed', seed, '--timeline-out', timeline, '--out', work.file('out/order.mp4')];
      const r = await clipmix(order ? [...args, '--photo-order', order] : args);
      expect(r.code, r.stderr).toBe(0);
      const tl = JSON.parse(await readFile(timeline, 'utf8'));
      return tl.shots.map((s: { source: string }) => s.source) as string[];
    };
    const given = ['2-first.jpg', '3-second.webp', '10-last.png'];
    const user = await names('7');
    expect(user.slice(0, 3)).toEqual(given);
    // A shuffle of 3 photos keeps the given order 1 time in 6: of three seeds, one at least differs
    // (and being seeded, the outcome never changes from run to run).
    const shuffled = await names('7', 'auto');
    expect(await names('7', 'auto')).toEqual(shuffled);
    const firstCycles = [shuffled, await names('8', 'auto'), await names('9', 'auto')].map((order) => order.slice(0, 3));
    for (const cycle of firstCycles) expect([...cycle].sort()).toEqual([...given].sort());
    expect(firstCycles.some((cycle) => cycle.join() !== given.join())).toBe(true);
    for (let i = 1; i < shuffled.length; i++) expect(shuffled[i]).not.toBe(shuffled[i - 1]);
  }, 180_000);

  it.each([
    [['--photo-order', 'random'], /--photo-order must be one of user, auto/],
    [['--style', 'polka'], /unknown style "polka"; available styles: .*pulse/],
    [['--aspect', '4:3'], /--aspect must be one of 16:9, 9:16, 1:1/],
    [['--resolution', '4k'], /--resolution must be one of/],
  ])('refuses %j with one line and exit 1', async (extra, reason) => {
    const out = work.file('bad.mp4');
    const r = await clipmix(['render', '--audio', song, '--images', dir, ...extra, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(reason);
    await expect(stat(out)).rejects.toThrow();
  });

  it('refuses zero images, a missing file, and unreadable audio', async () => {
    const empty = work.file('empty');
    await mkdir(empty, { recursive: true });
    const none = await clipmix(['render', '--audio', song, '--images', empty, '--out', work.file('x.mp4')]);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toMatch(/no images found/);

    const missing = await clipmix(['render', '--audio', work.file('nope.wav'), '--images', dir, '--out', work.file('x.mp4')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/--audio: no such file/);

    const notAudio = await clipmix(['render', '--audio', path.join(dir, '2-first.jpg'), '--images', dir, '--out', work.file('x.mp4')]);
    expect(notAudio.code).toBe(1);
    // Progress lines may precede it (stderr is not a terminal here); the reason is one last line.
    const reasons = notAudio.stderr.trim().split('\n').filter((l) => l.startsWith('clipmix:'));
    expect(reasons).toHaveLength(1);
    expect(notAudio.stderr.trim().split('\n').at(-1)).toMatch(/^clipmix: the audio could not be decoded/);
  }, 60_000);
});
