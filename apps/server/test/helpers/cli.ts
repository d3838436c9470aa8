/**
 * Runs the `clipmix` CLI in a child process, as a user would.
 *
 * By default it spawns the bundled CLI (helpers/cli-bundle.ts, built once per run by the vitest
 * globalSetup): the same sources as bin/clipmix.js, without tsx loading hundreds of TypeScript
 * modules on every spawn. `{ entry: 'bin' }` spawns the shipped bin/clipmix.js itself (keep a few
 * tests on it), and CLIPMIX_TEST_CLI=bin runs every CLI test against the shipped entry point.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { inject } from 'vitest';
import { buildCliBundle, CLI_BIN } from './cli-bundle.js';

export { CLI_BIN };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** Milliseconds (default 60 s). */
  timeout?: number;
  /** Bytes of stdout or stderr (default 16 MiB). */
  maxBuffer?: number;
  /** 'bundle' (default) or 'bin' (the shipped bin/clipmix.js, through tsx). */
  entry?: 'bundle' | 'bin';
}

let ownBundle: Promise<string> | undefined;

/**
 * The globalSetup's bundle; without it (a run with another config), one built for this process
 * (left behind if the worker is killed; the next globalSetup removes bundles older than 6 h).
 */
function bundledCli(): Promise<string> {
  const provided = inject('clipmixCli');
  if (provided) return Promise.resolve(provided);
  ownBundle ??= buildCliBundle().then(({ entry, dir }) => {
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return entry;
  });
  return ownBundle;
}

/** Spawns `clipmix ...args`; resolves (never rejects) to its exit code and output. */
export async function clipmix(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const entry = opts.entry === 'bin' || process.env.CLIPMIX_TEST_CLI === 'bin' ? CLI_BIN : await bundledCli();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [entry, ...args],
      { cwd: opts.cwd, env: { ...process.env, ...opts.env }, timeout: opts.timeout ?? 60_000, maxBuffer: opts.maxBuffer ?? 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
