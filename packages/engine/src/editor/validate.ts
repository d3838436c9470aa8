/**
 * Edit list validation: every problem is reported (not just the first), each naming the
 * operation's index and type and the field. With durations (and the frame size) in the context,
 * times and crop rectangles are checked against the edit as it is at that operation.
 */
import { EDIT_FILTER_NAMES } from './filters.js';
import { applyGeometryOp, applyTimelineOp, resolveRef, totalDuration, type Frame, type Piece } from './model.js';
import { EDIT_FONTS, isEditColor } from './text-style.js';
import {
  EDIT_LIST_VERSION,
  EDIT_OPERATION_TYPES,
  MAX_OPERATIONS,
  MAX_SPEED,
  MAX_TEXT_CHARS,
  MIN_SPEED,
  type EditIssue,
  type EditOperation,
  type SourceRef,
  type TextPosition,
  type ValidateContext,
} from './types.js';

/** Times may overshoot the end by this much (float noise, rounded UI values) and are clamped. */
const TIME_TOLERANCE = 1e-3;
const MAX_CONCAT_INPUTS = 100;
const MAX_TEXT_SIZE = 1000;
const MAX_VOLUME = 4;
const fmt = (x: number): string => String(Math.round(x * 1000) / 1000);

type Raw = Record<string, unknown>;

class OpChecker {
  constructor(
    readonly index: number,
    readonly op: string,
    readonly issues: EditIssue[],
  ) {}

  fail(field: string, message: string): void {
    this.issues.push({ index: this.index, op: this.op, field, message: `operation ${this.index} (${this.op}): ${message}` });
  }

  /** A finite number (not a numeric string) in [min, max]; undefined (with an issue) otherwise. */
  num(raw: Raw, field: string, opts: { min?: number; max?: number; optional?: boolean; above?: number; integer?: boolean } = {}): number | undefined {
    const v = raw[field];
    if (v === undefined && opts.optional) return undefined;
    if (v === undefined) return this.fail(field, `${field} is required`), undefined;
    if (typeof v !== 'number') return this.fail(field, `${field} must be a number, got ${describe(v)}`), undefined;
    if (!Number.isFinite(v)) return this.fail(field, `${field} must be a finite number, got ${String(v)}`), undefined;
    if (opts.integer && !Number.isInteger(v)) return this.fail(field, `${field} must be a whole number, got ${v}`), undefined;
    if (opts.above !== undefined && !(v > opts.above)) return this.fail(field, `${field} must be greater than ${opts.above}, got ${v}`), undefined;
    if (opts.min !== undefined && v < opts.min) {
      return this.fail(field, opts.min === 0 ? `${field} must not be negative, got ${v}` : `${field} must be at least ${opts.min}, got ${v}`), undefined;
    }
    if (opts.max !== undefined && v > opts.max) return this.fail(field, `${field} must be at most ${opts.max}, got ${v}`), undefined;
    return v;
  }

  oneOf<T extends string | number>(raw: Raw, field: string, allowed: readonly T[], optional = false): T | undefined {
    const v = raw[field];
    if (v === undefined && optional) return undefined;
    if ((allowed as readonly unknown[]).includes(v)) return v as T;
    this.fail(field, `${field} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(v)}`);
    return undefined;
  }

  bool(raw: Raw, field: string): boolean | undefined {
    const v = raw[field];
    if (v === undefined || typeof v === 'boolean') return v;
    this.fail(field, `${field} must be true or false, got ${describe(v)}`);
    return undefined;
  }

