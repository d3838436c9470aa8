/**
 * music-video-720p: a 60 s synthetic song (drum groove with sections) and 12 photos of mixed sizes
 * and formats → `clipmix render` at 720p30 (a child process, as a user runs it), measured for:
 *   - speed: song length / wall time (target ≥ 2.5× realtime on the 2-core machine);
 *   - ratio to the hand-written single ffmpeg command in bench/reference/slideshow.ts doing the
 *     same slideshow (same cuts, xfade + zoompan, same encoder settings) — target ≤ 1.15;
 *   - peak RSS of the render: the sum over the process tree (node + every ffmpeg), sampled from
 *     /proc every 50 ms (target ≤ 400 MB); /usr/bin/time's largest single process as well;
 *   - audio analysis time of a 3-minute song (target ≤ 0.5 s).
 * The ratio uses the `minimal` style (no look, no overlays, fade transitions) so both sides do
 * the same work; the default `pulse` style (look + beat pulse + vignette) is timed for reference.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeAudio, audioTestSignals, probe, testing } from '@clipmix/engine';
import { renderReferenceSlideshow } from '../reference/slideshow.js';
import type { BenchMetric, BenchScenario } from '../types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(root, 'apps/server/bin/clipmix.js');

const PHOTOS: Array<{ name: string; width: number; height: number; pattern?: 'solid'; color?: string }> = [
  { name: '01.jpg', width: 4000, height: 3000 },
  { name: '02.jpg', width: 1080, height: 1920 },
  { name: '03.png', width: 2048, height: 2048 },
  { name: '04.webp', width: 800, height: 600 },
  { name: '05.jpg', width: 3000, height: 2000 },
  { name: '06.jpg', width: 1920, height: 1080, pattern: 'solid', color: 'teal' },
  { name: '07.png', width: 640, height: 480 },
  { name: '08.jpg', width: 2400, height: 3200 },
  { name: '09.webp', width: 1600, height: 900 },
  { name: '10.jpg', width: 5000, height: 2500 },
  { name: '11.png', width: 1200, height: 1600 },
  { name: '12.jpg', width: 1280, height: 720 },
];

const MB = 1024 * 1024;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

interface Measured {
  wallMs: number;
  peakTreeRssBytes: number;
  maxSingleRssBytes: number | null;
  stdout: string;
}

/** Runs `cmd args` under /usr/bin/time -v, sampling the RSS of its whole process tree. */
async function measure(cmd: string, args: string[]): Promise<Measured> {
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-v', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-20_000)));
  let peak = 0;
  let sampling = false;
  const timer = setInterval(() => {
    if (sampling || child.pid === undefined) return;
    sampling = true;
    void treeRss(child.pid)
      .then((b) => (peak = Math.max(peak, b)))
      .finally(() => (sampling = false));
  }, 50);
  const code: number = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  clearInterval(timer);
  const wallMs = performance.now() - t0;
  if (code !== 0) throw new Error(`${path.basename(cmd)} ${args[1] ?? ''} failed (${code}): ${stderr.trim().split('\n').slice(-25).join(' | ')}`);
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return { wallMs, peakTreeRssBytes: peak, maxSingleRssBytes: m ? Number(m[1]) * 1024 : null, stdout };
}

/** Sum of VmRSS over `pid` and all its descendants. */
async function treeRss(pid: number): Promise<number> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    parents.set(Number(entry), ppid);
  }
  const tree = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [p, pp] of parents) {
      if (!tree.has(p) && tree.has(pp)) {
        tree.add(p);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const p of tree) {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    if (m) total += Number(m[1]) * 1024;
  }
  return total;
}

async function makeSong(file: string, bpm: number, barsPerSection: number): Promise<void> {
  const sections = audioTestSignals.DEFAULT_SONG_STRUCTURE.map((s) => ({ ...s, bars: barsPerSection }));
  const song = audioTestSignals.synthDrumGroove({ bpm, sections, sampleRate: 44100, tailSeconds: 0, seed: 7 });
  await audioTestSignals.writeSynthWav(file, song);
}

