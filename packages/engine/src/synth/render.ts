/**
 * renderSong: ComposedSong → stems (fluidsynth per instrument stem, espeak-ng + PSOLA vocals) →
 * mix (pass 1, measured) → master (pass 2: linear gain + limiter to −14 LUFS / −1 dBTP) →
 * song.wav, song.mp3 and stems/<name>.wav under outDir.
 *
 * Everything is built in a scratch directory (inside outDir unless workDir is given) and moved
 * into place only at the end, so a failed or cancelled render leaves no output files.
 */
import { mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, writeFile, copyFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComposedSong, InstrumentTrack, StemName } from '../composer/types.js';
import { AbortError } from '../ffmpeg/errors.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { localPath } from '../ffmpeg/tools.js';
import type { FfmpegBinaries } from '../ffmpeg/tools.js';
import { renderMidiWithFluidsynth } from './fluidsynth.js';
import type { Loudness } from './loudness.js';
import { masterMix } from './master.js';
import { tracksToMidi } from './midi.js';
import { mixStems, type MixInput, type MixStem } from './mix.js';
import { mapLimit } from './process.js';
import { findSoundfont } from './soundfont.js';
import { gatedRmsDb } from './stem-level.js';
import { renderVocals } from './vocals.js';

export type SongStemName = MixStem;

export interface RenderSongOptions {
  song: ComposedSong;
  outDir: string;
  /** Scratch space (a private subdirectory is created and removed). Default: inside outDir. */
  workDir?: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  binaries?: FfmpegBinaries;
  /** GM soundfont (.sf2); default findSoundfont(). */
  soundfont?: string;
  /** fluidsynth and espeak-ng executables (default: on PATH). */
  tools?: { fluidsynth?: string; espeak?: string };
}

export interface RenderedSong {
  mp3: string;
  wav: string;
  stems: Partial<Record<SongStemName, string>>;
  durationSeconds: number;
  loudness: Loudness;
  /** Which voice sang: provider, voice and method, or 'none'. */
  voice: string;
  warnings: string[];
}

export const TARGET_LUFS = -14;
export const CEILING_DBTP = -1;
const LIMIT_DBFS = -2;
const LUFS_TOLERANCE = 0.5;
const STEM_ORDER: StemName[] = ['drums', 'bass', 'harmony', 'lead'];
export const MAX_RENDER_SECONDS = 600;

