/**
 * ffmpeg filter chains for single shots. A photo is decoded and scaled ONCE (one frame) — in the
 * renderer, into a plate holding just the part a shot shows — looped, then animated per frame at
 * output resolution: a moving crop (pans need nothing else) plus, for zooms, `zoompan` from a box
 * only slightly larger than the output. A clip is seeked, trimmed, cover-cropped and padded with
 * its last frame. Everything is in whole frames at 30 fps, yuv420p.
 */
import { chain, filter, filterPath, type Filter, type FilterChain } from '../ffmpeg/filtergraph.js';
import { bump, num, pulseTree, pulseWidth } from './expr.js';
import { TIMELINE_FPS, type Rect, type ShotMotion } from './timeline.js';

/** Largest still frame (pixels) a shot scales its photo to; bounds memory for extreme panoramas. */
export const MAX_STILL_PIXELS = 16_000_000;

/** Width at which a photo must be prepared so that its smallest window has `outW` pixels. */
export function preparedWidthFor(motion: ShotMotion, outW: number): number {
  return evenUp(outW / Math.min(motion.from.w, motion.to.w));
}

/**
 * The size a photo's shots compute their geometry on (`shotGeometry`): `wantedWidth` (the largest
 * `preparedWidthFor` of its shots) wide, the photo's aspect, capped at MAX_STILL_PIXELS.
 */
export function referenceSize(photoWidth: number, photoHeight: number, wantedWidth: number): { width: number; height: number } {
  let width = wantedWidth;
  let height = (wantedWidth * photoHeight) / photoWidth;
  const scale = Math.min(1, Math.sqrt(MAX_STILL_PIXELS / (width * height)));
  width *= scale;
  height *= scale;
  return scale < 1 ? { width: even(width), height: even(height) } : { width, height: even(height) };
}

export interface PrepareStillOptions {
  /** Target size of the prepared still (the source's aspect). */
  width: number;
  height: number;
  /** Colour look (trusted ffmpeg chain from a style preset), applied once. */
  look?: string;
  /** The source may have transparency (flattened onto black); default true. */
  alpha?: boolean;
}

/**
 * `-vf` for preparing a still: scale once (lanczos), flatten transparency onto black, apply the
 * look, convert to yuv420p.
 */
export function prepareStillFilter(opts: PrepareStillOptions): FilterChain {
  const parts: Array<Filter | FilterChain> = [filter('scale', { w: even(opts.width), h: even(opts.height), flags: 'lanczos' })];
  if (opts.alpha !== false) parts.push(filter('format', { pix_fmts: 'gbrap' }), filter('premultiply', { inplace: 1 }));
  if (opts.look) parts.push(opts.look as FilterChain);
  parts.push(filter('format', { pix_fmts: 'yuv420p' }), filter('setsar', { sar: 1 }));
  return chain(...parts);
}

export interface PulseSpec {
  /** Beat times (s, absolute) that fall in this clip. */
  beats: number[];
  /** Extra zoom at the peak of a pulse, e.g. 0.06. */
  amount: number;
}

export interface StillShotOptions {
  /** The prepared still and its size. */
  path: string;
  width: number;
  height: number;
  motion: ShotMotion;
  outW: number;
  outH: number;
  /** Frames of the whole clip (motion runs from its first to its last frame). */
  clipFrames: number;
  /** Frames skipped at the start (segment joins) and frames to produce. */
  skip: number;
  frames: number;
  /** Absolute output frame of clip frame 0 (for beat-pulse timing). */
  clipStartFrame: number;
  pulse?: PulseSpec;
}

/**
 * Where a shot's windows lie on its photo. The photo (`width`×`height`, e.g. a prepared still) is
 * scaled to SW×SH so that the smallest window is exactly W pixels wide — unless that would be an
 * enormous frame (a panorama in a portrait video): then windows are enlarged per frame instead.
 */
