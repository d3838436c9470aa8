import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { GENRES, MAX_SONG_SECONDS, MIN_SONG_SECONDS, MOODS, VOCAL_STYLES, type Genre, type Mood, type VocalStyle } from '@clipmix/engine';
import { LocalSongGenerator } from '../providers/song/local.js';
import { SongProviderError, type SongGenerationRequest } from '../providers/song/types.js';
import { MAX_SONG_LYRICS_CHARS } from '../modules/songs/schemas.js';

interface ComposeOptions {
  genre: string;
  mood: string;
  duration: string;
  lyrics?: string;
  theme?: string;
  tempo?: string;
  key?: string;
  vocals?: string;
  seed?: string;
  title?: string;
  out: string;
  stems?: string;
  midi?: string;
  lrc?: string;
}

/** Bad input: printed as one line by main.ts, exit 1. */
class ComposeInputError extends Error {}

/**
 * `clipmix compose --genre G --mood M --duration SECONDS [--lyrics FILE] [--theme TEXT]
 * [--tempo BPM] [--key KEY] [--vocals sung|spoken|none] [--seed N] --out FILE.mp3
 * [--stems DIR] [--midi FILE] [--lrc FILE]`
 *
 * The local composer only (no server, no network): the same provider the `song` job uses by
 * default. Progress on stderr; the MP3 path is the last line of stdout.
 */
export function registerCompose(program: Command): void {
  program
    .command('compose')
    .description('Compose, render and master a song locally (no server, no network)')
    .requiredOption('--genre <genre>', GENRES.join(', '))
    .requiredOption('--mood <mood>', MOODS.join(', '))
    .requiredOption('--duration <seconds>', `length in seconds (${MIN_SONG_SECONDS}–${MAX_SONG_SECONDS})`)
    .option('--lyrics <file>', 'lyrics text file, optionally with [Verse]/[Chorus]/[Bridge] tags')
    .option('--theme <text>', 'what the song is about (lyrics are written from it when --lyrics is absent)')
    .option('--tempo <bpm>', 'beats per minute (40–220)')
    .option('--key <key>', 'e.g. C, "F# minor", Bbm')
    .option('--vocals <style>', VOCAL_STYLES.join(', '))
    .option('--seed <n>', 'same inputs and seed → the same song')
    .option('--title <text>', 'title for the LRC header')
    .requiredOption('--out <file>', 'output MP3')
    .option('--stems <dir>', 'also write one file per stem into this directory')
    .option('--midi <file>', 'also write the arrangement as a MIDI file')
    .option('--lrc <file>', 'also write the timed lyrics (LRC)')
    .action(async (opts: ComposeOptions) => {
      try {
        const out = await compose(opts);
        process.stdout.write(`${out}\n`);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(message.split('\n').map((l) => l.trim()).filter(Boolean)[0] ?? 'compose failed');
      }
    });
}