  /** start/end of a range inside the edit as it is now (duration unknown: only start < end). */
  range(raw: Raw, duration: number | undefined): { start: number; end: number } | undefined {
    const start = this.num(raw, 'start', { min: 0 });
    const end = this.num(raw, 'end', { min: 0 });
    if (start === undefined || end === undefined) return undefined;
    if (end <= start) return this.fail('end', `end (${fmt(end)}) must be after start (${fmt(start)})`), undefined;
    if (duration !== undefined) {
      if (start >= duration) {
        return this.fail('start', `start (${fmt(start)}) is outside the video, which lasts ${fmt(duration)} s at this point`), undefined;
      }
      if (end > duration + TIME_TOLERANCE) {
        return this.fail('end', `end (${fmt(end)}) is past the end of the video, which lasts ${fmt(duration)} s at this point`), undefined;
      }
    }
    return { start, end: duration !== undefined ? Math.min(end, duration) : end };
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : `the string ${JSON.stringify(v)}`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** Characters drawtext cannot show sensibly: C0/C1 controls other than tab and newlines. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

function codePointsOver(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (const _ of text) if (++count > limit) return true;
  return false;
}

interface Stage {
  pieces: Piece[] | undefined;
  frame: Frame | undefined;
}

export function validateEditList(
  input: unknown,
  ctx: ValidateContext = {},
): { ok: true; operations: EditOperation[] } | { ok: false; issues: EditIssue[] } {
  const issues: EditIssue[] = [];
  const list = unwrap(input, issues);
  if (!list) return { ok: false, issues };
  if (list.length > MAX_OPERATIONS) {
    return { ok: false, issues: [{ index: null, op: null, field: 'operations', message: `an edit list may have at most ${MAX_OPERATIONS} operations, got ${list.length}` }] };
  }
  const count = ctx.sourceCount ?? ctx.durations?.length;
  const keys = ctx.sourceKeys ?? [];
  const table = {
    count: count ?? 0,
    keys,
    durations: [...Array.from({ length: count ?? 0 }, (_, i) => ctx.durations?.[i] ?? NaN), ...keys.map((k) => ctx.keyDurations?.[k] ?? NaN)],
  };
  const d0 = ctx.durations?.[0];
  const stage: Stage = {
    pieces: d0 !== undefined && Number.isFinite(d0) ? [{ lineage: 0, source: 0, start: 0, end: d0, speed: 1 }] : undefined,
    frame: ctx.frame,
  };
  let lineage = 0;
  const operations: EditOperation[] = [];
  list.forEach((raw, index) => {
    const op = checkOperation(raw, index, issues, stage, { count, keys });
    if (!op) return;
    operations.push(op);
    if (stage.pieces) {
      const next = applyTimelineOp(stage.pieces, op, table, () => ++lineage);
      stage.pieces = next.some((p) => !Number.isFinite(p.end)) ? undefined : next;
    }
    if (stage.frame) stage.frame = applyGeometryOp(stage.frame, op);
  });
  return issues.length ? { ok: false, issues } : { ok: true, operations };
}

function unwrap(input: unknown, issues: EditIssue[]): unknown[] | undefined {
  if (Array.isArray(input)) return input;
  if (input && typeof input === 'object') {
    const obj = input as Raw;
    if (obj.version !== undefined && obj.version !== EDIT_LIST_VERSION) {
      issues.push({ index: null, op: null, field: 'version', message: `unsupported edit list version ${describe(obj.version)}; this engine reads version ${EDIT_LIST_VERSION}` });
      return undefined;
    }
    if (Array.isArray(obj.operations)) return obj.operations;
  }
  issues.push({ index: null, op: null, field: 'operations', message: 'the edit list must be an array of operations (or {"version":1,"operations":[…]})' });
  return undefined;
}

function checkOperation(
  raw: unknown,
  index: number,
  issues: EditIssue[],
  stage: Stage,
  refs: { count: number | undefined; keys: string[] },
): EditOperation | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ index, op: null, field: 'type', message: `operation ${index}: must be an object with a "type", got ${describe(raw)}` });
    return undefined;
  }
  const r = raw as Raw;
  const type = r.type;
  if (typeof type !== 'string' || !(EDIT_OPERATION_TYPES as readonly string[]).includes(type)) {
    issues.push({
      index,
      op: typeof type === 'string' ? type.slice(0, 40) : null,
      field: 'type',
      message: `operation ${index}: unknown type ${describe(type)}; valid types: ${EDIT_OPERATION_TYPES.join(', ')}`,
    });
    return undefined;
  }
  const c = new OpChecker(index, type, issues);
  const before = issues.length;
  const duration = stage.pieces ? totalDuration(stage.pieces) : undefined;
  const op = build(c, r, type as EditOperation['type'], duration, stage.frame, refs);
  return issues.length === before ? op : undefined;
}

