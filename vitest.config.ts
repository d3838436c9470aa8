import { defineConfig } from 'vitest/config';

// One run, four projects. Media and database tests are I/O heavy; 2 workers match the machine.
//
// engine and server run without per-file isolation: every server test file imports the whole
// server (hundreds of modules plus fastify, the AWS SDK, BullMQ…), and re-importing it in a fresh
// worker for each file cost more than half of the run's import time. Their test files share no
// mutable module state (each builds its own app, database and data dir through the helpers), so a
// worker imports the sources once and runs file after file. Keep it that way: no vi.mock of
// modules, no process-wide settings left behind by a file (restore what you change in afterAll).
export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'engine', include: ['packages/engine/test/**/*.test.ts'], isolate: false } },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['apps/server/test/**/*.test.ts'],
          isolate: false,
          // Bundles the CLI once per run: helpers/cli.ts spawns the bundle instead of tsx + sources.
          globalSetup: ['apps/server/test/helpers/cli-bundle.global.ts'],
        },
      },
      { extends: true, test: { name: 'sdk', include: ['packages/sdk/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'web-e2e', include: ['apps/web/e2e/**/*.test.ts'], fileParallelism: false, testTimeout: 180_000 } },
    ],
  },
});
