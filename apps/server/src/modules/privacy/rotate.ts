import type { AppContext } from '../../app.js';
import { envelopeFor } from '../../platform/crypto/envelope.js';
import type { ModuleDefinition } from '../module.js';

/**
 * Re-seals every column declared `sealed` in the modules' data.ts under the current
 * CLIPMIX_SECRET (rows sealed with a CLIPMIX_SECRET_PREVIOUS value, or in the legacy `sb1.`
 * format). Each row is updated only if its ciphertext is unchanged since it was read, so a
 * concurrent write is never overwritten. Returns re-sealed counts per table.column.
 */
export async function rotateSealedColumns(
  ctx: Pick<AppContext, 'db' | 'config'>,
  modules: readonly ModuleDefinition[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const m of modules) {
    for (const t of m.data.tables) {
      for (const s of t.sealed ?? []) {
        const box = envelopeFor(ctx.config, s.purpose);
        const rows = (await ctx.db
          .selectFrom(t.table as any)
          .select([`${s.aadColumn} as aad`, `${s.column} as sealed`] as any)
          .where(s.column as any, 'is not', null)
          .execute()) as Array<{ aad: string; sealed: string }>;
        let n = 0;
        for (const r of rows) {
          if (!box.needsRotation(r.sealed)) continue;
          const next = box.rotate(r.sealed, { aad: String(r.aad) });
          const res = await ctx.db
            .updateTable(t.table as any)
            .set({ [s.column]: next } as any)
            .where(s.aadColumn as any, '=', r.aad)
            .where(s.column as any, '=', r.sealed)
            .executeTakeFirst();
          n += Number(res.numUpdatedRows);
        }
        counts[`${t.table}.${s.column}`] = n;
      }
    }
  }
  return counts;
}
