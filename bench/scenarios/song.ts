/**
 * song-60s: a 60 s fixture song (drums, bass, piano, 24 sung syllables) → renderSong (fluidsynth
 * stems, espeak-ng + PSOLA vocals, mix, master, WAV + MP3), in this process, measured for:
 *   - wall time and realtime factor (issue #6 target: ≤ 5 s on the 2-core machine, i.e. ≥ 12×);
 *   - CPU seconds (this process plus every child it waited for), to tell cost from machine load;
 *   - peak RSS of the process tree (node + fluidsynth/espeak-ng/ffmpeg), sampled every 50 ms;
 *   - what the output measures: loudness, true peak, duration error, tempo error on the drum stem.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { analyzeAudio, buildFixtureSong, measureLoudness, probe, renderSong } from '@clipmix/engine';
import { treeRss } from '../helpers/tree-rss.js';
import type { BenchMetric, BenchScenario } from '../types.js';

const MB = 1024 * 1024;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** CPU seconds of this process and of its reaped children (utime+stime+cutime+cstime). */
async function cpuSeconds(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((a, i) => a + Number(f[i]), 0);
  return ticks / 100; // USER_HZ is 100 on Linux
}

export const songScenario: BenchScenario = {
  name: 'song-60s',
  description: '60 s composed song with sung vocals → stems, mix, master, WAV + MP3 (renderSong, fluidsynth + espeak-ng)',
  async run(): Promise<BenchMetric[]> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-bench-song-'));
    try {
      const song = buildFixtureSong({ durationSeconds: 60, tempoBpm: 120, vocals: 'sung' });
      const baseRss = treeRss(process.pid).total;
      let peak = baseRss;
      const timer = setInterval(() => (peak = Math.max(peak, treeRss(process.pid).total)), 50);
      const cpu0 = await cpuSeconds();
      const t0 = performance.now();
      const out = await renderSong({ song, outDir: path.join(dir, 'out') });
      const wallMs = performance.now() - t0;
      clearInterval(timer);
      const cpu = (await cpuSeconds()) - cpu0;

      const [info, loud, drums] = await Promise.all([probe(out.wav), measureLoudness(out.mp3), analyzeAudio(out.stems.drums!)]);
      const speed = song.durationSeconds / (wallMs / 1000);
      const tempoErr = (Math.abs(drums.tempoBpm - song.tempoBpm) / song.tempoBpm) * 100;
      const durErr = Math.abs(info.durationSeconds - song.durationSeconds);
      return [
        { name: 'song_seconds', value: song.durationSeconds, unit: 's' },
        { name: 'syllables', value: song.vocals.syllables.length, unit: 'syllables' },
        { name: 'render_wall', value: round(wallMs / 1000), unit: 's', target: '≤ 5', pass: wallMs <= 5000 },
        { name: 'realtime_factor', value: round(speed), unit: '×', target: '≥ 12', pass: speed >= 12 },
        { name: 'cpu_seconds', value: round(cpu), unit: 's' },
        { name: 'load_average_1m', value: round(os.loadavg()[0]!), unit: '' },
        { name: 'peak_rss_tree', value: round(peak / MB, 1), unit: 'MB', target: '≤ 400', pass: peak / MB <= 400 },
        { name: 'rss_before_render', value: round(baseRss / MB, 1), unit: 'MB' },
        { name: 'integrated_loudness_wav', value: out.loudness.integratedLufs, unit: 'LUFS', target: '−14 ± 1', pass: Math.abs(out.loudness.integratedLufs + 14) <= 1 },
        { name: 'true_peak_wav', value: out.loudness.truePeakDbtp, unit: 'dBTP', target: '≤ −1', pass: out.loudness.truePeakDbtp <= -1 },
        { name: 'integrated_loudness_mp3', value: loud.integratedLufs, unit: 'LUFS' },
        { name: 'true_peak_mp3', value: loud.truePeakDbtp, unit: 'dBTP', target: '≤ −1', pass: loud.truePeakDbtp <= -1 },
        { name: 'duration_error', value: round(durErr, 3), unit: 's', target: '≤ 1', pass: durErr <= 1 },
        { name: 'tempo_error_drums', value: round(tempoErr, 2), unit: '%', target: '≤ 2', pass: tempoErr <= 2 },
      ];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
