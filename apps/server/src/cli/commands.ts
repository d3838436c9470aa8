import type { Command } from 'commander';
import { registerMigrate } from './migrate.js';
import { registerPurge } from './purge.js';
import { registerSecrets } from './secrets.js';
import { registerServe } from './serve.js';
import { registerUsers } from './users.js';
import { registerKeys } from './keys.js';
import { registerRender } from './render.js';
import { registerCompose } from './compose.js';
import { registerEdit } from './edit.js';
import { registerWorker } from './worker.js';

/**
 * Every `clipmix` sub-command; each lives in its own file. Commands that need the server (its
 * context, database or modules) import it inside their action, so `--help`, argument errors and
 * the engine-only commands (render, compose, edit) do not load the whole server first.
 */
export function registerCommands(program: Command): void {
  registerServe(program);
  registerWorker(program);
  registerMigrate(program);
  registerUsers(program);
  registerPurge(program);
  registerSecrets(program);
  registerKeys(program);
  registerRender(program);
  registerCompose(program);
  registerEdit(program);
}