function build(
  c: OpChecker,
  r: Raw,
  type: EditOperation['type'],
  duration: number | undefined,
  frame: Frame | undefined,
  refs: { count: number | undefined; keys: string[] },
): EditOperation | undefined {
  switch (type) {
    case 'trim': {
      const range = c.range(r, duration);
      return range && { type, ...range };
    }
    case 'cut': {
      const range = c.range(r, duration);
      if (range && duration !== undefined && range.start <= TIME_TOLERANCE && range.end >= duration - TIME_TOLERANCE) {
        c.fail('end', `cutting ${fmt(range.start)}–${fmt(range.end)} would remove the whole video`);
        return undefined;
      }
      return range && { type, ...range };
    }
    case 'concat': {
      const inputs = r.inputs;
      if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > MAX_CONCAT_INPUTS) {
        c.fail('inputs', `inputs must be a list of 1 to ${MAX_CONCAT_INPUTS} sources, got ${describe(inputs)}`);
        return undefined;
      }
      const out: SourceRef[] = [];
      inputs.forEach((ref, i) => {
        const ok = checkRef(c, `inputs[${i}]`, ref, refs);
        if (ok !== undefined) out.push(ok);
      });
      return out.length === inputs.length ? { type, inputs: out } : undefined;
    }
    case 'text':
      return buildText(c, r, duration, frame);
    case 'filter': {
      const name = r.name;
      const intensity = c.num(r, 'intensity', { min: 0, max: 1, optional: true });
      if (typeof name !== 'string' || !EDIT_FILTER_NAMES.includes(name)) {
        c.fail('name', `unknown filter ${describe(name)}; valid filters: ${EDIT_FILTER_NAMES.join(', ')}`);
        return undefined;
      }
      return { type, name, ...(intensity !== undefined ? { intensity } : {}) };
    }
    case 'crop':
      return buildCrop(c, r, frame);
    case 'rotate': {
      const degrees = c.oneOf(r, 'degrees', [90, 180, 270] as const);
      return degrees !== undefined ? { type, degrees } : undefined;
    }
    case 'flip': {
      const direction = c.oneOf(r, 'direction', ['horizontal', 'vertical'] as const);
      return direction ? { type, direction } : undefined;
    }
    case 'speed': {
      const factor = c.num(r, 'factor', { min: MIN_SPEED, max: MAX_SPEED });
      return factor !== undefined ? { type, factor } : undefined;
    }
    case 'audio': {
      const mode = c.oneOf(r, 'mode', ['mute', 'replace', 'mix'] as const);
      const volume = c.num(r, 'volume', { min: 0, max: MAX_VOLUME, optional: true });
      const duck = c.bool(r, 'duck');
      let file: SourceRef | undefined;
      if (mode === 'replace' || mode === 'mix') {
        if (r.file === undefined) c.fail('file', `file is required for mode "${mode}"`);
        else file = checkRef(c, 'file', r.file, refs);
      } else if (r.file !== undefined) {
        c.fail('file', 'file is only used by modes "replace" and "mix"');
      }
      if (!mode) return undefined;
      return { type, mode, ...(file !== undefined ? { file } : {}), ...(volume !== undefined ? { volume } : {}), ...(duck !== undefined ? { duck } : {}) };
    }
    case 'fade': {
      const fin = c.num(r, 'in', { min: 0, optional: true });
      const fout = c.num(r, 'out', { min: 0, optional: true });
      if (r.in === undefined && r.out === undefined) return c.fail('in', 'a fade needs "in" or "out" (seconds)'), undefined;
      if (duration !== undefined && fin !== undefined && fout !== undefined && fin + fout > duration + TIME_TOLERANCE) {
        c.fail('out', `in + out (${fmt(fin + fout)} s) is longer than the video, which lasts ${fmt(duration)} s at this point`);
        return undefined;
      }
      if (duration !== undefined && (fin ?? 0) > duration + TIME_TOLERANCE) return c.fail('in', `in (${fmt(fin!)}) is longer than the video (${fmt(duration)} s)`), undefined;
      if (duration !== undefined && (fout ?? 0) > duration + TIME_TOLERANCE) return c.fail('out', `out (${fmt(fout!)}) is longer than the video (${fmt(duration)} s)`), undefined;
      return { type, ...(fin !== undefined ? { in: fin } : {}), ...(fout !== undefined ? { out: fout } : {}) };
    }
    case 'resize': {
      const resolution = c.oneOf(r, 'resolution', ['480p', '720p', '1080p'] as const);
      return resolution ? { type, resolution } : undefined;
    }
  }
}

function checkRef(c: OpChecker, field: string, ref: unknown, refs: { count: number | undefined; keys: string[] }): SourceRef | undefined {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0) return c.fail(field, `${field} must be a source index (0, 1, …) or a source key, got ${describe(ref)}`), undefined;
    if (refs.count !== undefined && ref >= refs.count) {
      return c.fail(field, `${field} is source ${ref}, but there ${refs.count === 1 ? 'is 1 source' : `are ${refs.count} sources`}`), undefined;
    }
    return ref;
  }
  if (typeof ref === 'string') {
    if (refs.keys.includes(ref)) return ref;
    const known = refs.keys.length ? `known keys: ${refs.keys.slice(0, 20).map((k) => JSON.stringify(k)).join(', ')}` : 'no keyed sources were given';
    return c.fail(field, `${field} refers to unknown source ${describe(ref)}; ${known}`), undefined;
  }
  return c.fail(field, `${field} must be a source index or key, got ${describe(ref)}`), undefined;
}