export async function renderSong(opts: RenderSongOptions): Promise<RenderedSong> {
  const { song, outDir } = opts;
  const duration = song.durationSeconds;
  if (!Number.isFinite(duration) || duration <= 0 || duration > MAX_RENDER_SECONDS) {
    throw new RangeError(`song.durationSeconds must be in (0, ${MAX_RENDER_SECONDS}], got ${duration}`);
  }
  if (opts.signal?.aborted) throw new AbortError(undefined, { cause: opts.signal.reason });

  const warnings: string[] = [];
  const stemTracks = groupTracks(song, warnings);
  const soundfont = opts.soundfont ?? findSoundfont();
  if (stemTracks.length > 0 && !soundfont) {
    throw new Error('no General MIDI soundfont found (install fluid-soundfont-gm, or pass soundfont)');
  }

  const outDirExisted = await exists(outDir);
  await mkdir(outDir, { recursive: true });
  const work = await mkdtemp(join(opts.workDir ?? outDir, '.clipmix-synth-'));
  // One controller for every child: the caller's abort, or our own failure, stops them all.
  const ac = new AbortController();
  const onCallerAbort = (): void => ac.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const signal = ac.signal;
  const progress = monotonic(opts.onProgress);
  let moved = false;

  try {
    // 1. Stems, two processes at a time; the vocal (espeak-ng + PSOLA) runs alongside.
    const stemShare = new Map<string, number>();
    const reportStems = (): void => {
      const parts = [...stemShare.values()];
      const total = stemTracks.length + (song.vocals.style !== 'none' ? 1 : 0);
      progress(total ? (0.55 * parts.reduce((a, b) => a + b, 0)) / total : 0.55);
    };
    const instruments = mapLimit(stemTracks, 2, async ({ stem, tracks }) => {
      const midi = join(work, `${stem}.mid`);
      await writeFile(midi, tracksToMidi(tracks, song));
      const wav = join(work, `${stem}.wav`);
      await renderMidiWithFluidsynth({ midi, out: wav, soundfont: soundfont!, stem, signal, fluidsynth: opts.tools?.fluidsynth });
      stemShare.set(stem, 1);
      reportStems();
      return { stem, path: wav, levelDb: await gatedRmsDb(wav, 44100, signal) } satisfies MixInput;
    }, signal);
    const vocals = renderVocals({
      song,
      out: join(work, 'vocals.wav'),
      signal,
      espeak: opts.tools?.espeak,
      onProgress: (f) => {
        stemShare.set('vocals', f);
        reportStems();
      },
    });
    const [instrumentInputs, vocalResult] = await allOrAbort([instruments, vocals], ac);
    warnings.push(...vocalResult.warnings);
    const inputs: MixInput[] = instrumentInputs.filter((i) => Number.isFinite(i.levelDb));
    for (const i of instrumentInputs) if (!Number.isFinite(i.levelDb)) warnings.push(`the ${i.stem} stem rendered silent and was left out`);
    if (vocalResult.wav) inputs.push({ stem: 'vocals', path: vocalResult.wav, levelDb: await gatedRmsDb(vocalResult.wav, 44100, signal) });
    const mixInputs = inputs.filter((i) => Number.isFinite(i.levelDb));
    if (mixInputs.length === 0) throw new Error('the song has no audible notes or vocals');

    // 2. Mix (pass 1), measured.
    const premix = join(work, 'premix.wav');
    const mixLoudness = await mixStems({
      inputs: mixInputs,
      out: premix,
      durationSeconds: duration,
      signal,
      binaries: opts.binaries,
      onProgress: (f) => progress(0.55 + 0.25 * f),
    });

    // Stems are cut to the song's length with the mix's fade-out, so they line up with the mix
    // in a DAW (fluidsynth renders release and reverb tails well past the last note). Done while
    // the master runs; a failure surfaces when awaited below.
    const fade = Math.min(1.5, duration / 4);
    const trimmedStems = new Map(mixInputs.map((input) => [input.stem, join(work, `final-${input.stem}.wav`)] as const));
    const trimming = mapLimit(mixInputs, 2, (input) => runFfmpeg(['-i', localPath(input.path), '-t', duration.toFixed(3),
      '-af', `afade=t=out:st=${(duration - fade).toFixed(3)}:d=${fade.toFixed(3)}`, '-c:a', 'pcm_s16le', localPath(trimmedStems.get(input.stem)!)],
    { signal, ...(opts.binaries ? { binaries: opts.binaries } : {}) }));
    trimming.catch(() => undefined);

    // 3. Master (pass 2), verified on the written file and corrected at most twice.
    const wav = join(work, 'song.wav');
    const mp3 = join(work, 'song.mp3');
    let gainDb = clamp(TARGET_LUFS - mixLoudness.integratedLufs, -30, 40);
    let limitDb = LIMIT_DBFS;
    let loudness: Loudness | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      loudness = await masterMix({ premix, wav, mp3, gainDb, limitDb, durationSeconds: duration, signal, binaries: opts.binaries });
      progress(0.8 + 0.2 * ((attempt + 1) / 3));
      const miss = TARGET_LUFS - loudness.integratedLufs;
      const over = loudness.truePeakDbtp - CEILING_DBTP;
      if (Math.abs(miss) <= LUFS_TOLERANCE && over <= 0) break;
      // The limiter eats some of any extra gain, so aim a little past the miss.
      gainDb = clamp(gainDb + miss * 1.2, -30, 40);
      if (over > -0.3) limitDb -= Math.max(0, over) + 0.3;
    }
    if (!loudness) throw new Error('mastering produced no measurement');
    if (Math.abs(TARGET_LUFS - loudness.integratedLufs) > LUFS_TOLERANCE || loudness.truePeakDbtp > CEILING_DBTP) {
      warnings.push(`mastered to ${loudness.integratedLufs.toFixed(1)} LUFS / ${loudness.truePeakDbtp.toFixed(1)} dBTP (target ${TARGET_LUFS} LUFS, ≤ ${CEILING_DBTP} dBTP)`);
    }

    await trimming;

    // 4. Move into place.
    if (signal.aborted) throw new AbortError(undefined, { cause: signal.reason });
    const stemsDir = join(outDir, 'stems');
    await mkdir(stemsDir, { recursive: true });
    const stems: Partial<Record<SongStemName, string>> = {};
    moved = true;
    for (const input of mixInputs) {
      const dest = join(stemsDir, `${input.stem}.wav`);
      await moveFile(trimmedStems.get(input.stem)!, dest);
      stems[input.stem] = dest;
    }
    for (const name of [...STEM_ORDER, 'vocals'] as const) {
      if (!stems[name]) await rm(join(stemsDir, `${name}.wav`), { force: true });
    }
    const outWav = join(outDir, 'song.wav');
    const outMp3 = join(outDir, 'song.mp3');
    await moveFile(wav, outWav);
    await moveFile(mp3, outMp3);
    progress(1);
    return { mp3: outMp3, wav: outWav, stems, durationSeconds: duration, loudness, voice: vocalResult.voice, warnings };
  } catch (error) {
    ac.abort(error);
    if (moved) await removeOutputs(outDir);
    throw opts.signal?.aborted ? new AbortError(undefined, { cause: opts.signal.reason }) : error;
  } finally {
    opts.signal?.removeEventListener('abort', onCallerAbort);
    await rm(work, { recursive: true, force: true });
    if (!outDirExisted && !moved) await rmdir(outDir).catch(() => undefined);
  }
}

