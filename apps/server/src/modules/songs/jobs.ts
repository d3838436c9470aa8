/**
 * `song` job: the job's input → the configured SongGenerator (local composer, MiniMax or
 * Replicate YuE) → outputs `audio` (MP3, and WAV locally), `stems`, `midi`, `lyrics_lrc`.
 * The provider that made the song is recorded on the job.
 */
import path from 'node:path';
import { probe } from '@clipmix/engine';
import { createSongGenerator, SongProviderError, type GeneratedFile } from '../../providers/song/index.js';
import { PermanentJobError, type JobHandler, type JobRunContext } from '../jobs/handler.js';
import { paramOf, toGenerationRequest } from './request.js';
import type { SongJobInput } from './service.js';

export const songHandler: JobHandler = {
  provider: 'local-composer (algorithmic)',
  async run(run: JobRunContext): Promise<void> {
    const input = run.job.input as SongJobInput;
    if (typeof input?.genre !== 'string' || typeof input.mood !== 'string' || typeof input.duration_seconds !== 'number') {
      throw new PermanentJobError('invalid_input', 'The job input has no genre, mood or duration_seconds.');
    }
    const generator = createSongGenerator(run.ctx.config);
    run.setProvider(generator.label);
    let result;
    try {
      result = await generator.generate(toGenerationRequest(input), {
        workDir: path.join(run.tmpDir, 'song'),
        signal: run.signal,
        onProgress: (f) => run.progress(Math.min(0.95, f * 0.95)),
      });
    } catch (err) {
      if (err instanceof SongProviderError) {
        const message = err.field ? `${paramOf(err.field)}: ${err.message}` : err.message;
        if (err.permanent) throw new PermanentJobError(err.code, message);
        throw new Error(message);
      }
      throw err;
    } finally {
      await generator.close?.();
    }
    run.setProvider(result.provider);
    run.signal.throwIfAborted();

    const files = orderForOutput(result.files);
    for (const [i, f] of files.entries()) {
      const durationSeconds = f.kind === 'audio' ? (f.durationSeconds ?? (await measuredDuration(f.path, run.signal))) : null;
      await run.addOutput({
        role: f.role,
        path: f.path,
        mime: f.mime,
        kind: f.kind,
        durationSeconds,
        originalName: f.name,
        metadata: { ...f.metadata, ...(f.role === 'audio' && i === 0 ? { song: result.meta } : {}) },
      });
      run.progress(0.95 + (0.05 * (i + 1)) / files.length);
    }
    run.progress(1);
  },
};

/** MP3 first (what players and the music-video wizard take), then WAV, stems, MIDI, LRC. */
function orderForOutput(files: GeneratedFile[]): GeneratedFile[] {
  const rank = (f: GeneratedFile) => ['audio', 'stems', 'midi', 'lyrics_lrc'].indexOf(f.role) * 10 + (f.mime === 'audio/mpeg' ? 0 : 1);
  return [...files].sort((a, b) => rank(a) - rank(b));
}

async function measuredDuration(file: string, signal: AbortSignal): Promise<number | null> {
  try {
    return (await probe(file, { signal })).durationSeconds ?? null;
  } catch {
    throw new PermanentJobError('provider_failed', 'The provider returned audio that cannot be decoded.');
  }
}
