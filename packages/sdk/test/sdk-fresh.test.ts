import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, sdkDir } from '../scripts/generate.js';

const REGENERATE = 'node --import tsx packages/sdk/scripts/generate.ts';

describe('generated SDK types', () => {
  let tmp: string | undefined;
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('match the server’s current OpenAPI document (no drift)', async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'clipmix-sdk-fresh-'));
    const fresh = await generate(tmp);
    for (const [name, freshPath, checkedIn] of [
      ['openapi.json', fresh.openapiPath, path.join(sdkDir, 'openapi.json')],
      ['src/schema.d.ts', fresh.schemaPath, path.join(sdkDir, 'src', 'schema.d.ts')],
    ] as const) {
      const want = await readFile(freshPath, 'utf8');
      const have = await readFile(checkedIn, 'utf8').catch(() => '<missing>');
      expect(
        have,
        `packages/sdk/${name} is stale: the server's API changed since it was generated. Run \`${REGENERATE}\` from the repository root and commit the result.`,
      ).toBe(want);
    }
  });
});