/** Tracks with playable notes, grouped by stem in a fixed order; a stem with none yields no file. */
function groupTracks(song: ComposedSong, warnings: string[]): Array<{ stem: StemName; tracks: InstrumentTrack[] }> {
  const groups: Array<{ stem: StemName; tracks: InstrumentTrack[] }> = [];
  let dropped = 0;
  for (const stem of STEM_ORDER) {
    const tracks = song.tracks
      .filter((t) => t.stem === stem)
      .map((t) => {
        const notes = t.notes.filter((n) => n.time >= 0 && n.time < song.durationSeconds && n.duration > 0);
        dropped += t.notes.length - notes.length;
        return { ...t, notes };
      })
      .filter((t) => t.notes.length > 0);
    if (tracks.length) groups.push({ stem, tracks });
  }
  if (dropped > 0) warnings.push(`${dropped} notes outside 0..${song.durationSeconds} s or without length were skipped`);
  return groups;
}

/** Await all; the first failure aborts the rest, and nothing is left running when this settles. */
async function allOrAbort<T extends readonly unknown[]>(jobs: { [K in keyof T]: Promise<T[K]> }, ac: AbortController): Promise<T> {
  const guarded = jobs.map((p) => p.catch((error: unknown) => {
    ac.abort(error);
    throw error;
  }));
  const settled = await Promise.allSettled(guarded);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await unlink(from);
  }
}

async function removeOutputs(outDir: string): Promise<void> {
  await rm(join(outDir, 'song.wav'), { force: true });
  await rm(join(outDir, 'song.mp3'), { force: true });
  const stemsDir = join(outDir, 'stems');
  for (const name of [...STEM_ORDER, 'vocals']) await rm(join(stemsDir, `${name}.wav`), { force: true });
  if ((await readdir(stemsDir).catch(() => ['?'])).length === 0) await rmdir(stemsDir).catch(() => undefined);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function monotonic(onProgress?: (f: number) => void): (f: number) => void {
  let last = 0;
  return (f) => {
    const v = Math.min(1, Math.max(0, f));
    if (!onProgress || v <= last) return;
    last = v;
    onProgress(v);
  };
}
