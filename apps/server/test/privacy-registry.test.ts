import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allModules } from '../src/modules/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { DB_KINDS } from './helpers/db.js';

// A new table cannot forget export/deletion/retention: it must be declared by some module.
describe.each(DB_KINDS)('data registry on %s', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ db });
  });
  afterAll(async () => t?.close());

  it('declares every table of the schema in exactly one module data.ts', async () => {
    const tables = (await t.ctx.db.introspection.getTables()).map((x) => x.name).filter((n) => !n.startsWith('kysely_'));
    const declared = allModules.flatMap((m) => m.data.tables.map((d) => ({ module: m.name, ...d })));
    const names = declared.map((d) => d.table);
    const missing = tables.filter((tb) => !names.includes(tb));
    expect(missing, `tables with no data.ts declaration: ${missing.join(', ')}`).toEqual([]);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    expect(twice, `tables declared twice: ${twice.join(', ')}`).toEqual([]);
    const unknown = names.filter((n) => !tables.includes(n));
    expect(unknown, `declared tables that do not exist: ${unknown.join(', ')}`).toEqual([]);
  });

  it('gives every per-user table a user column that exists', async () => {
    const tables = await t.ctx.db.introspection.getTables();
    for (const m of allModules) {
      for (const d of m.data.tables) {
        if (!d.userColumn) continue;
        const table = tables.find((x) => x.name === d.table);
        expect(table?.columns.map((c) => c.name), `${m.name}: ${d.table}.${d.userColumn}`).toContain(d.userColumn);
      }
    }
  });
});
