/**
 * renderEditPreview: one JPEG frame of the edited output at time t. The same graph as the render,
 * fed only the few frames of the one piece playing at t (its input seeked there, timestamps set
 * so t is the output time), with no audio, stopped after one frame.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AbortError, isAbortError } from '../ffmpeg/errors.js';
import { runFfmpeg } from '../ffmpeg/run.js';
import { prepareTextAssets } from './assets.js';
import { compileEdit } from './compile.js';
import { loadEdit } from './sources.js';
import { EditValidationError, type RenderEditPreviewOptions } from './types.js';

export async function renderEditPreview(opts: RenderEditPreviewOptions): Promise<{ output: string; width: number; height: number }> {
  if (opts.signal?.aborted) throw new AbortError(undefined, { cause: opts.signal.reason });
  if (typeof opts.time !== 'number' || !Number.isFinite(opts.time) || opts.time < 0) {
    throw new EditValidationError([{ index: null, op: null, field: 'time', message: `time must be a non-negative number of seconds, got ${String(opts.time)}` }]);
  }
  if (opts.width !== undefined && !(Number.isInteger(opts.width) && opts.width >= 16 && opts.width <= 3840)) {
    throw new EditValidationError([{ index: null, op: null, field: 'width', message: `width must be a whole number of pixels from 16 to 3840, got ${String(opts.width)}` }]);
  }
  const edit = await loadEdit(opts);
  await mkdir(opts.workDir, { recursive: true });
  await mkdir(dirname(opts.output), { recursive: true });
  const tmp = await mkdtemp(join(opts.workDir, 'edit-preview-'));
  const partial = join(dirname(opts.output), `.${basename(opts.output)}.${randomUUID().slice(0, 8)}.partial.jpg`);
  try {
    const warnings: string[] = [];
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
      output: partial,
      graphFile,
      preview: { time: opts.time, ...(opts.width !== undefined ? { width: opts.width } : {}) },
    });
    await writeFile(graphFile, compiled.graph, 'utf8');
    await runFfmpeg(compiled.args, { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.binaries ? { binaries: opts.binaries } : {}) });
    await rename(partial, opts.output);
    return { output: opts.output, width: compiled.width, height: compiled.height };
  } catch (error) {
    await rm(partial, { force: true });
    if (opts.signal?.aborted && !isAbortError(error)) throw new AbortError(undefined, { cause: opts.signal.reason });
    throw error;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
