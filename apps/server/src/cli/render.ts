import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Aspect, LyricsInput, Resolution } from '@clipmix/engine';
import {
  ASPECT_RATIOS,
  checkOptions,
  MusicVideoInputError,
  PHOTO_ORDERS,
  produceMusicVideo,
  RESOLUTION_NAMES,
  type PhotoOrder,
  type PipelineStage,
} from '../modules/musicvideo/pipeline.js';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);
const STAGE_LABEL: Record<PipelineStage, string> = {
  analyzing: 'Analysing audio',
  planning: 'Planning',
  rendering: 'Rendering',
  finishing: 'Finishing',
};

interface RenderOptions {
  audio: string;
  images: string[];
  clips?: string[];
  style?: string;
  aspect?: string;
  resolution?: string;
  lyrics?: string;
  timelineOut?: string;
  out: string;
  title?: string;
  seed?: string;
  photoOrder?: string;
}

/**
 * `clipmix render --audio FILE --images FILE…|DIR [--clips FILE…] [--style NAME]
 * [--aspect 16:9|9:16|1:1] [--resolution 480p|720p|1080p] [--lyrics FILE.txt|.lrc|.srt]
 * [--timeline-out FILE.json] [--title TEXT] [--seed N] [--photo-order user|auto] --out FILE.mp4`
 *
 * Engine only (no server, no database): the same pipeline as the `music_video` job. A progress
 * bar goes to stderr, then one `warning: …` line per compromise the video had to make (no steady
 * beat, lyrics or photos left out, undrawable emoji); the output path is the last line of stdout;
 * bad input exits 1 with a one-line reason.
 */
export function registerRender(program: Command): void {
  program
    .command('render')
    .description('Render a beat-synced music video from local files (no server needed)')
    .requiredOption('--audio <file>', 'the song')
    .requiredOption('--images <files...>', 'photos, or a directory of them (taken in name order)')
    .option('--clips <files...>', 'video clips to cut in after the photos')
    .option('--style <name>', 'style preset (pulse, cinematic, …)')
    .option('--aspect <ratio>', '16:9, 9:16 or 1:1', '16:9')
    .option('--resolution <res>', '480p, 720p or 1080p', '720p')
    .option('--lyrics <file>', 'lyrics as .txt (approximate timing), .lrc or .srt (exact timing)')
    .option('--timeline-out <file>', 'also write the timeline JSON here')
    .option('--title <text>', 'title for styles with title/end cards')
    .option('--seed <n>', 'planner seed (default 1)')
    .option('--photo-order <order>', 'user (as given, the default) or auto (a seeded shuffle)')
    .requiredOption('--out <file>', 'output MP4')
    .action(async (opts: RenderOptions) => {
      try {
        const out = await render(opts);
        process.stdout.write(`${out}\n`);
      } catch (err) {
        // One line, whatever the engine said.
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(message.split('\n').map((l) => l.trim()).filter(Boolean)[0] ?? 'render failed');
      }
    });
}

