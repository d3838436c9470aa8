/**
 * Timeline → MP4. ffmpeg does all pixel work (nothing is held in Node):
 *   1. each image shot gets a "plate": just the part of its photo the shot shows, scaled once to
 *      the size it is shown at (colour look applied), as a raw Y4M frame; a photo is decoded once
 *      for all its plates. Plates are made while a separate ffmpeg encodes the song to AAC;
 *   2. each segment of the timeline is one ffmpeg run: shot chains (a moving crop, or zoompan, on
 *      the plate) → pieces joined by one concat, fades through one shared blend → layers →
 *      libx264, written as MPEG-TS. Segments are as long as a memory budget allows (what a run
 *      allocates stays until it ends), so a run's peak does not depend on the video's length;
 *   3. the segments are joined with the concat demuxer and muxed with the audio, all without
 *      re-encoding.
 * At most two ffmpeg processes run at a time: the audio encode runs beside the plates and the
 * first segments.
 * Output: H.264 (yuv420p, 30 fps CFR) + AAC 192k, `+faststart`, exactly round(duration × 30)
 * frames. It is written under a temporary name and renamed on success, so a failed or cancelled
 * render leaves no partial file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { drawtextTextfile } from '../ffmpeg/drawtext.js';
import { AbortError, isAbortError } from '../ffmpeg/errors.js';
import { displayDimensions, probe } from '../ffmpeg/probe.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import { buildAssSubtitles } from '../captions/ass.js';
import { captionFontsDir, cardFont, drawtextText, missingEmoji, stripEmoji, undrawableEmoji } from './fonts.js';
import { needsDecorMask, writeDecorMask, type CardText } from './overlays.js';
import { frameShots, planSegments, totalFrames, type FramedShot, type Segment } from './render-plan.js';
import { preparePlates, type PlateJob } from './prepare.js';
import { buildSegmentGraph, type ClipInfo, type PreparedPlate as GraphPlate } from './segment-graph.js';
import { preparedWidthFor, referenceSize, shotGeometry, shotPlate } from './shot-filters.js';
import { getStyle, styleIds } from './styles.js';
import { TIMELINE_FPS, validateTimeline, type Layer, type Timeline } from './timeline.js';

export interface RenderMusicVideoOptions {
  timeline: Timeline;
  audioPath: string;
  output: string;
  /** A directory for temporary files (a private subdirectory is created and removed). */
  workDir: string;
  signal?: AbortSignal;
  /** Fraction 0..1, never decreasing; 1 when the file is in place. */
  onProgress?: (fraction: number) => void;
  /** Fonts for captions (libass `fontsdir`) and cards; default: the system's Noto/DejaVu fonts. */
  fontsDir?: string;
  binaries?: FfmpegBinaries;
  /** Tuning (defaults measured on a 2-core machine). */
  encoder?: { preset?: string; crf?: number };
  /**
   * Shots per ffmpeg run; longer timelines are rendered in segments and joined without
   * re-encoding. Default: as many as keep one run near 160 MB of memory (see `segmentBudget`:
   * 4–5 at 720p, 25 at 480p).
   */
  maxShotsPerSegment?: number;
  /** Keep the temporary directory (prepared stills, graphs) for debugging. */
  keepTemp?: boolean;
}

export interface RenderMusicVideoResult {
  durationSeconds: number;
  frames: number;
  segments: number;
  /** Compromises made while rendering (e.g. emoji that no installed outline font can draw). */
  warnings: string[];
}

const DEFAULT_PRESET = 'superfast';
const DEFAULT_CRF = 21;
/** The native encoder's `fast` coder: ~2.5× less CPU than the default at 192k, same bitrate class. */
const AUDIO_ARGS = ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '192k'];
/**
 * Photos per preparing ffmpeg run, and the memory they may take in it (estimated). Runs are
 * sequential, alongside only the audio encode: ffmpeg itself is ~55 MB, so with ≤ 40 MB of
 * photos a run stays well below a segment run (process start-up, ~50 ms, is why photos share).
 */
