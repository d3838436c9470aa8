/**
 * Pass 1 — the mix: per-stem levels and EQ, music ducked under the vocal (sidechain), bus
 * compression, exact length with a short fade-out, written as 32-bit float (no clipping before
 * the master gain) while an ebur128 branch measures it.
 */
import { createProgressTracker } from '../ffmpeg/progress.js';
import { ffmpegPath, localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import { parseEbur128Summary, type Loudness } from './loudness.js';
import { runTool } from './process.js';

export type MixStem = 'drums' | 'bass' | 'harmony' | 'lead' | 'vocals';

export interface MixInput {
  stem: MixStem;
  path: string;
  /** Gated RMS of the stem file (dBFS), from gatedRmsDb. */
  levelDb: number;
}

export interface MixOptions {
  inputs: MixInput[];
  out: string;
  durationSeconds: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  binaries?: FfmpegBinaries;
}

/** Where each stem sits in the mix (gated RMS, dBFS) before bus compression and mastering. */
const TARGET_DB: Record<MixStem, number> = { drums: -21, bass: -23, harmony: -26, lead: -25, vocals: -20 };
/** High-pass corner per stem (Hz): everything but the bass and the kick leaves the low end alone. */
const HIGHPASS: Record<MixStem, number> = { drums: 30, bass: 25, harmony: 140, lead: 160, vocals: 110 };
const FADE_OUT_S = 1.5;
const MAX_BOOST_DB = 30;

export function mixFilterGraph(inputs: readonly MixInput[], durationSeconds: number, sampleRate = 44100): string {
  const parts: string[] = [];
  const music: string[] = [];
  let vocal: string | null = null;
  inputs.forEach((input, i) => {
    const gain = Math.min(MAX_BOOST_DB, TARGET_DB[input.stem] - input.levelDb);
    const chain = [`aformat=sample_fmts=fltp:sample_rates=${sampleRate}:channel_layouts=stereo`, `highpass=f=${HIGHPASS[input.stem]}`];
    if (input.stem === 'vocals') {
      // Presence lift and a gentle leveller so every syllable sits at the same height.
      chain.push('equalizer=f=3200:t=q:w=1.0:g=3', 'acompressor=threshold=0.1:ratio=3:attack=5:release=80');
    }
    chain.push(`volume=${gain.toFixed(2)}dB`);
    const label = `s${i}`;
    parts.push(`[${i}:a]${chain.join(',')}[${label}]`);
    if (input.stem === 'vocals') vocal = label;
    else music.push(label);
  });

  let bus: string;
  if (music.length === 0) {
    bus = vocal!;
  } else {
    const musicLabel = 'music';
    parts.push(music.length === 1
      ? `[${music[0]}]anull[${musicLabel}]`
      : `${music.map((m) => `[${m}]`).join('')}amix=inputs=${music.length}:normalize=0:duration=longest:dropout_transition=0[${musicLabel}]`);
    if (vocal) {
      // The vocal keys a ~3 dB duck of the music, then both are summed.
      parts.push(`[${vocal}]asplit=2[vox][key]`);
      parts.push(`[${musicLabel}][key]sidechaincompress=threshold=0.05:ratio=2:attack=20:release=300[ducked]`);
      parts.push('[ducked][vox]amix=inputs=2:normalize=0:duration=longest:dropout_transition=0[sum]');
      bus = 'sum';
    } else {
      bus = musicLabel;
    }
  }
  const samples = Math.round(durationSeconds * sampleRate);
  const fade = Math.min(FADE_OUT_S, durationSeconds / 4);
  parts.push(
    `[${bus}]acompressor=threshold=0.1:ratio=2:attack=15:release=200:knee=4,` +
      `apad=whole_len=${samples},atrim=end_sample=${samples},` +
      `afade=t=out:st=${(durationSeconds - fade).toFixed(3)}:d=${fade.toFixed(3)},asplit=2[mix][meter]`,
  );
  parts.push('[meter]ebur128=peak=none:framelog=verbose,anullsink');
  return parts.join(';');
}

/** Run pass 1; returns the mix's integrated loudness and LRA (its peak is not measured: NaN). */
export async function mixStems(opts: MixOptions): Promise<Loudness> {
  const progress = createProgressTracker(opts.durationSeconds, opts.onProgress);
  const args = ['-hide_banner', '-nostdin', '-nostats', '-y', '-loglevel', 'info', '-progress', 'pipe:1'];
  for (const input of opts.inputs) args.push('-i', localPath(input.path));
  args.push('-filter_complex', mixFilterGraph(opts.inputs, opts.durationSeconds), '-map', '[mix]', '-c:a', 'pcm_f32le', localPath(opts.out));
  const { stderr } = await runTool(ffmpegPath(opts.binaries), args, {
    signal: opts.signal,
    onStdout: (chunk) => progress.write(chunk.toString('latin1')),
  });
  progress.complete();
  return parseEbur128Summary(stderr);
}
