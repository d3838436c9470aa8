/**
 * The music-video Timeline: the planner's output, the renderer's input, and the JSON document a
 * music-video job publishes (output role `timeline`, `clipmix render --timeline-out`).
 *
 * # Timeline JSON, version 1
 *
 * All times are seconds of the OUTPUT video (t = 0 is the first frame, which is also the start of
 * the song). Numbers are plain JSON numbers; field names are snake_case.
 *
 * | field | meaning |
 * |---|---|
 * | `version` | Always `1`. A reader must reject other versions. |
 * | `duration_seconds` | Length of the video = length of the song. The renderer writes exactly `round(duration_seconds × fps)` frames. |
 * | `tempo_bpm` | Tempo from the audio analysis, or `null` when it has none. |
 * | `has_beat` | `false` for audio without a steady beat (speech, silence, rubato): cuts are then phrase-based (every few seconds, at section changes) instead of on beats. |
 * | `beats`, `downbeats` | Beat and bar-start times (ascending). Empty when `has_beat` is false. |
 * | `sections` | `[{start, end, label, energy}]`, contiguous, covering `0..duration_seconds`. `label` is `intro`/`verse`/`chorus`/`bridge`/`outro` (or another word); `energy` is 0..1 loudness. |
 * | `shots` | Contiguous list covering the whole video: `shots[0].start = 0`, `shots[i].start = shots[i-1].end`, last `end = duration_seconds`. See *Shots*. |
 * | `style` | Style preset id (`pulse`, `cinematic`, `lyric`, `retro_vhs`, `minimal`, `neon_visualizer`). It supplies the colour look; everything else the style decided is spelled out in this document. |
 * | `aspect` | `16:9`, `9:16` or `1:1`. |
 * | `resolution` | `480p`, `720p` or `1080p`; `width` × `height` follow from aspect and resolution (e.g. 16:9 720p → 1280 × 720, 9:16 480p → 480 × 854). |
 * | `fps` | Always 30 (constant frame rate). |
 * | `seed` | Seed of the planner's pseudo-random choices; the same inputs and seed give the same timeline. |
 * | `media` | The inputs in the order given: `[{index, path, kind, width, height, duration_seconds?}]`. |
 * | `unused_media` | Inputs that did not fit (more photos than the song has room for): `[{index, path, reason}]`. |
 * | `layers` | Overlays drawn over the shots, bottom to top. See *Layers*. |
 * | `captions` | Optional timed lyrics. See *Captions*. |
 * | `warnings` | Human-readable notes about compromises (lyrics dropped, photos unused, …). |
 *
 * ## Shots
 * `{start, end, source, media_index, kind, trim_start?, transition?, motion, section_index}`
 * - `start` is the shot's cut point: the middle of the transition into it (if any). `end` is the
 *   next shot's `start`. When `has_beat` is true every cut except 0 and the end lies on a beat.
 * - `source` is the file path of the photo or clip, `media_index` its index in `media`.
 * - `kind`: `image` (a photo animated by `motion`) or `video` (a clip, muted).
 * - `trim_start` (video only): source time shown at the first visible frame of the shot, i.e. at
 *   `start − transition.duration / 2`. A clip shorter than the shot holds its last frame.
 * - `transition` (absent = hard cut): `{type, duration}` with `type` an ffmpeg `xfade` transition
 *   name (`fade`, `fadeblack`, `wipeleft`, `slideup`, `circleopen`, `dissolve`, `smoothleft`,
 *   `zoomin`, `pixelize`, …). The transition is centred on `start`: the previous shot stays on
 *   screen until `start + duration/2` and this shot is already visible from `start − duration/2`.
 *   The first shot has no transition. For each shot, half of its incoming plus half of its
 *   outgoing transition fit inside it.
 * - `motion` (Ken Burns): `{from, to, easing}`; `from`/`to` are rectangles `{x, y, w, h}` in
 *   normalised SOURCE coordinates (0..1 of the image's width and height, x/y = top-left corner).
 *   The rectangle has the output's aspect ratio (in pixels) and always lies inside the image, so no
 *   border is ever shown. The visible window moves from `from` (first visible frame, including the
 *   incoming transition) to `to` (last visible frame) with `easing` `linear` or `ease_in_out`.
 * - `section_index`: index into `sections` of the section the shot starts in.
 *
 * ## Layers
 * Each layer is `{type, …}`; unknown types are rejected. Colours are `#rrggbb`, opacities 0..1.
 * - `waveform` `{opacity, height, color}`: audio waveform along the bottom, `height` as a fraction
 *   of the frame height.
 * - `spectrum` `{opacity, height, color}`: spectrum bars along the bottom.
 * - `beat_pulse` `{on: 'beats'|'downbeats', strength, mode: 'flash'|'zoom'|'both'}`: a brief
 *   brightening (flash) and/or zoom punch on each beat (`strength` 0..1). The zoom punch is drawn
 *   on shots that are zooming anyway (a pan shot would need a per-frame rescale for it).
 * - `vignette` `{strength}`: darkened corners.
 * - `grain` `{strength}`: film grain.
 * - `vhs` `{strength}`: tape noise, colour bleed and scanlines.
 * - `letterbox` `{ratio}`: black bars to a wider picture (e.g. 2.39).
 * - `title_card` / `end_card` `{text, start, end}`: centred text shown over that interval with fades.
 *
 * ## Captions
 * `{source: 'text'|'lrc'|'srt', timing: 'approximate'|'exact', position: 'bottom'|'center'|'top',
 * karaoke: boolean, lines: [{start, end, text, words?: [{start, end, text}]}]}` — `approximate`
 * when plain lyrics were spread over the song by the planner, `exact` when the times came from LRC
 * or SRT. With `karaoke`, words are highlighted as they are sung (evenly per line when `words` is
 * absent).
 */

