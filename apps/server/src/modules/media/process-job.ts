/**
 * `media.process`: derives an upload's thumbnail (images, videos) and waveform (audio, and video
 * with sound), stores them as job outputs linked to the upload (parent_file_id), then marks the
 * upload ready.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { PermanentJobError, type JobHandler, type JobRunContext } from '../jobs/handler.js';
import { computeWaveformPeaks, extractVideoFrame } from './engine.js';
import type { MediaService } from './service.js';

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_MAX_SIDE = 480;
/** Waveform resolution: this many (min, max) pairs. */
export const WAVEFORM_PEAKS = 1000;

export const mediaProcessHandler: JobHandler = {
  provider: 'local',
  async run(run: JobRunContext): Promise<void> {
    const { ctx, job } = run;
    const media = ctx.services.media as MediaService;
    const fileId = typeof job.input?.file === 'string' ? job.input.file : '';
    const file = await media.repo.find(job.userId, fileId);
    if (!file) throw new PermanentJobError('file_missing', 'The file to process no longer exists.');
    const meta = safeJson(file.metadata);
    const hasAudio = file.kind === 'audio' || (file.kind === 'video' && meta.has_audio === true);
    const steps = (file.kind === 'image' || file.kind === 'video' ? 1 : 0) + (hasAudio ? 1 : 0);
    let done = 0;
    const outputs: string[] = [];
    const step = () => run.progress(Math.min(0.99, ++done / Math.max(1, steps)));

    const src = await run.inputPath(file.id);
    run.progress(0.05);
    try {
      if (file.kind === 'image' || file.kind === 'video') {
        let still = src;
        if (file.kind === 'video') {
          still = path.join(run.tmpDir, 'frame.png');
          const at = Math.max(0, (Number(file.duration_seconds) || 0) * 0.1);
          try {
            await extractVideoFrame(src, at, still, { maxWidth: 1280, maxHeight: 1280, signal: run.signal });
          } catch (err) {
            // No frame there (variable frame rate, short stream): the first frame will do.
            if ((err as Error)?.name !== 'FrameExtractionError' || at === 0) throw err;
            await extractVideoFrame(src, 0, still, { maxWidth: 1280, maxHeight: 1280, signal: run.signal });
          }
        }
        const thumb = path.join(run.tmpDir, 'thumbnail.webp');
        const info = await sharp(still, { limitInputPixels: ctx.config.limits.imagePixels })
          .rotate()
          .resize({ width: THUMBNAIL_MAX_SIDE, height: THUMBNAIL_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
          .webp({ quality: 80 })
          .toFile(thumb);
        run.signal.throwIfAborted();
        outputs.push(
          await run.addOutput({
            role: 'thumbnail',
            path: thumb,
            mime: 'image/webp',
            kind: 'image',
            parentFileId: file.id,
            width: info.width,
            height: info.height,
          }),
        );
        step();
      }
      if (hasAudio) {
        const w = await computeWaveformPeaks(src, { peaks: WAVEFORM_PEAKS, signal: run.signal });
        const json = path.join(run.tmpDir, 'waveform.json');
        const peaks = w.peaks;
        await writeFile(json, JSON.stringify({ peaks, duration_seconds: w.durationSeconds, sample_rate: w.sampleRate }));
        run.signal.throwIfAborted();
        outputs.push(
          await run.addOutput({
            role: 'waveform',
            path: json,
            mime: 'application/json',
            kind: 'other',
            parentFileId: file.id,
            durationSeconds: w.durationSeconds,
            metadata: { peaks: peaks.length / 2 },
          }),
        );
        step();
      }
      if (!(await media.repo.markReady(job.userId, file.id))) {
        throw new PermanentJobError('file_missing', 'The file was deleted while it was being processed.');
      }
    } catch (err) {
      // Outputs of a file deleted meanwhile would be orphans: remove them now.
      if (!(await media.repo.exists(job.userId, file.id))) {
        for (const id of outputs) await media.deleteFile(job.userId, id).catch(() => undefined);
        if (!(err instanceof PermanentJobError)) throw new PermanentJobError('file_missing', 'The file was deleted while it was being processed.');
      }
      throw err;
    }
  },
};

function safeJson(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
