/** The portable findings writer: multi-row Kysely inserts (the PostgreSQL path, and SQLite without its seam). */
import type { DbExecutor } from './database.js';
import type { FindingRows, FindingsWriter } from './findings-writer.js';
import { WriteConflictError } from './write-conflict.js';

/** Writes findings through Kysely query building; one multi-row insert per table. */
export class KyselyFindingsWriter implements FindingsWriter {
  async write(tx: DbExecutor, rows: readonly FindingRows[]): Promise<void> {
    if (rows.length === 0) return;
    const inserts = rows.filter((r) => r.pk === undefined);
    const updates = rows.filter((r) => r.pk !== undefined);
    const pks: number[] = [];
    if (inserts.length > 0) {
      const inserted = await tx
        .insertInto('findings')
        .values(inserts.map((r) => ({ ...r.columns, held: r.held ?? 0 })))
        .returning('pk')
        .execute();
      for (const row of inserted) pks.push(Number(row.pk));
    }
    for (const row of updates) {
      const pk = row.pk ?? 0;
      const updated = await tx
        .updateTable('findings')
        .set(row.held === undefined ? row.columns : { ...row.columns, held: row.held })
        .where('pk', '=', pk)
        .where('version', '=', row.expectedVersion ?? 0)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        throw new WriteConflictError(`finding ${pk} was changed by a concurrent transaction`);
      }
      pks.push(pk);
    }
    const written = [...inserts, ...updates];
    const updatedPks = updates.map((r) => r.pk ?? 0);
    if (updatedPks.length > 0) {
      await tx.deleteFrom('finding_documents').where('finding_pk', 'in', updatedPks).execute();
      await tx.deleteFrom('finding_types').where('finding_pk', 'in', updatedPks).execute();
      await tx.deleteFrom('finding_resources').where('finding_pk', 'in', updatedPks).execute();
    }
    await tx
      .insertInto('finding_documents')
      .values(written.map((r, i) => ({ finding_pk: pks[i] ?? 0, document: r.document })))
      .execute();
    const types = written.flatMap((r, i) => r.types.map((type) => ({ finding_pk: pks[i] ?? 0, type })));
    if (types.length > 0) await tx.insertInto('finding_types').values(types).execute();
    const resources = written.flatMap((r, i) =>
      r.resources.map((resource) => ({
        finding_pk: pks[i] ?? 0,
        resource_type: resource.type,
        resource_id: resource.id,
      })),
    );
    if (resources.length > 0) await tx.insertInto('finding_resources').values(resources).execute();
    await tx
      .insertInto('finding_history')
      .values(written.map((r, i) => ({ finding_pk: pks[i] ?? 0, ...r.history })))
      .execute();
  }
}
