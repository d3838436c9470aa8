/**
 * vitest globalSetup (server project): bundles the CLI once per run and provides its path to the
 * tests (helpers/cli.ts spawns it instead of tsx + sources); removes it when the run ends.
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildCliBundle, removeStaleCliBundles } from './cli-bundle.js';

export default async function setup(project: TestProject): Promise<() => void> {
  removeStaleCliBundles();
  const { entry, dir } = await buildCliBundle();
  project.provide('clipmixCli', entry);
  return () => rmSync(dir, { recursive: true, force: true });
}
