/**
 * `edit` job: the source (and any concat/audio files) of the job's input → the engine's
 * renderEdit → outputs `video` (MP4) and `poster` (JPEG). Test-mode jobs are capped at 480p and
 * carry a "TEST" watermark.
 */
import path from 'node:path';
import sharp from 'sharp';
import { EditValidationError, extractVideoFrame, renderEdit } from '@clipmix/engine';
import { PermanentJobError, type JobHandler, type JobRunContext } from '../jobs/handler.js';
import { issuesDetail, referencedFiles } from './references.js';
import { TEST_MODE_MAX_HEIGHT, TEST_MODE_WATERMARK } from './rules.js';
import type { EditJobInput } from './service.js';

const POSTER_MAX_SIDE = 1280;

export const editHandler: JobHandler = {
  provider: 'local',
  async run(run: JobRunContext): Promise<void> {
    run.setProvider('local');
    const input = run.job.input as EditJobInput;
    if (typeof input?.source_file !== 'string' || !Array.isArray(input.operations)) {
      throw new PermanentJobError('invalid_input', 'The job input has no source_file or operations.');
    }
    const sourceMap: Record<string, string> = {};
    for (const id of [input.source_file, ...referencedFiles(input.operations).map((r) => r.id)]) {
      if (sourceMap[id]) continue;
      try {
        sourceMap[id] = await run.inputPath(id);
      } catch (err) {
        if ((err as { status?: number }).status === 404) throw new PermanentJobError('file_missing', `The input file ${id} no longer exists.`);
        throw err;
      }
    }
    run.signal.throwIfAborted();

    const testMode = !run.job.livemode;
    const output = path.join(run.tmpDir, 'edit.mp4');
    let result;
    try {
      result = await renderEdit({
        sources: [sourceMap[input.source_file]!],
        sourceMap,
        operations: input.operations,
        output,
        workDir: path.join(run.tmpDir, 'work'),
        signal: run.signal,
        onProgress: (f) => run.progress(Math.min(0.9, f * 0.9)),
        ...(testMode ? { maxHeight: TEST_MODE_MAX_HEIGHT, watermark: TEST_MODE_WATERMARK } : {}),
      });
    } catch (err) {
      if (err instanceof EditValidationError) throw new PermanentJobError('invalid_operations', issuesDetail(err.issues));
      if ((err as Error)?.name === 'ProbeError') throw new PermanentJobError('media_unreadable', (err as Error).message);
      throw err;
    }
    run.signal.throwIfAborted();

    await run.addOutput({
      role: 'video',
      path: output,
      mime: 'video/mp4',
      kind: 'video',
      durationSeconds: result.durationSeconds,
      width: result.width,
      height: result.height,
      metadata: { stream_copy: result.streamCopy, warnings: result.warnings, watermarked: testMode, operations: input.operations.length },
    });
    run.progress(0.95);

    const poster = path.join(run.tmpDir, 'poster.jpg');
    await makePoster(output, result.durationSeconds, poster, run.signal);
    const meta = await sharp(poster).metadata();
    await run.addOutput({ role: 'poster', path: poster, mime: 'image/jpeg', kind: 'image', width: meta.width ?? null, height: meta.height ?? null });
    run.progress(1);
  },
};

/** A JPEG frame from a third of the way in (the first frame of very short videos), ≤ 1280 px. */
async function makePoster(video: string, durationSeconds: number, poster: string, signal: AbortSignal): Promise<void> {
  const o = { maxWidth: POSTER_MAX_SIDE, maxHeight: POSTER_MAX_SIDE, signal };
  try {
    await extractVideoFrame(video, Math.max(0, Math.min(durationSeconds - 0.1, durationSeconds / 3)), poster, o);
  } catch (err) {
    if ((err as Error)?.name !== 'FrameExtractionError') throw err;
    await extractVideoFrame(video, 0, poster, o);
  }
}