function buildText(c: OpChecker, r: Raw, duration: number | undefined, frame: Frame | undefined): EditOperation | undefined {
  const text = r.text;
  if (typeof text !== 'string') c.fail('text', `text must be a string, got ${describe(text)}`);
  else if (codePointsOver(text, MAX_TEXT_CHARS)) c.fail('text', `text is too long (${text.length > 1e6 ? 'over a million' : [...text].length} characters; at most ${MAX_TEXT_CHARS})`);
  else if (text.trim() === '') c.fail('text', 'text is empty');
  else if (CONTROL.test(text)) c.fail('text', 'text contains control characters (only tab and line breaks are allowed)');
  const range = c.range(r, duration);
  const position = checkPosition(c, r.position);
  const font = r.font;
  if (font !== undefined && (typeof font !== 'string' || !EDIT_FONTS.some((f) => f.name === font))) {
    c.fail('font', `unknown font ${describe(font)}; valid fonts: ${EDIT_FONTS.map((f) => f.name).join(', ')}`);
  }
  const size = c.num(r, 'size', { min: 4, max: frame ? Math.min(MAX_TEXT_SIZE, frame.height) : MAX_TEXT_SIZE, optional: true });
  const color = r.color;
  if (color !== undefined && (typeof color !== 'string' || !isEditColor(color))) {
    c.fail('color', `color must be "#RRGGBB", "#RRGGBBAA" or a colour name (white, black, red, …), got ${describe(color)}`);
  }
  const outline = c.bool(r, 'outline');
  const shadow = c.bool(r, 'shadow');
  const animation = c.oneOf(r, 'animation', ['fade', 'slide', 'none'] as const, true);
  if (typeof text !== 'string' || !range || !position) return undefined;
  return {
    type: 'text',
    text: text.replace(/\r\n?/g, '\n'),
    ...range,
    position,
    ...(typeof font === 'string' ? { font } : {}),
    ...(size !== undefined ? { size } : {}),
    ...(typeof color === 'string' ? { color } : {}),
    ...(outline !== undefined ? { outline } : {}),
    ...(shadow !== undefined ? { shadow } : {}),
    ...(animation ? { animation } : {}),
  };
}

function checkPosition(c: OpChecker, p: unknown): TextPosition | undefined {
  if (p === 'top' || p === 'center' || p === 'bottom') return p;
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    const x = c.num(p as Raw, 'x', { min: 0, max: 1 });
    const y = c.num(p as Raw, 'y', { min: 0, max: 1 });
    return x !== undefined && y !== undefined ? { x, y } : undefined;
  }
  c.fail('position', `position must be "top", "center", "bottom" or {"x":0..1,"y":0..1}, got ${describe(p)}`);
  return undefined;
}

function buildCrop(c: OpChecker, r: Raw, frame: Frame | undefined): EditOperation | undefined {
  const rectFields = ['x', 'y', 'width', 'height'].filter((f) => r[f] !== undefined);
  if (r.aspect !== undefined) {
    if (rectFields.length) return c.fail('aspect', 'give either aspect or x/y/width/height, not both'), undefined;
    const aspect = c.oneOf(r, 'aspect', ['1:1', '9:16', '16:9', '4:5'] as const);
    return aspect ? { type: 'crop', aspect } : undefined;
  }
  if (rectFields.length === 0) return c.fail('aspect', 'a crop needs aspect ("1:1", "9:16", "16:9", "4:5") or x, y, width, height'), undefined;
  const x = c.num(r, 'x', { min: 0 });
  const y = c.num(r, 'y', { min: 0 });
  const width = c.num(r, 'width', { min: 2 });
  const height = c.num(r, 'height', { min: 2 });
  if (x === undefined || y === undefined || width === undefined || height === undefined) return undefined;
  if (frame) {
    if (x + width > frame.width + 0.5) {
      return c.fail('width', `the crop (x ${fmt(x)} + width ${fmt(width)}) goes outside the frame, which is ${frame.width} pixels wide at this point`), undefined;
    }
    if (y + height > frame.height + 0.5) {
      return c.fail('height', `the crop (y ${fmt(y)} + height ${fmt(height)}) goes outside the frame, which is ${frame.height} pixels high at this point`), undefined;
    }
  }
  return { type: 'crop', x, y, width, height };
}
