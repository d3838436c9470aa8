/**
 * Ken Burns geometry. A window with the output's aspect ratio (in pixels) moves over the source
 * image; rectangles are in normalised source coordinates (0..1 of width and height). Every window
 * lies inside the image, so no border can show: the image is cover-fitted, never letterboxed.
 */
import type { Random } from './random.js';
import type { Easing, Rect, ShotMotion } from './timeline.js';

/** The largest centred window with the output's aspect (zoom 1 = cover fit). */
export function coverRect(srcW: number, srcH: number, outW: number, outH: number): Rect {
  const src = srcW / srcH;
  const out = outW / outH;
  const w = src > out ? out / src : 1;
  const h = src > out ? 1 : src / out;
  return { x: (1 - w) / 2, y: (1 - h) / 2, w, h };
}

export function staticMotion(srcW: number, srcH: number, outW: number, outH: number): ShotMotion {
  const r = roundRect(coverRect(srcW, srcH, outW, outH));
  return { from: r, to: { ...r }, easing: 'linear' };
}

export interface MotionParams {
  srcW: number;
  srcH: number;
  outW: number;
  outH: number;
  zoomMin: number;
  zoomMax: number;
  /** Fraction (0..1) of the free room the window travels. */
  pan: number;
  easing: Easing;
}

/**
 * A random (seeded) push-in, pull-out or pan that stays inside the image. The closer end of every
 * motion is exactly `zoomMax`, so all shots of one photo share their smallest window: the renderer
 * scales each photo once and never again per shot.
 */
export function randomMotion(rng: Random, p: MotionParams): ShotMotion {
  const base = coverRect(p.srcW, p.srcH, p.outW, p.outH);
  const span = Math.max(0, p.zoomMax - p.zoomMin);
  let zFrom = p.zoomMin + span * 0.6 * rng.next();
  let zTo = p.zoomMax;
  if (rng.next() < 0.4) [zFrom, zTo] = [zTo, zFrom];
  // Lots of spare room on one axis (a portrait photo in a landscape frame): mostly a pan along it.
  const roomX = 1 - base.w;
  const roomY = 1 - base.h;
  const tall = roomY > 0.2;
  const wide = roomX > 0.2;
  if ((tall || wide) && rng.next() < 0.7) zFrom = zTo = p.zoomMax;

  const a = sized(base, zFrom);
  const b = sized(base, zTo);
  // Direction of travel as positions within the free room (0 = left/top edge, 1 = right/bottom).
  const angle = rng.next() * 2 * Math.PI;
  let dx = Math.cos(angle) * p.pan * 0.5;
  let dy = Math.sin(angle) * p.pan * 0.5;
  if (tall) { dx *= 0.3; dy = (rng.next() < 0.5 ? 1 : -1) * Math.max(0.2, p.pan * 0.5); }
  if (wide) { dy *= 0.3; dx = (rng.next() < 0.5 ? 1 : -1) * Math.max(0.2, p.pan * 0.5); }
  // Faces and horizons sit high in most portraits: centre tall pans a little above the middle.
  const cy = tall ? 0.4 : 0.5;
  const from = place(a, 0.5 - dx, cy - dy);
  const to = place(b, 0.5 + dx, cy + dy);
  return { from, to, easing: p.easing };
}

/** Named motions (for image-to-video hints), deterministic. */
export type MotionHint = 'zoom_in' | 'zoom_out' | 'pan_left' | 'pan_right' | 'pan_up' | 'pan_down' | 'static';

export function hintedMotion(hint: MotionHint, p: Omit<MotionParams, 'pan'> & { pan?: number }): ShotMotion {
  const base = coverRect(p.srcW, p.srcH, p.outW, p.outH);
  const pan = p.pan ?? 0.8;
  const zMid = (p.zoomMin + p.zoomMax) / 2;
  const c = (z: number, fx: number, fy: number) => place(sized(base, z), fx, fy);
  const lo = 0.5 - pan / 2;
  const hi = 0.5 + pan / 2;
  switch (hint) {
    case 'zoom_in': return { from: c(p.zoomMin, 0.5, 0.5), to: c(p.zoomMax, 0.5, 0.45), easing: p.easing };
    case 'zoom_out': return { from: c(p.zoomMax, 0.5, 0.45), to: c(p.zoomMin, 0.5, 0.5), easing: p.easing };
    case 'pan_left': return { from: c(zMid, hi, 0.5), to: c(zMid, lo, 0.5), easing: p.easing };
    case 'pan_right': return { from: c(zMid, lo, 0.5), to: c(zMid, hi, 0.5), easing: p.easing };
    case 'pan_up': return { from: c(zMid, 0.5, hi), to: c(zMid, 0.5, lo), easing: p.easing };
    case 'pan_down': return { from: c(zMid, 0.5, lo), to: c(zMid, 0.5, hi), easing: p.easing };
    case 'static': return { from: c(1, 0.5, 0.5), to: c(1, 0.5, 0.5), easing: p.easing };
  }
}

function sized(base: Rect, zoom: number): { w: number; h: number } {
  const z = Math.max(1, zoom);
  return { w: floor4(base.w / z), h: floor4(base.h / z) };
}

/** Put a window of size w×h at fractions (fx, fy) of the free room, inside the image. */
function place(size: { w: number; h: number }, fx: number, fy: number): Rect {
  const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
  const x = floor4(clamp01(fx) * (1 - size.w));
  const y = floor4(clamp01(fy) * (1 - size.h));
  return { x: Math.max(0, Math.min(x, floor4(1 - size.w))), y: Math.max(0, Math.min(y, floor4(1 - size.h))), w: size.w, h: size.h };
}

function floor4(v: number): number {
  return Math.floor(v * 10000 + 1e-7) / 10000;
}

function roundRect(r: Rect): Rect {
  const w = floor4(r.w);
  const h = floor4(r.h);
  return { x: floor4((1 - w) / 2), y: floor4((1 - h) / 2), w, h };
}

export function ease(easing: Easing, p: number): number {
  const t = Math.min(1, Math.max(0, p));
  return easing === 'ease_in_out' ? t * t * (3 - 2 * t) : t;
}

/** The window at progress p (0 = first visible frame, 1 = last). */
export function rectAt(motion: ShotMotion, p: number): Rect {
  const s = ease(motion.easing, p);
  const lerp = (a: number, b: number) => a + (b - a) * s;
  const { from: f, to: t } = motion;
  return { x: lerp(f.x, t.x), y: lerp(f.y, t.y), w: lerp(f.w, t.w), h: lerp(f.h, t.h) };
}
