/**
 * Text overlay styling: the font names an edit list may use, colours, and the drawtext filter for
 * one overlay. Text never enters the graph: it comes from a file (`textfile=` + `expansion=none`,
 * written by the ffmpeg layer's drawtextTextfile) and every option value goes through the
 * filtergraph builder's escaping.
 */
import { filter, filterPath, type Filter } from '../ffmpeg/filtergraph.js';
import type { Interval } from './model.js';
import type { TextOperation } from './types.js';

/** Font names for `text.font`; CJK text always uses Noto Sans CJK (bold or regular). */
export const EDIT_FONTS: ReadonlyArray<{ name: string; label: string; files: string[]; bold: boolean }> = [
  { name: 'sans-bold', label: 'Sans bold', files: ['NotoSans-Bold.ttf', 'DejaVuSans-Bold.ttf'], bold: true },
  { name: 'sans', label: 'Sans', files: ['NotoSans-Regular.ttf', 'DejaVuSans.ttf'], bold: false },
  { name: 'serif-bold', label: 'Serif bold', files: ['NotoSerif-Bold.ttf', 'DejaVuSerif-Bold.ttf'], bold: true },
  { name: 'serif', label: 'Serif', files: ['NotoSerif-Regular.ttf', 'DejaVuSerif.ttf'], bold: false },
  { name: 'mono-bold', label: 'Monospace bold', files: ['DejaVuSansMono-Bold.ttf'], bold: true },
  { name: 'mono', label: 'Monospace', files: ['DejaVuSansMono.ttf'], bold: false },
];
export const DEFAULT_FONT = 'sans-bold';

export const EDIT_COLOR_NAMES: readonly string[] = [
  'white', 'black', 'red', 'green', 'blue', 'yellow', 'orange', 'purple', 'pink', 'cyan', 'magenta', 'gray', 'grey', 'brown', 'gold', 'silver', 'navy', 'teal', 'lime',
];
const HEX_COLOR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;

export function isEditColor(value: string): boolean {
  return HEX_COLOR.test(value) || EDIT_COLOR_NAMES.includes(value.toLowerCase());
}

/** ffmpeg colour syntax for a validated colour. */
export function ffmpegColor(value: string): string {
  return HEX_COLOR.test(value) ? `0x${value.slice(1)}` : value.toLowerCase();
}

/** Seconds of a fade or slide at each end of an overlay (a third of it at most). */
export function animationSeconds(span: number): number {
  return Math.min(0.4, span / 3);
}

const n = (x: number): string => String(Math.round(x * 1e6) / 1e6);

/** `gte(t,a)*lt(t,b)+…` for half-open output intervals (disjoint, so the sum is 0 or 1). */
export function enableExpr(intervals: readonly Interval[]): string {
  return intervals.map((iv) => `gte(t,${n(iv.start)})*lt(t,${n(iv.end)})`).join('+');
}

export interface OverlayAssets {
  textfile: string;
  fontfile: string;
}

/**
 * drawtext for one overlay shown during `intervals` of the output, in a frame `frameHeight`
 * pixels high (for the default size and the slide distance).
 */
export function textOverlayFilter(op: TextOperation, intervals: readonly Interval[], assets: OverlayAssets, frameHeight: number): Filter {
  const size = Math.round(op.size ?? Math.max(12, frameHeight * 0.07));
  const t0 = intervals[0]!.start;
  const t1 = intervals[intervals.length - 1]!.end;
  const a = n(animationSeconds(t1 - t0));
  const margin = 'h*0.06';
  let x = '(w-text_w)/2';
  let y: string;
  if (typeof op.position === 'object') {
    x = `w*${n(op.position.x)}`;
    y = `h*${n(op.position.y)}`;
  } else {
    y = op.position === 'top' ? margin : op.position === 'center' ? '(h-text_h)/2' : `h-text_h-${margin}`;
  }
  const animation = op.animation ?? 'none';
  // Linear in, linear out, clipped: the overlay is fully opaque except in its first and last `a` seconds.
  const alpha = animation === 'none' ? undefined : `clip(min((t-${n(t0)})/${a},(${n(t1)}-t)/${a}),0,1)`;
  if (animation === 'slide') y = `${y}+h*0.05*pow(1-clip((t-${n(t0)})/${a},0,1),2)`;
  const border = Math.max(1, Math.round(size / 16));
  const shadow = Math.max(1, Math.round(size / 20));
  return filter('drawtext', {
    textfile: filterPath(assets.textfile),
    expansion: 'none',
    fontfile: filterPath(assets.fontfile),
    fontsize: size,
    fontcolor: ffmpegColor(op.color ?? 'white'),
    x,
    y,
    alpha,
    borderw: op.outline ? border : undefined,
    bordercolor: op.outline ? 'black' : undefined,
    shadowx: op.shadow ? shadow : undefined,
    shadowy: op.shadow ? shadow : undefined,
    shadowcolor: op.shadow ? 'black@0.6' : undefined,
    line_spacing: Math.round(size * 0.2),
    enable: enableExpr(intervals),
  });
}

/** The watermark: small, semi-transparent, bottom-right, on every frame. */
export function watermarkFilter(assets: OverlayAssets, frameHeight: number): Filter {
  const size = Math.max(10, Math.round(frameHeight * 0.035));
  return filter('drawtext', {
    textfile: filterPath(assets.textfile),
    expansion: 'none',
    fontfile: filterPath(assets.fontfile),
    fontsize: size,
    fontcolor: 'white@0.7',
    shadowx: 1,
    shadowy: 1,
    shadowcolor: 'black@0.5',
    x: `w-text_w-${Math.round(size * 0.8)}`,
    y: `h-text_h-${Math.round(size * 0.8)}`,
  });
}
