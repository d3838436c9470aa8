/**
 * A short 1080p render: the one resolution where one segment run's fixed memory (x264's frames)
 * fills the whole budget. It must still group shots into few runs, and produce a full-HD file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { synthDrumGroove, writeSynthWav } from '../src/audio/synth-test-signals.js';
import { probe } from '../src/ffmpeg/probe.js';
import { planMusicVideo, type PlannerMedia } from '../src/musicvideo/planner.js';
import { renderMusicVideo } from '../src/musicvideo/render.js';
import { TIMELINE_FPS } from '../src/musicvideo/timeline.js';
import { makeImage } from '../src/testing/media.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-mv-1080-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

it('renders 1080p with several shots per segment run, full HD, to the frame', async () => {
  const sig = synthDrumGroove({ bpm: 150, leadInSeconds: 0.2, tailSeconds: 0.3, sections: [{ label: 'chorus', bars: 3, layers: { bass: true, perc: true } }] });
  const song = join(dir, 'song.wav');
  await writeSynthWav(song, sig);
  const media: PlannerMedia[] = [];
  for (const [i, color] of ['red', 'green', 'blue', 'orange'].entries()) {
    const path = join(dir, `p${i}.png`);
    await makeImage({ path, width: 1600, height: 1000, pattern: 'solid', color });
    media.push({ path, kind: 'image', width: 1600, height: 1000 });
  }
  const analysis = {
    durationSeconds: sig.durationSeconds,
    tempoBpm: 150,
    beats: sig.beats,
    downbeats: sig.downbeats,
    beatsPerBar: sig.beatsPerBar,
    sections: [{ start: 0, end: sig.durationSeconds, label: 'chorus', energy: 0.9 }],
    hasBeat: true,
  };
  const timeline = planMusicVideo({ analysis, media, style: 'minimal', resolution: '1080p', seed: 3 });
  expect(timeline.shots.length).toBeGreaterThanOrEqual(4);
  const output = join(dir, 'out.mp4');
  const result = await renderMusicVideo({ timeline, audioPath: song, output, workDir: dir });
  // Before, every shot was a run of its own at 1080p (the budget left no room for any shot).
  expect(result.segments).toBeLessThan(timeline.shots.length);
  const info = await probe(output);
  expect(info.video).toMatchObject({ codec: 'h264', width: 1920, height: 1080, pixFmt: 'yuv420p' });
  expect(result.frames).toBe(Math.round(timeline.duration_seconds * TIMELINE_FPS));
  expect(Math.abs(info.durationSeconds - timeline.duration_seconds)).toBeLessThanOrEqual(1 / TIMELINE_FPS + 0.03);
}, 120_000);
