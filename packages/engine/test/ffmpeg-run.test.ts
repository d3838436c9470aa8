import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, FfmpegError, createProgressTracker, filter, isAbortError, runFfmpeg } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A stand-in "ffmpeg": a shell script with the given body. */
async function fakeTool(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runFfmpeg', () => {
  it('reports monotonic progress in 0..1 that reaches 1', async () => {
    const fractions: number[] = [];
    // -re paces the 1.5 s source in real time, so several progress blocks arrive before the end.
    await runFfmpeg(
      ['-re', '-f', 'lavfi', '-i', filter('sine', { f: 440, d: 1.5 }), '-stats_period', '0.1', '-f', 'null', '-'],
      { durationSeconds: 1.5, onProgress: (f) => fractions.push(f) },
    );
    expect(fractions.length).toBeGreaterThanOrEqual(4);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.filter((f) => f > 0 && f < 1).length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < fractions.length; i++) {
      expect(fractions[i]).toBeGreaterThan(0);
      expect(fractions[i]).toBeLessThanOrEqual(1);
      if (i > 0) expect(fractions[i]).toBeGreaterThan(fractions[i - 1]!);
    }
  });

  it('reports 1 on success even without a known duration', async () => {
    const fractions: number[] = [];
    await runFfmpeg(['-f', 'lavfi', '-i', 'anullsrc=d=0.1', '-f', 'null', '-'], { onProgress: (f) => fractions.push(f) });
    expect(fractions).toEqual([1]);
  });

  it('rejects with FfmpegError carrying the exit code and the stderr tail', async () => {
    const error = await runFfmpeg(['-i', join(dir, 'missing.wav'), '-f', 'null', '-']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    const e = error as FfmpegError;
    expect(e.exitCode).toBeGreaterThan(0);
    expect(e.stderrTail).toContain('No such file or directory');
    expect(e.message).toContain('No such file or directory');
  });

  it('keeps only the last 4 KB of stderr', async () => {
    const noisy = await fakeTool('noisy.sh', "head -c 200000 /dev/zero | tr '\\0' x >&2\necho >&2\necho 'the real error' >&2\nexit 3");
    const error = (await runFfmpeg([], { binaries: { ffmpeg: noisy } }).catch((e: unknown) => e)) as FfmpegError;
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error.exitCode).toBe(3);
    expect(error.stderrTail.length).toBeLessThanOrEqual(4096);
    expect(error.stderrTail.trimEnd().endsWith('the real error')).toBe(true);
    expect(error.message).toBe('noisy.sh exited with code 3: the real error');
  });

  it('rejects with FfmpegError when the binary cannot start', async () => {
    const error = (await runFfmpeg([], { binaries: { ffmpeg: join(dir, 'no-such-ffmpeg') } }).catch((e: unknown) => e)) as FfmpegError;
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error.exitCode).toBeNull();
  });

  it('abort stops a long run within 3 s and rejects with AbortError', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = runFfmpeg(['-re', '-f', 'lavfi', '-i', 'sine=d=60', '-f', 'null', '-'], {
      signal: controller.signal,
      durationSeconds: 60,
    });
    setTimeout(() => controller.abort(), 300);
    const error = await run.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect((error as Error).name).toBe('AbortError');
    expect(error).toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('escalates to SIGKILL 2 s after a SIGTERM that is ignored', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    // Ignored signals stay ignored across exec, so `sleep` outlives SIGTERM. The pid is written only
    // once the trap is set (and renamed into place whole), so the abort never lands before the trap.
    const stubborn = await fakeTool('stubborn.sh', `trap '' TERM\necho $$ > '${pidFile}.tmp'\nmv '${pidFile}.tmp' '${pidFile}'\nexec sleep 30`);
    const controller = new AbortController();
    const run = runFfmpeg([], { binaries: { ffmpeg: stubborn }, signal: controller.signal }).catch((e: unknown) => e);
    let pid = 0;
    for (let i = 0; i < 100 && !pid; i++) {
      await new Promise((r) => setTimeout(r, 50));
      pid = Number(await readFile(pidFile, 'utf8').catch(() => '0'));
    }
    expect(pid).toBeGreaterThan(0);
    const abortedAt = Date.now();
    controller.abort();
    const error = await run;
    const waited = Date.now() - abortedAt;
    expect((error as Error).name).toBe('AbortError');
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(3000);
    expect(isAlive(pid)).toBe(false);
  });

  it('does not start at all when the signal is already aborted', async () => {
    const pidFile = join(dir, 'never.pid');
    const tool = await fakeTool('never.sh', `echo $$ > '${pidFile}'`);
    const controller = new AbortController();
    controller.abort();
    const error = await runFfmpeg([], { binaries: { ffmpeg: tool }, signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    await expect(readFile(pidFile)).rejects.toThrow();
  });

  it('a throwing progress callback stops ffmpeg and rejects with its error', async () => {
    const started = Date.now();
    const error = await runFfmpeg(['-re', '-f', 'lavfi', '-i', 'sine=d=60', '-stats_period', '0.1', '-f', 'null', '-'], {
      durationSeconds: 60,
      onProgress: () => {
        throw new Error('listener failed');
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('listener failed');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('createProgressTracker', () => {
  it('is monotonic, clamped and chunking-independent for any progress stream', () => {
    const block = fc.record({
      us: fc.oneof(fc.integer({ min: -5_000_000, max: 20_000_000 }).map(String), fc.constant('N/A')),
      key: fc.constantFrom('out_time_us', 'out_time_ms'),
    });
    fc.assert(
      fc.property(fc.array(block, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }), (blocks, cuts) => {
        const text = blocks.map((b) => `frame=1\n${b.key}=${b.us}\nout_time=00:00:00.000000\nprogress=continue\n`).join('');
        const seen: number[] = [];
        const tracker = createProgressTracker(10, (f) => seen.push(f));
        let p = 0;
        for (let i = 0; p < text.length; i++) {
          const n = cuts[i % cuts.length]!;
          tracker.write(text.slice(p, p + n));
          p += n;
        }
        tracker.complete();
        for (let i = 0; i < seen.length; i++) {
          expect(seen[i]).toBeGreaterThan(0);
          expect(seen[i]).toBeLessThanOrEqual(1);
          if (i > 0) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
        }
        expect(seen.at(-1)).toBe(1);
        const expected = blocks
          .map((b) => Number(b.us))
          .filter((us) => Number.isFinite(us) && us > 0)
          .map((us) => Math.min(1, us / 1e6 / 10));
        // Exactly the new highs below 1, in order.
        expect(seen.filter((f) => f < 1)).toEqual(expected.filter((f, i) => f < 1 && f > Math.max(0, ...expected.slice(0, i))));
      }),
      { numRuns: 500 },
    );
  });

  it('reports 1 at progress=end', () => {
    const seen: number[] = [];
    const tracker = createProgressTracker(2, (f) => seen.push(f));
    tracker.write('out_time_us=500000\nprogress=continue\nout_time_us=1000000\nprogress=end\n');
    tracker.complete();
    expect(seen).toEqual([0.25, 0.5, 1]);
  });
});
