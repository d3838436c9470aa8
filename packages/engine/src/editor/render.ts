/**
 * renderEdit: probe and validate, then either the stream-copy fast path or one ffmpeg run of the
 * compiled graph. The output is written under a temporary name and renamed on success, so a
 * failed or cancelled render leaves no partial file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AbortError, isAbortError } from '../ffmpeg/errors.js';
import { probe } from '../ffmpeg/probe.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { prepareTextAssets } from './assets.js';
import { compileEdit } from './compile.js';
import { even, planEdit } from './model.js';
import { loadEdit, type LoadedEdit } from './sources.js';
import { concatScript, keyframesNear, snapToKeyframes, streamCopyArgs, streamCopyBlocker } from './stream-copy.js';
import type { RenderEditOptions, RenderEditResult } from './types.js';

export async function renderEdit(opts: RenderEditOptions): Promise<RenderEditResult> {
  checkAborted(opts.signal);
  const edit = await loadEdit(opts);
  await mkdir(opts.workDir, { recursive: true });
  await mkdir(dirname(opts.output), { recursive: true });
  const tmp = await mkdtemp(join(opts.workDir, 'edit-'));
  const partial = join(dirname(opts.output), `.${basename(opts.output)}.${randomUUID().slice(0, 8)}.partial.mp4`);
  const run = { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.binaries ? { binaries: opts.binaries } : {}) };
  try {
    const copied = await tryStreamCopy(edit, opts, tmp, partial);
    let warnings: string[] = [];
    if (!copied) {
      const assets = await prepareTextAssets(edit.operations, tmp, { ...(opts.fontsDir ? { fontsDir: opts.fontsDir } : {}), ...(opts.watermark ? { watermark: opts.watermark } : {}) }, warnings);
      const graphFile = join(tmp, 'graph.txt');
      const compiled = compileEdit({
        operations: edit.operations,
        sources: edit.sources,
        sourceCount: edit.sourceCount,
        keys: edit.keys,
        texts: assets.texts,
        ...(assets.watermark ? { watermark: assets.watermark } : {}),
        ...(opts.maxHeight !== undefined ? { maxHeight: opts.maxHeight } : {}),
        ...(opts.encoder ? { encoder: opts.encoder } : {}),
        output: partial,
        graphFile,
      });
      warnings = [...warnings, ...compiled.warnings];
      await writeFile(graphFile, compiled.graph, 'utf8');
      await runFfmpeg(compiled.args, {
        ...run,
        durationSeconds: compiled.durationSeconds,
        // 1 is reported once the file is in place.
        ...(opts.onProgress ? { onProgress: (f: number) => opts.onProgress!(Math.min(f, 0.99)) } : {}),
      });
    }
    checkAborted(opts.signal);
    const info = await probe(partial, run);
    await rename(partial, opts.output);
    opts.onProgress?.(1);
    return {
      output: opts.output,
      durationSeconds: info.durationSeconds,
      width: info.video?.width ?? 0,
      height: info.video?.height ?? 0,
      streamCopy: copied,
      warnings,
    };
  } catch (error) {
    await rm(partial, { force: true });
    if (opts.signal?.aborted && !isAbortError(error)) throw new AbortError(undefined, { cause: opts.signal.reason });
    throw error;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The fast path, when the edit allows it; false when it does not apply. */
async function tryStreamCopy(edit: LoadedEdit, opts: RenderEditOptions, tmp: string, partial: string): Promise<boolean> {
  const table = { count: edit.sourceCount, keys: edit.keys, durations: edit.sources.map((s) => s.durationSeconds) };
  const first = edit.sources[0]!;
  const plan = planEdit(edit.operations, table, { width: even(first.width), height: even(first.height) });
  if (streamCopyBlocker(edit.operations, plan.pieces, edit.infos, opts)) return false;
  const run = { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.binaries ? { binaries: opts.binaries } : {}) };
  const keyframes = new Map<number, number[]>();
  for (const source of new Set(plan.pieces.map((p) => p.source))) {
    const points = plan.pieces.filter((p) => p.source === source).flatMap((p) => [p.start, p.end]);
    keyframes.set(source, await keyframesNear(edit.sources[source]!.path, points, run));
  }
  const halfFrame = 0.5 / (edit.infos[plan.pieces[0]!.source]!.video!.fps || 30);
  const snapped = snapToKeyframes(plan.pieces, keyframes, table.durations, halfFrame);
  const script = snapped && concatScript(snapped, edit.sources.map((s) => s.path));
  if (!script) return false;
  const list = join(tmp, 'pieces.ffconcat');
  await writeFile(list, script, 'utf8');
  const oneFile = new Set(plan.pieces.map((p) => edit.sources[p.source]!.path)).size === 1;
  await runFfmpeg(streamCopyArgs(list, partial, oneFile), {
    ...run,
    durationSeconds: plan.duration,
    ...(opts.onProgress ? { onProgress: (f: number) => opts.onProgress!(Math.min(f, 0.99)) } : {}),
  });
  return true;
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}