async function compose(opts: ComposeOptions): Promise<string> {
  const request = await toRequest(opts);
  const generator = new LocalSongGenerator();
  generator.compose(request); // refuses bad input before any file is touched
  const output = path.resolve(opts.out);
  await mkdir(path.dirname(output), { recursive: true });

  const workDir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-compose-'));
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bar = progressBar();
  try {
    const result = await generator.generate(request, { workDir, signal: controller.signal, onProgress: (f) => bar.update(f) });
    bar.stop();
    const mp3 = result.files.find((f) => f.role === 'audio' && f.mime === 'audio/mpeg');
    if (!mp3) throw new Error('the composer produced no MP3');
    await copyFile(mp3.path, output);
    if (opts.stems) {
      const dir = path.resolve(opts.stems);
      await mkdir(dir, { recursive: true });
      for (const f of result.files.filter((x) => x.role === 'stems')) {
        await copyFile(f.path, path.join(dir, `${String(f.metadata?.stem ?? path.parse(f.path).name)}${path.extname(f.path)}`));
      }
    }
    await copyRole(result.files, 'midi', opts.midi);
    if (opts.lrc) {
      if (!result.files.some((f) => f.role === 'lyrics_lrc')) process.stderr.write('clipmix: no --lrc written: the song has no lyrics\n');
      await copyRole(result.files, 'lyrics_lrc', opts.lrc);
    }
    process.stderr.write(`Provider: ${result.provider}\n`);
  } catch (err) {
    bar.stop();
    if (err instanceof SongProviderError) throw new ComposeInputError(`${flagOf(err.field)}${err.message}`);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
  return output;
}

async function copyRole(files: Array<{ role: string; path: string }>, role: string, dest?: string): Promise<void> {
  const f = files.find((x) => x.role === role);
  if (!dest || !f) return;
  const to = path.resolve(dest);
  await mkdir(path.dirname(to), { recursive: true });
  await copyFile(f.path, to);
}

async function toRequest(o: ComposeOptions): Promise<SongGenerationRequest> {
  if (!(GENRES as readonly string[]).includes(o.genre)) throw new ComposeInputError(`--genre must be one of ${GENRES.join(', ')} (got "${o.genre}")`);
  if (!(MOODS as readonly string[]).includes(o.mood)) throw new ComposeInputError(`--mood must be one of ${MOODS.join(', ')} (got "${o.mood}")`);
  const duration = Number(o.duration);
  if (!Number.isFinite(duration) || duration < MIN_SONG_SECONDS || duration > MAX_SONG_SECONDS) {
    throw new ComposeInputError(`--duration must be ${MIN_SONG_SECONDS}–${MAX_SONG_SECONDS} seconds (got "${o.duration}")`);
  }
  if (o.vocals !== undefined && !(VOCAL_STYLES as readonly string[]).includes(o.vocals)) {
    throw new ComposeInputError(`--vocals must be one of ${VOCAL_STYLES.join(', ')} (got "${o.vocals}")`);
  }
  if (!/\.mp3$/i.test(o.out)) throw new ComposeInputError(`--out must name an .mp3 file (got "${o.out}")`);
  const tempo = o.tempo === undefined ? undefined : Number(o.tempo);
  if (tempo !== undefined && !(Number.isInteger(tempo) && tempo >= 40 && tempo <= 220)) throw new ComposeInputError(`--tempo must be a whole number of BPM, 40–220 (got "${o.tempo}")`);
  const seed = o.seed === undefined ? undefined : Number(o.seed);
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) throw new ComposeInputError(`--seed must be a non-negative integer (got "${o.seed}")`);
  let lyrics: string | undefined;
  if (o.lyrics !== undefined) {
    const s = await stat(o.lyrics).catch(() => null);
    if (!s?.isFile()) throw new ComposeInputError(`--lyrics: no such file: ${o.lyrics}`);
    lyrics = await readFile(o.lyrics, 'utf8');
    if (lyrics.length > MAX_SONG_LYRICS_CHARS) throw new ComposeInputError(`--lyrics: at most ${MAX_SONG_LYRICS_CHARS} characters (got ${lyrics.length})`);
  }
  return {
    genre: o.genre as Genre,
    mood: o.mood as Mood,
    durationSeconds: duration,
    ...(lyrics?.trim() ? { lyrics } : {}),
    ...(o.theme?.trim() ? { theme: o.theme.trim() } : {}),
    ...(tempo !== undefined ? { tempoBpm: tempo } : {}),
    ...(o.key ? { key: o.key } : {}),
    ...(o.vocals ? { vocals: o.vocals as VocalStyle } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(o.title ? { title: o.title } : {}),
  };
}

const FLAGS: Record<string, string> = { durationSeconds: '--duration', tempoBpm: '--tempo', lyrics: '--lyrics', key: '--key', vocals: '--vocals', genre: '--genre', mood: '--mood', theme: '--theme', seed: '--seed' };

function flagOf(field?: string): string {
  return field && FLAGS[field] ? `${FLAGS[field]}: ` : '';
}

/** cli-progress on a terminal; a line per 10 % otherwise (logs, CI). */
function progressBar(): { update(f: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: 'Composing [{bar}] {percentage}% | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(100, 0);
    let stopped = false;
    return {
      update: (f) => bar.update(Math.round(f * 1000) / 10),
      stop: () => {
        if (!stopped) bar.stop();
        stopped = true;
      },
    };
  }
  let lastTenth = -1;
  return {
    update(f) {
      const tenth = Math.floor(f * 10);
      if (tenth !== lastTenth) {
        process.stderr.write(`Composing ${Math.round(f * 100)}%\n`);
        lastTenth = tenth;
      }
    },
    stop() {},
  };
}
