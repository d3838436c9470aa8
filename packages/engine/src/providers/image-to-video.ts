/**
 * Image-to-video: animate one still into a short clip. Cloud adapters (Kling, PixVerse, FAL,
 * Replicate) implement the same interface elsewhere; the local provider here is honest about what
 * it is — algorithmic camera motion (Ken Burns, or a two-layer parallax) rendered by ffmpeg, no
 * model. Its clips can be used as `video` shots in a music-video timeline.
 */
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { chain, filter, filterPath, graph } from '../ffmpeg/filtergraph.js';
import { probe, displayDimensions } from '../ffmpeg/probe.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import { hintedMotion, type MotionHint } from '../musicvideo/motion.js';
import { literalName } from '../musicvideo/prepare.js';
import { even, prepareStillFilter, preparedWidthFor, stillShotChain } from '../musicvideo/shot-filters.js';
import { videoEncoderArgs } from '../musicvideo/render.js';
import { TIMELINE_FPS } from '../musicvideo/timeline.js';

export type ImageToVideoMotionHint = MotionHint | 'parallax';

export interface ImageToVideoInput {
  imagePath: string;
  durationSeconds: number;
  /** Output size (even numbers). */
  width: number;
  height: number;
  /** Camera motion wanted; providers may treat it as a hint. */
  motionHint?: ImageToVideoMotionHint;
  signal?: AbortSignal;
}

export interface ImageToVideo {
  /** Stable id recorded with every result, e.g. `local-kenburns`, `fal-kling`. */
  id: string;
  /** True when it runs on this machine (no network, no key). */
  local: boolean;
  /** One line for the UI: what this provider does. */
  describe(): string;
  /** Write an H.264 MP4 (no audio) of the animated image to `output`. */
  animate(input: ImageToVideoInput, output: string): Promise<void>;
}

export const MOTION_HINTS: readonly ImageToVideoMotionHint[] = [
  'zoom_in', 'zoom_out', 'pan_left', 'pan_right', 'pan_up', 'pan_down', 'static', 'parallax',
];

export interface LocalKenBurnsOptions {
  binaries?: FfmpegBinaries;
  /** Directory for temporary files (default: the OS temp directory). */
  workDir?: string;
}

/** The local, deterministic provider: the same input always gives the same clip. */
export class LocalKenBurnsImageToVideo implements ImageToVideo {
  readonly id = 'local-kenburns';
  readonly local = true;

  constructor(private readonly opts: LocalKenBurnsOptions = {}) {}

  describe(): string {
    return 'Local camera motion (Ken Burns pan/zoom or two-layer parallax) rendered with ffmpeg; no AI model.';
  }

