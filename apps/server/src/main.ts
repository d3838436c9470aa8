import { Command, CommanderError } from 'commander';
import { registerCommands } from './cli/commands.js';
import { ConfigError } from './config/env.js';
import { DomainError } from './platform/errors.js';

const program = new Command('clipmix')
  .description('ClipMix: self-hostable AI music-video and song studio')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode);
  }
  // One-line, human reason; never a stack trace for expected failures.
  const message =
    err instanceof ConfigError || err instanceof DomainError
      ? err.message
      : err instanceof Error
        ? err.message
        : String(err);
  process.stderr.write(`clipmix: ${message}\n`);
  if (!(err instanceof ConfigError || err instanceof DomainError) && process.env.CLIPMIX_DEBUG) {
    process.stderr.write(`${(err as Error).stack}\n`);
  }
  process.exit(1);
}
