/**
 * Audio-reactive layers, measured in the pixels of rendered videos (480×480, short synthesized
 * songs, flat photos so that only the layers change the picture):
 * - the beat pulse: mean luma per frame peaks on the beat frames and falls back between beats;
 * - waveform and spectrum bars: their band of the frame moves while the music plays — a new
 *   picture on every frame — and stays still (and empty) while the song is silent.
 * The songs are 22.05 kHz WAVs, as the synthesizer writes them: from such audio ffmpeg's
 * showwaves/showfreqs used to repeat about a quarter of the frames (the layers now draw from a
 * 44.1 kHz copy of the audio, see overlays.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAudio } from '../src/audio/analyze.js';
import { synthDrumGroove, writeSynthWav } from '../src/audio/synth-test-signals.js';
import { planMusicVideo, type PlannerAnalysis, type PlannerMedia } from '../src/musicvideo/planner.js';
import { renderMusicVideo } from '../src/musicvideo/render.js';
import { TIMELINE_FPS } from '../src/musicvideo/timeline.js';
import { makeImage } from '../src/testing/media.js';

const run = promisify(execFile);
let dir: string;
const report: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-reactive-'));
});
afterAll(async () => {
  console.log(['', 'audio-reactive layers — measured:', ...report].join('\n'));
  await rm(dir, { recursive: true, force: true });
});

async function flatPhoto(name: string, color: string): Promise<PlannerMedia> {
  const path = join(dir, name);
  await makeImage({ path, width: 800, height: 800, pattern: 'solid', color });
  return { path, kind: 'image', width: 800, height: 800 };
}

/**
 * Every frame of `path` (cropped to `crop`, area-scaled to w×h) as 8-bit luma. w = h = 1 gives
 * the region's mean luma per frame.
 */
async function lumaFrames(path: string, crop: string, w: number, h: number): Promise<Uint8Array[]> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-an', '-vf', `${crop},scale=${w}:${h}:flags=area`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], {
    encoding: 'buffer', maxBuffer: 256 * 1024 * 1024,
  });
  const size = w * h;
  const frames: Uint8Array[] = [];
  for (let i = 0; i + size <= stdout.length; i += size) frames.push(stdout.subarray(i, i + size));
  return frames;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Mean absolute difference of a frame from another frame or a constant (mean of the frame for 0). */
function meanAbs(a: Uint8Array, b: Uint8Array | number = 0): number {
  let s = 0;
  if (typeof b === 'number') for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b);
  else for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / Math.max(1, a.length);
}

