/**
 * Cuts of a rendered music video, found by ffmpeg's own scene detection, against the plan: the
 * real chain analyzeAudio → planMusicVideo → renderMusicVideo on a synthesized 20 s drum song and
 * six textured photos, and `select='gt(scene,0.3)',showinfo` on the output.
 *
 * Style: `pulse` (the default). Its cuts inside a section are mostly hard cuts (60–85 % outside
 * calm parts); section changes and the rest get xfade transitions, which have no single cut frame,
 * so only the hard cuts are counted, and a detection inside a transition is not counted as
 * spurious. The style's beat-pulse layer is removed from the timeline: its flash on every beat
 * scores 0.25–0.45 in scene detection (right at the 0.3 threshold), so the detector would report
 * beats, not cuts; the pulse itself is measured in musicvideo-reactive-layers.test.ts. Ken Burns
 * motion (zoom and pan on every shot) and the vignette stay.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAudio } from '../src/audio/analyze.js';
import { synthDrumGroove, writeSynthWav } from '../src/audio/synth-test-signals.js';
import { runFfmpeg } from '../src/ffmpeg/run.js';
import { planMusicVideo, type PlannerMedia } from '../src/musicvideo/planner.js';
import { renderMusicVideo } from '../src/musicvideo/render.js';
import { TIMELINE_FPS } from '../src/musicvideo/timeline.js';

const run = promisify(execFile);
const FRAME = 1 / TIMELINE_FPS;
let dir: string;
const report: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-scenecuts-'));
});
afterAll(async () => {
  console.log(['', 'music-video scene cuts — measured:', ...report].join('\n'));
  await rm(dir, { recursive: true, force: true });
});

/** Six photos with different colours and textures (gradients, fractal, bars, cells, checks, test card). */
const PHOTOS: Array<{ name: string; width: number; height: number; source: string }> = [
  { name: 'gradient', width: 960, height: 640, source: 'gradients=s=960x640:c0=0xd02020:c1=0x2040ff:c2=0xffe000:n=3:seed=1:d=1,noise=alls=12:allf=u' },
  { name: 'fractal', width: 800, height: 800, source: 'mandelbrot=s=800x800:end_pts=1' },
  { name: 'bars', width: 1000, height: 700, source: 'smptehdbars=s=1000x700:d=1' },
  { name: 'cells', width: 640, height: 640, source: 'cellauto=rule=110:s=64x64:full=1,scale=640:640:flags=neighbor,format=rgb24,colorchannelmixer=rr=0.2:gg=0.9:bb=0.4' },
  { name: 'checks', width: 900, height: 600, source: "color=c=black:s=900x600:d=1,format=rgb24,geq=r='if(mod(floor(X/60)+floor(Y/60)\\,2)\\,250\\,60)':g='if(mod(floor(X/60)+floor(Y/60)\\,2)\\,120\\,20)':b='40+X/6'" },
  { name: 'card', width: 720, height: 960, source: 'testsrc2=s=720x960:d=1' },
];

async function makePhotos(): Promise<PlannerMedia[]> {
  const media: PlannerMedia[] = [];
  for (const p of PHOTOS) {
    const path = join(dir, `${p.name}.png`);
    await runFfmpeg(['-f', 'lavfi', '-i', p.source, '-frames:v', '1', path]);
    media.push({ path, kind: 'image', width: p.width, height: p.height });
  }
  return media;
}

/** Times (s) of the frames ffmpeg's scene detection flags as cuts. */
async function sceneCuts(path: string, threshold = 0.3): Promise<number[]> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', path, '-an', '-vf', `select='gt(scene,${threshold})',showinfo`, '-f', 'null', '-'], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return [...stderr.matchAll(/Parsed_showinfo.*?pts_time:\s*([0-9.]+)/g)].map((m) => Number(m[1]));
}

describe('scene cuts of a rendered music video', () => {
  it('ffmpeg scene detection finds the hard cuts within one frame of the planned beats', async () => {
    const sig = synthDrumGroove({
      bpm: 120,
      leadInSeconds: 0.5,
      tailSeconds: 0.5,
      seed: 21,
      sections: [
        { label: 'verse', bars: 4, gainDb: -8 },
        { label: 'chorus', bars: 6, layers: { bass: true, perc: true } },
      ],
    });
    const audio = join(dir, 'song.wav');
    await writeSynthWav(audio, sig);
    const analysis = await analyzeAudio(audio);
    expect(analysis.hasBeat).toBe(true);
    const media = await makePhotos();
    const timeline = planMusicVideo({ analysis, media, style: 'pulse', aspect: '1:1', resolution: '480p', seed: 5 });
    expect(timeline.layers.map((l) => l.type)).toContain('beat_pulse');
    timeline.layers = timeline.layers.filter((l) => l.type !== 'beat_pulse');
    const out = join(dir, 'cuts.mp4');
    const t0 = performance.now();
    await renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(dir, 'work') });
    const wall = (performance.now() - t0) / 1000;

    // The plan: every cut on a detected beat, and the analysis' beats on the true ones.
    const cuts = timeline.shots.slice(1);
    for (const s of cuts) {
      const beat = analysis.beats.reduce((b, t) => (Math.abs(t - s.start) < Math.abs(b - s.start) ? t : b), Infinity);
      expect(Math.abs(beat - s.start)).toBeLessThan(1e-6);
    }
    const beatError = analysis.beats.map((t) => Math.min(...sig.beats.map((b) => Math.abs(b - t))));
    expect(Math.max(...beatError)).toBeLessThan(0.05);

    const hard = cuts.filter((s) => !s.transition).map((s) => s.start);
    const soft = cuts.filter((s) => s.transition);
    expect(hard.length).toBeGreaterThanOrEqual(8);

    const detected = await sceneCuts(out);
    // Each hard cut: a detected cut within one frame (one detection per cut).
    const used = new Set<number>();
    const offsets: number[] = [];
    let within = 0;
    for (const t of hard) {
      let best = -1;
      detected.forEach((d, j) => {
        if (!used.has(j) && (best < 0 || Math.abs(d - t) < Math.abs(detected[best]! - t))) best = j;
      });
      const off = best >= 0 ? detected[best]! - t : Infinity;
      offsets.push(off);
      if (Math.abs(off) <= FRAME + 1e-6) {
        within++;
        used.add(best);
      }
    }
    // Detections that are neither a hard cut nor inside a transition window are spurious.
    const inTransition = (d: number) => soft.some((s) => Math.abs(d - s.start) <= s.transition!.duration / 2 + FRAME);
    const spurious = detected.filter((d, j) => !used.has(j) && !inTransition(d));
    const share = within / hard.length;
    report.push(
      `  ${timeline.shots.length} shots (${hard.length} hard cuts, ${soft.length} transitions), ${timeline.duration_seconds.toFixed(1)} s 480×480 rendered in ${wall.toFixed(1)} s`,
      `  scene detection: ${detected.length} cuts flagged; ${within}/${hard.length} hard cuts within one frame (${(share * 100).toFixed(0)} %), ` +
        `offsets (ms) ${offsets.map((o) => (Number.isFinite(o) ? Math.round(o * 1000) : '∞')).join(' ')}; spurious ${spurious.length}` +
        (spurious.length ? ` at ${spurious.map((t) => t.toFixed(2)).join(' ')}` : ''),
    );
    expect(share).toBeGreaterThanOrEqual(0.9);
    expect(spurious.length).toBeLessThanOrEqual(2);
    expect(detected.length).toBeLessThanOrEqual(hard.length + soft.length + 2);
  });
});
