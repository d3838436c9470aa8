/** Independent measurements for the synth tests: ffmpeg ebur128/volumedetect and a plain autocorrelation pitch. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Integrated loudness and true peak straight from ffmpeg's ebur128 summary. */
export async function ebur128(path: string): Promise<{ i: number; tp: number }> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', path, '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'], { maxBuffer: 1 << 24 });
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const i = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
  const tp = Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)?.[1]);
  return { i, tp };
}

/** volumedetect mean_volume in dB (−91 for digital silence). */
export async function meanVolume(path: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', path, '-af', 'volumedetect', '-f', 'null', '-'], { maxBuffer: 1 << 24 });
  return Number(/mean_volume:\s+(-?[\d.]+) dB/.exec(stderr)?.[1]);
}

export function rmsDb(x: Float32Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i]! * x[i]!;
  return 10 * Math.log10(e / Math.max(1, x.length) + 1e-20);
}

/** Fundamental (Hz) of a steady stretch by normalised autocorrelation: the first lag within 10 % of the best. */
export function autocorrelationPitch(x: Float32Array, sampleRate: number, minHz = 80, maxHz = 1000): number {
  const minLag = Math.floor(sampleRate / maxHz);
  const maxLag = Math.ceil(sampleRate / minHz);
  const n = x.length - maxLag;
  const r: number[] = [];
  for (let lag = 0; lag <= maxLag; lag++) {
    let acc = 0;
    let e1 = 0;
    let e2 = 0;
    for (let i = 0; i < n; i++) {
      acc += x[i]! * x[i + lag]!;
      e1 += x[i]! * x[i]!;
      e2 += x[i + lag]! * x[i + lag]!;
    }
    r.push(acc / Math.sqrt(e1 * e2 + 1e-20));
  }
  let best = 0;
  for (let lag = minLag; lag <= maxLag; lag++) best = Math.max(best, r[lag]!);
  for (let lag = minLag + 1; lag < maxLag; lag++) {
    if (r[lag]! >= 0.9 * best && r[lag]! >= r[lag - 1]! && r[lag]! >= r[lag + 1]!) return sampleRate / lag;
  }
  return 0;
}

export function semitones(hz: number, midi: number): number {
  return 12 * Math.log2(hz / (440 * 2 ** ((midi - 69) / 12)));
}
