/**
 * Bundles the `clipmix` CLI (src/main.ts and the workspace sources it imports) into plain ESM that
 * node runs without tsx. Under tsx every start compiles or loads hundreds of TypeScript modules
 * through its hooks (about a second before the first line of a command runs, and ~40 MB more
 * memory); the bundle starts in a fraction of that.
 *
 * - Packages stay external (native modules such as better-sqlite3 and sharp must); only workspace
 *   sources (@clipmix/*) are bundled.
 * - Code splitting keeps the CLI's dynamic imports lazy: `clipmix --help` or `clipmix render` does
 *   not load the server's packages, exactly as from the sources.
 * - Each source file keeps its own `import.meta.url`, so paths it resolves relative to itself (the
 *   web build, createRequire) are the same as from the sources.
 * - Bundles live under apps/server, so packages resolve exactly as they do for the sources.
 *
 * Run directly (scripts/build.sh does, when a source changed), it builds apps/server/dist/cli,
 * which bin/clipmix.js runs while no source is newer than it.
 */
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The CLI bundle bin/clipmix.js runs. */
export const DIST_CLI_DIR = path.join(serverDir, 'dist/cli');

/** @type {import('esbuild').Plugin} */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    // Bare specifiers (not relative, not absolute; node: builtins included) other than the workspace's own.
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@clipmix/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** @type {import('esbuild').Plugin} */
const ownImportMetaUrl = {
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

/**
 * Builds the CLI into `outdir` (created; about a second). Returns the entry file (`node <entry> …`).
 * @param {string} outdir
 * @returns {Promise<string>}
 */
export async function bundleCli(outdir) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { clipmix: path.join(serverDir, 'src/main.ts') },
    outdir,
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
  return path.join(outdir, 'clipmix.mjs');
}

/** Builds dist/cli: into a sibling directory first, then swapped in, so a running CLI never sees half a bundle. */
export async function buildDistCli() {
  const next = `${DIST_CLI_DIR}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  await bundleCli(next);
  const old = `${DIST_CLI_DIR}.old-${process.pid}`;
  try {
    renameSync(DIST_CLI_DIR, old);
  } catch {
    // first build
  }
  renameSync(next, DIST_CLI_DIR);
  rmSync(old, { recursive: true, force: true });
  return path.join(DIST_CLI_DIR, 'clipmix.mjs');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDistCli();
}
