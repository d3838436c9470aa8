/**
 * Timeline → MP4. ffmpeg does all pixel work (nothing is held in Node):
 *   1. each photo is decoded and scaled once into a small raw still (Y4M) in the work directory;
 *   2. each segment of the timeline (one for short videos) is one ffmpeg run: shot chains →
 *      xfade/concat → layers → libx264, written as MPEG-TS;
 *   3. meanwhile a separate ffmpeg encodes the song to AAC (off the critical path);
 *   4. the segments are joined with the concat demuxer and muxed with the audio, all without
 *      re-encoding.
 * Output: H.264 (yuv420p, 30 fps CFR) + AAC 192k, `+faststart`, exactly round(duration × 30)
 * frames. It is written under a temporary name and renamed on success, so a failed or cancelled
 * render leaves no partial file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { drawtextTextfile } from '../ffmpeg/drawtext.js';
import { AbortError, isAbortError } from '../ffmpeg/errors.js';
import { displayDimensions, probe } from '../ffmpeg/probe.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import { buildAssSubtitles } from '../captions/ass.js';
import { captionFontsDir, cardFontFile, stripEmoji, undrawableEmoji } from './fonts.js';
import { needsDecorMask, writeDecorMask, type CardText } from './overlays.js';
import { frameShots, planSegments, totalFrames } from './render-plan.js';
import { prepareStills, type StillJob } from './prepare.js';
import { buildSegmentGraph, type ClipInfo, type PreparedStill } from './segment-graph.js';
import { even, MAX_STILL_PIXELS, preparedWidthFor } from './shot-filters.js';
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
   * re-encoding. Default: what keeps one run near 225 MB of memory (8 at 720p, 30 at 480p).
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
 * Photos per preparing ffmpeg run. Runs are sequential (alongside only the audio encode): every
 * ffmpeg process maps ~50 MB of libraries, and a run costs ~20 MB per photo on top, so this keeps
 * the process tree well below a segment run's memory.
 */
