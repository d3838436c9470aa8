/**
 * `clipmix compose`: a 15 s song from a lyrics file with --stems/--midi/--lrc, measured on the
 * files it writes; bad input exits 1 with one line and writes nothing.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { probe } from '@clipmix/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipmix as run, type CliResult } from './helpers/cli.js';
import { scratch } from './helpers/media.js';

let work: Awaited<ReturnType<typeof scratch>>;

/** The bundled CLI (helpers/cli.ts), run in the scratch directory. */
function clipmix(args: string[]): Promise<CliResult> {
  return run(args, { cwd: work.dir, env: { CLIPMIX_LOG_LEVEL: 'silent' } });
}

beforeAll(async () => {
  work = await scratch();
  await writeFile(work.file('lyrics.txt'), '[Verse]\nSlow train rolling down the line\nCarry me home one more time\n[Chorus]\nOh carry me home\nCarry me home\n', 'utf8');
});
afterAll(async () => work?.remove());

describe('clipmix compose', () => {
  it('composes a 15 s song with stems, MIDI and LRC; the MP3 path is the last stdout line', async () => {
    const out = work.file('out/song.mp3');
    const r = await clipmix([
      'compose', '--genre', 'country', '--mood', 'calm', '--duration', '15', '--lyrics', work.file('lyrics.txt'), '--vocals', 'sung', '--seed', '11',
      '--out', out, '--stems', work.file('stems'), '--midi', work.file('out/song.mid'), '--lrc', work.file('out/song.lrc'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(out);
    expect(r.stderr).toMatch(/Composing/);
    expect(r.stderr).toMatch(/Provider: local-composer/);

    const info = await probe(out);
    expect(info.audio?.codec).toBe('mp3');
    expect(Math.abs(info.durationSeconds - 15)).toBeLessThanOrEqual(1);

    const stems = (await readdir(work.file('stems'))).sort();
    expect(stems.length).toBeGreaterThanOrEqual(4);
    expect(stems.map((s) => path.parse(s).name)).toEqual(expect.arrayContaining(['drums', 'bass', 'harmony']));
    // Every stem covers the whole song from 0 s (fluidsynth may add a release tail after it).
    for (const s of stems) expect((await probe(work.file(`stems/${s}`))).durationSeconds).toBeGreaterThanOrEqual(14);

    const midi = await readFile(work.file('out/song.mid'));
    expect(midi.subarray(0, 4).toString('latin1')).toBe('MThd');
    const lrc = await readFile(work.file('out/song.lrc'), 'utf8');
    // A 15 s form has room for one section: whichever it sings, its line is timed within the song.
    const lines = [...lrc.matchAll(/^\[00:(\d\d\.\d\d)\](.+)$/gm)];
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const [, at, text] of lines) {
      expect(Number(at)).toBeLessThan(15);
      expect(['Slow train rolling down the line', 'Carry me home one more time', 'Oh carry me home', 'Carry me home']).toContain(text);
    }
  }, 60_000);

  it.each([
    [['--genre', 'polka', '--mood', 'calm', '--duration', '15'], /--genre must be one of pop, rock/],
    [['--genre', 'pop', '--mood', 'calm', '--duration', '5'], /--duration must be 15–300 seconds/],
  ])('refuses %j with one line and exit 1', async (args, reason) => {
    const out = work.file('bad.mp3');
    const r = await clipmix(['compose', ...args, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(reason);
    await expect(stat(out)).rejects.toThrow();
  });
});
