import type { AppContext } from '../../app.js';
import type { AuthContext } from '../../http/auth-context.js';
import { DomainError, unprocessable, type FieldError } from '../../platform/errors.js';
import type { JobRow } from '../jobs/db.js';
import type { MediaService } from '../media/service.js';
import type { CreateMusicVideoBody } from './schemas.js';

export const MUSIC_VIDEO_JOB = 'music_video';

/** The input a `music_video` job is created with (the request body, defaults applied). */
export type MusicVideoJobInput = CreateMusicVideoBody;

/**
 * Creating music videos: checks that every input file is the caller's and of the right kind,
 * then creates the `music_video` job (charged by the credits module, free in test mode).
 */
export class MusicVideoService {
  constructor(private readonly ctx: AppContext) {}

  private get media(): MediaService {
    return this.ctx.services.media as MediaService;
  }

  async create(auth: AuthContext, body: CreateMusicVideoBody): Promise<JobRow> {
    const wanted: Array<{ id: string; param: string; kind: 'audio' | 'image' | 'video'; role: string }> = [
      { id: body.audio_file, param: 'audio_file', kind: 'audio', role: 'audio' },
      ...body.image_files.map((id, i) => ({ id, param: `image_files.${i}`, kind: 'image' as const, role: 'image' })),
      ...(body.video_files ?? []).map((id, i) => ({ id, param: `video_files.${i}`, kind: 'video' as const, role: 'video' })),
    ];
    const missing: FieldError[] = [];
    const wrongKind: FieldError[] = [];
    const seen = new Map<string, string | null>();
    for (const w of wanted) {
      if (!seen.has(w.id)) {
        const row = await this.media.repo.find(auth.userId, w.id);
        seen.set(w.id, row ? row.kind : null);
      }
      const kind = seen.get(w.id);
      if (kind === null || kind === undefined) missing.push({ param: w.param, message: `No such file: ${w.id}` });
      else if (kind !== w.kind) wrongKind.push({ param: w.param, message: `${w.id} is ${article(kind)} ${kind} file; ${article(w.kind)} ${w.kind} file is needed` });
    }
    if (missing.length) {
      throw new DomainError(404, 'resource_missing', `No such file: ${[...new Set(missing.map((m) => m.message.slice(14)))].join(', ')}.`, missing);
    }
    if (wrongKind.length) {
      throw unprocessable('file_kind_mismatch', wrongKind.map((w) => `${w.param}: ${w.message}`).join('; ') + '.', wrongKind);
    }
    return this.ctx.services.jobs.create({
      userId: auth.userId,
      type: MUSIC_VIDEO_JOB,
      input: { ...body } as Record<string, unknown>,
      inputFiles: wanted.map((w) => ({ fileId: w.id, role: w.role })),
      apiKeyId: auth.apiKeyId ?? null,
      livemode: auth.livemode,
    });
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
