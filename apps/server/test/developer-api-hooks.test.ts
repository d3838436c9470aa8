/**
 * The Idempotency-Key hooks (preValidation, preHandler, onSend) are hooks of the API routes that
 * accept an unsafe method only — whichever module registered them, before or after the developer
 * module — so a GET runs none of them (developer/hooks.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

const OURS = /idempotency(PreValidation|PreHandler|OnSend)\(\)/g;

/** Each route of printRoutes' tree with the hook lines printed under it. */
function routesWithHooks(tree: string): { route: string; methods: string[]; hooks: string[] }[] {
  const out: { route: string; methods: string[]; hooks: string[] }[] = [];
  for (const line of tree.split('\n')) {
    const route = /([^\s│├└─]+) \(([A-Z, ]+)\)\s*$/.exec(line);
    if (route) out.push({ route: route[1]!, methods: route[2]!.split(', '), hooks: [] });
    else if (out.length && line.includes('•')) out[out.length - 1]!.hooks.push(...(line.match(OURS) ?? []));
  }
  return out;
}

describe('API hooks by method', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('only routes that accept an unsafe method run the Idempotency-Key hooks, and each of those runs all three', () => {
    const routes = routesWithHooks(t.http.printRoutes({ includeHooks: true, commonPrefix: false }));
    const unsafe = (methods: string[]) => methods.some((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m));
    const api = routes.filter((r) => r.hooks.length || unsafe(r.methods));
    expect(routes.length).toBeGreaterThan(50);
    for (const r of routes) {
      if (unsafe(r.methods) && r.hooks.length) expect(r.hooks.sort(), r.route).toEqual(['idempotencyOnSend()', 'idempotencyPreHandler()', 'idempotencyPreValidation()']);
      if (!unsafe(r.methods)) expect(r.hooks, `${r.route} (${r.methods.join(', ')})`).toEqual([]);
    }
    // Routes of modules registered before the developer module (jobs, media) have them too.
    const find = (route: string, method: string) => routes.find((r) => r.route.endsWith(route) && r.methods.includes(method));
    expect(find('/cancel', 'POST')?.hooks).toHaveLength(3);
    expect(find('/api/v1/files', 'POST')?.hooks).toHaveLength(3);
    expect(find('/api_keys', 'POST')?.hooks).toHaveLength(3);
    expect(api.filter((r) => r.hooks.length).length).toBeGreaterThan(20);
  });
});
