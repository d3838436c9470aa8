import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { TableDeclaration } from '../data.js';
import type { ModuleDefinition } from '../module.js';

export interface DeclaredTable extends TableDeclaration {
  module: string;
}

/** Every table declaration of every module, in module order. */
export function declaredTables(modules: readonly ModuleDefinition[]): DeclaredTable[] {
  return modules.flatMap((m) => m.data.tables.map((t) => ({ ...t, module: m.name })));
}

/**
 * The rows of `t` belonging to `userId`: by its user column, or through its parent row
 * (`ownedThrough`). null for tables with neither (system tables such as blob_orphans).
 */
export function userRows(
  db: Kysely<any>,
  t: TableDeclaration,
  all: readonly TableDeclaration[],
  userId: string,
): SelectQueryBuilder<any, any, object> | null {
  if (t.userColumn) return db.selectFrom(t.table).where(t.userColumn, '=', userId);
  if (!t.ownedThrough) return null;
  const via = t.ownedThrough;
  const parent = all.find((p) => p.table === via.parentTable);
  if (!parent?.userColumn) throw new Error(`${t.table}: parent ${via.parentTable} has no user column`);
  const parentIds = db.selectFrom(parent.table).select(via.parentColumn).where(parent.userColumn, '=', userId);
  return db.selectFrom(t.table).where(via.column, 'in', parentIds);
}

/** DELETE of the rows `userRows` selects. */
export async function deleteUserRows(db: Kysely<any>, t: TableDeclaration, all: readonly TableDeclaration[], userId: string): Promise<number> {
  let q;
  if (t.userColumn) q = db.deleteFrom(t.table).where(t.userColumn, '=', userId);
  else if (t.ownedThrough) {
    const via = t.ownedThrough;
    const parent = all.find((p) => p.table === via.parentTable)!;
    q = db.deleteFrom(t.table).where(via.column, 'in', db.selectFrom(parent.table).select(via.parentColumn).where(parent.userColumn!, '=', userId));
  } else return 0;
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}
