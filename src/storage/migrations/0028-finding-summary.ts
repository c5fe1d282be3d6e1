/**
 * The findings summary the overview reads instead of counting findings: ACTIVE findings (RecordState ACTIVE and
 * Workflow.Status NEW or NOTIFIED) per account, Region and severity; a row per account, Region and UTC day with
 * that day's last totals (the 30-day trend); and per resource the ACTIVE CRITICAL and HIGH findings naming it.
 * The findings store keeps them current in the transaction of every finding change; this migration fills them
 * from the findings already stored (the trend starts today: earlier days were never recorded).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function findingSummarySchema(traits: DialectTraits, today: () => Date = () => new Date()): Migration {
  const big = traits.bigInteger;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('finding_counts')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('severity_label', 'text', (c) => c.notNull())
        .addColumn('active', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('finding_counts_pk', ['account_id', 'region', 'severity_label'])
        .execute();
      await db.schema
        .createTable('finding_count_days')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('critical', big, (c) => c.notNull())
        .addColumn('high', big, (c) => c.notNull())
        .addColumn('medium', big, (c) => c.notNull())
        .addColumn('low', big, (c) => c.notNull())
        .addColumn('informational', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('finding_count_days_pk', ['account_id', 'region', 'day'])
        .execute();
      await db.schema
        .createTable('finding_resource_counts')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('critical', big, (c) => c.notNull())
        .addColumn('high', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('finding_resource_counts_pk', ['account_id', 'region', 'resource_id'])
        .execute();
      // "The resources with the most critical findings": the first rows of this index per account and Region.
      await db.schema
        .createIndex('finding_resource_counts_by_critical')
        .on('finding_resource_counts')
        .columns(['account_id', 'region', 'critical', 'high', 'resource_id'])
        .execute();
      const active = sql`f.record_state = 'ACTIVE' and f.workflow_status in ('NEW', 'NOTIFIED')`;
      await sql`insert into finding_counts (account_id, region, severity_label, active)
        select f.aws_account_id, f.region, f.severity_label, count(*) from findings f
        where ${active} group by f.aws_account_id, f.region, f.severity_label`.execute(db);
      const day = today().toISOString().slice(0, 10);
      const total = (label: string) =>
        sql`coalesce(sum(case when severity_label = ${label} then active else 0 end), 0)`;
      await sql`insert into finding_count_days (account_id, region, day, critical, high, medium, low, informational)
        select account_id, region, ${day}, ${total('CRITICAL')}, ${total('HIGH')}, ${total('MEDIUM')},
          ${total('LOW')}, ${total('INFORMATIONAL')}
        from finding_counts group by account_id, region`.execute(db);
      await sql`insert into finding_resource_counts (account_id, region, resource_id, critical, high)
        select f.aws_account_id, f.region, r.resource_id,
          sum(case when f.severity_label = 'CRITICAL' then 1 else 0 end),
          sum(case when f.severity_label = 'HIGH' then 1 else 0 end)
        from findings f
        join (select distinct finding_pk, resource_id from finding_resources) r on r.finding_pk = f.pk
        where ${active} and f.severity_label in ('CRITICAL', 'HIGH')
        group by f.aws_account_id, f.region, r.resource_id`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('finding_resource_counts').execute();
      await db.schema.dropTable('finding_count_days').execute();
      await db.schema.dropTable('finding_counts').execute();
    },
  };
}
