import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import yazl from 'yazl';
import type { AppContext } from '../../app.js';
import type { JobHandler, JobRunContext } from '../jobs/handler.js';
import { declaredTables, userRows, type DeclaredTable } from './registry.js';

export const EXPORT_JOB_TYPE = 'account.export';
export const EXPORT_OUTPUT_ROLE = 'export';
const BATCH = 500;

/** Columns never exported whatever a declaration says: hashes, secrets and sealed values. */
function hiddenColumns(t: DeclaredTable): Set<string> {
  return new Set([...(t.redact ?? []), ...(t.sealed ?? []).map((s) => s.column)]);
}

/**
 * Writes `<dir>/<module>.json` for every module with exportable tables: each table's
 * description and the user's rows, redacted columns omitted. Rows are read in batches and
 * written as they come, so a large log never sits in memory.
 */
async function writeModuleJson(ctx: AppContext, userId: string, dir: string, signal: AbortSignal): Promise<string[]> {
  const all = declaredTables(ctx.modules);
  const columns = new Map((await ctx.db.introspection.getTables()).map((t) => [t.name, t.columns.map((c) => c.name)]));
  const written: string[] = [];
  for (const m of ctx.modules) {
    const tables = all.filter((t) => t.module === m.name && t.export);
    if (!tables.length) continue;
    const file = path.join(dir, `${m.name}.json`);
    const fh = await open(file, 'w');
    try {
      await fh.write(`{\n"module": ${JSON.stringify(m.name)},\n"tables": {`);
      for (const [i, t] of tables.entries()) {
        const hidden = hiddenColumns(t);
        const cols = (columns.get(t.table) ?? []).filter((c) => !hidden.has(c));
        await fh.write(`${i ? ',' : ''}\n${JSON.stringify(t.table)}: {"description": ${JSON.stringify(t.description)}, "rows": [`);
        const base = userRows(ctx.db as unknown as Kysely<any>, t, all, userId);
        let n = 0;
        if (base && cols.length) {
          const order = cols.includes('id') ? ['id'] : cols;
          for (let offset = 0; ; offset += BATCH) {
            signal.throwIfAborted();
            let q = base.select(cols.map((c) => `${t.table}.${c}`) as any);
            for (const c of order) q = q.orderBy(`${t.table}.${c}` as any);
            const rows = await q.limit(BATCH).offset(offset).execute();
            for (const r of rows) await fh.write(`${n++ ? ',' : ''}\n  ${JSON.stringify(r)}`);
            if (rows.length < BATCH) break;
          }
        }
        await fh.write(`\n]}`);
      }
      await fh.write(`\n}\n}\n`);
    } finally {
      await fh.close();
    }
    written.push(file);
  }
  return written;
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '').slice(0, 120);

/** The ZIP: one JSON per module, then the user's files under files/ (streamed from the blob store). */
async function buildZip(run: JobRunContext): Promise<string> {
  const { ctx, job, signal, tmpDir } = run;
  const jsonFiles = await writeModuleJson(ctx, job.userId, tmpDir, signal);
  run.progress(0.2);
  const files = await ctx.db
    .selectFrom('files')
    .select(['id', 'blob_key', 'original_name', 'mime', 'size_bytes'])
    .where('user_id', '=', job.userId)
    .where((eb) => eb.or([eb('role', 'is', null), eb('role', '!=', EXPORT_OUTPUT_ROLE)]))
    .orderBy('id')
    .execute();

  const zip = new yazl.ZipFile();
  const out = path.join(tmpDir, 'export.zip');
  const sink = createWriteStream(out);
  zip.outputStream.pipe(sink);
  const now = ctx.clock.now();
  const manifest = {
    exported_at: now.toISOString(),
    user_id: job.userId,
    modules: jsonFiles.map((f) => path.basename(f)),
    files: files.map((f) => ({ id: f.id, path: `files/${f.id}-${safeName(f.original_name ?? 'file')}`, mime: f.mime, size_bytes: Number(f.size_bytes) })),
  };
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), 'manifest.json', { mtime: now });
  for (const f of jsonFiles) zip.addFile(f, path.basename(f), { mtime: now });
  let done = 0;
  for (const [i, f] of files.entries()) {
    // Lazy: one blob stream open at a time, however many files the user has.
    zip.addReadStreamLazy(manifest.files[i]!.path, { mtime: now, compress: false }, (cb) => {
      if (signal.aborted) return cb(signal.reason, undefined as never);
      ctx.blobs.get(f.blob_key).then(
        (s) => {
          s.once('end', () => run.progress(0.2 + (0.75 * ++done) / files.length));
          cb(null, s);
        },
        (err: unknown) => {
          // A lost blob must not make the whole export impossible: it is listed, but empty.
          ctx.logger.warn({ err, fileId: f.id }, 'export: file content missing');
          cb(null, Readable.from([]));
        },
      );
    });
  }
  zip.end();
  const failed = new Promise<never>((_, reject) => zip.outputStream.once('error', reject));
  await Promise.race([once(sink, 'close'), failed]);
  return out;
}

export const exportJobHandler: JobHandler = {
  provider: 'local',
  async run(run) {
    const out = await buildZip(run);
    await run.addOutput({
      role: EXPORT_OUTPUT_ROLE,
      path: out,
      mime: 'application/zip',
      kind: 'other',
      originalName: `clipmix-export-${run.ctx.clock.now().toISOString().slice(0, 10)}.zip`,
    });
    run.progress(1);
  },
};