describe('audio-reactive layers in pixels', () => {
  it('beat pulse: luma peaks within one frame of every beat, darker half way between beats', async () => {
    const sig = synthDrumGroove({ bpm: 100, bars: 4, leadInSeconds: 0.4, tailSeconds: 0.6, seed: 3 });
    const audio = join(dir, 'pulse.wav');
    await writeSynthWav(audio, sig);
    const analysis = await analyzeAudio(audio);
    const timeline = planMusicVideo({ analysis, media: [await flatPhoto('mid-grey.png', '0x808080')], style: 'pulse', aspect: '1:1', resolution: '480p', seed: 1 });
    // The style's own pulse layer (flash and zoom punch on every beat); the zoom is invisible on
    // a flat photo, the vignette is outside the measured centre.
    expect(timeline.layers).toContainEqual({ type: 'beat_pulse', on: 'beats', strength: 0.6, mode: 'both' });
    const out = join(dir, 'pulse.mp4');
    await renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(dir, 'work') });
    const luma = (await lumaFrames(out, 'crop=240:240:120:120', 1, 1)).map((f) => f[0]!);
    expect(luma.length).toBe(Math.round(timeline.duration_seconds * TIMELINE_FPS));

    const beats = timeline.beats;
    expect(beats.length).toBeGreaterThanOrEqual(14);
    // The beats the pulse follows are the song's (analysis within 50 ms of the synthesized ones).
    for (const b of beats) expect(Math.min(...sig.beats.map((t) => Math.abs(t - b)))).toBeLessThan(0.05);
    const period = 60 / 100;
    let onTime = 0;
    const offsets: number[] = [];
    const peaks: number[] = [];
    const troughs: number[] = [];
    for (let i = 0; i < beats.length; i++) {
      const b = beats[i]!;
      // Brightest frame within half a beat of the beat.
      const a = Math.max(0, Math.ceil((b - period / 2) * TIMELINE_FPS));
      const z = Math.min(luma.length - 1, Math.floor((b + period / 2) * TIMELINE_FPS));
      let best = a;
      for (let f = a; f <= z; f++) if (luma[f]! > luma[best]!) best = f;
      const off = best / TIMELINE_FPS - b;
      offsets.push(Math.round(off * 1000));
      if (Math.abs(off) <= 1 / TIMELINE_FPS + 1e-6) onTime++;
      peaks.push(luma[best]!);
      if (i + 1 < beats.length) troughs.push(luma[Math.round(((b + beats[i + 1]!) / 2) * TIMELINE_FPS)]!);
    }
    const share = onTime / beats.length;
    report.push(
      `  beat pulse: ${onTime}/${beats.length} luma peaks within one frame of the beat (${(share * 100).toFixed(0)} %), offsets (ms) ${offsets.join(' ')}`,
      `  luma: peaks ${Math.min(...peaks)}–${Math.max(...peaks)} (mean ${mean(peaks).toFixed(1)}), half way between beats ${Math.min(...troughs)}–${Math.max(...troughs)} (mean ${mean(troughs).toFixed(1)})`,
    );
    expect(share).toBeGreaterThanOrEqual(0.9);
    // Each beat's peak is clearly brighter than the frame half way to the next beat.
    for (let i = 0; i < troughs.length; i++) expect(peaks[i]! - troughs[i]!).toBeGreaterThanOrEqual(12);
  });

  it('waveform and spectrum bars move with the music and are still and empty in silence', async () => {
    const bpm = 120;
    const bar = (4 * 60) / bpm;
    // Loud groove, then two bars of digital silence (-200 dB), then the groove again.
    const sig = synthDrumGroove({
      bpm,
      leadInSeconds: 0.5,
      tailSeconds: 0.3,
      seed: 8,
      sections: [
        { label: 'verse', bars: 2, layers: { bass: true, perc: true } },
        { label: 'break', bars: 2, gainDb: -200 },
        { label: 'chorus', bars: 2, layers: { bass: true, perc: true } },
      ],
    });
    const audio = join(dir, 'gap.wav');
    await writeSynthWav(audio, sig);
    const [loud1, silent, loud2] = sig.sections as [typeof sig.sections[0], typeof sig.sections[0], typeof sig.sections[0]];
    const analysis: PlannerAnalysis = {
      durationSeconds: sig.durationSeconds,
      tempoBpm: bpm,
      beats: sig.beats,
      downbeats: sig.downbeats,
      beatsPerBar: 4,
      sections: [
        { start: 0, end: silent.start, label: 'verse', energy: 0.8 },
        { start: silent.start, end: loud2.start, label: 'bridge', energy: 0 },
        { start: loud2.start, end: sig.durationSeconds, label: 'chorus', energy: 0.8 },
      ],
      hasBeat: true,
    };
    const timeline = planMusicVideo({ analysis, media: [await flatPhoto('grey.png', '0x707070')], style: 'neon_visualizer', aspect: '1:1', resolution: '480p', seed: 2 });
    // Only the waveform and spectrum, and hard cuts between the (identical, flat) shots: the beat
    // flash and the section transitions (fadewhite) would light the whole frame, bands included,
    // and without the vignette the photo is one flat luma, the reference for "nothing drawn".
    timeline.layers = timeline.layers.filter((l) => l.type === 'spectrum' || l.type === 'waveform');
    for (const s of timeline.shots) delete s.transition;
    const spectrum = timeline.layers.find((l) => l.type === 'spectrum')!;
    const waveform = timeline.layers.find((l) => l.type === 'waveform')!;
    expect(spectrum && waveform).toBeTruthy();
    const out = join(dir, 'gap.mp4');
    await renderMusicVideo({ timeline, audioPath: audio, output: out, workDir: join(dir, 'work') });

    // Bands along the bottom: spectrum lowest, waveform above it (heights as the renderer rounds them).
    const H = timeline.height;
    const W = timeline.width;
    const hs = 2 * Math.round((spectrum.height * H) / 2);
    const hw = 2 * Math.round((waveform.height * H) / 2);
    const bands = {
      spectrum: `crop=${W}:${hs}:0:${H - hs}`,
      waveform: `crop=${W}:${hw}:0:${H - hs - hw}`,
      // The photo above the layers: the reference for "empty".
      photo: `crop=${W}:${H - hs - hw - 40}:0:0`,
    };
    // Full resolution: a repeated picture in the band is then an exactly repeated frame.
    const photoFrames = await lumaFrames(out, bands.photo, W, H - hs - hw - 40);
    const background = mean(photoFrames.map((f) => meanAbs(f)));
    const inside = (t: number, s: { start: number; end: number }) => t >= s.start + 0.3 && t <= s.end - 0.3;
    for (const [name, crop, h] of [['spectrum', bands.spectrum, hs], ['waveform', bands.waveform, hw]] as const) {
      const frames = await lumaFrames(out, crop, W, h);
      // Change: mean absolute difference from the previous frame. Content: mean absolute
      // difference from the flat photo's luma.
      const change = (f: number) => meanAbs(frames[f]!, frames[f - 1]!);
      const content = (f: number) => meanAbs(frames[f]!, background);
      const pick = (s: { start: number; end: number }) => frames.map((_, f) => f).filter((f) => f > 0 && inside(f / TIMELINE_FPS, s));
      const loudFrames = [...pick(loud1), ...pick(loud2)];
      const silentFrames = pick(silent);
      expect(silentFrames.length).toBeGreaterThan(1.5 * bar * TIMELINE_FPS);
      const loudChange = loudFrames.map(change);
      const silentChange = silentFrames.map(change);
      const loudContent = loudFrames.map(content);
      const silentContent = silentFrames.map(content);
      // While the music plays the layer draws a new picture on every frame (30 a second).
      const repeated = loudChange.filter((c) => c < 0.05).length;
      report.push(
        `  ${name.padEnd(8)} band: frame-to-frame change ${mean(loudChange).toFixed(2)} loud (${repeated} of ${loudChange.length} frames repeated) ` +
          `vs ${mean(silentChange).toFixed(3)} silent (max ${Math.max(...silentChange).toFixed(3)}); ` +
          `drawn content ${mean(loudContent).toFixed(2)} loud vs ${mean(silentContent).toFixed(2)} silent (luma levels from the photo's ${background.toFixed(1)})`,
      );
      expect(mean(loudChange)).toBeGreaterThan(1);
      expect(repeated).toBeLessThanOrEqual(Math.ceil(0.02 * loudChange.length));
      expect(Math.max(...silentChange)).toBeLessThan(0.25);
      expect(mean(loudContent)).toBeGreaterThan(4 * Math.max(0.5, mean(silentContent)));
      expect(mean(silentContent)).toBeLessThan(2);
    }
  });
});
