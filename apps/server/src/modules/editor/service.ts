import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EDIT_FILTERS, EditValidationError, renderEditPreview, validateEditList, type EditOperation } from '@clipmix/engine';
import type { AppContext } from '../../app.js';
import type { AuthContext } from '../../http/auth-context.js';
import { DomainError, unprocessable, type FieldError } from '../../platform/errors.js';
import type { JobRow } from '../jobs/db.js';
import type { FileRow } from '../media/repo.js';
import type { MediaService } from '../media/service.js';
import { referencedFiles } from './references.js';
import { invalidOperations, TEST_MODE_MAX_HEIGHT, TEST_MODE_WATERMARK } from './rules.js';
import type { CreateEditBody, PreviewEditBody } from './schemas.js';
import { Semaphore } from './semaphore.js';

export const EDIT_JOB = 'edit';

/** The input an `edit` job is created with: the source and the validated edit list. */
export interface EditJobInput {
  source_file: string;
  operations: EditOperation[];
}

interface CheckedEdit {
  source: FileRow;
  operations: EditOperation[];
  /** Every file the edit reads: the source first, then concat inputs and audio files. */
  files: Array<{ id: string; role: string }>;
}

/** Preview frames run ffmpeg in the request: at most this many at once per process. */
const PREVIEW_CONCURRENCY = 2;

/**
 * Edits (F6): checks the source and every file the edit list names are the caller's and of the
 * right kind, validates the list with the engine, then creates the `edit` job (charged by the
 * credits module, free in test mode) or renders one preview frame.
 */
export class EditorService {
  private readonly previews = new Semaphore(PREVIEW_CONCURRENCY);

  constructor(private readonly ctx: AppContext) {}

  private get media(): MediaService {
    return this.ctx.services.media as MediaService;
  }

  async create(auth: AuthContext, body: CreateEditBody): Promise<JobRow> {
    const edit = await this.check(auth, body);
    const input: EditJobInput = { source_file: body.source_file, operations: edit.operations };
    return this.ctx.services.jobs.create({
      userId: auth.userId,
      type: EDIT_JOB,
      input: input as unknown as Record<string, unknown>,
      inputFiles: edit.files.map((f) => ({ fileId: f.id, role: f.role })),
      apiKeyId: auth.apiKeyId ?? null,
      livemode: auth.livemode,
    });
  }

  /** One JPEG frame of the edited video at `time` (seconds of the output). */
  async preview(auth: AuthContext, body: PreviewEditBody): Promise<Buffer> {
    const edit = await this.check(auth, body);
    return this.previews.run(async () => {
      const held: Array<{ release(): Promise<void> }> = [];
      const workDir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-edit-preview-'));
      try {
        const sourceMap: Record<string, string> = {};
        for (const f of edit.files) {
          if (sourceMap[f.id]) continue;
          const local = await this.media.localPath(auth.userId, f.id);
          held.push(local);
          sourceMap[f.id] = local.path;
        }
        const output = path.join(workDir, 'frame.jpg');
        await renderEditPreview({
          sources: [sourceMap[body.source_file]!],
          sourceMap,
          operations: edit.operations,
          output,
          workDir,
          time: body.time,
          ...(body.width !== undefined ? { width: body.width } : {}),
          ...(auth.livemode ? {} : { maxHeight: TEST_MODE_MAX_HEIGHT, watermark: TEST_MODE_WATERMARK }),
        }).catch((err: unknown) => {
          if (err instanceof EditValidationError) throw invalidOperations(err.issues);
          throw err;
        });
        return await readFile(output);
      } finally {
        for (const h of held) await h.release().catch(() => undefined);
        await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
      }
    });
  }

  filters() {
    return {
      object: 'list' as const,
      data: EDIT_FILTERS.map((f) => ({ object: 'edit_filter' as const, name: f.name, label: f.label })),
      has_more: false,
    };
  }

  private async check(auth: AuthContext, body: { source_file: string; operations: unknown[] }): Promise<CheckedEdit> {
    const refs = [
      { id: body.source_file, param: 'source_file', kinds: ['video'] as const, role: 'source' },
      ...referencedFiles(body.operations),
    ];
    const missing: FieldError[] = [];
    const wrongKind: FieldError[] = [];
    const rows = new Map<string, FileRow | null>();
    for (const r of refs) {
      if (!rows.has(r.id)) rows.set(r.id, (await this.media.repo.find(auth.userId, r.id)) ?? null);
      const row = rows.get(r.id);
      if (!row) missing.push({ param: r.param, message: `No such file: ${r.id}` });
      else if (!(r.kinds as readonly string[]).includes(row.kind)) {
        wrongKind.push({ param: r.param, message: `${r.id} is ${article(row.kind)} ${row.kind} file; ${r.kinds.map((k) => `${article(k)} ${k}`).join(' or ')} file is needed` });
      }
    }
    if (missing.length) {
      throw new DomainError(404, 'resource_missing', `No such file: ${[...new Set(missing.map((m) => m.message.slice(14)))].join(', ')}.`, missing);
    }
    if (wrongKind.length) {
      throw unprocessable('file_kind_mismatch', wrongKind.map((w) => `${w.param}: ${w.message}`).join('; ') + '.', wrongKind);
    }
    const source = rows.get(body.source_file)!;
    const keys = [...new Set(refs.slice(1).map((r) => r.id))];
    const keyDurations: Record<string, number> = {};
    for (const k of keys) {
      const d = rows.get(k)?.duration_seconds;
      if (d !== null && d !== undefined) keyDurations[k] = Number(d);
    }
    const result = validateEditList(body.operations, {
      sourceCount: 1,
      sourceKeys: keys,
      keyDurations,
      ...(source.duration_seconds !== null ? { durations: [Number(source.duration_seconds)] } : {}),
      ...(source.width !== null && source.height !== null ? { frame: { width: Number(source.width), height: Number(source.height) } } : {}),
    });
    if (!result.ok) throw invalidOperations(result.issues);
    const files = new Map<string, string>([[source.id, 'source']]);
    for (const r of refs.slice(1)) if (!files.has(r.id)) files.set(r.id, r.role);
    return { source, operations: result.operations, files: [...files].map(([id, role]) => ({ id, role })) };
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
