/** SSM inventory (latest item per instance and type, custom type schemas) and compliance (sets, items, executions). */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function inventoryComplianceSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createInventoryTables(db, traits);
      await createComplianceSets(db, traits);
      await createComplianceItems(db, traits);
      await createComplianceExecutions(db, traits);
    },
  };
}

/** The latest inventory item per instance and type, and the custom inventory types of an account. */
async function createInventoryTables(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('inventory_items')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('type_name', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'text', (c) => c.notNull())
    .addColumn('capture_time', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('context', 'text')
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .addColumn('content_bytes', 'integer', (c) => c.notNull())
    .addColumn('content_updated_at', traits.bigInteger, (c) => c.notNull())
    .addColumn('updated_at', traits.bigInteger, (c) => c.notNull())
    .addPrimaryKeyConstraint('inventory_items_pk', ['account_id', 'region', 'instance_id', 'type_name'])
    .execute();
  await db.schema
    .createIndex('inventory_items_by_type')
    .on('inventory_items')
    .columns(['account_id', 'region', 'type_name', 'instance_id'])
    .execute();
  await db.schema
    .createTable('inventory_custom_types')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('type_name', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('created_at', traits.bigInteger, (c) => c.notNull())
    .addColumn('updated_at', traits.bigInteger, (c) => c.notNull())
    .addPrimaryKeyConstraint('inventory_custom_types_pk', ['account_id', 'region', 'type_name'])
    .execute();
}

/** Compliance sets with their maintained summary, listed by compliance type. */
async function createComplianceSets(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('compliance_sets')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('compliance_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('overall_severity', 'text', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('severity_counts', 'text', (c) => c.notNull())
    .addColumn('execution_time', traits.bigInteger, (c) => c.notNull())
    .addColumn('execution_id', 'text')
    .addColumn('execution_type', 'text')
    .addColumn('item_content_hash', 'text')
    .addColumn('updated_at', traits.bigInteger, (c) => c.notNull())
    .addPrimaryKeyConstraint('compliance_sets_pk', [
      'account_id',
      'region',
      'resource_type',
      'resource_id',
      'compliance_type',
    ])
    .execute();
  await db.schema
    .createIndex('compliance_sets_by_type')
    .on('compliance_sets')
    .columns(['account_id', 'region', 'compliance_type', 'status', 'overall_severity'])
    .execute();
}

/** The items of a compliance set. */
async function createComplianceItems(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('compliance_items')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('compliance_type', 'text', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('execution_time', traits.bigInteger, (c) => c.notNull())
    .addColumn('execution_id', 'text')
    .addColumn('execution_type', 'text')
    .addPrimaryKeyConstraint('compliance_items_pk', [
      'account_id',
      'region',
      'resource_type',
      'resource_id',
      'compliance_type',
      'item_key',
    ])
    .execute();
}

/** Accepted compliance uploads, by set. */
async function createComplianceExecutions(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('compliance_executions')
    .addColumn('seq', traits.autoIncrementKey, (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('compliance_type', 'text', (c) => c.notNull())
    .addColumn('execution_time', traits.bigInteger, (c) => c.notNull())
    .addColumn('execution_id', 'text')
    .addColumn('execution_type', 'text')
    .addColumn('upload_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('overall_severity', 'text', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('severity_counts', 'text', (c) => c.notNull())
    .addColumn('items', 'text')
    .addColumn('recorded_at', traits.bigInteger, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('compliance_executions_by_set')
    .on('compliance_executions')
    .columns(['account_id', 'region', 'resource_type', 'resource_id', 'compliance_type', 'seq'])
    .execute();
}
