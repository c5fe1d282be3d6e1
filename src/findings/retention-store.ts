/** Finding retention's SQL: delete the oldest findings, with their child rows, one bounded batch at a time. */
import type { DbExecutor } from '../storage/database.js';

/**
 * Deletes up to `limit` findings whose UpdatedAt is before `cutoffMs`, with their documents, types, resources
 * and history, in `db` (one transaction per call); returns how many findings it deleted.
 */
export async function deleteFindingsUpdatedBefore(db: DbExecutor, cutoffMs: number, limit: number): Promise<number> {
  const candidates = await db
    .selectFrom('findings')
    .select('pk')
    .where('updated_at_ms', '<', cutoffMs)
    .orderBy('updated_at_ms')
    .orderBy('pk')
    .limit(limit)
    .execute();
  if (candidates.length === 0) return 0;
  // The age is checked again by the delete: a finding re-imported since the select is kept.
  const deleted = await db
    .deleteFrom('findings')
    .where(
      'pk',
      'in',
      candidates.map((row) => row.pk),
    )
    .where('updated_at_ms', '<', cutoffMs)
    .returning('pk')
    .execute();
  const pks = deleted.map((row) => row.pk);
  if (pks.length === 0) return 0;
  await db.deleteFrom('finding_documents').where('finding_pk', 'in', pks).execute();
  await db.deleteFrom('finding_types').where('finding_pk', 'in', pks).execute();
  await db.deleteFrom('finding_resources').where('finding_pk', 'in', pks).execute();
  await db.deleteFrom('finding_history').where('finding_pk', 'in', pks).execute();
  return pks.length;
}