export interface ShotGeometry {
  /** Scaled photo size. */
  SW: number;
  SH: number;
  /** Windows at both ends of the motion, in scaled-photo pixels. */
  a: { x: number; y: number; w: number };
  b: { x: number; y: number; w: number };
  /** True when the windows change size or need enlarging (zoompan), false for a plain moving crop. */
  zooms: boolean;
  /** Zoom shots: the box (as large as the largest window) zoompan works inside. */
  BW: number;
  BH: number;
}

export function shotGeometry(o: { width: number; height: number; motion: ShotMotion; outW: number; outH: number }): ShotGeometry {
  const { motion, outW: W, outH: H } = o;
  const minW = Math.min(motion.from.w, motion.to.w);
  let k = W / (minW * o.width);
  if (Math.abs(k - 1) < 0.01) k = 1; // prepared for this shot: no rescale
  const capped = o.width * k * o.height * k > MAX_STILL_PIXELS;
  if (capped) k = Math.sqrt(MAX_STILL_PIXELS / (o.width * o.height));
  const SW = k === 1 ? o.width : capped ? even(o.width * k) : Math.max(W, evenUp(o.width * k));
  const SH = k === 1 ? o.height : capped ? even(o.height * k) : Math.max(H, evenUp(o.height * k));
  const px = (r: Rect) => ({ x: r.x * SW, y: r.y * SH, w: r.w * SW });
  const a = px(motion.from);
  const b = px(motion.to);
  const zooms = capped || Math.abs(a.w - b.w) > 0.5 || SW < W || SH < H;
  const BW = Math.min(SW, Math.ceil(Math.max(a.w, b.w)));
  const BH = Math.min(SH, Math.ceil((BW * H) / W));
  return { SW, SH, a, b, zooms, BW, BH };
}

