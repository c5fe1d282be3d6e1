/** Finding retention's SQL: delete the oldest findings, with their child rows, one bounded batch at a time. */
import { PostgresAdapter, sql } from 'kysely';
import type { Db, DbExecutor } from '../storage/database.js';

/**
 * Deletes up to `limit` findings whose UpdatedAt is before `cutoffMs`, with their documents, types, resources
 * and history, in `db` (one transaction per call); returns how many findings it deleted.
 *
 * There is no Region-wide UpdatedAt index (one random-key index write fewer per imported finding): the
 * candidates are found per account on findings_by_account_updated_at_ms, the accounts enumerated by
 * skip-scan (one index seek per distinct account, not a scan of the findings).
 */
export async function deleteFindingsUpdatedBefore(
  db: DbExecutor,
  cutoffMs: number,
  limit: number,
): Promise<number> {
  const candidates: number[] = [];
  let account: string | undefined;
  while (candidates.length < limit) {
    let next = db.selectFrom('findings').select((eb) => eb.fn.min('aws_account_id').as('account'));
    if (account !== undefined) next = next.where('aws_account_id', '>', account);
    const row = await next.executeTakeFirst();
    if (row?.account === null || row?.account === undefined) break;
    account = row.account;
    const rows = await db
      .selectFrom('findings')
      .select('pk')
      .where('aws_account_id', '=', account)
      .where('updated_at_ms', '<', cutoffMs)
      .orderBy('updated_at_ms')
      .orderBy('pk')
      .limit(limit - candidates.length)
      .execute();
    for (const r of rows) candidates.push(r.pk);
  }
  if (candidates.length === 0) return 0;
  // The age is checked again by the delete: a finding re-imported since the select is kept.
  const deleted = await db
    .deleteFrom('findings')
    .where('pk', 'in', candidates)
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

/**
 * PostgreSQL: refreshes the findings tables' planner statistics (ANALYZE samples ~30k rows per table, takes
 * well under a second at 1M findings and does not block writes). Autovacuum normally does this, but it may be
 * off or lag behind a bulk import, and with stale statistics (rows=1) PostgreSQL walks every ACTIVE finding of
 * the account to sort them by pk. SQLite's statistics are pinned by migration 0001 instead.
 */
export async function refreshFindingsStatistics(db: Db): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`analyze findings, finding_types, finding_resources`.execute(db);
}
