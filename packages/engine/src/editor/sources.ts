/**
 * Probe an edit's sources and validate the edit list against them: durations (times), the first
 * source's frame (crop rectangles), and which sources have video (concat) or audio (replace/mix).
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { displayDimensions, probe, type MediaInfo } from '../ffmpeg/probe.js';
import type { FfmpegBinaries } from '../ffmpeg/tools.js';
import type { EditSourceInfo } from './pieces.js';
import { EditValidationError, type EditIssue, type EditOperation, type SourceRef } from './types.js';
import { validateEditList } from './validate.js';

export interface LoadedEdit {
  operations: EditOperation[];
  /** `sources` then `sourceMap` values, absolute paths. */
  sources: EditSourceInfo[];
  infos: MediaInfo[];
  sourceCount: number;
  keys: string[];
}

export async function loadEdit(opts: {
  sources: string[];
  sourceMap?: Record<string, string>;
  operations: unknown;
  binaries?: FfmpegBinaries;
  signal?: AbortSignal;
}): Promise<LoadedEdit> {
  if (opts.sources.length === 0) {
    throw new EditValidationError([{ index: null, op: null, field: 'sources', message: 'an edit needs at least one source video' }]);
  }
  const keys = Object.keys(opts.sourceMap ?? {});
  const paths = [...opts.sources, ...keys.map((k) => opts.sourceMap![k]!)].map((p) => resolve(p));
  const infos = await Promise.all(paths.map((p) => probeCached(p, opts)));
  const sources: EditSourceInfo[] = infos.map((info, i) => {
    const shown = info.video ? displayDimensions(info.video) : { width: 0, height: 0 };
    return {
      path: paths[i]!,
      durationSeconds: info.durationSeconds,
      ...shown,
      fps: info.video?.fps ?? 0,
      hasVideo: info.video !== undefined,
      hasAudio: info.audio !== undefined,
    };
  });
  const sourceCount = opts.sources.length;
  const first = sources[0]!;
  if (!first.hasVideo) {
    throw new EditValidationError([{ index: null, op: null, field: 'sources', message: 'the first source has no video stream' }]);
  }
  const result = validateEditList(opts.operations, {
    sourceCount,
    sourceKeys: keys,
    durations: sources.slice(0, sourceCount).map((s) => s.durationSeconds),
    keyDurations: Object.fromEntries(keys.map((k, i) => [k, sources[sourceCount + i]!.durationSeconds])),
    frame: { width: first.width, height: first.height },
  });
  if (!result.ok) throw new EditValidationError(result.issues);
  const issues = mediaKindIssues(result.operations, sources, sourceCount, keys);
  if (issues.length) throw new EditValidationError(issues);
  return { operations: result.operations, sources, infos, sourceCount, keys };
}

/**
 * ffprobe costs a process start (~0.2 s on a small machine), a large share of a preview, and an
 * editor asks for many previews of the same files: results are kept per (path, size, mtime).
 */
const PROBE_CACHE_SIZE = 64;
const probeCache = new Map<string, MediaInfo>();

async function probeCached(path: string, opts: { binaries?: FfmpegBinaries; signal?: AbortSignal }): Promise<MediaInfo> {
  const st = await stat(path).catch(() => undefined);
  const key = st ? `${path}\0${st.size}\0${st.mtimeMs}` : undefined;
  const hit = key ? probeCache.get(key) : undefined;
  if (hit) return hit;
  const info = await probe(path, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.binaries ? { binaries: opts.binaries } : {}) });
  if (key) {
    probeCache.set(key, info);
    if (probeCache.size > PROBE_CACHE_SIZE) probeCache.delete(probeCache.keys().next().value!);
  }
  return info;
}

function mediaKindIssues(operations: readonly EditOperation[], sources: readonly EditSourceInfo[], count: number, keys: readonly string[]): EditIssue[] {
  const issues: EditIssue[] = [];
  const at = (ref: SourceRef) => sources[typeof ref === 'number' ? ref : count + keys.indexOf(ref)]!;
  operations.forEach((op, index) => {
    if (op.type === 'concat') {
      op.inputs.forEach((ref, i) => {
        if (!at(ref).hasVideo) issues.push({ index, op: op.type, field: `inputs[${i}]`, message: `operation ${index} (concat): inputs[${i}] (${JSON.stringify(ref)}) has no video stream` });
      });
    }
    if (op.type === 'audio' && op.file !== undefined && !at(op.file).hasAudio) {
      issues.push({ index, op: op.type, field: 'file', message: `operation ${index} (audio): file ${JSON.stringify(op.file)} has no audio stream` });
    }
  });
  return issues;
}
