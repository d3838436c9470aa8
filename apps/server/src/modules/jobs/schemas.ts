import { z } from 'zod';
import { listOf, listQuery } from '../../http/pagination.js';
import { JOB_STATUSES } from './types.js';

export const jobStatusSchema = z.enum(JOB_STATUSES);

export const jobSchema = z
  .object({
    object: z.literal('job'),
    id: z.string().describe('job_…'),
    type: z.string().describe('music_video, song, edit, media.process, account.export, …'),
    status: jobStatusSchema,
    progress: z.number().min(0).max(1),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    input: z.record(z.string(), z.unknown()).describe('The parameters the job was created with.'),
    output: z
      .object({
        files: z.array(z.object({ file: z.string().describe('file_…'), role: z.string().describe('video, poster, timeline, audio, stems, …') })),
        size_bytes: z.number().int(),
      })
      .nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    credits_charged: z.number().int(),
    provider: z.string().describe('Which provider produced the result (local or a cloud vendor).'),
    attempts: z.number().int(),
    livemode: z.boolean(),
  })
  .describe('A render or processing job.');

export const jobListSchema = listOf(jobSchema);

export const jobListQuery = listQuery.extend({
  status: jobStatusSchema.optional(),
  type: z.string().max(64).optional(),
});

export const jobParams = z.object({ id: z.string().min(1).max(64) });
