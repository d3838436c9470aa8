import { stat, writeFile } from 'node:fs/promises';
import { probe, testing } from '@clipmix/engine';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEdit } from '../src/cli/edit.js';
import { clipmix as run, type CliResult } from './helpers/cli.js';
import { scratch } from './helpers/media.js';

let work: Awaited<ReturnType<typeof scratch>>;
let a: string;
let b: string;

/** The bundled CLI (helpers/cli.ts), run in the scratch directory. */
function clipmix(args: string[]): Promise<CliResult> {
  return run(args, { cwd: work.dir, env: { CLIPMIX_LOG_LEVEL: 'silent' } });
}

/** The same command in this process (a spawned CLI costs seconds of start-up): resolves to its error. */
async function editInProcess(args: string[]): Promise<string> {
  const program = new Command('clipmix').exitOverride();
  registerEdit(program);
  try {
    await program.parseAsync(['node', 'clipmix', 'edit', ...args]);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the command succeeded');
}

async function opsFile(name: string, ops: unknown): Promise<string> {
  const p = work.file(name);
  await writeFile(p, typeof ops === 'string' ? ops : JSON.stringify(ops));
  return p;
}

beforeAll(async () => {
  work = await scratch();
  a = await testing.makeVideo({ path: work.file('a.mp4'), seconds: 3, width: 320, height: 240, withAudio: true });
  b = await testing.makeVideo({ path: work.file('b.mp4'), seconds: 2, width: 320, height: 240, withAudio: true });
}, 60_000);

afterAll(async () => work?.remove());

describe('clipmix edit', () => {
  it('trims, crops and concatenates a second input given by path; the path is the last stdout line', async () => {
    const ops = await opsFile('ops.json', [
      { type: 'trim', start: 0.5, end: 2.5 },
      { type: 'concat', inputs: ['b.mp4'] },
      { type: 'crop', aspect: '1:1' },
    ]);
    const out = work.file('out/edited.mp4');
    const r = await clipmix(['edit', '--input', a, '--ops', ops, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(out);
    expect(r.stderr).toMatch(/Editing/);
    const info = await probe(out);
    expect(info.video!.width).toBe(info.video!.height);
    expect(Math.abs(info.durationSeconds - 4)).toBeLessThanOrEqual(0.15);
  }, 60_000);

  it('refuses a bad operation with one line naming it and exit 1', async () => {
    const out = work.file('bad.mp4');
    const r = await clipmix(['edit', '--input', a, '--ops', await opsFile('bad.json', [{ type: 'trim', start: 0, end: 1 }, { type: 'speed', factor: 100 }]), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^clipmix: The edit list is invalid: operation 1 \(speed\): factor must be at most 4/);
    await expect(stat(out)).rejects.toThrow();
  });

  it.each([
    ['an unknown filter', [{ type: 'trim', start: 0, end: 1 }, { type: 'filter', name: 'polka' }], /operation 1 \(filter\): unknown filter.*polka/],
    ['an end before its start', [{ type: 'cut', start: 2, end: 1 }], /operation 0 \(cut\)/],
    ['a time outside the video', [{ type: 'trim', start: 1, end: 30 }], /operation 0 \(trim\)/],
    ['a missing concat file', [{ type: 'concat', inputs: [0, 'nope.mp4'] }], /operation 0 \(concat\): inputs\[1\]: no such file: nope\.mp4/],
    ['an ops file that is not JSON', '[{"type":', /^--ops: bad\.json is not valid JSON/],
  ])('refuses %s with a one-line reason', async (_name, ops, reason) => {
    const out = work.file('bad.mp4');
    const message = await editInProcess(['--input', a, '--ops', await opsFile('bad.json', ops), '--out', out]);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(reason);
    await expect(stat(out)).rejects.toThrow();
  });

  it('refuses a missing input', async () => {
    const ops = await opsFile('ok.json', [{ type: 'trim', start: 0, end: 1 }]);
    await expect(editInProcess(['--input', work.file('nope.mp4'), '--ops', ops, '--out', work.file('x.mp4')])).resolves.toMatch(/^--input: no such file/);
  });
});