export const TIMELINE_VERSION = 1 as const;
export const TIMELINE_FPS = 30 as const;

export type Aspect = '16:9' | '9:16' | '1:1';
export type Resolution = '480p' | '720p' | '1080p';
export const ASPECTS: readonly Aspect[] = ['16:9', '9:16', '1:1'];
export const RESOLUTIONS: readonly Resolution[] = ['480p', '720p', '1080p'];

/** Output size per aspect and resolution (all even, as H.264 4:2:0 needs). */
export const OUTPUT_SIZES: Record<Aspect, Record<Resolution, { width: number; height: number }>> = {
  '16:9': { '480p': { width: 854, height: 480 }, '720p': { width: 1280, height: 720 }, '1080p': { width: 1920, height: 1080 } },
  '9:16': { '480p': { width: 480, height: 854 }, '720p': { width: 720, height: 1280 }, '1080p': { width: 1080, height: 1920 } },
  '1:1': { '480p': { width: 480, height: 480 }, '720p': { width: 720, height: 720 }, '1080p': { width: 1080, height: 1080 } },
};

export function outputSize(aspect: Aspect, resolution: Resolution): { width: number; height: number } {
  return { ...OUTPUT_SIZES[aspect][resolution] };
}

/** ffmpeg 5.1 `xfade` transitions a timeline may name. */
export const XFADE_TRANSITIONS = [
  'fade', 'wipeleft', 'wiperight', 'wipeup', 'wipedown', 'slideleft', 'slideright', 'slideup', 'slidedown',
  'circlecrop', 'rectcrop', 'distance', 'fadeblack', 'fadewhite', 'radial', 'smoothleft', 'smoothright',
  'smoothup', 'smoothdown', 'circleopen', 'circleclose', 'vertopen', 'vertclose', 'horzopen', 'horzclose',
  'dissolve', 'pixelize', 'diagtl', 'diagtr', 'diagbl', 'diagbr', 'hlslice', 'hrslice', 'vuslice', 'vdslice',
  'hblur', 'fadegrays', 'wipetl', 'wipetr', 'wipebl', 'wipebr', 'squeezeh', 'squeezev', 'zoomin',
] as const;
export type TransitionType = (typeof XFADE_TRANSITIONS)[number];

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Easing = 'linear' | 'ease_in_out';

export interface ShotMotion {
  from: Rect;
  to: Rect;
  easing: Easing;
}

export interface ShotTransition {
  type: TransitionType;
  duration: number;
}

export interface TimelineShot {
  start: number;
  end: number;
  source: string;
  media_index: number;
  kind: 'image' | 'video';
  trim_start?: number;
  transition?: ShotTransition;
  motion: ShotMotion;
  section_index: number;
}

export interface TimelineSection {
  start: number;
  end: number;
  label: string;
  energy: number;
}

export interface TimelineMedia {
  index: number;
  path: string;
  kind: 'image' | 'video';
  width: number;
  height: number;
  duration_seconds?: number;
}

export interface UnusedMedia {
  index: number;
  path: string;
  reason: string;
}

