/**
 * The findings summary's SQL: the old state of findings about to change, the upserts that apply a SummaryDelta
 * (counts, today's trend row, per-resource counts), and the overview's reads, each an index range of a summary
 * table (never the findings).
 */
import { chunk, type DbExecutor, type FindingRows } from '../storage/index.js';
import {
  carryForward,
  countsPerResource,
  noSeverityCounts,
  summaryDayOf,
  summarySeverities,
  type CountChange,
  type SeverityCounts,
  type SummaryDelta,
  type SummarySeverity,
  type SummaryState,
} from './finding-summary.js';

/** The accounts and Regions a summary read covers. */
export interface SummaryScope {
  accountIds: readonly string[];
  regions: readonly string[];
}

/** A resource with its ACTIVE CRITICAL and HIGH findings. */
export interface ResourceCounts {
  accountId: string;
  region: string;
  resourceId: string;
  critical: number;
  high: number;
}

/** What the summary counts of a finding version about to be written. */
export function summaryStateOf(rows: FindingRows): SummaryState {
  return {
    accountId: rows.columns.aws_account_id,
    region: rows.columns.region,
    severityLabel: rows.columns.severity_label,
    workflowStatus: rows.columns.workflow_status,
    recordState: rows.columns.record_state,
    resourceIds: rows.resources.map((r) => r.id),
  };
}

/** The summary state of the stored findings `pks` (resources read only for the ones that count per resource). */
export async function readSummaryStates(
  db: DbExecutor,
  pks: readonly number[],
): Promise<Map<number, SummaryState>> {
  const states = new Map<number, SummaryState & { resourceIds: string[] }>();
  for (const part of chunk(pks, 500)) {
    const rows = await db
      .selectFrom('findings')
      .select(['pk', 'aws_account_id', 'region', 'severity_label', 'workflow_status', 'record_state'])
      .where('pk', 'in', part)
      .execute();
    for (const row of rows) {
      states.set(Number(row.pk), {
        accountId: row.aws_account_id,
        region: row.region,
        severityLabel: row.severity_label,
        workflowStatus: row.workflow_status,
        recordState: row.record_state,
        resourceIds: [],
      });
    }
  }
  const withResources = [...states.entries()].filter(([, s]) => countsPerResource(s)).map(([pk]) => pk);
  for (const part of chunk(withResources, 500)) {
    const rows = await db
      .selectFrom('finding_resources')
      .select(['finding_pk', 'resource_id'])
      .where('finding_pk', 'in', part)
      .execute();
    for (const row of rows) states.get(Number(row.finding_pk))?.resourceIds.push(row.resource_id);
  }
  return states;
}

