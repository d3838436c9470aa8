/**
 * `music_video` job: the song and photos/clips of the job's input → the shared pipeline →
 * outputs `video` (MP4), `poster` (JPEG) and `timeline` (JSON). Test-mode jobs are capped at
 * 480p and carry a "TEST" watermark.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Resolution } from '@clipmix/engine';
import { PermanentJobError, type JobHandler, type JobRunContext } from '../jobs/handler.js';
import type { MediaService } from '../media/service.js';
import { MusicVideoInputError, produceMusicVideo, type PipelineMedia } from './pipeline.js';
import type { MusicVideoJobInput } from './service.js';

/** Longest output side for test-mode jobs. */
export const TEST_MODE_RESOLUTION: Resolution = '480p';
export const TEST_MODE_WATERMARK = 'TEST';

export const musicVideoHandler: JobHandler = {
  provider: 'local',
  async run(run: JobRunContext): Promise<void> {
    run.setProvider('local');
    const { ctx, job } = run;
    const input = job.input as MusicVideoJobInput;
    const media = ctx.services.media as MediaService;
    if (typeof input?.audio_file !== 'string' || !Array.isArray(input.image_files)) {
      throw new PermanentJobError('invalid_input', 'The job input has no audio_file or image_files.');
    }

    const names = new Map<string, string>();
    const local = async (id: string): Promise<PipelineMedia> => {
      const row = await media.repo.find(job.userId, id);
      if (!row) throw new PermanentJobError('file_missing', `The input file ${id} no longer exists.`);
      const p = await run.inputPath(id);
      names.set(p, id);
      return {
        path: p,
        ...(row.width !== null ? { width: Number(row.width) } : {}),
        ...(row.height !== null ? { height: Number(row.height) } : {}),
        ...(row.duration_seconds !== null ? { durationSeconds: Number(row.duration_seconds) } : {}),
      };
    };
    const audio = await local(input.audio_file);
    const images: PipelineMedia[] = [];
    for (const id of input.image_files) images.push(await local(id));
    const clips: PipelineMedia[] = [];
    for (const id of input.video_files ?? []) clips.push(await local(id));
    run.signal.throwIfAborted();

    const testMode = !job.livemode;
    const output = path.join(run.tmpDir, 'music-video.mp4');
    const poster = path.join(run.tmpDir, 'poster.jpg');
    const timelineFile = path.join(run.tmpDir, 'timeline.json');
    let result;
    try {
      result = await produceMusicVideo(
        {
          audioPath: audio.path,
          images,
          clips,
          ...(input.style ? { style: input.style } : {}),
          aspect: input.aspect_ratio ?? '16:9',
          resolution: testMode ? TEST_MODE_RESOLUTION : (input.resolution ?? '720p'),
          ...(input.lyrics ? { lyrics: input.lyrics } : {}),
          ...(input.title ? { title: input.title } : {}),
          ...(input.photo_order ? { photoOrder: input.photo_order } : {}),
          seed: seedFromJobId(job.id),
          ...(testMode ? { watermark: TEST_MODE_WATERMARK } : {}),
        },
        {
          output,
          workDir: path.join(run.tmpDir, 'work'),
          posterPath: poster,
          timelinePath: timelineFile,
          mediaNames: names,
          signal: run.signal,
          onProgress: (f) => run.progress(Math.min(0.95, f)),
        },
      );
    } catch (err) {
      if (err instanceof MusicVideoInputError) throw new PermanentJobError(err.code, err.message);
      throw err;
    }
    run.signal.throwIfAborted();

    const t = result.timeline;
    await run.addOutput({
      role: 'video',
      path: output,
      mime: 'video/mp4',
      kind: 'video',
      durationSeconds: result.durationSeconds,
      width: result.width,
      height: result.height,
      metadata: {
        style: t.style,
        aspect_ratio: t.aspect,
        resolution: t.resolution,
        fps: t.fps,
        tempo_bpm: t.tempo_bpm,
        has_beat: t.has_beat,
        shots: t.shots.length,
        watermarked: testMode,
        has_audio: true,
      },
    });
    run.progress(0.97);
    await run.addOutput({ role: 'poster', path: poster, mime: 'image/jpeg', kind: 'image', width: result.poster?.width ?? null, height: result.poster?.height ?? null });
    await run.addOutput({
      role: 'timeline',
      path: timelineFile,
      mime: 'application/json',
      kind: 'other',
      durationSeconds: result.durationSeconds,
      metadata: { version: t.version, tempo_bpm: t.tempo_bpm, warnings: t.warnings },
    });
    run.progress(1);
  },
};

/** A deterministic planner seed per job (retries plan the same video). */
export function seedFromJobId(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) & 0x7fffffff;
}
