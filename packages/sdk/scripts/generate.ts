/**
 * Regenerates the SDK's API types from the server's own route schemas — no network listener.
 *
 *   node --import tsx packages/sdk/scripts/generate.ts [outDir]
 *
 * Writes `<outDir>/openapi.json` and `<outDir>/src/schema.d.ts` (outDir defaults to packages/sdk).
 * The freshness test calls `generate()` with a temp dir and compares the results with the checked-in files.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { createContext } from '../../../apps/server/src/app.js';
import { loadConfig } from '../../../apps/server/src/config/env.js';
import { buildHttp } from '../../../apps/server/src/http/server.js';

export const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const HEADER = `/**
 * GENERATED from the ClipMix server's OpenAPI document — do not edit.
 * Regenerate with: node --import tsx packages/sdk/scripts/generate.ts
 */

`;

/** Builds the OpenAPI document the server serves at GET /api/v1/openapi.json, in-process. */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'clipmix-sdk-gen-'));
  try {
    const ctx = await createContext(
      loadConfig({ CLIPMIX_DATA_DIR: dataDir, CLIPMIX_LOG_LEVEL: 'silent', CLIPMIX_WORKERS: '0' }),
    );
    try {
      const app = await buildHttp(ctx, {});
      try {
        await app.ready();
        const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
        if (res.statusCode !== 200) throw new Error(`GET /api/v1/openapi.json → ${res.statusCode}: ${res.body}`);
        return res.json() as Record<string, unknown>;
      } finally {
        await app.close();
      }
    } finally {
      await ctx.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Renders the TypeScript declarations for a document. */
export async function renderSchema(doc: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(doc as never, { alphabetize: true });
  return HEADER + astToString(ast);
}

export function renderDocument(doc: Record<string, unknown>): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function generate(outDir: string = sdkDir): Promise<{ openapiPath: string; schemaPath: string }> {
  const doc = await buildOpenApiDocument();
  const openapiPath = path.join(outDir, 'openapi.json');
  const schemaPath = path.join(outDir, 'src', 'schema.d.ts');
  await mkdir(path.dirname(schemaPath), { recursive: true });
  await writeFile(openapiPath, renderDocument(doc));
  await writeFile(schemaPath, await renderSchema(doc));
  return { openapiPath, schemaPath };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = await generate(process.argv[2] ? path.resolve(process.argv[2]) : sdkDir);
  const paths = Object.keys(JSON.parse(await (await import('node:fs/promises')).readFile(out.openapiPath, 'utf8')).paths ?? {});
  console.log(`wrote ${path.relative(process.cwd(), out.openapiPath)} (${paths.length} paths) and ${path.relative(process.cwd(), out.schemaPath)}`);
}
