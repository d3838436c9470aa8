/**
 * Bundles the `clipmix` CLI (apps/server/src/main.ts and the workspace sources it imports) into
 * plain ESM that node runs without tsx. A spawned `bin/clipmix.js` loads hundreds of TypeScript
 * modules through tsx's hooks (1–3 s of CPU per spawn); the bundle starts in a fraction of that.
 *
 * Built once per run by the vitest globalSetup (cli-bundle.global.ts), which hands its path to the
 * tests (inject('clipmixCli'), used by helpers/cli.ts). Each run builds into its own directory, so
 * runs in parallel never replace each other's chunks.
 *
 * - Packages stay external (native modules such as better-sqlite3 and sharp must); only workspace
 *   sources (@clipmix/*) are bundled.
 * - Code splitting keeps the CLI's dynamic imports lazy: `clipmix --help` or `clipmix render` does
 *   not load the server's packages, exactly as under tsx.
 * - Each source file keeps its own `import.meta.url`, so paths it resolves relative to itself (the
 *   web build, createRequire) are the same as under tsx.
 * - The output lives under apps/server, so packages resolve exactly as they do for the sources
 *   (apps/server/node_modules first, then the root's).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the bundled CLI's entry (node <it> …), from the globalSetup. */
    clipmixCli: string;
  }
}

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where bundles go: one sub-directory per build. */
export const CLI_BUNDLES_DIR = path.join(serverDir, 'test-output/cli');
/** The shipped entry point (tsx + TypeScript sources). */
export const CLI_BIN = path.join(serverDir, 'bin/clipmix.js');

const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    // Bare specifiers (not relative, not absolute; node: builtins included) other than the workspace's own.
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@clipmix/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const ownImportMetaUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: source.replaceAll('import.meta.url', url), loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

/** Builds the CLI into a new directory under CLI_BUNDLES_DIR (about a second); returns its entry file. */
export async function buildCliBundle(): Promise<{ entry: string; dir: string }> {
  const dir = path.join(CLI_BUNDLES_DIR, `run-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: { clipmix: path.join(serverDir, 'src/main.ts') },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [externalPackages, ownImportMetaUrl],
  });
  return { entry: path.join(dir, 'clipmix.mjs'), dir };
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
