import type { Command } from 'commander';
import { registerMigrate } from './migrate.js';
import { registerPurge } from './purge.js';
import { registerServe } from './serve.js';
import { registerUsers } from './users.js';
import { registerKeys } from './keys.js';
import { registerRender } from './render.js';
import { registerWorker } from './worker.js';

/** Every `clipmix` sub-command; each lives in its own file. */
export function registerCommands(program: Command): void {
  registerServe(program);
  registerWorker(program);
  registerMigrate(program);
  registerUsers(program);
  registerPurge(program);
  registerKeys(program);
  registerRender(program);
}