export type Layer =
  | { type: 'waveform'; opacity: number; height: number; color: string }
  | { type: 'spectrum'; opacity: number; height: number; color: string }
  | { type: 'beat_pulse'; on: 'beats' | 'downbeats'; strength: number; mode: 'flash' | 'zoom' | 'both' }
  | { type: 'vignette'; strength: number }
  | { type: 'grain'; strength: number }
  | { type: 'vhs'; strength: number }
  | { type: 'letterbox'; ratio: number }
  | { type: 'title_card'; text: string; start: number; end: number }
  | { type: 'end_card'; text: string; start: number; end: number };
export type LayerType = Layer['type'];
export const LAYER_TYPES: readonly LayerType[] = [
  'waveform', 'spectrum', 'beat_pulse', 'vignette', 'grain', 'vhs', 'letterbox', 'title_card', 'end_card',
];

export interface CaptionWord {
  start: number;
  end: number;
  text: string;
}

export interface CaptionLine {
  start: number;
  end: number;
  text: string;
  words?: CaptionWord[];
}

export interface TimelineCaptions {
  source: 'text' | 'lrc' | 'srt';
  timing: 'approximate' | 'exact';
  position: 'bottom' | 'center' | 'top';
  karaoke: boolean;
  lines: CaptionLine[];
}

export interface Timeline {
  version: typeof TIMELINE_VERSION;
  duration_seconds: number;
  tempo_bpm: number | null;
  has_beat: boolean;
  beats: number[];
  downbeats: number[];
  sections: TimelineSection[];
  shots: TimelineShot[];
  style: string;
  aspect: Aspect;
  resolution: Resolution;
  width: number;
  height: number;
  fps: typeof TIMELINE_FPS;
  seed: number;
  media: TimelineMedia[];
  unused_media: UnusedMedia[];
  layers: Layer[];
  captions?: TimelineCaptions;
  warnings: string[];
}

/** A timeline failed validation; `issues` lists every problem as `path: message`. */
export class TimelineValidationError extends Error {
  override name = 'TimelineValidationError';
  constructor(readonly issues: string[]) {
    const shown = issues.slice(0, 8).join('; ');
    super(`invalid timeline: ${shown}${issues.length > 8 ? `; … and ${issues.length - 8} more` : ''}`);
  }
}

/** Tolerance for "equal" times: well below one frame. */
export const TIME_EPSILON = 1e-6;
const MAX_DURATION = 4 * 3600;

/**
 * Check a value against the Timeline format (above) and return it typed, or throw
 * TimelineValidationError listing every problem. `knownStyles`, when given, restricts `style`.
 */
export function validateTimeline(value: unknown, opts: { knownStyles?: readonly string[] } = {}): Timeline {
  const issues = timelineIssues(value, opts);
  if (issues.length) throw new TimelineValidationError(issues);
  return value as Timeline;
}

