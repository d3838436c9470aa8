#!/usr/bin/env node
// The `clipmix` CLI. It runs the bundle scripts/build.sh makes (apps/server/dist/cli) while no
// source file is newer than it, and the TypeScript sources through tsx otherwise (or when
// CLIPMIX_CLI_FROM_SOURCES=1), so an edited source always runs as written.
import { readdirSync, statSync } from 'node:fs';

const bundle = new URL('../dist/cli/clipmix.mjs', import.meta.url);
const sourceDirs = [new URL('../src/', import.meta.url), new URL('../../../packages/engine/src/', import.meta.url)];

function newestMtimeMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const mtime = statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function bundleIsFresh() {
  if (process.env.CLIPMIX_CLI_FROM_SOURCES === '1') return false;
  try {
    const built = statSync(bundle).mtimeMs;
    return sourceDirs.every((dir) => newestMtimeMs(dir) < built);
  } catch {
    return false;
  }
}

if (bundleIsFresh()) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