export const musicVideoScenario: BenchScenario = {
  name: 'music-video-720p',
  description: '60 s song + 12 mixed photos → 720p30 music video (clipmix render), vs a hand-written ffmpeg slideshow; 3-min analysis',
  async run(): Promise<BenchMetric[]> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-bench-mv-'));
    try {
      const photos = path.join(dir, 'photos');
      await mkdir(photos);
      await Promise.all(
        PHOTOS.map((p) =>
          testing.makeImage({ path: path.join(photos, p.name), width: p.width, height: p.height, ...(p.pattern ? { pattern: p.pattern, color: p.color } : {}) }),
        ),
      );
      const song = path.join(dir, 'song.wav');
      await makeSong(song, 128, 4); // 8 sections × 4 bars × 4 beats at 128 BPM = 60 s
      const long = path.join(dir, 'song-3min.wav');
      await makeSong(long, 128, 12); // 96 bars = 180 s
      const songSeconds = (await probe(song)).durationSeconds;

      // 1. The product render (minimal style), under /usr/bin/time with tree RSS sampling.
      const out = path.join(dir, 'minimal.mp4');
      const tlPath = path.join(dir, 'minimal.json');
      const cli = await measure(process.execPath, [CLI, 'render', '--audio', song, '--images', photos, '--style', 'minimal', '--resolution', '720p', '--timeline-out', tlPath, '--out', out]);
      const rendered = await probe(out);
      if (!rendered.video || rendered.video.width !== 1280 || rendered.video.height !== 720) throw new Error('the render is not 1280×720');
      const timeline = JSON.parse(await readFile(tlPath, 'utf8')) as {
        shots: Array<{ start: number; end: number; source: string; transition?: { type: string; duration: number } }>;
        duration_seconds: number;
      };

      // 2. The reference single ffmpeg command, same cuts and transitions.
      const ref = await renderReferenceSlideshow({
        shots: timeline.shots.map((s) => ({ ...s, source: path.join(photos, s.source) })),
        audio: song,
        width: 1280,
        height: 720,
        durationSeconds: timeline.duration_seconds,
        output: path.join(dir, 'reference.mp4'),
      });

      // 3. The default style, for reference (look + beat pulse + vignette).
      const pulse = await measure(process.execPath, [CLI, 'render', '--audio', song, '--images', photos, '--resolution', '720p', '--out', path.join(dir, 'pulse.mp4')]);

      // 4. Analysis of a 3-minute song, in this process: one cold run, then the median of 3.
      const a0 = performance.now();
      await analyzeAudio(long);
      const cold = performance.now() - a0;
      const warm: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await analyzeAudio(long);
        warm.push(performance.now() - t);
      }
      warm.sort((x, y) => x - y);
      const analysisMs = warm[1]!;

      const speed = songSeconds / (cli.wallMs / 1000);
      const ratio = cli.wallMs / ref.wallMs;
      const rssMb = cli.peakTreeRssBytes / MB;
      return [
        { name: 'song_seconds', value: round(songSeconds), unit: 's' },
        { name: 'shots', value: timeline.shots.length, unit: 'shots' },
        { name: 'render_wall', value: round(cli.wallMs / 1000), unit: 's' },
        { name: 'wall_per_song_second', value: round(cli.wallMs / 1000 / songSeconds, 3), unit: 's/s' },
        { name: 'realtime_factor', value: round(speed), unit: '×', target: '≥ 2.5', pass: speed >= 2.5 },
        { name: 'reference_wall', value: round(ref.wallMs / 1000), unit: 's' },
        { name: 'ratio_to_reference', value: round(ratio, 3), unit: '×', target: '≤ 1.15', pass: ratio <= 1.15 },
        { name: 'peak_rss_tree', value: round(rssMb, 1), unit: 'MB', target: '≤ 400', pass: rssMb <= 400 },
        { name: 'peak_rss_largest_process', value: round((cli.maxSingleRssBytes ?? 0) / MB, 1), unit: 'MB' },
        { name: 'pulse_style_realtime_factor', value: round(songSeconds / (pulse.wallMs / 1000)), unit: '×' },
        { name: 'pulse_style_peak_rss_tree', value: round(pulse.peakTreeRssBytes / MB, 1), unit: 'MB' },
        { name: 'analysis_3min_cold', value: round(cold / 1000, 3), unit: 's' },
        { name: 'analysis_3min', value: round(analysisMs / 1000, 3), unit: 's', target: '≤ 0.5', pass: analysisMs <= 500 },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
