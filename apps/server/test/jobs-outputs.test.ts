import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.js';
import { randomBase62 } from '../src/platform/ids.js';
import type { TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';
import { createJobsTestApp, makeUser, type JobsTestUser } from './helpers/jobs.js';

interface MediaForTests {
  createFromLocalFile(spec: { userId: string; path: string; mime: string; kind: 'other'; jobId?: string; role?: string }): Promise<string>;
  deleteFile(userId: string, fileId: string): Promise<void>;
}

// Job outputs go through MediaService (createFromLocalFile / localPath / deleteFile).
describe.each(DB_KINDS)('job outputs and deletion on %s', (db) => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  const jobs = () => t.ctx.services.jobs;
  const media = () => t.ctx.services.media as unknown as MediaForTests;

  beforeAll(async () => {
    t = await createJobsTestApp({ db, clock });
  });
  afterAll(async () => t?.close());

  async function fileRow(id: string) {
    return t.ctx.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async function blobExists(key: string) {
    return (await t.ctx.blobs.stat(key)) !== null;
  }
  async function libraryFile(u: JobsTestUser, purpose: string, content = 'hello') {
    const p = path.join(os.tmpdir(), `clipmix-in-${randomBase62(8)}.bin`);
    await writeFile(p, content);
    const id = await media().createFromLocalFile({ userId: u.id, path: p, mime: 'application/octet-stream', kind: 'other' });
    await t.ctx.db.updateTable('files').set({ purpose }).where('id', '=', id).execute();
    return id;
  }

  it('stores outputs as files of the user linked to the job, with output size and provider', async () => {
    const u = await makeUser(t);
    const row = await jobs().create({ userId: u.id, type: 'test.output', input: { roles: ['timeline', 'poster'], provider: 'test-vendor' } });
    await jobs().drain();
    const job = (await u.request({ method: 'GET', url: `/api/v1/jobs/${row.id}` })).json();
    expect(job).toMatchObject({ status: 'succeeded', provider: 'test-vendor' });
    expect(job.output.files.map((f: { role: string }) => f.role)).toEqual(['timeline', 'poster']);
    let total = 0;
    for (const f of job.output.files as { file: string; role: string }[]) {
      expect(f.file).toMatch(/^file_/);
      const r = await fileRow(f.file);
      expect(r).toMatchObject({ user_id: u.id, job_id: row.id, role: f.role });
      total += Number(r!.size_bytes);
      expect(await blobExists(r!.blob_key)).toBe(true);
    }
    expect(job.output.size_bytes).toBe(total);
    expect(total).toBeGreaterThan(0);
    const links = await t.ctx.db.selectFrom('job_files').selectAll().where('job_id', '=', row.id).where('direction', '=', 'output').execute();
    expect(links).toHaveLength(2);
    // The output is readable through the files API.
    const content = await u.request({ method: 'GET', url: `/api/v1/files/${job.output.files[0].file}/content` });
    expect(content.statusCode).toBe(200);
    expect(JSON.parse(content.body)).toMatchObject({ role: 'timeline', job: row.id });
  });

  it('reads inputs through inputPath and releases them', async () => {
    const u = await makeUser(t);
    const input = await libraryFile(u, 'audio', 'input-bytes-123');
    const row = await jobs().create({ userId: u.id, type: 'test.copy', input: { file: input }, inputFiles: [{ fileId: input, role: 'source' }] });
    await jobs().drain();
    const r = await jobs().get(u.id, row.id);
    expect(r.status).toBe('succeeded');
    const out = jobs().toApi(r).output!.files[0]!;
    expect(out.role).toBe('copy');
    const content = await u.request({ method: 'GET', url: `/api/v1/files/${out.file}/content` });
    expect(content.body).toBe('input-bytes-123');
  });

  it('refuses input files of another user', async () => {
    const u = await makeUser(t);
    const other = await makeUser(t);
    const theirs = await libraryFile(other, 'audio');
    await expect(
      jobs().create({ userId: u.id, type: 'test.copy', input: { file: theirs }, inputFiles: [{ fileId: theirs, role: 'source' }] }),
    ).rejects.toMatchObject({ status: 400, code: 'resource_missing' });
  });

  it('removes the outputs of a failed attempt before retrying', async () => {
    const u = await makeUser(t);
    const row = await jobs().create({ userId: u.id, type: 'test.output', input: { roles: ['video'], failAfterOutputs: true } });
    await jobs().drain();
    const firstOutputs = await t.ctx.db.selectFrom('files').select(['id', 'blob_key']).where('job_id', '=', row.id).execute();
    expect(firstOutputs).toHaveLength(1);
    clock.advance(2_000);
    await jobs().drain();
    const r = await jobs().get(u.id, row.id);
    expect(r).toMatchObject({ status: 'succeeded', attempts: 2 });
    const files = jobs().toApi(r).output!.files;
    expect(files).toHaveLength(1);
    expect(files[0]!.file).not.toBe(firstOutputs[0]!.id);
    expect(await fileRow(firstOutputs[0]!.id)).toBeUndefined();
    expect(await blobExists(firstOutputs[0]!.blob_key)).toBe(false);
  });

  it('deleting a job deletes its outputs and the inputs that belong only to it', async () => {
    const u = await makeUser(t);
    const library = await libraryFile(u, 'audio'); // an upload from the library: kept
    const ownInput = await libraryFile(u, 'job_input'); // made for this job only: deleted
    const sharedInput = await libraryFile(u, 'job_input'); // also used by another job: kept
    const row = await jobs().create({
      userId: u.id,
      type: 'test.output',
      input: { roles: ['video', 'poster'] },
      inputFiles: [
        { fileId: library, role: 'audio' },
        { fileId: ownInput, role: 'image' },
        { fileId: sharedInput, role: 'image' },
      ],
    });
    const other = await jobs().create({ userId: u.id, type: 'test.sleep', input: {}, inputFiles: [{ fileId: sharedInput, role: 'image' }] });
    await jobs().drain();
    const outputs = jobs().toApi(await jobs().get(u.id, row.id)).output!.files.map((f) => f.file);
    expect(outputs).toHaveLength(2);
    const blobKeys = await Promise.all(outputs.map(async (id) => (await fileRow(id))!.blob_key));
    const ownKey = (await fileRow(ownInput))!.blob_key;

    expect(new Set(await jobs().filesToDeleteWith(u.id, row.id))).toEqual(new Set([...outputs, ownInput]));
    const res = await u.request({ method: 'DELETE', url: `/api/v1/jobs/${row.id}` });
    expect(res.statusCode).toBe(204);

    for (const id of outputs) expect(await fileRow(id)).toBeUndefined();
    for (const key of blobKeys) expect(await blobExists(key)).toBe(false);
    expect(await fileRow(ownInput)).toBeUndefined();
    expect(await blobExists(ownKey)).toBe(false);
    expect(await fileRow(library)).toBeDefined();
    expect(await fileRow(sharedInput)).toBeDefined();
    expect(await t.ctx.db.selectFrom('job_files').select('file_id').where('job_id', '=', row.id).execute()).toEqual([]);
    expect((await jobs().get(u.id, other.id)).status).toBe('succeeded');
  });
});
