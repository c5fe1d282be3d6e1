/**
 * The overview's findings figures never read the findings: EXPLAIN of every statement the summary facade runs
 * shows only the summary tables, each reached through its primary key or index (no scan, no sort), on SQLite
 * and on PostgreSQL (with sequential scans disabled, so the plan shows that an index serves it at any size).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, type LogEvent } from 'kysely';
import { buildFinding } from './factories.js';
import { findingsServices } from './support/findings-services.js';
import { inCtx } from './support/service-context.js';
import { createMigratedDatabase, testDatabaseName } from './support/test-databases.js';
import { findingSummaryFacts, ownAccountOnly, summarySeverities } from '../src/findings/index.js';
import type { Db } from '../src/storage/database.js';
import { openDatabase } from '../src/storage/open-database.js';
import { storageEngineOf } from '../src/storage/index.js';

const accounts = ['310000000001', '310000000002'];

describe('the findings summary reads (EXPLAIN)', () => {
  let db: Db;
  let capturing = false;
  const statements: CompiledQuery[] = [];
  const { findings } = findingsServices();

  before(async () => {
    const log = (event: LogEvent): void => {
      if (capturing) statements.push(event.query);
    };
    const url = process.env['BULWARK_TEST_DATABASE_URL'];
    const target =
      url === undefined || url === ''
        ? ':memory:'
        : await createMigratedDatabase(url, testDatabaseName('test'));
    db = (await openDatabase(target, { log })).db;
    for (const accountId of accounts) {
      const batch = Array.from({ length: 40 }, (_, i) =>
        buildFinding(
          {
            Severity: { Label: summarySeverities[i % 5] ?? 'LOW' },
            Resources: [{ Type: 'AwsEc2Instance', Id: `i-${i % 7}` }],
          },
          { accountId },
        ),
      );
      await inCtx(db, (ctx) => findings.importFindings(ctx, batch), { accountId });
    }
  });
  after(async () => {
    await db?.destroy();
  });

  it('reads only the summary tables, through their keys', async () => {
    const facts = findingSummaryFacts(ownAccountOnly);
    capturing = true;
    const scope = { accountIds: accounts, regions: ['us-east-1'] };
    const counts = await facts.activeBySeverity(db, scope);
    await facts.activeTrend(db, scope, new Date(), 30);
    const top = await facts.topResources(db, scope, 5);
    capturing = false;
    assert.equal(counts.CRITICAL, 16);
    assert.equal(top.length, 5);
    const selects = statements.filter((s) => /^\s*select/i.test(s.sql));
    assert.ok(selects.length >= 6, `captured ${selects.length} statements`);
    const engine = storageEngineOf(db).traits.engine;
    for (const statement of selects) {
      const plan =
        engine === 'sqlite'
          ? await sqlitePlan(db, statement)
          : await db.transaction().execute(async (tx) => {
              await tx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
              const rows = await tx.executeQuery<{ 'QUERY PLAN': string }>(
                CompiledQuery.raw(`explain ${statement.sql}`, [...statement.parameters]),
              );
              return rows.rows.map((row) => row['QUERY PLAN']);
            });
      const text = plan.join('\n');
      assert.doesNotMatch(text, /\bfindings\b/, `${statement.sql}\n${text}`);
      assert.match(text, /finding_(counts|count_days|resource_counts)/, text);
      if (engine === 'sqlite') {
        assert.ok(
          plan.every((line) => !/^SCAN|TEMP B-TREE/.test(line)),
          `a scan or sort in:\n${statement.sql}\n${text}`,
        );
      } else {
        assert.doesNotMatch(text, /Seq Scan/, `${statement.sql}\n${text}`);
      }
    }
  });
});

async function sqlitePlan(db: Db, statement: CompiledQuery): Promise<string[]> {
  const rows = await db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`explain query plan ${statement.sql}`, [...statement.parameters]),
  );
  return rows.rows.map((row) => row.detail);
}