/** A rectangle of the scaled photo (even position and size) that a shot's frames are cut from. */
export interface Plate {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The part of the scaled photo a shot ever shows: the bounding box of its windows (for zooms, at
 * least the zoom box), even-aligned. Preparing only this (a "plate") keeps a shot's memory in the
 * render at about one output frame, whatever the photo's size or shape.
 */
export function shotPlate(g: ShotGeometry, outW: number, outH: number): Plate {
  const { SW, SH, a, b } = g;
  let x0: number;
  let x1: number;
  let y0: number;
  let y1: number;
  let minW: number;
  let minH: number;
  if (!g.zooms) {
    // Pans crop W×H at clip(x, 0, SW − W): exactly those windows.
    const xs = [a.x, b.x].map((v) => Math.min(Math.max(v, 0), SW - outW));
    const ys = [a.y, b.y].map((v) => Math.min(Math.max(v, 0), SH - outH));
    x0 = Math.floor(Math.min(...xs));
    x1 = Math.ceil(Math.max(...xs)) + outW;
    y0 = Math.floor(Math.min(...ys));
    y1 = Math.ceil(Math.max(...ys)) + outH;
    minW = outW;
    minH = outH;
  } else {
    const hOf = (w: number) => (w * outH) / outW;
    x0 = Math.floor(Math.min(a.x, b.x));
    x1 = Math.ceil(Math.max(a.x + a.w, b.x + b.w));
    y0 = Math.floor(Math.min(a.y, b.y));
    y1 = Math.ceil(Math.max(a.y + hOf(a.w), b.y + hOf(b.w)));
    minW = g.BW;
    minH = g.BH;
  }
  const fit = (lo: number, hi: number, min: number, size: number): [number, number] => {
    lo = Math.max(0, lo);
    hi = Math.min(size, hi);
    if (hi - lo < min) {
      const grow = min - (hi - lo);
      lo = Math.max(0, lo - Math.ceil(grow / 2));
      hi = Math.min(size, lo + min);
      lo = Math.max(0, hi - min);
    }
    lo = 2 * Math.floor(lo / 2);
    hi = Math.min(size, 2 * Math.ceil(hi / 2));
    return [lo, hi];
  };
  [x0, x1] = fit(x0, x1, minW, SW);
  [y0, y1] = fit(y0, y1, minH, SH);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Chain (no pads) producing `frames` frames of a Ken Burns shot at outW×outH, 30 fps, yuv420p. */
export function stillShotChain(o: StillShotOptions): FilterChain {
  const g = shotGeometry(o);
  const scale = g.SW !== o.width || g.SH !== o.height ? [filter('scale', { w: g.SW, h: g.SH, flags: 'lanczos' })] : [];
  return shotFrames(o, g, { x: 0, y: 0, w: g.SW, h: g.SH }, [filter('movie', { filename: filterPath(o.path) }), ...scale]);
}

export interface PlateShotOptions extends Omit<StillShotOptions, 'path'> {
  /** The prepared plate (a Y4M frame of plate.w×plate.h, cut from the photo scaled to SW×SH). */
  platePath: string;
  plate: Plate;
}

/**
 * Like `stillShotChain`, from a prepared plate (`shotPlate` of the shot's geometry, with `width`
 * and `height` the photo size the geometry was computed for): no scaling in the render at all.
 */
export function plateShotChain(o: PlateShotOptions): FilterChain {
  return shotFrames(o, shotGeometry(o), o.plate, [filter('movie', { filename: filterPath(o.platePath) })]);
}

function shotFrames(o: Omit<StillShotOptions, 'path'>, g: ShotGeometry, plate: Plate, source: Array<Filter | FilterChain>): FilterChain {
  const { motion, outW: W, outH: H } = o;
  const { a, b, BW, BH } = g;
  // Plate coordinates: the scaled photo shifted by the plate's origin.
  const PW = plate.w;
  const PH = plate.h;
  const den = Math.max(1, o.clipFrames - 1);
  const ease = motion.easing === 'ease_in_out';
  // st(0) = eased progress of frame `v` (n for crop, on for zoompan).
  const progress = (v: string) =>
    `st(0,clip((${v}+${o.skip})/${den},0,1))` + (ease ? ';st(0,ld(0)*ld(0)*(3-2*ld(0)))' : '');
  const lerp = (from: number, to: number) => (Math.abs(to - from) < 1e-9 ? num(from) : `(${num(from)}+${num(to - from)}*ld(0))`);
  const ww = lerp(a.w, b.w);
  const wx = lerp(a.x - plate.x, b.x - plate.x);
  const wy = lerp(a.y - plate.y, b.y - plate.y);
  const pulse = o.pulse && o.pulse.beats.length ? pulseExpr(o.pulse, o.clipStartFrame + o.skip) : undefined;

  const parts: Array<Filter | FilterChain> = [...source];
  parts.push(
    filter('format', { pix_fmts: 'yuv420p' }),
    filter('loop', { loop: o.frames - 1, size: 1, start: 0 }),
    filter('settb', { expr: `1/${TIMELINE_FPS}` }),
    filter('setpts', { expr: 'N' }),
  );
  if (!g.zooms) {
    // Pan (or still): the window is W×H pixels; a moving crop is all it takes. Positions are
    // clipped in photo coordinates (as without a plate), then shifted onto the plate.
    const cx = (v: string) => `clip(${v},${-plate.x},${num(g.SW - W - plate.x)})`;
    const cy = (v: string) => `clip(${v},${-plate.y},${num(g.SH - H - plate.y)})`;
    parts.push(filter('crop', {
      w: W, h: H,
      x: `${progress('n')};clip(${cx(wx)},0,${PW - W})`,
      y: `${progress('n')};clip(${cy(wy)},0,${PH - H})`,
      exact: 1,
    }));
    // No zoom punch here: it would cost a per-frame rescale for the whole shot (the beat flash
    // still marks the beats); zooming shots get the punch for free in their zoompan.
    parts.push(filter('fps', { fps: TIMELINE_FPS }));
  } else {
    // Zoom: crop a box as large as the largest window, then zoompan inside it.
    const wh = `(${ww})*${num(H / W)}`;
    const bx = `clip(${wx}-(${BW}-${ww})/2,0,${PW - BW})`;
    const by = `clip(${wy}-(${BH}-${wh})/2,0,${PH - BH})`;
    if (BW !== PW || BH !== PH) {
      parts.push(filter('crop', {
        w: BW, h: BH,
        x: `${progress('n')};${bx}`,
        y: `${progress('n')};${by}`,
        exact: 1,
      }));
    }
    const zoom = `${BW}/${ww}` + (pulse ? `*(1+${pulse('on')})` : '');
    const fx = BW !== PW ? `${wx}-floor(${bx})` : wx;
    const fy = BH !== PH ? `${wy}-floor(${by})` : wy;
    parts.push(filter('zoompan', {
      z: `${progress('on')};${zoom}`,
      x: `${progress('on')};${fx}+(${ww}-iw/zoom)/2`,
      y: `${progress('on')};${fy}+(${wh}-ih/zoom)/2`,
      d: 1,
      s: `${W}x${H}`,
      fps: TIMELINE_FPS,
    }));
  }
  parts.push(filter('setsar', { sar: 1 }));
  return chain(...parts);
}

/** Expression (of frame variable v) for the extra zoom of beat pulses: a short decaying bump. */
function pulseExpr(p: PulseSpec, firstFrame: number): (v: string) => string {
  const width = pulseWidth(p.beats, 0.18);
  return (v: string) => {
    const t = `((${v}+${firstFrame})/${TIMELINE_FPS})`;
    return `${num(p.amount)}*${pulseTree(p.beats, t, (b) => bump(t, b, width))}`;
  };
}

export interface ClipShotOptions {
  path: string;
  /** Display size of the clip and its rotation (clockwise, from probe). */
  width: number;
  height: number;
  rotation: 0 | 90 | 180 | 270;
  /** Length of the clip in seconds (0 when unknown). */
  durationSeconds: number;
  /** Source time of the first produced frame. */
  startSeconds: number;
  /** The window (normalised source coordinates, output aspect). */
  rect: Rect;
  outW: number;
  outH: number;
  frames: number;
  look?: string;
}

/** Chain producing `frames` frames of a video clip: seek, trim, 30 fps, cover crop, hold the last frame. */
export function clipShotChain(o: ClipShotOptions): FilterChain {
  const W = o.outW;
  const H = o.outH;
  let start = Math.max(0, o.startSeconds);
  if (o.durationSeconds > 0 && start > o.durationSeconds - 0.25) start = Math.max(0, o.durationSeconds - 0.25);
  const k = W / (o.rect.w * o.width);
  const SW = Math.max(W, even(o.width * k));
  const SH = Math.max(H, even(o.height * k));
  const x = Math.min(SW - W, Math.max(0, Math.round(o.rect.x * SW)));
  const y = Math.min(SH - H, Math.max(0, Math.round(o.rect.y * SH)));
  const parts: Array<Filter | FilterChain> = [
    filter('movie', { filename: filterPath(o.path), ...(start > 0 ? { sp: round3(start) } : {}) }),
  ];
  if (o.rotation === 90) parts.push(filter('transpose', { dir: 'clock' }));
  else if (o.rotation === 270) parts.push(filter('transpose', { dir: 'cclock' }));
  else if (o.rotation === 180) parts.push(filter('hflip'), filter('vflip'));
  if (start > 0) parts.push(filter('trim', { start: round3(start) }));
  parts.push(
    filter('setpts', { expr: 'PTS-STARTPTS' }),
    filter('fps', { fps: TIMELINE_FPS }),
    filter('scale', { w: SW, h: SH, flags: 'bicubic' }),
    filter('crop', { w: W, h: H, x, y }),
    filter('setsar', { sar: 1 }),
  );
  if (o.look) parts.push(o.look as FilterChain);
  parts.push(
    filter('format', { pix_fmts: 'yuv420p' }),
    filter('tpad', { stop_mode: 'clone', stop: o.frames }),
    filter('trim', { end_frame: o.frames }),
    filter('settb', { expr: `1/${TIMELINE_FPS}` }),
    filter('setpts', { expr: 'N' }),
    filter('fps', { fps: TIMELINE_FPS }),
  );
  return chain(...parts);
}

export function even(v: number): number {
  return Math.max(2, 2 * Math.round(v / 2));
}

export function evenUp(v: number): number {
  return Math.max(2, 2 * Math.ceil(v / 2 - 1e-6));
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
