import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFinding } from '../../test/factories.js';
import { findingsServices } from '../../test/support/findings-services.js';
import { inCtx, openTestDatabase, testActor } from '../../test/support/service-context.js';
import { parseWith } from '../protocols/index.js';
import type { Db } from '../storage/database.js';
import { findingSummarySchema } from '../storage/migrations/0028-finding-summary.js';
import { inRetryingTransaction, storageEngineOf } from '../storage/index.js';
import { createAutomationRuleSchema } from './automation-rules-wire.js';
import type { FindingFilters } from './filters/index.js';
import { carryForward, noSeverityCounts, summarySeverities, type SeverityCounts } from './finding-summary.js';
import { activeCountTrend, activeCountsOf, topResourcesOf } from './finding-summary-store.js';
import { deleteFindingsStoredBefore } from './retention-store.js';

const accountA = '210000000001';
const accountB = '210000000002';
const region = 'us-east-1';
const t0 = new Date('2026-06-01T08:00:00Z');
const minute = 60_000;
const eq = (Value: string) => ({ Value, Comparison: 'EQUALS' as const });
const activeFilters: FindingFilters = {
  RecordState: [eq('ACTIVE')],
  WorkflowStatus: [eq('NEW'), eq('NOTIFIED')],
};

/** A small seeded generator (mulberry32), so a failing sequence can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the findings summary', () => {
  let db: Db;
  const { findings, rules } = findingsServices();

  before(async () => {
    db = await openTestDatabase();
  });

  async function countsByGetFindings(accountId: string, filters: FindingFilters, groupBy: string) {
    const groups = await inCtx(db, (ctx) => findings.countFindings(ctx, filters, groupBy), { accountId });
    return new Map(groups.map((g) => [g.GroupByAttributeValue, g.Count]));
  }

  /** The summary of `accountId` against GetFindings' own counts of the same findings. */
  async function assertSummaryMatches(accountId: string, now: Date, step: string): Promise<void> {
    const expected = await countsByGetFindings(accountId, activeFilters, 'SeverityLabel');
    const scope = { accountIds: [accountId], regions: [region] };
    const counts = await activeCountsOf(db, scope);
    for (const label of summarySeverities) {
      assert.equal(counts[label], expected.get(label) ?? 0, `${step}: ${accountId} ${label}`);
    }
    const trend = await activeCountTrend(db, scope, now, 30);
    assert.deepEqual(trend.at(-1)?.counts, counts, `${step}: today's trend row`);
    const resources = await db
      .selectFrom('finding_resource_counts')
      .select(['resource_id', 'critical', 'high'])
      .where('account_id', '=', accountId)
      .execute();
    for (const [label, column] of [
      ['CRITICAL', 'critical'],
      ['HIGH', 'high'],
    ] as const) {
      const byResource = await countsByGetFindings(
        accountId,
        { ...activeFilters, SeverityLabel: [eq(label)] },
        'ResourceId',
      );
      const summary = new Map(
        resources.filter((r) => Number(r[column]) !== 0).map((r) => [r.resource_id, Number(r[column])]),
      );
      assert.deepEqual(summary, byResource, `${step}: ${accountId} ${label} per resource`);
    }
    assert.ok(
      resources.every((r) => Number(r.critical) > 0 || Number(r.high) > 0),
      `${step}: no resource row at zero`,
    );
  }

  it('equals GetFindings counts after a random sequence of imports, updates, rules and retention', async () => {
    const random = seeded(20261208);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const ids = Array.from({ length: 30 }, (_, i) => `summary-finding-${i}`);
    const resourceIds = ['i-0aaa', 'i-0bbb', 'i-0ccc', 'i-0ddd', 'arn:aws:s3:::bucket'];
    const workflow = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const;
    let now = t0;
    for (let step = 0; step < 160; step++) {
      now = new Date(t0.getTime() + step * 20 * minute);
      const accountId = random() < 0.7 ? accountA : accountB;
      const action = random();
      if (action < 0.5) {
        const batch = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
          const resources = resourceIds.filter(() => random() < 0.4);
          return buildFinding(
            {
              Id: pick(ids),
              UpdatedAt: now.toISOString(),
              Severity: { Label: pick(summarySeverities) },
              RecordState: random() < 0.8 ? 'ACTIVE' : 'ARCHIVED',
              Workflow: { Status: pick(workflow) },
              Resources: (resources.length === 0 ? [pick(resourceIds)] : resources).map((Id, i) => ({
                Type: i % 2 === 0 ? 'AwsEc2Instance' : 'Other',
                Id,
              })),
            },
            { accountId },
          );
        });
        // One identity per batch: BatchImportFindings takes a finding once per call.
        const unique = [...new Map(batch.map((f) => [f.Id, f])).values()];
        await inCtx(db, (ctx) => findings.importFindings(ctx, unique), { accountId, now });
      } else if (action < 0.85) {
        const productArn = `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`;
        const targets = ids.filter(() => random() < 0.2).map((Id) => ({ Id, ProductArn: productArn }));
        const update =
          random() < 0.6
            ? { Workflow: { Status: pick(workflow) } }
            : { Severity: { Label: pick(summarySeverities) } };
        await inCtx(db, (ctx) => findings.updateFindings(ctx, targets, update), { accountId, now });
      } else if (action < 0.92) {
        // Retention: the findings not written for the last two hours go.
        await db
          .transaction()
          .execute((tx) => deleteFindingsStoredBefore(tx, now.getTime() - 120 * minute, 5, now));
      } else if (step < 100) {
        const input = parseWith(createAutomationRuleSchema, {
          RuleOrder: 1 + step,
          RuleName: `rule-${step}`,
          Description: 'summary test',
          Criteria: { SeverityLabel: [eq(pick(summarySeverities))] },
          Actions: [
            {
              Type: 'FINDING_FIELDS_UPDATE',
              FindingFieldsUpdate: { Workflow: { Status: pick(workflow) } },
            },
          ],
        });
        await inCtx(
          db,
          (ctx) =>
            rules.create(
              ctx,
              {
                ruleName: input.RuleName,
                ruleStatus: 'ENABLED',
                ruleOrder: input.RuleOrder,
                description: input.Description,
                isTerminal: false,
                criteria: input.Criteria,
                actions: input.Actions,
              },
              undefined,
            ),
          { accountId, now },
        );
      }
      if (step % 20 === 19) {
        await assertSummaryMatches(accountA, now, `step ${step}`);
        await assertSummaryMatches(accountB, now, `step ${step}`);
      }
    }
    const both = await activeCountsOf(db, { accountIds: [accountA, accountB], regions: [region] });
    const a = await activeCountsOf(db, { accountIds: [accountA], regions: [region] });
    const b = await activeCountsOf(db, { accountIds: [accountB], regions: [region] });
    for (const label of summarySeverities) assert.equal(both[label], a[label] + b[label]);
    assert.ok(
      summarySeverities.some((label) => a[label] > 0),
      'the sequence leaves some ACTIVE findings to count',
    );
    const top = await topResourcesOf(db, { accountIds: [accountA], regions: [region] }, 3);
    const sorted = [...top].sort((x, y) => y.critical - x.critical || y.high - x.high);
    assert.deepEqual(
      top.map((r) => [r.critical, r.high]),
      sorted.map((r) => [r.critical, r.high]),
    );
  });

  it('fills the summary from stored findings the way the writes keep it (the migration backfill)', async () => {
    const read = async () => ({
      counts: await db.selectFrom('finding_counts').selectAll().where('active', '<>', 0).execute(),
      resources: await db.selectFrom('finding_resource_counts').selectAll().execute(),
    });
    const sortRows = <T extends Record<string, unknown>>(rows: T[]) =>
      rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, String(v)]))).sort();
    const kept = await read();
    assert.ok(kept.counts.length > 0);
    const migration = findingSummarySchema(storageEngineOf(db).traits, () => t0);
    await migration.down?.(db);
    await migration.up(db);
    const filled = await read();
    assert.deepEqual(sortRows(filled.counts), sortRows(kept.counts));
    assert.deepEqual(sortRows(filled.resources), sortRows(kept.resources));
    const days = await db.selectFrom('finding_count_days').selectAll().execute();
    assert.deepEqual(
      days.map((d) => d.day),
      days.map(() => '2026-06-01'),
    );
  });

  it('carries the last known totals forward over days without a change', async () => {
    const accountId = '210000000003';
    const day = (n: number) => new Date(Date.UTC(2026, 6, n, 12));
    const importAt = async (n: number, label: 'CRITICAL' | 'LOW', id: string) =>
      inCtx(
        db,
        (ctx) =>
          findings.importFindings(ctx, [
            buildFinding(
              { Id: id, UpdatedAt: day(n).toISOString(), Severity: { Label: label } },
              { accountId },
            ),
          ]),
        { accountId, now: day(n) },
      );
    await importAt(3, 'CRITICAL', 'trend-1');
    await importAt(3, 'LOW', 'trend-2');
    await importAt(6, 'CRITICAL', 'trend-3');
    const trend = await activeCountTrend(db, { accountIds: [accountId], regions: [region] }, day(8), 30);
    assert.equal(trend.length, 30);
    assert.equal(trend[0]?.day, '2026-06-09');
    assert.equal(trend.at(-1)?.day, '2026-07-08');
    const on = (date: string) => trend.find((t) => t.day === date)?.counts;
    assert.deepEqual(on('2026-07-02'), noSeverityCounts());
    const third: SeverityCounts = { ...noSeverityCounts(), CRITICAL: 1, LOW: 1 };
    assert.deepEqual(on('2026-07-03'), third);
    assert.deepEqual(on('2026-07-05'), third);
    assert.deepEqual(on('2026-07-06'), { ...third, CRITICAL: 2 });
    assert.deepEqual(on('2026-07-08'), { ...third, CRITICAL: 2 });
    // A window starting after the last change starts from the row before it.
    const later = await activeCountTrend(db, { accountIds: [accountId], regions: [region] }, day(31), 10);
    assert.ok(later.every((t) => t.counts.CRITICAL === 2 && t.counts.LOW === 1));
  });

  it('stays exact when transactions change one account at the same time', async () => {
    const accountId = '210000000004';
    const now = new Date('2026-07-10T10:00:00Z');
    const writer = (n: number) =>
      inRetryingTransaction(db, (tx) =>
        findings.importFindings(
          { actor: testActor(accountId), accountId, region, requestId: `concurrent-${n}`, now, tx },
          Array.from({ length: 20 }, (_, i) =>
            buildFinding(
              {
                Id: `concurrent-${n}-${i}`,
                Severity: { Label: summarySeverities[(n + i) % 5] ?? 'LOW' },
                Resources: [{ Type: 'AwsEc2Instance', Id: `i-0${i % 3}` }],
              },
              { accountId },
            ),
          ),
        ),
      );
    await Promise.all(Array.from({ length: 8 }, (_, n) => writer(n)));
    await assertSummaryMatches(accountId, now, 'concurrent imports');
    const counts = await activeCountsOf(db, { accountIds: [accountId], regions: [region] });
    assert.equal(
      summarySeverities.reduce((sum, label) => sum + counts[label], 0),
      160,
    );
  });

  it('carryForward fills gaps from the row before the window', () => {
    const counts = (n: number): SeverityCounts => ({ ...noSeverityCounts(), HIGH: n });
    const series = carryForward(
      [
        { day: '2026-01-02', counts: counts(2) },
        { day: '2026-01-04', counts: counts(4) },
      ],
      counts(1),
      '2026-01-05',
      5,
    );
    assert.deepEqual(
      series.map((s) => [s.day, s.counts.HIGH]),
      [
        ['2026-01-01', 1],
        ['2026-01-02', 2],
        ['2026-01-03', 2],
        ['2026-01-04', 4],
        ['2026-01-05', 4],
      ],
    );
  });
});
