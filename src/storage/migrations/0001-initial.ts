/** The first schema: accounts and keys, audit, hubs, findings with their extracted columns, insights, products, rules. */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function initialSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createAccessTables(db, traits);
      await createAuditRecords(db, traits);
      await createHubTables(db);
      await createFindingsTable(db, traits);
      await createFindingsIndexes(db, traits);
      await createFindingChildTables(db, traits);
      await createFindingFeatureTables(db, traits);
    },
  };
}

/**
 * SQLite's planner statistics for the findings indexes, fixed (as the SQLite docs allow) rather than measured:
 * without statistics it walks the whole table in pk order or sorts all of a severity's rows for
 * `SeverityLabel = ? ORDER BY UpdatedAt`; a sampled ANALYZE (`PRAGMA optimize`, analysis_limit) sees one
 * account per sample and misjudges every per-account index, and a full ANALYZE holds the single writer for
 * seconds to tens of seconds at 1M findings. The plans depend on the shape only (an account holds a large
 * share of the findings, a Region most of an account's, a severity or a record state a share of those, an
 * UpdatedAt, an identity or a generator few rows), so one shape, measured by a full ANALYZE of the 1M-finding
 * bench (5 accounts, 1 Region), serves every size. Never run ANALYZE or PRAGMA optimize on the findings table:
 * it would replace these rows. PostgreSQL keeps its own statistics (autovacuum).
 */
export const findingsPlannerStatistics: readonly (readonly [string, string])[] = [
  ['findings_identity', '1000000 1000000 200000 1'],
  ['findings_by_account_region', '1000000 200000 200000 1'],
  ['findings_by_account_state_severity', '1000000 200000 200000 100000 20000 5000'],
  ['findings_by_account_severity_updated', '1000000 200000 200000 40000 1 1'],
  ['findings_by_account_updated_at_ms', '1000000 200000 1 1'],
  ['findings_by_account_generator_id', '1000000 200000 5000 1'],
  ['findings_by_account_compliance_status', '1000000 200000 40000 1'],
  ['findings_by_account_product_name', '1000000 200000 200000 1'],
];

/** Writes findingsPlannerStatistics into sqlite_stat1 (creating it) and makes the planner load them. */
export async function pinFindingsStatistics(db: Kysely<unknown>): Promise<void> {
  // ANALYZE of the schema table creates sqlite_stat1 (and sqlite_stat4) without reading any findings.
  await sql`analyze sqlite_schema`.execute(db);
  await sql`delete from sqlite_stat1 where tbl = 'findings'`.execute(db);
  for (const [index, stat] of findingsPlannerStatistics) {
    await sql`insert into sqlite_stat1 (tbl, idx, stat) values ('findings', ${index}, ${stat})`.execute(db);
  }
  // Re-reads the schema and the statistics.
  await sql`analyze sqlite_schema`.execute(db);
}