/** Applies `delta` in the caller's transaction; `at` is the change's time (its UTC day gets the new totals). */
export async function applySummaryDelta(db: DbExecutor, delta: SummaryDelta, at: Date): Promise<void> {
  const counts = delta.countChanges();
  for (const part of chunk(counts, 200)) {
    await db
      .insertInto('finding_counts')
      .values(
        part.map((c) => ({
          account_id: c.accountId,
          region: c.region,
          severity_label: c.severityLabel,
          active: c.delta,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region', 'severity_label'])
          .doUpdateSet((eb) => ({ active: eb('finding_counts.active', '+', eb.ref('excluded.active')) })),
      )
      .execute();
  }
  if (counts.length > 0) await snapshotDay(db, counts, summaryDayOf(at));
  const resources = delta.resourceChanges();
  for (const part of chunk(resources, 200)) {
    await db
      .insertInto('finding_resource_counts')
      .values(
        part.map((r) => ({
          account_id: r.accountId,
          region: r.region,
          resource_id: r.resourceId,
          critical: r.critical,
          high: r.high,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['account_id', 'region', 'resource_id']).doUpdateSet((eb) => ({
          critical: eb('finding_resource_counts.critical', '+', eb.ref('excluded.critical')),
          high: eb('finding_resource_counts.high', '+', eb.ref('excluded.high')),
        })),
      )
      .execute();
  }
  // Resources no longer named by an ACTIVE CRITICAL or HIGH finding leave the table (it stays the size of
  // the resources that matter, and the top-N index stays short).
  const byScope = new Map<string, { accountId: string; region: string; ids: string[] }>();
  for (const r of resources) {
    if (r.critical >= 0 && r.high >= 0) continue;
    const scopeKey = `${r.accountId}\u0000${r.region}`;
    const entry = byScope.get(scopeKey) ?? { accountId: r.accountId, region: r.region, ids: [] };
    entry.ids.push(r.resourceId);
    byScope.set(scopeKey, entry);
  }
  for (const { accountId, region, ids } of byScope.values()) {
    for (const part of chunk(ids, 500)) {
      await db
        .deleteFrom('finding_resource_counts')
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .where('resource_id', 'in', part)
        .where('critical', '<=', 0)
        .where('high', '<=', 0)
        .execute();
    }
  }
}

/**
 * Brings the row of `day` of every account and Region in `changed` to their new totals. A new row takes the
 * totals read after this transaction's count changes; an existing one is moved by this transaction's changes
 * only, so two transactions changing the same scope at once (PostgreSQL) both land: the one whose insert finds
 * the other's row adds its own delta to totals that did not include it.
 */
async function snapshotDay(db: DbExecutor, changed: readonly CountChange[], day: string): Promise<void> {
  const scopes = new Map<string, { accountId: string; region: string; delta: SeverityCounts }>();
  for (const c of changed) {
    const scopeKey = `${c.accountId}\u0000${c.region}`;
    const entry = scopes.get(scopeKey) ?? {
      accountId: c.accountId,
      region: c.region,
      delta: noSeverityCounts(),
    };
    if (c.severityLabel in entry.delta) entry.delta[c.severityLabel as SummarySeverity] += c.delta;
    scopes.set(scopeKey, entry);
  }
  for (const { accountId, region, delta } of scopes.values()) {
    const totals = await activeCountsOf(db, { accountIds: [accountId], regions: [region] });
    await db
      .insertInto('finding_count_days')
      .values({
        account_id: accountId,
        region,
        day,
        critical: totals.CRITICAL,
        high: totals.HIGH,
        medium: totals.MEDIUM,
        low: totals.LOW,
        informational: totals.INFORMATIONAL,
      })
      .onConflict((oc) =>
        oc.columns(['account_id', 'region', 'day']).doUpdateSet((eb) => ({
          critical: eb('finding_count_days.critical', '+', delta.CRITICAL),
          high: eb('finding_count_days.high', '+', delta.HIGH),
          medium: eb('finding_count_days.medium', '+', delta.MEDIUM),
          low: eb('finding_count_days.low', '+', delta.LOW),
          informational: eb('finding_count_days.informational', '+', delta.INFORMATIONAL),
        })),
      )
      .execute();
  }
}

/** ACTIVE findings per severity in `scope` (a primary-key range of finding_counts). */
export async function activeCountsOf(db: DbExecutor, scope: SummaryScope): Promise<SeverityCounts> {
  const totals = noSeverityCounts();
  if (scope.accountIds.length === 0 || scope.regions.length === 0) return totals;
  const rows = await db
    .selectFrom('finding_counts')
    .select(['severity_label', 'active'])
    .where('account_id', 'in', scope.accountIds)
    .where('region', 'in', scope.regions)
    .execute();
  for (const row of rows) {
    const label = row.severity_label as keyof SeverityCounts;
    if (label in totals) totals[label] += Number(row.active);
  }
  return totals;
}

/** The `days` days ending with `today` (UTC, oldest first) with the ACTIVE findings of `scope` on each. */
export async function activeCountTrend(
  db: DbExecutor,
  scope: SummaryScope,
  today: Date,
  days: number,
): Promise<{ day: string; counts: SeverityCounts }[]> {
  const last = summaryDayOf(today);
  const first = summaryDayOf(new Date(Date.parse(`${last}T00:00:00Z`) - (days - 1) * 86_400_000));
  const sums = new Map<string, SeverityCounts>();
  for (const accountId of scope.accountIds) {
    for (const region of scope.regions) {
      const narrowed = db
        .selectFrom('finding_count_days')
        .select(['day', ...severityColumns])
        .where('account_id', '=', accountId)
        .where('region', '=', region);
      const before = await narrowed
        .where('day', '<', first)
        .orderBy('day', 'desc')
        .limit(1)
        .executeTakeFirst();
      const rows = await narrowed.where('day', '>=', first).where('day', '<=', last).orderBy('day').execute();
      const series = carryForward(
        rows.map((row) => ({ day: row.day, counts: countsOfRow(row) })),
        before === undefined ? undefined : countsOfRow(before),
        last,
        days,
      );
      for (const { day, counts } of series) {
        const sum = sums.get(day) ?? noSeverityCounts();
        for (const severity of summarySeverities) sum[severity] += counts[severity];
        sums.set(day, sum);
      }
    }
  }
  if (sums.size === 0) return carryForward([], undefined, last, days);
  return [...sums.entries()].map(([day, counts]) => ({ day, counts }));
}

const severityColumns = ['critical', 'high', 'medium', 'low', 'informational'] as const;

function countsOfRow(row: Record<(typeof severityColumns)[number], number | string>): SeverityCounts {
  return {
    CRITICAL: Number(row.critical),
    HIGH: Number(row.high),
    MEDIUM: Number(row.medium),
    LOW: Number(row.low),
    INFORMATIONAL: Number(row.informational),
  };
}

/** The `limit` resources of `scope` with the most ACTIVE CRITICAL findings, then HIGH ones. */
export async function topResourcesOf(
  db: DbExecutor,
  scope: SummaryScope,
  limit: number,
): Promise<ResourceCounts[]> {
  const found: ResourceCounts[] = [];
  // One index range per account and Region (the first `limit` entries in order), merged here.
  for (const accountId of scope.accountIds) {
    for (const region of scope.regions) {
      const rows = await db
        .selectFrom('finding_resource_counts')
        .select(['resource_id', 'critical', 'high'])
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .orderBy('critical', 'desc')
        .orderBy('high', 'desc')
        .orderBy('resource_id', 'desc')
        .limit(limit)
        .execute();
      for (const row of rows) {
        found.push({
          accountId,
          region,
          resourceId: row.resource_id,
          critical: Number(row.critical),
          high: Number(row.high),
        });
      }
    }
  }
  found.sort((a, b) => b.critical - a.critical || b.high - a.high || (a.resourceId < b.resourceId ? 1 : -1));
  return found.slice(0, limit);
}
