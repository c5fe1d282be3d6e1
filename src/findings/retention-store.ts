/** Finding retention's SQL: delete the findings stored longest ago, with their child rows, one bounded batch at a time. */
import type { Db, DbExecutor } from '../storage/database.js';
import { storageEngineOf } from '../storage/index.js';
import { SummaryDelta } from './finding-summary.js';
import { applySummaryDelta, readSummaryStates } from './finding-summary-store.js';

/**
 * Deletes up to `limit` findings Bulwark last stored before `cutoffMs`, with their documents, types, resources
 * and history, in `db` (one transaction per call), taking them out of the findings summary as of `now`; returns
 * how many findings it deleted. A held finding (the
 * current one of an enabled control or of a patch a node still misses) is kept while its account has a hub
 * in its Region: Bulwark rewrites those only when they change.
 *
 * There is no Region-wide index (one random-key index write fewer per imported finding): the candidates are
 * found per account on findings_by_account_held_stored_at_ms, the accounts enumerated by skip-scan (one index
 * seek per distinct account, not a scan of the findings).
 */
export async function deleteFindingsStoredBefore(
  db: DbExecutor,
  cutoffMs: number,
  limit: number,
  now: Date = new Date(),
): Promise<number> {
  const candidates: number[] = [];
  let account: string | undefined;
  while (candidates.length < limit) {
    let next = db.selectFrom('findings').select((eb) => eb.fn.min('aws_account_id').as('account'));
    if (account !== undefined) next = next.where('aws_account_id', '>', account);
    const row = await next.executeTakeFirst();
    if (row?.account === null || row?.account === undefined) break;
    account = row.account;
    const unheld = await db
      .selectFrom('findings')
      .select('pk')
      .where('aws_account_id', '=', account)
      .where('held', '=', 0)
      .where('stored_at_ms', '<', cutoffMs)
      .orderBy('stored_at_ms')
      .orderBy('pk')
      .limit(limit - candidates.length)
      .execute();
    for (const r of unheld) candidates.push(r.pk);
    if (candidates.length >= limit) break;
    const hubRegions = (
      await db.selectFrom('hubs').select('region').where('account_id', '=', account).execute()
    ).map((r) => r.region);
    let released = db
      .selectFrom('findings')
      .select('pk')
      .where('aws_account_id', '=', account)
      .where('held', '=', 1)
      .where('stored_at_ms', '<', cutoffMs);
    if (hubRegions.length > 0) released = released.where('region', 'not in', hubRegions);
    const rows = await released
      .orderBy('stored_at_ms')
      .orderBy('pk')
      .limit(limit - candidates.length)
      .execute();
    for (const r of rows) candidates.push(r.pk);
  }
  if (candidates.length === 0) return 0;
  // The summary state is read before the delete; a candidate the delete keeps is not taken out.
  const states = await readSummaryStates(db, candidates);
  // The rules are checked again by the delete: a finding written (or a hub enabled) since the select is kept.
  const deleted = await db
    .deleteFrom('findings')
    .where('pk', 'in', candidates)
    .where('stored_at_ms', '<', cutoffMs)
    .where((eb) =>
      eb.or([
        eb('held', '=', 0),
        eb.not(
          eb.exists(
            eb
              .selectFrom('hubs')
              .select('hubs.account_id')
              .whereRef('hubs.account_id', '=', 'findings.aws_account_id')
              .whereRef('hubs.region', '=', 'findings.region'),
          ),
        ),
      ]),
    )
    .returning('pk')
    .execute();
  const pks = deleted.map((row) => row.pk);
  if (pks.length === 0) return 0;
  const delta = new SummaryDelta();
  for (const pk of pks) {
    const state = states.get(Number(pk));
    if (state !== undefined) delta.add(state, -1);
  }
  await applySummaryDelta(db, delta, now);
  await db.deleteFrom('finding_documents').where('finding_pk', 'in', pks).execute();
  await db.deleteFrom('finding_types').where('finding_pk', 'in', pks).execute();
  await db.deleteFrom('finding_resources').where('finding_pk', 'in', pks).execute();
  await db.deleteFrom('finding_history').where('finding_pk', 'in', pks).execute();
  return pks.length;
}

/**
 * When a hub is disabled, the findings it held start to age from now: they go `retentionDays` after the hub
 * was disabled (AWS deletes a disabled hub's findings 90 days later), unless the hub is enabled again first.
 */
export async function startHeldFindingsRetention(
  db: DbExecutor,
  accountId: string,
  region: string,
  nowMs: number,
): Promise<void> {
  await db
    .updateTable('findings')
    .set({ stored_at_ms: nowMs })
    .where('aws_account_id', '=', accountId)
    .where('region', '=', region)
    .where('held', '=', 1)
    .execute();
}

/**
 * Refreshes the findings tables' planner statistics where the engine samples them (PostgreSQL's ANALYZE takes
 * well under a second at 1M findings and does not block writes). Autovacuum normally does this, but it may be
 * off or lag behind a bulk import, and with stale statistics (rows=1) PostgreSQL walks every ACTIVE finding of
 * the account to sort them by pk. SQLite's statistics are pinned by migration 0001 instead.
 */
export async function refreshFindingsStatistics(db: Db): Promise<void> {
  await storageEngineOf(db).refreshStatistics(db, ['findings', 'finding_types', 'finding_resources']);
}