/** Every problem with `value` as a Timeline (empty when it is valid). */
export function timelineIssues(value: unknown, opts: { knownStyles?: readonly string[] } = {}): string[] {
  const v = new Checker();
  if (!isObject(value)) return ['timeline: must be an object'];
  const t = value;
  if (t.version !== TIMELINE_VERSION) v.add('version', `must be ${TIMELINE_VERSION}, got ${JSON.stringify(t.version)}`);
  const duration = v.number('duration_seconds', t.duration_seconds, { gt: 0, max: MAX_DURATION });
  if (t.tempo_bpm !== null) v.number('tempo_bpm', t.tempo_bpm, { gt: 0, max: 1000 });
  v.boolean('has_beat', t.has_beat);
  const end = duration ?? Infinity;
  v.times('beats', t.beats, end);
  v.times('downbeats', t.downbeats, end);
  if (v.array('sections', t.sections)) {
    (t.sections as unknown[]).forEach((s, i) => {
      const p = `sections[${i}]`;
      if (!isObject(s)) return v.add(p, 'must be an object');
      const a = v.number(`${p}.start`, s.start, { min: 0 });
      const b = v.number(`${p}.end`, s.end, { min: 0, max: end + TIME_EPSILON });
      if (a !== undefined && b !== undefined && !(b > a)) v.add(p, `end (${b}) must be after start (${a})`);
      v.string(`${p}.label`, s.label);
      v.number(`${p}.energy`, s.energy, { min: 0, max: 1 });
    });
  }
  if (v.enumOf('aspect', t.aspect, ASPECTS) && v.enumOf('resolution', t.resolution, RESOLUTIONS)) {
    const size = OUTPUT_SIZES[t.aspect as Aspect][t.resolution as Resolution];
    if (t.width !== size.width || t.height !== size.height) {
      v.add('width/height', `must be ${size.width}×${size.height} for ${String(t.aspect)} ${String(t.resolution)}, got ${String(t.width)}×${String(t.height)}`);
    }
  }
  if (t.fps !== TIMELINE_FPS) v.add('fps', `must be ${TIMELINE_FPS}`);
  if (v.string('style', t.style) && opts.knownStyles && !opts.knownStyles.includes(t.style as string)) {
    v.add('style', `unknown style ${JSON.stringify(t.style)}; known styles: ${opts.knownStyles.join(', ')}`);
  }
  if (!Number.isSafeInteger(t.seed)) v.add('seed', 'must be an integer');
  checkMedia(v, t.media);
  if (v.array('unused_media', t.unused_media)) {
    (t.unused_media as unknown[]).forEach((u, i) => {
      if (!isObject(u)) return v.add(`unused_media[${i}]`, 'must be an object');
      v.integer(`unused_media[${i}].index`, u.index, 0);
      v.string(`unused_media[${i}].path`, u.path);
      v.string(`unused_media[${i}].reason`, u.reason);
    });
  }
  if (v.array('warnings', t.warnings)) {
    (t.warnings as unknown[]).forEach((w, i) => v.string(`warnings[${i}]`, w));
  }
  checkShots(v, t.shots, duration, t.media, Array.isArray(t.sections) ? t.sections.length : 0);
  checkLayers(v, t.layers, end);
  if (t.captions !== undefined) checkCaptions(v, t.captions, end);
  return v.issues;
}

function checkMedia(v: Checker, media: unknown): void {
  if (!v.array('media', media)) return;
  (media as unknown[]).forEach((m, i) => {
    const p = `media[${i}]`;
    if (!isObject(m)) return v.add(p, 'must be an object');
    if (m.index !== i) v.add(`${p}.index`, `must be ${i}`);
    v.string(`${p}.path`, m.path);
    v.enumOf(`${p}.kind`, m.kind, ['image', 'video']);
    v.integer(`${p}.width`, m.width, 1);
    v.integer(`${p}.height`, m.height, 1);
    if (m.duration_seconds !== undefined) v.number(`${p}.duration_seconds`, m.duration_seconds, { gt: 0 });
  });
}

function checkShots(v: Checker, shots: unknown, duration: number | undefined, media: unknown, sectionCount: number): void {
  const mediaList = Array.isArray(media) ? (media as Array<Record<string, unknown>>) : undefined;
  const mediaCount = mediaList?.length;
  if (!v.array('shots', shots)) return;
  const list = shots as unknown[];
  if (list.length === 0) return v.add('shots', 'must contain at least one shot');
  let prevEnd = 0;
  const lengths: number[] = [];
  const transIn: number[] = [];
  list.forEach((s, i) => {
    const p = `shots[${i}]`;
    lengths.push(NaN);
    transIn.push(0);
    if (!isObject(s)) return v.add(p, 'must be an object');
    const a = v.number(`${p}.start`, s.start, { min: 0 });
    const b = v.number(`${p}.end`, s.end, { min: 0 });
    if (a !== undefined && Math.abs(a - prevEnd) > TIME_EPSILON) {
      v.add(`${p}.start`, i === 0 ? `must be 0, got ${a}` : `must equal the previous shot's end (${prevEnd}), got ${a}`);
    }
    if (a !== undefined && b !== undefined) {
      if (!(b > a)) v.add(p, `end (${b}) must be after start (${a})`);
      lengths[i] = b - a;
    }
    if (b !== undefined) prevEnd = b;
    v.string(`${p}.source`, s.source);
    const kind = v.enumOf(`${p}.kind`, s.kind, ['image', 'video']) ? s.kind : undefined;
    if (v.integer(`${p}.media_index`, s.media_index, 0) && mediaCount !== undefined) {
      const m = mediaList![s.media_index as number];
      if (!m) v.add(`${p}.media_index`, `must be below the number of media (${mediaCount})`);
      else if (m.path !== s.source || m.kind !== s.kind) v.add(p, `source and kind must be those of media[${String(s.media_index)}]`);
    }
    if (v.integer(`${p}.section_index`, s.section_index, 0) && sectionCount > 0 && (s.section_index as number) >= sectionCount) {
      v.add(`${p}.section_index`, `must be below the number of sections (${sectionCount})`);
    }
    if (s.trim_start !== undefined) {
      v.number(`${p}.trim_start`, s.trim_start, { min: 0 });
      if (kind === 'image') v.add(`${p}.trim_start`, 'only video shots have trim_start');
    }
    if (s.transition !== undefined) {
      if (i === 0) v.add(`${p}.transition`, 'the first shot cannot have a transition');
      if (!isObject(s.transition)) v.add(`${p}.transition`, 'must be an object');
      else {
        v.enumOf(`${p}.transition.type`, s.transition.type, XFADE_TRANSITIONS);
        const d = v.number(`${p}.transition.duration`, s.transition.duration, { gt: 0, max: 10 });
        if (d !== undefined) transIn[i] = d;
      }
    }
    checkMotion(v, `${p}.motion`, s.motion);
  });
  if (duration !== undefined && Math.abs(prevEnd - duration) > TIME_EPSILON) {
    v.add(`shots[${list.length - 1}].end`, `must equal duration_seconds (${duration}), got ${prevEnd}`);
  }
  for (let i = 0; i < list.length; i++) {
    const need = transIn[i]! / 2 + (i + 1 < list.length ? transIn[i + 1]! / 2 : 0);
    if (Number.isFinite(lengths[i]) && need > lengths[i]! + TIME_EPSILON) {
      v.add(`shots[${i}]`, `its transitions need ${need.toFixed(3)} s but the shot lasts ${lengths[i]!.toFixed(3)} s`);
    }
  }
}