  async animate(input: ImageToVideoInput, output: string): Promise<void> {
    const { width: W, height: H, durationSeconds } = input;
    if (!(durationSeconds > 0 && durationSeconds <= 600)) throw new RangeError(`durationSeconds must be in (0, 600], got ${durationSeconds}`);
    if (!(Number.isInteger(W) && Number.isInteger(H) && W >= 16 && H >= 16 && W % 2 === 0 && H % 2 === 0)) {
      throw new RangeError(`width and height must be even integers ≥ 16, got ${W}×${H}`);
    }
    const hint = input.motionHint ?? 'zoom_in';
    if (!MOTION_HINTS.includes(hint)) throw new RangeError(`unknown motion hint ${JSON.stringify(hint)}; use ${MOTION_HINTS.join(', ')}`);
    const run = { ...(input.signal ? { signal: input.signal } : {}), ...(this.opts.binaries ? { binaries: this.opts.binaries } : {}) };
    const info = await probe(input.imagePath, run);
    if (!info.video) throw new Error(`${input.imagePath}: not an image`);
    const src = displayDimensions(info.video);
    const frames = Math.max(1, Math.round(durationSeconds * TIMELINE_FPS));
    const tmp = await mkdtemp(join(this.opts.workDir ?? tmpdir(), 'i2v-'));
    const partial = join(dirname(output), `.${basename(output)}.partial.mp4`);
    try {
      const still = join(tmp, 'still.y4m');
      let filterComplex: string;
      if (hint === 'parallax') {
        // Background: cover-fitted, blurred once, slowly pushing in. Foreground: the whole photo
        // (contain-fitted at 86 %) drifting sideways, opposite to the background.
        const cover = Math.max(W / src.width, H / src.height) * 1.12;
        const bw = even(src.width * cover);
        const bh = even(src.height * cover);
        await runFfmpeg([...literalName(input.imagePath), '-i', localPath(input.imagePath), '-frames:v', '1', '-vf', prepareStillFilter({ width: bw, height: bh }),
          '-f', 'yuv4mpegpipe', '-strict', '-1', localPath(still)], run);
        const fit = Math.min((W * 0.86) / src.width, (H * 0.86) / src.height);
        const fw = even(src.width * fit);
        const fh = even(src.height * fit);
        const den = Math.max(1, frames - 1);
        const drift = Math.round(W * 0.04);
        filterComplex = graph([
          { filters: [filter('movie', { filename: filterPath(still) }), filter('split')], outputs: ['a', 'b'] },
          {
            inputs: ['a'],
            filters: [chain(
              filter('gblur', { sigma: Math.max(8, Math.round(Math.min(W, H) / 40)) }),
              filter('eq', { brightness: -0.12, saturation: 0.8 }),
              filter('loop', { loop: frames - 1, size: 1, start: 0 }),
              filter('settb', { expr: `1/${TIMELINE_FPS}` }),
              filter('setpts', { expr: 'N' }),
              filter('crop', { w: W, h: H, x: `(iw-${W})/2+${drift}*(n/${den}-0.5)`, y: `(ih-${H})/2`, exact: 1 }),
              filter('fps', { fps: TIMELINE_FPS }),
            )],
            outputs: ['bg'],
          },
          {
            inputs: ['b'],
            filters: [chain(
              filter('scale', { w: fw, h: fh, flags: 'lanczos' }),
              filter('loop', { loop: frames - 1, size: 1, start: 0 }),
              filter('settb', { expr: `1/${TIMELINE_FPS}` }),
              filter('setpts', { expr: 'N' }),
            )],
            outputs: ['fg'],
          },
          {
            inputs: ['bg', 'fg'],
            filters: [chain(
              filter('overlay', { x: `(W-w)/2-${drift}*(n/${den}-0.5)`, y: '(H-h)/2', eval: 'frame' }),
              filter('setsar', { sar: 1 }),
              filter('format', { pix_fmts: 'yuv420p' }),
            )],
            outputs: ['vout'],
          },
        ]);
      } else {
        const motion = hintedMotion(hint, { srcW: src.width, srcH: src.height, outW: W, outH: H, zoomMin: 1, zoomMax: 1.25, easing: 'ease_in_out' });
        const pw = Math.min(6000, preparedWidthFor(motion, W));
        const ph = (pw * src.height) / src.width;
        await runFfmpeg([...literalName(input.imagePath), '-i', localPath(input.imagePath), '-frames:v', '1', '-vf', prepareStillFilter({ width: pw, height: ph }),
          '-f', 'yuv4mpegpipe', '-strict', '-1', localPath(still)], run);
        filterComplex = graph([{
          filters: [stillShotChain({
            path: still, width: even(pw), height: even(ph), motion, outW: W, outH: H,
            clipFrames: frames, skip: 0, frames, clipStartFrame: 0,
          })],
          outputs: ['vout'],
        }]);
      }
      await runFfmpeg(['-filter_complex', filterComplex, '-map', '[vout]', ...videoEncoderArgs(), '-frames:v', String(frames),
        '-movflags', '+faststart', '-f', 'mp4', localPath(partial)], run);
      await rename(partial, output);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
}