async function render(opts: RenderOptions): Promise<string> {
  const aspect = opts.aspect ?? '16:9';
  const resolution = opts.resolution ?? '720p';
  if (!(ASPECT_RATIOS as readonly string[]).includes(aspect)) {
    throw new MusicVideoInputError('invalid_aspect_ratio', `--aspect must be one of ${ASPECT_RATIOS.join(', ')} (got "${aspect}")`);
  }
  if (!(RESOLUTION_NAMES as readonly string[]).includes(resolution)) {
    throw new MusicVideoInputError('invalid_resolution', `--resolution must be one of ${RESOLUTION_NAMES.join(', ')} (got "${resolution}")`);
  }
  const photoOrder = opts.photoOrder ?? 'user';
  if (!(PHOTO_ORDERS as readonly string[]).includes(photoOrder)) {
    throw new MusicVideoInputError('invalid_photo_order', `--photo-order must be one of ${PHOTO_ORDERS.join(', ')} (got "${photoOrder}")`);
  }
  if (!/\.mp4$/i.test(opts.out)) throw new MusicVideoInputError('invalid_output', `--out must name an .mp4 file (got "${opts.out}")`);
  let seed: number | undefined;
  if (opts.seed !== undefined) {
    seed = Number(opts.seed);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new MusicVideoInputError('invalid_seed', `--seed must be a non-negative integer (got "${opts.seed}")`);
  }
  await mustBeFile(opts.audio, '--audio');
  const images = await expandImages(opts.images);
  const clips: string[] = [];
  for (const c of opts.clips ?? []) clips.push(await mustBeFile(c, '--clips'));
  checkOptions({
    ...(opts.style !== undefined ? { style: opts.style } : {}),
    aspect: aspect as Aspect,
    resolution: resolution as Resolution,
    images: images.map((p) => ({ path: p })),
    clips: clips.map((p) => ({ path: p })),
  });
  const lyrics = opts.lyrics ? await readLyrics(opts.lyrics) : undefined;

  const output = path.resolve(opts.out);
  await mkdir(path.dirname(output), { recursive: true });
  const timelinePath = opts.timelineOut ? path.resolve(opts.timelineOut) : undefined;
  if (timelinePath) await mkdir(path.dirname(timelinePath), { recursive: true });

  const workDir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-render-'));
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bar = progressBar();
  try {
    const result = await produceMusicVideo(
      {
        audioPath: path.resolve(opts.audio),
        images: images.map((p) => ({ path: p })),
        clips: clips.map((p) => ({ path: path.resolve(p) })),
        ...(opts.style !== undefined ? { style: opts.style } : {}),
        aspect: aspect as Aspect,
        resolution: resolution as Resolution,
        ...(lyrics !== undefined ? { lyrics } : {}),
        ...(opts.title ? { title: opts.title } : {}),
        ...(seed !== undefined ? { seed } : {}),
        photoOrder: photoOrder as PhotoOrder,
      },
      {
        output,
        workDir,
        ...(timelinePath ? { timelinePath } : {}),
        signal: controller.signal,
        onProgress: (f, stage) => bar.update(f, stage),
      },
    );
    bar.stop(true);
    for (const w of result.timeline.warnings) process.stderr.write(`warning: ${w}\n`);
  } catch (err) {
    bar.stop(false);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
  return output;
}

async function mustBeFile(p: string, flag: string): Promise<string> {
  const s = await stat(p).catch(() => null);
  if (!s) throw new MusicVideoInputError('file_missing', `${flag}: no such file: ${p}`);
  if (!s.isFile()) throw new MusicVideoInputError('file_missing', `${flag}: not a file: ${p}`);
  return path.resolve(p);
}

/** Files as given; a directory contributes its images in name order. */
async function expandImages(list: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of list) {
    const s = await stat(p).catch(() => null);
    if (!s) throw new MusicVideoInputError('file_missing', `--images: no such file or directory: ${p}`);
    if (s.isDirectory()) {
      const names = (await readdir(p))
        .filter((n) => IMAGE_EXTENSIONS.has(path.extname(n).toLowerCase()) && !n.startsWith('.'))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      out.push(...names.map((n) => path.resolve(p, n)));
    } else {
      out.push(path.resolve(p));
    }
  }
  if (out.length === 0) throw new MusicVideoInputError('no_images', '--images: no images found (jpg, jpeg, png, webp)');
  return out;
}

async function readLyrics(file: string): Promise<LyricsInput> {
  await mustBeFile(file, '--lyrics');
  const text = await readFile(file, 'utf8');
  const ext = path.extname(file).toLowerCase();
  if (ext === '.lrc') return { lrc: text };
  if (ext === '.srt') return { srt: text };
  if (ext === '.txt') return { text };
  throw new MusicVideoInputError('invalid_lyrics', `--lyrics must be a .txt, .lrc or .srt file (got "${path.basename(file)}")`);
}

/** cli-progress on a terminal; one line per stage otherwise (logs, CI). */
function progressBar(): { update(f: number, stage: PipelineStage): void; stop(ok: boolean): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: '{stage} [{bar}] {percentage}% | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(100, 0, { stage: STAGE_LABEL.analyzing.padEnd(15) });
    return {
      update: (f, stage) => bar.update(Math.round(f * 1000) / 10, { stage: STAGE_LABEL[stage].padEnd(15) }),
      stop: () => bar.stop(),
    };
  }
  let last: PipelineStage | null = null;
  let lastTenth = -1;
  return {
    update(f, stage) {
      const tenth = Math.floor(f * 10);
      if (stage !== last || tenth !== lastTenth) {
        process.stderr.write(`${STAGE_LABEL[stage]} ${Math.round(f * 100)}%\n`);
        last = stage;
        lastTenth = tenth;
      }
    },
    stop(ok) {
      if (ok && lastTenth < 10) process.stderr.write('Done 100%\n');
    },
  };
}
