import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureSong, isAbortError, renderSong } from '../src/index.js';
import { liveToolPids } from '../src/synth/process.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-synth-cancel-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('renderSong cancellation', () => {
  it('kills its children and leaves no files when aborted mid-render', async () => {
    const outDir = join(dir, 'out');
    await mkdir(outDir);
    const song = buildFixtureSong({ durationSeconds: 15 });
    const controller = new AbortController();
    const seen = new Set<number>();
    // Abort as soon as child processes (fluidsynth / espeak-ng) are running.
    const poll = setInterval(() => {
      const pids = liveToolPids();
      pids.forEach((p) => seen.add(p));
      if (pids.length > 0) controller.abort();
    }, 5);
    const error = await renderSong({ song, outDir, signal: controller.signal }).catch((e: unknown) => e);
    clearInterval(poll);
    expect(isAbortError(error)).toBe(true);
    expect(seen.size).toBeGreaterThan(0);
    for (const pid of seen) expect(isAlive(pid)).toBe(false);
    expect(liveToolPids()).toEqual([]);
    expect(await readdir(outDir)).toEqual([]);
  });

  it('rejects at once, creating nothing, when the signal is already aborted', async () => {
    const outDir = join(dir, 'never');
    const error = await renderSong({ song: buildFixtureSong(), outDir, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    await expect(readdir(outDir)).rejects.toThrow(/ENOENT/);
  });
});