const STILLS_PER_RUN = 4;

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
  try {
    const framed = frameShots(timeline);
    const frames = totalFrames(timeline);
    const W = timeline.width;
    const H = timeline.height;
    const segments = planSegments(framed, frames, { maxShots: opts.maxShotsPerSegment ?? shotsPerSegment(W, H) });

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
      '-f', 'mp4', localPath(audioOut)], { signal, ...(binaries ? { binaries } : {}) }).then(() => undefined, (error: unknown) => error);
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

    // Prepared stills: one per photo, sized for its most zoomed-in window, made just before the
    // first segment that needs it and deleted after the last.
    const stillSize = new Map<string, { width: number; height: number }>();
    const lastUse = new Map<string, number>();
    for (const seg of segments) {
      for (const piece of seg.pieces) {
        const shot = piece.framed.shot;
        if (shot.kind !== 'image') continue;
        lastUse.set(shot.source, seg.index);
        const media = timeline.media[shot.media_index]!;
        const wanted = preparedWidthFor(shot.motion, W);
        const prev = stillSize.get(shot.source);
        if (!prev || prev.width < wanted) {
          let width = wanted;
          let height = (wanted * media.height) / media.width;
          const scale = Math.min(1, Math.sqrt(MAX_STILL_PIXELS / (width * height)));
          width *= scale;
          height *= scale;
          stillSize.set(shot.source, scale < 1 ? { width: even(width), height: even(height) } : { width, height: even(height) });
        }
      }
    }
    const stills = new Map<string, PreparedStill>();

    // Overlay assets.
    const decorMask = needsDecorMask(timeline.layers) ? join(tmp, 'decor.y4m') : undefined;
    if (decorMask) await writeDecorMask(decorMask, W, H, timeline.layers);
    let captions = timeline.captions?.lines.length ? timeline.captions : undefined;
    let fontsDir: string | undefined;
    if (captions) {
      const text = captions.lines.map((l) => l.text).join('\n');
      const emoji = await undrawableEmoji(text);
      if (emoji.size) {
        warnings.push(`captions: ${[...emoji].join(' ')} cannot be drawn (colour emoji font only) and were left out`);
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

    const prepareShare = stillSize.size ? 0.1 : 0;
    const muxShare = 0.03;
    const renderShare = 1 - prepareShare - muxShare;
    const segmentFiles: string[] = [];
    let preparedCount = 0;
    let framesDone = 0;

    for (const seg of segments) {
      checkAborted(signal);
      // 1. Stills this segment needs.
      const needed = [...new Set(seg.pieces.filter((p) => p.framed.shot.kind === 'image').map((p) => p.framed.shot.source))]
        .filter((src) => !stills.has(src));
      const jobs: StillJob[] = needed.map((source) => {
        const media = timeline.media.find((m) => m.path === source)!;
        return { source, sourceWidth: media.width, sourceHeight: media.height, ...stillSize.get(source)! };
      });
      const prepared = await prepareStills(jobs, {
        dir: tmp,
        ...(style.look.filter ? { look: style.look.filter } : {}),
        signal,
        ...(binaries ? { binaries } : {}),
        batch: STILLS_PER_RUN,
        onDone: (count) => {
          preparedCount += count;
          progress(prepareShare * (preparedCount / stillSize.size) + renderShare * (framesDone / frames));
        },
      });
      for (const [src, still] of prepared) stills.set(src, still);

      // 2. The segment. The audio encode (started with the photo preparation) finishes first, so
      //    it never adds its memory to a segment run's.
      if (seg.index === 0) {
        const audioError = await audioDone;
        if (audioError) throw audioError;
      }
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
      const filterComplex = buildSegmentGraph({
        timeline,
        segment: seg,
        stills,
        clips,
        ...(style.look.filter ? { look: style.look.filter } : {}),
        ...(decorMask ? { decorMask } : {}),
        cards,
        ...(ass ? { ass } : {}),
        ...(hasVisualiser ? { audio: '0:a' } : {}),
      });
      await writeFile(join(tmp, `graph-${seg.index}.txt`), filterComplex, 'utf8');
      const segFrames = seg.end - seg.start;
      // Segments are MPEG-TS: the concat demuxer joins those with exact frame timestamps (MP4
      // segments lose or shift frames at the joins).
      const out = join(tmp, `segment-${String(seg.index).padStart(4, '0')}.ts`);
      const args = [
        ...audioIn,
        '-filter_complex_script', localPath(join(tmp, `graph-${seg.index}.txt`)),
        '-map', '[vout]',
        ...videoEncoderArgs(opts.encoder),
        '-f', 'mpegts',
        localPath(out),
      ];
      const before = framesDone;
      await runFfmpeg(args, {
        signal,
        ...(binaries ? { binaries } : {}),
        durationSeconds: seconds,
        onProgress: (f) => progress(prepareShare * (preparedCount / Math.max(1, stillSize.size)) + renderShare * ((before + f * segFrames) / frames)),
      });
      framesDone += segFrames;
      segmentFiles.push(out);

      // 3. Drop stills no later segment needs.
      for (const [src, last] of lastUse) {
        if (last !== seg.index || opts.keepTemp) continue;
        const still = stills.get(src);
        if (still) await rm(still.path, { force: true });
      }
    }

    // Join and mux, without re-encoding.
    checkAborted(signal);
    const list = join(tmp, 'segments.txt');
    await writeFile(list, segmentFiles.map((f) => `file '${f.replaceAll("'", "'\\''")}'\n`).join(''), 'utf8');
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
    throw error;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (!opts.keepTemp) await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Shots per ffmpeg run, from a memory budget measured with ffmpeg 5.1 at 720p: about 60 MB for
 * ffmpeg itself, 100 MB for x264 and 8 MB per shot (its photo, and buffer pools that libavfilter
 * keeps until the run ends), the last two scaling with the frame size. A run stays near 225 MB:
 * 8 shots at 720p, 30 at 480p, 6 (the minimum) at 1080p.
 */
function shotsPerSegment(width: number, height: number): number {
  const px = (width * height) / (1280 * 720);
  return Math.max(6, Math.min(30, Math.floor((225 - 60 - 100 * px) / (8 * px))));
}

export function videoEncoderArgs(encoder?: { preset?: string; crf?: number }): string[] {
  return [
    '-c:v', 'libx264',
    '-preset', encoder?.preset ?? DEFAULT_PRESET,
    // superfast + x264's lookahead/macroblock-tree: ~40 % less CPU than veryfast for the same file
    // size on Ken Burns footage (measured), where mbtree matters most.
    ...(encoder?.preset ? [] : ['-x264-params', 'rc-lookahead=10:mbtree=1']),
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
    const emoji = await undrawableEmoji(layer.text);
    if (emoji.size) warnings.push(`${layer.type}: ${[...emoji].join(' ')} cannot be drawn (colour emoji font only) and were left out`);
    const drawn = stripEmoji(layer.text, emoji).trim();
    if (!drawn) continue;
    const short = Math.min(W, H);
    const base = Math.round(short * (layer.type === 'title_card' ? 0.11 : 0.085));
    const { text, fontSize } = wrapCardText(drawn, W * 0.86, base);
    cards.push({
      layer,
      text: await drawtextTextfile(text, dir),
      fontfile: await cardFontFile(drawn, fontsDir),
      fontSize,
    });
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

