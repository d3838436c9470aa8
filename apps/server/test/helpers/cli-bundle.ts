/**
 * A CLI bundle per test run (scripts/bundle-cli.mjs), so the tests run exactly the sources of this
 * checkout whatever state apps/server/dist/cli is in, and runs in parallel never replace each
 * other's chunks. Built once per run by the vitest globalSetup (cli-bundle.global.ts), which hands
 * its path to the tests (inject('clipmixCli'), used by helpers/cli.ts).
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../../scripts/bundle-cli.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the bundled CLI's entry (node <it> …), from the globalSetup. */
    clipmixCli: string;
  }
}

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where bundles go: one sub-directory per build. */
export const CLI_BUNDLES_DIR = path.join(serverDir, 'test-output/cli');
/** The shipped entry point (the dist bundle when fresh, else tsx + TypeScript sources). */
export const CLI_BIN = path.join(serverDir, 'bin/clipmix.js');

/** Builds the CLI into a new directory under CLI_BUNDLES_DIR (about a second); returns its entry file. */
export async function buildCliBundle(): Promise<{ entry: string; dir: string }> {
  const dir = path.join(CLI_BUNDLES_DIR, `run-${process.pid}-${Date.now()}`);
  return { entry: await bundleCli(dir), dir };
}

/** Removes bundles left behind by runs that ended without their teardown (older than `maxAgeMs`). */
export function removeStaleCliBundles(maxAgeMs = 6 * 3600_000): void {
  let names: string[];
  try {
    names = readdirSync(CLI_BUNDLES_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    const p = path.join(CLI_BUNDLES_DIR, name);
    try {
      if (Date.now() - statSync(p).mtimeMs > maxAgeMs) rmSync(p, { recursive: true, force: true });
    } catch {
      // another run removed it first
    }
  }
}
