/**
 * The edit list: a versioned JSON list of operations applied in order to one or more source
 * videos. Times are seconds of the output of the previous operation (API.md "Edit operations").
 *
 * Semantics the names alone do not say:
 * - The edit starts as `sources[0]`, whole. `concat` appends each listed input (whole) after the
 *   current edit; `0` may be listed again to repeat the first source.
 * - `trim`/`cut`/`concat`/`speed` restructure the timeline. Time-bound effects (`text`, `filter`,
 *   audio `mute`/`replace`/`mix`, `fade`) stick to the content that existed when they were
 *   listed: a later cut removes part of them, a later speed change stretches them, content
 *   concatenated later does not get them.
 * - Geometry (`crop`, `rotate`, `flip`, `resize`) applies to the whole output. The frame starts as
 *   `sources[0]`'s displayed size; other sources are fitted into it (letterboxed).
 * - `crop` rectangles are in pixels of the frame at that point of the list.
 * - Text `size` is in pixels of the frame at that point (default 7 % of its height).
 */
import type { FfmpegBinaries } from '../ffmpeg/tools.js';

export const EDIT_LIST_VERSION = 1;
/** Hard limits of one edit list. */
export const MAX_OPERATIONS = 1000;
export const MAX_TEXT_CHARS = 1000;
export const MIN_SPEED = 0.25;
export const MAX_SPEED = 4;

/** x,y: 0..1 fractions of the frame (top-left of the text box). */
export type TextPosition = 'top' | 'center' | 'bottom' | { x: number; y: number };
export type CropAspect = '1:1' | '9:16' | '16:9' | '4:5';
export type TextAnimation = 'fade' | 'slide' | 'none';
export type OutputResolution = '480p' | '720p' | '1080p';

export type TrimOperation = { type: 'trim'; start: number; end: number };
export type CutOperation = { type: 'cut'; start: number; end: number };
/** number = index into `sources`; string = key of `sourceMap`. */
export type SourceRef = number | string;
export type ConcatOperation = { type: 'concat'; inputs: SourceRef[] };
export type TextOperation = {
  type: 'text';
  text: string;
  start: number;
  end: number;
  position: TextPosition;
  /** One of EDIT_FONTS (default 'sans-bold'); CJK text always uses Noto Sans CJK. */
  font?: string;
  size?: number;
  /** '#RRGGBB', '#RRGGBBAA' or a colour name from EDIT_COLOR_NAMES (default white). */
  color?: string;
  outline?: boolean;
  shadow?: boolean;
  animation?: TextAnimation;
};
/** intensity 0..1, default 1. */
export type FilterOperation = { type: 'filter'; name: string; intensity?: number };
export type CropOperation =
  | { type: 'crop'; aspect: CropAspect }
  | { type: 'crop'; x: number; y: number; width: number; height: number };
export type RotateOperation = { type: 'rotate'; degrees: 90 | 180 | 270 };
export type FlipOperation = { type: 'flip'; direction: 'horizontal' | 'vertical' };
/** 0.25..4, pitch kept (atempo chain). */
export type SpeedOperation = { type: 'speed'; factor: number };
/** volume: gain of the added file (replace/mix), 0..4, default 1. duck: lower it under the original. */
export type AudioOperation = { type: 'audio'; mode: 'mute' | 'replace' | 'mix'; file?: SourceRef; volume?: number; duck?: boolean };
export type FadeOperation = { type: 'fade'; in?: number; out?: number };
export type ResizeOperation = { type: 'resize'; resolution: OutputResolution };

export type EditOperation =
  | TrimOperation
  | CutOperation
  | ConcatOperation
  | TextOperation
  | FilterOperation
  | CropOperation
  | RotateOperation
  | FlipOperation
  | SpeedOperation
  | AudioOperation
  | FadeOperation
  | ResizeOperation;

export type EditOperationType = EditOperation['type'];

export const EDIT_OPERATION_TYPES: readonly EditOperationType[] = [
  'trim', 'cut', 'concat', 'text', 'filter', 'crop', 'rotate', 'flip', 'speed', 'audio', 'fade', 'resize',
];

/** One problem with an edit list. `index` is the offending operation (null: the list itself). */
export interface EditIssue {
  index: number | null;
  op: string | null;
  field: string;
  message: string;
}

export class EditValidationError extends Error {
  override name = 'EditValidationError';
  readonly issues: EditIssue[];
  constructor(issues: EditIssue[]) {
    const first = issues[0]?.message ?? 'invalid edit list';
    super(issues.length > 1 ? `${first} (and ${issues.length - 1} more)` : first);
    this.issues = issues;
  }
}

export interface ValidateContext {
  /** Number of `sources`; concat/audio indices must be below it. */
  sourceCount?: number;
  /** Keys of `sourceMap`. */
  sourceKeys?: string[];
  /** Duration of each source (seconds), aligned with `sources`: enables time checks. */
  durations?: number[];
  /** Duration of each `sourceMap` entry. */
  keyDurations?: Record<string, number>;
  /** Displayed size of `sources[0]` (the frame): enables crop-rectangle checks. */
  frame?: { width: number; height: number };
}

export interface RenderEditOptions {
  sources: string[];
  sourceMap?: Record<string, string>;
  operations: EditOperation[] | unknown;
  output: string;
  /** A directory for temporary files (a private subdirectory is created and removed). */
  workDir: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  binaries?: FfmpegBinaries;
  /** Cap on the output height (smaller outputs are left alone). */
  maxHeight?: number;
  /** A small text mark drawn in the bottom-right corner. */
  watermark?: string;
  /** Fonts directory searched before the system's Noto/DejaVu fonts. */
  fontsDir?: string;
  /** x264 tuning (default preset veryfast, CRF 20). */
  encoder?: { preset?: string; crf?: number };
}

export interface RenderEditResult {
  output: string;
  durationSeconds: number;
  width: number;
  height: number;
  /** True when the edit was done without re-encoding (keyframe-aligned trim/cut/concat). */
  streamCopy: boolean;
  warnings: string[];
}

export type RenderEditPreviewOptions = Omit<RenderEditOptions, 'onProgress'> & {
  /** Time in the edited output, seconds. */
  time: number;
  /** Width of the JPEG (height follows the aspect); default: the output's width. */
  width?: number;
};