const PHOTOS_PER_RUN = 4;
const PREPARE_RUN_BYTES = 40 * 1024 * 1024;
/**
 * Plates per chunk (bytes): beyond this, plates are made in chunks of segments. With two lanes
 * a chunk may be made while the previous one is still in use: at most twice this on disk.
 */
const PLATE_DISK_BUDGET = 256 * 1024 * 1024;

interface PreparedPlate extends GraphPlate {
  /** The photo scaled to this size, then cropped to `plate`. */
  scaled: { width: number; height: number };
  /** The shot zooms (zoompan) rather than pans (a plain crop). */
  zooms: boolean;
}

export async function renderMusicVideo(opts: RenderMusicVideoOptions): Promise<RenderMusicVideoResult> {
  const timeline = validateTimeline(opts.timeline, { knownStyles: styleIds() });
  const style = getStyle(timeline.style);
  const { binaries } = opts;
  checkAborted(opts.signal);
  // Our own signal, so a failure anywhere also stops the audio encode running alongside.
  const stopAll = new AbortController();
  const onAbort = (): void => stopAll.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const signal = stopAll.signal;
  const progress = progressReporter(opts.onProgress);
  await mkdir(opts.workDir, { recursive: true });
  await mkdir(dirname(opts.output), { recursive: true });
  const tmp = await mkdtemp(join(opts.workDir, 'musicvideo-'));
  const partial = join(dirname(opts.output), `.${basename(opts.output)}.${randomUUID().slice(0, 8)}.partial.mp4`);
  const pending: Array<Promise<unknown>> = [];
  let audioFailure: unknown;
  try {
    const framed = frameShots(timeline);
    const frames = totalFrames(timeline);
    const W = timeline.width;
    const H = timeline.height;
    // Reference size per photo (the geometry of its shots is computed on it): wide enough for its
    // most zoomed-in window, capped for extreme panoramas.
    const wanted = new Map<string, { width: number; media: Timeline['media'][number] }>();
    for (const f of framed) {
      if (f.shot.kind !== 'image') continue;
      const width = preparedWidthFor(f.shot.motion, W);
      const prev = wanted.get(f.shot.source);
      if (!prev || prev.width < width) wanted.set(f.shot.source, { width, media: timeline.media[f.shot.media_index]! });
    }
    const stillSize = new Map<string, { width: number; height: number }>();
    for (const [source, { width, media }] of wanted) stillSize.set(source, referenceSize(media.width, media.height, width));
    // Plates: per image shot, just the part of its photo it shows, at the size it shows it.
    const plates = new Map<number, PreparedPlate>();
    for (const f of framed) {
      const shot = f.shot;
      if (shot.kind !== 'image') continue;
      const ref = stillSize.get(shot.source)!;
      const geometry = shotGeometry({ ...ref, motion: shot.motion, outW: W, outH: H });
      plates.set(f.index, { path: join(tmp, `plate-${f.index}.y4m`), ...ref, plate: shotPlate(geometry, W, H), scaled: { width: geometry.SW, height: geometry.SH }, zooms: geometry.zooms });
    }
    // Segment runs at a time ("lanes") and x264 threads in each. A run's filtergraph is one thread
    // (ffmpeg's main thread) and x264's frame threads scale poorly at superfast, so on a 2-core
    // machine two single-threaded runs side by side finish a pair of segments ~35 % sooner than
    // two 2-thread runs one after the other (measured at 720p), for the memory of one more run.
    const runs = segmentRuns(timeline);
    const segments = opts.maxShotsPerSegment
      ? planSegments(framed, frames, { maxShots: opts.maxShotsPerSegment })
      : balancedSegments(framed, frames, segmentBudget(timeline, plates, runs));

    // Audio out: AAC 192k stereo, at least 44.1 kHz (players and platforms dislike less).
    const audioInfo = await probe(opts.audioPath, { signal, ...(binaries ? { binaries } : {}) });
    if (!audioInfo.audio) throw new Error(`${opts.audioPath}: no audio stream`);
    const audioArgs = [...AUDIO_ARGS, '-ac', '2', ...(audioInfo.audio.sampleRate < 44100 ? ['-ar', '44100'] : [])];
    const warnings: string[] = [];
    const audioSeconds = audioInfo.audio.durationSeconds || audioInfo.durationSeconds;
    if (Math.abs(audioSeconds - timeline.duration_seconds) > 0.5) {
      warnings.push(`the audio lasts ${audioSeconds.toFixed(2)} s but the timeline ${timeline.duration_seconds.toFixed(2)} s: the video follows the timeline`);
    }
    const audioOut = join(tmp, 'audio.m4a');
    const audioDone = runFfmpeg(['-i', localPath(opts.audioPath), '-map', '0:a:0', '-vn', ...audioArgs, '-t', (frames / TIMELINE_FPS).toFixed(6),
      '-f', 'mp4', localPath(audioOut)], { signal, ...(binaries ? { binaries } : {}) }).then(
      () => undefined,
      (error: unknown) => {
        // Its own failure (not one caused by stopping everything) stops the segment running now.
        if (!signal.aborted) {
          audioFailure = error;
          stopAll.abort(error);
        }
        return error;
      },
    );
    pending.push(audioDone);

    // Clip facts (rotation, length) from ffprobe.
    const clips = new Map<string, ClipInfo>();
    for (const shot of timeline.shots) {
      if (shot.kind !== 'video' || clips.has(shot.source)) continue;
      const info = await probe(shot.source, { signal, ...(binaries ? { binaries } : {}) });
      if (!info.video) throw new Error(`${shot.source}: no video stream`);
      const shown = displayDimensions(info.video);
      clips.set(shot.source, { ...shown, rotation: info.video.rotation, durationSeconds: info.durationSeconds });
    }

    // Plates are made in chunks of whole segments (disk use bounded), the first chunk alongside
    // the audio encode, each later one just before its first segment.
    const chunkOf: number[] = [];
    {
      let chunk = 0;
      let bytes = 0;
      const seen = new Set<number>();
      for (const seg of segments) {
        let add = 0;
        for (const piece of seg.pieces) {
          const p = plates.get(piece.framed.index);
          if (!p || seen.has(piece.framed.index)) continue;
          add += p.plate.w * p.plate.h * 1.5;
        }
        if (bytes > 0 && bytes + add > PLATE_DISK_BUDGET) {
          chunk++;
          bytes = 0;
        }
        bytes += add;
        for (const piece of seg.pieces) seen.add(piece.framed.index);
        chunkOf.push(chunk);
      }
    }
    const preparedPlates = new Set<number>();
    const preparePlatesFor = async (chunk: number): Promise<void> => {
      const byPhoto = new Map<string, PlateJob>();
      for (const seg of segments) {
        if (chunkOf[seg.index] !== chunk) continue;
        for (const piece of seg.pieces) {
          const index = piece.framed.index;
          const p = plates.get(index);
          if (!p || preparedPlates.has(index)) continue;
          preparedPlates.add(index);
          const shot = piece.framed.shot;
          const media = timeline.media[shot.media_index]!;
          let job = byPhoto.get(shot.source);
          if (!job) byPhoto.set(shot.source, (job = { source: shot.source, sourceWidth: media.width, sourceHeight: media.height, plates: [] }));
          job.plates.push({ path: p.path, scaleWidth: p.scaled.width, scaleHeight: p.scaled.height, crop: p.plate });
        }
      }
      await preparePlates([...byPhoto.values()], {
        ...(style.look.filter ? { look: style.look.filter } : {}),
        signal,
        ...(binaries ? { binaries } : {}),
        batch: PHOTOS_PER_RUN,
        batchBytes: PREPARE_RUN_BYTES,
        onDone: (count) => {
          preparedCount += count;
          report();
        },
      });
    };
    const photoCount = new Set(timeline.shots.filter((s) => s.kind === 'image').map((s) => s.source)).size;
    const prepareTotal = Math.max(1, photoCount * (Math.max(0, ...chunkOf) + 1));

    // Overlay assets.
    const decorMask = needsDecorMask(timeline.layers) ? join(tmp, 'decor.y4m') : undefined;
    if (decorMask) await writeDecorMask(decorMask, W, H, timeline.layers);
    let captions = timeline.captions?.lines.length ? timeline.captions : undefined;
    let fontsDir: string | undefined;
    if (captions) {
      const text = captions.lines.map((l) => l.text).join('\n');
      const emoji = await undrawableEmoji(text);
      if (emoji.size) {
        warnings.push(`captions: ${[...emoji].join(' ')} cannot be drawn (not in any drawable font) and were left out`);
        captions = {
          ...captions,
          lines: captions.lines.map((l) => ({
            ...l,
            text: stripEmoji(l.text, emoji),
            ...(l.words ? { words: l.words.map((w) => ({ ...w, text: stripEmoji(w.text, emoji) })) } : {}),
          })),
        };
      }
      fontsDir = await captionFontsDir(join(tmp, 'fonts'), opts.fontsDir, text);
    }
    const cards = await cardTexts(timeline.layers, tmp, W, H, opts.fontsDir, warnings);
    const hasVisualiser = timeline.layers.some((l) => l.type === 'waveform' || l.type === 'spectrum');

    const prepareShare = plates.size ? 0.1 : 0;
    const muxShare = 0.03;
    const renderShare = 1 - prepareShare - muxShare;
    const segmentFiles: Array<string | undefined> = segments.map(() => undefined);
    let preparedCount = 0;
    let framesDone = 0;
    const inFlight = new Map<number, number>();
    const report = (): void => {
      let running = 0;
      for (const f of inFlight.values()) running += f;
      progress(prepareShare * Math.min(1, preparedCount / prepareTotal) + renderShare * ((framesDone + running) / frames));
    };
    // Plates are deleted once every segment showing them has finished.
    const usesLeft = new Map<number, number>();
    for (const seg of segments) for (const piece of seg.pieces) if (plates.has(piece.framed.index)) usesLeft.set(piece.framed.index, (usesLeft.get(piece.framed.index) ?? 0) + 1);
    const chunkReady = new Map<number, Promise<void>>();
    const platesOf = (chunk: number): Promise<void> => {
      let ready = chunkReady.get(chunk);
      if (!ready) chunkReady.set(chunk, (ready = preparePlatesFor(chunk)));
      return ready;
    };

    const renderSegment = async (seg: Segment): Promise<void> => {
      checkAborted(signal);
      // 1. Plates: the first chunk while the audio encodes, later ones before their first segment
      //    (a lane that needs a chunk another lane is preparing waits for the same run).
      await platesOf(chunkOf[seg.index]!);
      checkAborted(signal);

      // 2. The segment.
      const t0 = seg.start / TIMELINE_FPS;
      const seconds = (seg.end - seg.start) / TIMELINE_FPS;
      let ass: { path: string; fontsDir?: string } | undefined;
      if (captions) {
        const path = join(tmp, `captions-${seg.index}.ass`);
        await writeFile(path, buildAssSubtitles(captions, { width: W, height: H, style: style.captions, offsetSeconds: t0, untilSeconds: seconds }), 'utf8');
        ass = { path, ...(fontsDir ? { fontsDir } : {}) };
      }
      // Waveform/spectrum layers read this segment's stretch of the song.
      const audioIn = hasVisualiser ? ['-ss', t0.toFixed(6), '-t', seconds.toFixed(6), '-i', localPath(opts.audioPath)] : [];
      const commandsPath = join(tmp, `fades-${seg.index}.txt`);
      const built = buildSegmentGraph({
        timeline,
        segment: seg,
        plates,
        clips,
        ...(style.look.filter ? { look: style.look.filter } : {}),
        ...(decorMask ? { decorMask } : {}),
        cards,
        ...(ass ? { ass } : {}),
        ...(hasVisualiser ? { audio: '0:a' } : {}),
        commandsPath,
      });
      if (built.commands) await writeFile(commandsPath, built.commands, 'utf8');
      await writeFile(join(tmp, `graph-${seg.index}.txt`), built.graph, 'utf8');
      const segFrames = seg.end - seg.start;
      // Segments are MPEG-TS: the concat demuxer joins those with exact frame timestamps (MP4
      // segments lose or shift frames at the joins).
      const out = join(tmp, `segment-${String(seg.index).padStart(4, '0')}.ts`);
      const args = [
        ...audioIn,
        '-filter_complex_script', localPath(join(tmp, `graph-${seg.index}.txt`)),
        '-map', '[vout]',
        ...videoEncoderArgs(opts.encoder, { threads: runs.threads }),
        '-f', 'mpegts',
        localPath(out),
      ];
      inFlight.set(seg.index, 0);
      await runFfmpeg(args, {
        signal,
        ...(binaries ? { binaries } : {}),
        durationSeconds: seconds,
        onProgress: (f) => {
          inFlight.set(seg.index, f * segFrames);
          report();
        },
      });
      inFlight.delete(seg.index);
      framesDone += segFrames;
      segmentFiles[seg.index] = out;
      report();

      // 3. Drop plates no running or later segment needs.
      for (const piece of seg.pieces) {
        const index = piece.framed.index;
        const left = usesLeft.get(index);
        if (left === undefined) continue;
        if (left > 1) {
          usesLeft.set(index, left - 1);
          continue;
        }
        usesLeft.delete(index);
        if (!opts.keepTemp) await rm(plates.get(index)!.path, { force: true });
      }
    };

    // Segments run in lanes, each taking the next segment in timeline order. The second lane
    // starts once the audio encode is done, so no more ffmpeg runs than lanes at once.
    let nextSegment = 0;
    const lane = async (): Promise<void> => {
      while (nextSegment < segments.length && !signal.aborted) await renderSegment(segments[nextSegment++]!);
    };
    const lanes = [lane()];
    for (let l = 1; l < Math.min(runs.lanes, segments.length); l++) {
      lanes.push(audioDone.then((error) => (error ? undefined : lane())));
    }
    for (const l of lanes) pending.push(l.catch(() => undefined));
    await Promise.all(lanes);
    if (segmentFiles.some((f) => f === undefined)) checkAborted(signal);
    const files = segmentFiles as string[];

    // Join and mux, without re-encoding.
    const audioError = await audioDone;
    if (audioError) throw audioError;
    checkAborted(signal);
    const list = join(tmp, 'segments.txt');
    await writeFile(list, files.map((f) => `file '${f.replaceAll("'", "'\\''")}'\n`).join(''), 'utf8');
    await runFfmpeg([
      '-f', 'concat', '-safe', '0', '-i', localPath(list), '-i', localPath(audioOut),
      '-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', localPath(partial),
    ], {
      signal,
      ...(binaries ? { binaries } : {}),
      durationSeconds: timeline.duration_seconds,
      onProgress: (f) => progress(1 - muxShare + muxShare * f * 0.99),
    });
    checkAborted(signal);
    await rename(partial, opts.output);
    progress(1);
    return { durationSeconds: frames / TIMELINE_FPS, frames, segments: segments.length, warnings };
  } catch (error) {
    stopAll.abort(error);
    await Promise.all(pending);
    await rm(partial, { force: true });
    // A cancelled render reports the cancellation, whatever the processes said while dying.
    if (opts.signal?.aborted && !isAbortError(error)) throw new AbortError(undefined, { cause: opts.signal.reason });
    if (audioFailure !== undefined && !opts.signal?.aborted) throw audioFailure;
    throw error;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (!opts.keepTemp) await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * What one segment's ffmpeg run may hold, from memory measured with ffmpeg 5.1 at 720p and 480p
 * (peak RSS of the run, see bench/scenarios/music-video.ts):
 *   - ffmpeg itself with a small graph (its libraries alone are 48 MB): ~64 MB;
 *   - x264 (superfast, rc-lookahead 5, no sync-lookahead): ~42 frames' worth with one thread
 *     (57 MB at 720p), ~64 with two;
 *   - per image shot: its plate, and for zooms ~1 frame more (zoompan's buffer pool); per clip
 *     ~10 frames (decoder, scaler); per non-fade transition ~7 frames (4:4:4 xfade); fades share
 *     one blend; layers a few frames, libass ~12 MB.
 * Everything a run allocates stays until it ends (libavfilter's pools), so segments are as long
 * as this allows and a run's peak is the same for a 1-minute or a 10-minute video. Two lanes at
 * 720p stay near 2 × 130 MB, so with the node process (the CLI: ~100–120 MB) the whole tree stays
 * under 400 MB; where one run's fixed part alone nears its share (1080p), one lane runs.
 */
const LANE_BUDGET_BYTES = { one: 160 * 1024 * 1024, two: 130 * 1024 * 1024 };
const FFMPEG_BASE_BYTES = 64 * 1024 * 1024;
const x264Frames = (threads: number): number => (threads > 1 ? 64 : 42);
/** Shots per segment at most, whatever the budget allows (long graphs are slow to parse). */
const MAX_SHOTS_PER_SEGMENT = 60;
/**
 * Room for shots in a run, in frames, where the fixed part alone fills the budget (1080p: x264's
 * frames alone are ~190 MB). Splitting further would not lower the run's peak, which the fixed
 * part sets, but every extra run restarts x264 and its lookahead; this is about what a 720p
 * lane holds (3–5 shots).
 */
const MIN_SEGMENT_FRAMES = 5;

interface SegmentRuns {
  lanes: number;
  threads: number;
}

/** Lanes and x264 threads: two single-threaded lanes where the memory allows, else one. */
function segmentRuns(timeline: Timeline): SegmentRuns {
  const cores = availableParallelism();
  if (cores >= 2 && fixedRunBytes(timeline, 1) <= LANE_BUDGET_BYTES.two) {
    return { lanes: 2, threads: Math.max(1, Math.min(2, Math.floor(cores / 2))) };
  }
  return { lanes: 1, threads: Math.max(1, Math.min(2, cores)) };
}

function fixedRunBytes(timeline: Timeline, threads: number): number {
  const frame = timeline.width * timeline.height * 1.5;
  let fixed = FFMPEG_BASE_BYTES + x264Frames(threads) * frame;
  if (timeline.layers.some((l) => l.type !== 'beat_pulse')) fixed += 3 * frame;
  if (timeline.captions?.lines.length) fixed += 12 * 1024 * 1024;
  return fixed;
}

function segmentBudget(timeline: Timeline, plates: ReadonlyMap<number, PreparedPlate>, runs: SegmentRuns): { weight: (f: FramedShot) => number; maxWeight: number } {
  const frame = timeline.width * timeline.height * 1.5;
  const fixed = fixedRunBytes(timeline, runs.threads);
  const weight = (f: FramedShot): number => {
    const plate = plates.get(f.index);
    let bytes = plate ? plate.plate.w * plate.plate.h * 1.5 + (plate.zooms ? frame : 0) : 10 * frame;
    if (f.inFrames > 0 && f.shot.transition?.type !== 'fade') bytes += 7 * frame;
    return bytes;
  };
  const budget = runs.lanes > 1 ? LANE_BUDGET_BYTES.two : LANE_BUDGET_BYTES.one;
  return { weight, maxWeight: Math.max(budget - fixed, MIN_SEGMENT_FRAMES * frame) };
}

/**
 * Segments within the budget, as even as their number allows: the smallest weight limit that
 * needs no more segments than the full budget does (no short run left at the end).
 */
function balancedSegments(framed: FramedShot[], frames: number, budget: { weight: (f: FramedShot) => number; maxWeight: number }): Segment[] {
  const plan = (maxWeight: number) => planSegments(framed, frames, { maxShots: MAX_SHOTS_PER_SEGMENT, weight: budget.weight, maxWeight });
  let best = plan(budget.maxWeight);
  let lo = 0;
  let hi = budget.maxWeight;
  for (let i = 0; i < 16 && hi - lo > 64 * 1024; i++) {
    const mid = (lo + hi) / 2;
    const tried = plan(mid);
    if (tried.length <= best.length) {
      best = tried;
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return best;
}

export function videoEncoderArgs(encoder?: { preset?: string; crf?: number }, tuning?: { threads?: number }): string[] {
  const params = [
    // superfast + x264's lookahead/macroblock-tree: ~40 % less CPU than veryfast for the same file
    // size on Ken Burns footage (measured), where mbtree matters most. A 5-frame lookahead against
    // 10: SSIM within 0.0004, a 5 % smaller file, ~6 % less CPU and 16 MB less memory at 720p.
    ...(encoder?.preset ? [] : ['rc-lookahead=5', 'mbtree=1']),
    // Frame threads and no sync-lookahead buffer: threading only, the encoder settings are the
    // same (the output differs by < 0.1 % in size), but each frame x264 buffers costs 2–3 raw
    // frames of memory: 2 threads without sync-lookahead save ~25 MB at 720p against the default.
    ...(tuning?.threads ? [`threads=${tuning.threads}`, 'sync-lookahead=0'] : []),
  ];
  return [
    '-c:v', 'libx264',
    '-preset', encoder?.preset ?? DEFAULT_PRESET,
    ...(params.length ? ['-x264-params', params.join(':')] : []),
    '-crf', String(encoder?.crf ?? DEFAULT_CRF),
    '-pix_fmt', 'yuv420p',
    '-r', String(TIMELINE_FPS),
    '-fps_mode', 'cfr',
    '-g', String(TIMELINE_FPS * 3),
  ];
}

async function cardTexts(layers: readonly Layer[], dir: string, W: number, H: number, fontsDir: string | undefined, warnings: string[]): Promise<CardText[]> {
  const cards: CardText[] = [];
  for (const layer of layers) {
    if (layer.type !== 'title_card' && layer.type !== 'end_card') continue;
    // drawtext draws with one font: emoji it lacks are left out rather than drawn as boxes.
    const font = await cardFont(layer.text, fontsDir);
    const { emoji, why } = await missingEmoji(font);
    if (emoji.size) warnings.push(`${layer.type}: ${[...emoji].join(' ')} cannot be drawn (${why}) and were left out`);
    const drawn = drawtextText(layer.text, emoji).trim();
    if (!drawn) continue;
    const short = Math.min(W, H);
    const base = Math.round(short * (layer.type === 'title_card' ? 0.11 : 0.085));
    const { text, fontSize } = wrapCardText(drawn, W * 0.86, base);
    cards.push({ layer, text: await drawtextTextfile(text, dir), fontfile: font.file, fontSize });
  }
  return cards;
}

/** Break card text into at most 3 lines that fit `maxWidth`, shrinking the font if needed. */
export function wrapCardText(text: string, maxWidth: number, fontSize: number): { text: string; fontSize: number } {
  const clean = text.replace(/\s+/g, ' ').trim();
  const width = (s: string, size: number) => {
    let u = 0;
    for (const ch of s) u += /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(ch) ? 1 : 0.58;
    return u * size;
  };
  for (let size = fontSize; ; size = Math.round(size * 0.85)) {
    const words = clean.includes(' ') ? clean.split(' ') : [...clean];
    const joiner = clean.includes(' ') ? ' ' : '';
    const lines: string[] = [];
    let line = '';
    for (const w of words) {
      const next = line ? line + joiner + w : w;
      if (line && width(next, size) > maxWidth) {
        lines.push(line);
        line = w;
      } else line = next;
    }
    if (line) lines.push(line);
    if ((lines.length <= 3 && lines.every((l) => width(l, size) <= maxWidth)) || size <= 14) {
      return { text: lines.join('\n'), fontSize: size };
    }
  }
}

function progressReporter(onProgress?: (f: number) => void): (f: number) => void {
  let last = 0;
  return (f: number) => {
    const v = Math.min(1, Math.max(0, f));
    if (!onProgress || v <= last) return;
    last = v;
    onProgress(v);
  };
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}