function checkMotion(v: Checker, p: string, m: unknown): void {
  if (!isObject(m)) return v.add(p, 'must be an object');
  for (const key of ['from', 'to'] as const) {
    const r = m[key];
    if (!isObject(r)) {
      v.add(`${p}.${key}`, 'must be a rectangle {x, y, w, h}');
      continue;
    }
    const x = v.number(`${p}.${key}.x`, r.x, { min: 0, max: 1 });
    const y = v.number(`${p}.${key}.y`, r.y, { min: 0, max: 1 });
    const w = v.number(`${p}.${key}.w`, r.w, { gt: 0, max: 1 });
    const h = v.number(`${p}.${key}.h`, r.h, { gt: 0, max: 1 });
    if (x !== undefined && w !== undefined && x + w > 1 + TIME_EPSILON) v.add(`${p}.${key}`, 'x + w must be ≤ 1 (inside the image)');
    if (y !== undefined && h !== undefined && y + h > 1 + TIME_EPSILON) v.add(`${p}.${key}`, 'y + h must be ≤ 1 (inside the image)');
  }
  v.enumOf(`${p}.easing`, m.easing, ['linear', 'ease_in_out']);
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

function checkLayers(v: Checker, layers: unknown, end: number): void {
  if (!v.array('layers', layers)) return;
  (layers as unknown[]).forEach((l, i) => {
    const p = `layers[${i}]`;
    if (!isObject(l)) return v.add(p, 'must be an object');
    if (!v.enumOf(`${p}.type`, l.type, LAYER_TYPES)) return;
    switch (l.type as LayerType) {
      case 'waveform':
      case 'spectrum':
        v.number(`${p}.opacity`, l.opacity, { min: 0, max: 1 });
        v.number(`${p}.height`, l.height, { gt: 0, max: 0.5 });
        if (typeof l.color !== 'string' || !COLOR.test(l.color)) v.add(`${p}.color`, 'must be #rrggbb');
        break;
      case 'beat_pulse':
        v.enumOf(`${p}.on`, l.on, ['beats', 'downbeats']);
        v.enumOf(`${p}.mode`, l.mode, ['flash', 'zoom', 'both']);
        v.number(`${p}.strength`, l.strength, { min: 0, max: 1 });
        break;
      case 'vignette':
      case 'grain':
      case 'vhs':
        v.number(`${p}.strength`, l.strength, { min: 0, max: 1 });
        break;
      case 'letterbox':
        v.number(`${p}.ratio`, l.ratio, { min: 1, max: 4 });
        break;
      case 'title_card':
      case 'end_card': {
        if (v.string(`${p}.text`, l.text) && (l.text as string).length > 500) v.add(`${p}.text`, 'must be at most 500 characters');
        const a = v.number(`${p}.start`, l.start, { min: 0, max: end });
        const b = v.number(`${p}.end`, l.end, { min: 0, max: end + TIME_EPSILON });
        if (a !== undefined && b !== undefined && !(b > a)) v.add(p, 'end must be after start');
        break;
      }
    }
  });
}

function checkCaptions(v: Checker, c: unknown, end: number): void {
  if (!isObject(c)) return v.add('captions', 'must be an object');
  v.enumOf('captions.source', c.source, ['text', 'lrc', 'srt']);
  v.enumOf('captions.timing', c.timing, ['approximate', 'exact']);
  v.enumOf('captions.position', c.position, ['bottom', 'center', 'top']);
  v.boolean('captions.karaoke', c.karaoke);
  if (!v.array('captions.lines', c.lines)) return;
  (c.lines as unknown[]).forEach((line, i) => {
    const p = `captions.lines[${i}]`;
    if (!isObject(line)) return v.add(p, 'must be an object');
    const a = v.number(`${p}.start`, line.start, { min: 0, max: end });
    const b = v.number(`${p}.end`, line.end, { min: 0, max: end + TIME_EPSILON });
    if (a !== undefined && b !== undefined && !(b > a)) v.add(p, 'end must be after start');
    v.string(`${p}.text`, line.text);
    if (line.words === undefined) return;
    if (!v.array(`${p}.words`, line.words)) return;
    (line.words as unknown[]).forEach((w, j) => {
      const q = `${p}.words[${j}]`;
      if (!isObject(w)) return v.add(q, 'must be an object');
      const wa = v.number(`${q}.start`, w.start, { min: 0 });
      const wb = v.number(`${q}.end`, w.end, { min: 0 });
      if (wa !== undefined && wb !== undefined && wb < wa) v.add(q, 'end must not be before start');
      v.string(`${q}.text`, w.text, true);
    });
  });
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

class Checker {
  readonly issues: string[] = [];

  add(path: string, message: string): void {
    this.issues.push(`${path}: ${message}`);
  }

  number(path: string, x: unknown, r: { min?: number; gt?: number; max?: number }): number | undefined {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      this.add(path, `must be a finite number, got ${describe(x)}`);
      return undefined;
    }
    if (r.min !== undefined && x < r.min) this.add(path, `must be ≥ ${r.min}, got ${x}`);
    else if (r.gt !== undefined && !(x > r.gt)) this.add(path, `must be > ${r.gt}, got ${x}`);
    else if (r.max !== undefined && x > r.max) this.add(path, `must be ≤ ${r.max}, got ${x}`);
    else return x;
    return undefined;
  }

  integer(path: string, x: unknown, min: number): boolean {
    if (!Number.isSafeInteger(x) || (x as number) < min) {
      this.add(path, `must be an integer ≥ ${min}, got ${describe(x)}`);
      return false;
    }
    return true;
  }

  string(path: string, x: unknown, allowEmpty = false): boolean {
    if (typeof x !== 'string' || (!allowEmpty && x.length === 0)) {
      this.add(path, `must be a non-empty string, got ${describe(x)}`);
      return false;
    }
    return true;
  }

  boolean(path: string, x: unknown): boolean {
    if (typeof x !== 'boolean') {
      this.add(path, `must be true or false, got ${describe(x)}`);
      return false;
    }
    return true;
  }

  array(path: string, x: unknown): boolean {
    if (!Array.isArray(x)) {
      this.add(path, `must be an array, got ${describe(x)}`);
      return false;
    }
    return true;
  }

  enumOf(path: string, x: unknown, allowed: readonly string[]): boolean {
    if (typeof x !== 'string' || !allowed.includes(x)) {
      this.add(path, `must be one of ${allowed.join(', ')}; got ${describe(x)}`);
      return false;
    }
    return true;
  }

  /** An ascending list of times within 0..end. */
  times(path: string, x: unknown, end: number): void {
    if (!this.array(path, x)) return;
    const list = x as unknown[];
    for (let i = 0; i < list.length; i++) {
      const n = this.number(`${path}[${i}]`, list[i], { min: 0, max: end + TIME_EPSILON });
      if (n === undefined) return;
      if (i > 0 && !(n > (list[i - 1] as number))) return this.add(`${path}[${i}]`, 'times must be strictly ascending');
    }
  }
}

function describe(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return x === null ? 'null' : 'an object';
  return String(x);
}

/** Frame index (at TIMELINE_FPS) nearest to a time. */
export function frameAt(seconds: number): number {
  return Math.round(seconds * TIMELINE_FPS);
}