/** Accounts, their principals and access keys. */
async function createAccessTables(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('principals')
    .addColumn('principal_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('arn', 'text', (c) => c.notNull().unique())
    .addColumn('policy_document', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('access_keys')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey())
    .addColumn('principal_id', 'text', (c) => c.notNull().references('principals.principal_id'))
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_used_at', big)
    .execute();
}

/** The audit trail, listed per account by time. */
async function createAuditRecords(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('audit_records')
    .addColumn('seq', traits.autoIncrementKey, (c) =>
      traits.engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('event_time', big, (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('principal_arn', 'text')
    .addColumn('access_key_id', 'text')
    .addColumn('event_source', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('source_ip', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .execute();
  await db.schema
    .createIndex('audit_records_by_account_time')
    .on('audit_records')
    .columns(['account_id', 'event_time'])
    .execute();
}

/** Hubs and the tags of Security Hub resources. */
async function createHubTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hubs')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('hub_arn', 'text', (c) => c.notNull())
    .addColumn('subscribed_at', 'text', (c) => c.notNull())
    .addColumn('auto_enable_controls', 'integer', (c) => c.notNull())
    .addColumn('control_finding_generator', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('hubs_pk', ['account_id', 'region'])
    .execute();
  await db.schema
    .createTable('resource_tags')
    .addColumn('resource_arn', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('tag_key', 'text', (c) => c.notNull())
    .addColumn('tag_value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_tags_pk', ['resource_arn', 'tag_key'])
    .execute();
}

/** Findings with their extracted, filterable columns, unique by identity. */
async function createFindingsTable(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('findings')
    .addColumn('pk', traits.autoIncrementKey, (c) =>
      traits.engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('product_arn', 'text', (c) => c.notNull())
    .addColumn('finding_id', 'text', (c) => c.notNull())
    .addColumn('aws_account_id', 'text', (c) => c.notNull())
    .addColumn('generator_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity_label', 'text', (c) => c.notNull())
    .addColumn('severity_rank', 'integer', (c) => c.notNull())
    .addColumn('severity_normalized', 'integer', (c) => c.notNull())
    .addColumn('workflow_status', 'text', (c) => c.notNull())
    .addColumn('record_state', 'text', (c) => c.notNull())
    .addColumn('compliance_status', 'text')
    .addColumn('verification_state', 'text')
    .addColumn('product_name', 'text')
    .addColumn('company_name', 'text')
    .addColumn('created_at_ms', big, (c) => c.notNull())
    .addColumn('updated_at_ms', big, (c) => c.notNull())
    .addColumn('first_observed_at_ms', big)
    .addColumn('last_observed_at_ms', big)
    .addColumn('customer_updated', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('findings_identity')
    .on('findings')
    .columns(['region', 'product_arn', 'finding_id'])
    .unique()
    .execute();
}

/** The findings indexes and, on SQLite, their pinned planner statistics. */
async function createFindingsIndexes(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  // Findings indexes, kept few because every one costs a random-key B-tree write per new finding; each is
  // used by a plan of bench/query.ts (`--explain`) or retention. Equality filters that match a few percent
  // of an account or more (SeverityLabel, WorkflowStatus, RecordState, UpdatedAt ranges) are served by
  // walking findings_by_account_region in pk order and testing the row; rare values need their own index.
  // Per-account rare-value filters in pk order (GeneratorId, ComplianceStatus, ProductName); UpdatedAt
  // ranges and sorts, and retention (per account, oldest first).
  for (const column of ['compliance_status', 'generator_id', 'updated_at_ms', 'product_name']) {
    await db.schema
      .createIndex(`findings_by_account_${column}`)
      .on('findings')
      .columns(['aws_account_id', column, 'pk'])
      .execute();
  }
  // GetFindings' default order (pk) within the caller's accounts, without sorting the account's rows.
  await db.schema
    .createIndex('findings_by_account_region')
    .on('findings')
    .columns(['aws_account_id', 'region', 'pk'])
    .execute();
  // Covers the insight/dashboard counts: RecordState=ACTIVE [+ WorkflowStatus IN …] grouped by severity
  // streams in index order (no sort of the account's rows); by account or workflow it is an index-only scan.
  await db.schema
    .createIndex('findings_by_account_state_severity')
    .on('findings')
    .columns(['aws_account_id', 'region', 'record_state', 'severity_label', 'workflow_status'])
    .execute();
  // SeverityLabel = ? ordered by UpdatedAt (the console's "newest critical findings"): reads one page of
  // index entries in order instead of sorting every finding of that severity.
  await db.schema
    .createIndex('findings_by_account_severity_updated')
    .on('findings')
    .columns(['aws_account_id', 'region', 'severity_label', 'updated_at_ms', 'pk'])
    .execute();
  if (traits.engine === 'sqlite') await pinFindingsStatistics(db);
}

/** The document, types, resources and history of each finding. */
async function createFindingChildTables(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('finding_documents')
    .addColumn('finding_pk', big, (c) => c.primaryKey())
    .addColumn('document', 'text', (c) => c.notNull())
    .execute();
  // Child rows keyed by their finding (one row per distinct value): the primary key is the lookup by
  // finding, so SQLite stores them WITHOUT ROWID and keeps one B-tree fewer per table.
  const withoutRowid = <T extends { modifyEnd(node: ReturnType<typeof sql>): T }>(builder: T): T =>
    traits.engine === 'sqlite' ? builder.modifyEnd(sql`without rowid`) : builder;
  await withoutRowid(
    db.schema
      .createTable('finding_types')
      .addColumn('finding_pk', big, (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('finding_types_pk', ['finding_pk', 'type']),
  ).execute();
  await db.schema
    .createIndex('finding_types_by_type')
    .on('finding_types')
    .columns(['type', 'finding_pk'])
    .execute();
  await withoutRowid(
    db.schema
      .createTable('finding_resources')
      .addColumn('finding_pk', big, (c) => c.notNull())
      .addColumn('resource_type', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('finding_resources_pk', ['finding_pk', 'resource_type', 'resource_id']),
  ).execute();
  await db.schema
    .createIndex('finding_resources_by_id')
    .on('finding_resources')
    .columns(['resource_id', 'finding_pk'])
    .execute();
  await db.schema
    .createIndex('finding_resources_by_type')
    .on('finding_resources')
    .columns(['resource_type', 'finding_pk'])
    .execute();
  await db.schema
    .createTable('finding_history')
    .addColumn('seq', traits.autoIncrementKey, (c) =>
      traits.engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('finding_pk', big, (c) => c.notNull())
    .addColumn('update_time_ms', big, (c) => c.notNull())
    .addColumn('finding_created', 'integer', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_identity', 'text', (c) => c.notNull())
    .addColumn('updates', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('finding_history_by_finding')
    .on('finding_history')
    .columns(['finding_pk', 'seq'])
    .execute();
}

/** Insights, product subscriptions and automation rules. */
async function createFindingFeatureTables(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('insights')
    .addColumn('insight_arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('group_by_attribute', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('product_subscriptions')
    .addColumn('subscription_arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('product_arn', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('automation_rules')
    .addColumn('rule_arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('rule_status', 'text', (c) => c.notNull())
    .addColumn('rule_order', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('is_terminal', 'integer', (c) => c.notNull())
    .addColumn('criteria', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
}
