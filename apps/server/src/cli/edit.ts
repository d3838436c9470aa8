import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { displayDimensions, EditValidationError, probe, renderEdit, validateEditList, type EditIssue } from '@clipmix/engine';
import { issuesDetail } from '../modules/editor/references.js';

interface EditOptions {
  input: string[];
  ops: string;
  out: string;
}

/** Bad input for `clipmix edit`: printed as one line, exit 1. */
class EditInputError extends Error {
  override name = 'EditInputError';
}

/**
 * `clipmix edit --input FILE [--input FILE…] --ops FILE.json --out FILE`
 *
 * Engine only (no server, no database): the edit list of --ops applied to the --input videos, the
 * same renderer as the `edit` job. In the edit list, concat `inputs` and audio `file` are indexes
 * of the --input list or paths (relative to the working directory or to the ops file). A progress
 * bar goes to stderr; the output path is the last line of stdout.
 */
export function registerEdit(program: Command): void {
  program
    .command('edit')
    .description('Apply an edit list (trim, text, filters, crop, speed, …) to local videos (no server needed)')
    .requiredOption('--input <file>', 'a source video; repeat for more (index 0, 1, …)', (v: string, list: string[]) => [...list, v], [] as string[])
    .requiredOption('--ops <file>', 'the edit list: a JSON array of operations')
    .requiredOption('--out <file>', 'output video (.mp4)')
    .action(async (opts: EditOptions) => {
      try {
        process.stdout.write(`${await edit(opts)}\n`);
      } catch (err) {
        const message = err instanceof EditValidationError ? issuesDetail(err.issues) : err instanceof Error ? err.message : String(err);
        throw new Error(message.split('\n').map((l) => l.trim()).filter(Boolean)[0] ?? 'edit failed');
      }
    });
}

async function edit(opts: EditOptions): Promise<string> {
  if (opts.input.length === 0) throw new EditInputError('--input: at least one video is needed');
  if (!/\.(mp4|mov|m4v)$/i.test(opts.out)) throw new EditInputError(`--out must name an .mp4 file (got "${opts.out}")`);
  const sources: string[] = [];
  for (const p of opts.input) sources.push(await mustBeFile(p, '--input'));
  const opsFile = await mustBeFile(opts.ops, '--ops');
  let operations: unknown;
  try {
    operations = JSON.parse(await readFile(opsFile, 'utf8'));
  } catch (err) {
    throw new EditInputError(`--ops: ${path.basename(opsFile)} is not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const sourceMap = await pathReferences(operations, path.dirname(opsFile));
  const durations: number[] = [];
  let frame: { width: number; height: number } | undefined;
  for (const s of sources) {
    const info = await probe(s).catch((err: Error) => {
      throw new EditInputError(`--input: could not read ${path.basename(s)}: ${err.message}`);
    });
    if (!info.video) throw new EditInputError(`--input: ${path.basename(s)} has no video stream`);
    durations.push(info.durationSeconds);
    frame ??= displayDimensions(info.video);
  }
  const keyDurations: Record<string, number> = {};
  for (const [key, p] of Object.entries(sourceMap)) {
    const info = await probe(p).catch((err: Error) => {
      throw new EditInputError(`could not read ${key}: ${err.message}`);
    });
    keyDurations[key] = info.durationSeconds;
  }
  const checked = validateEditList(operations, {
    sourceCount: sources.length,
    sourceKeys: Object.keys(sourceMap),
    durations,
    keyDurations,
    ...(frame ? { frame } : {}),
  });
  if (!checked.ok) throw new EditInputError(issuesDetail(checked.issues as EditIssue[]));

  const output = path.resolve(opts.out);
  await mkdir(path.dirname(output), { recursive: true });
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-edit-'));
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bar = progressBar();
  try {
    await renderEdit({ sources, sourceMap, operations: checked.operations, output, workDir, signal: controller.signal, onProgress: (f) => bar.update(f) });
    bar.stop(true);
  } catch (err) {
    bar.stop(false);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
  return output;
}

/** String references (concat inputs, audio files) → absolute paths of files that exist. */
async function pathReferences(operations: unknown, opsDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!Array.isArray(operations)) return out;
  const refs: Array<{ ref: string; where: string }> = [];
  operations.forEach((op, i) => {
    const o = (op ?? {}) as Record<string, unknown>;
    if (o.type === 'concat' && Array.isArray(o.inputs)) {
      o.inputs.forEach((v, j) => typeof v === 'string' && refs.push({ ref: v, where: `operation ${i} (concat): inputs[${j}]` }));
    }
    if (o.type === 'audio' && typeof o.file === 'string') refs.push({ ref: o.file, where: `operation ${i} (audio): file` });
  });
  for (const { ref, where } of refs) {
    if (out[ref]) continue;
    const found = (await isFile(path.resolve(ref))) ? path.resolve(ref) : (await isFile(path.resolve(opsDir, ref))) ? path.resolve(opsDir, ref) : null;
    if (!found) throw new EditInputError(`${where}: no such file: ${ref}`);
    out[ref] = found;
  }
  return out;
}

async function isFile(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isFile() ?? false;
}

async function mustBeFile(p: string, flag: string): Promise<string> {
  const s = await stat(p).catch(() => null);
  if (!s) throw new EditInputError(`${flag}: no such file: ${p}`);
  if (!s.isFile()) throw new EditInputError(`${flag}: not a file: ${p}`);
  return path.resolve(p);
}

/** cli-progress on a terminal; a line per tenth otherwise (logs, CI). */
function progressBar(): { update(f: number): void; stop(ok: boolean): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: 'Editing [{bar}] {percentage}% | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(100, 0);
    return { update: (f) => bar.update(Math.round(f * 1000) / 10), stop: () => bar.stop() };
  }
  let lastTenth = -1;
  return {
    update(f) {
      const tenth = Math.floor(f * 10);
      if (tenth !== lastTenth) {
        process.stderr.write(`Editing ${Math.round(f * 100)}%\n`);
        lastTenth = tenth;
      }
    },
    stop(ok) {
      if (ok && lastTenth < 10) process.stderr.write('Done 100%\n');
    },
  };
}
