/**
 * SSM documents (versions, sharing), service settings and State Manager associations (versions, per-node
 * status, executions). Every table is scoped by (account_id, region) like AWS.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function documentsAssociationsSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createDocumentTables(db, traits);
      await createServiceSettings(db, traits);
      await createAssociations(db, traits);
      await createAssociationStatuses(db, traits);
      await createAssociationExecutions(db, traits);
    },
  };
}

/** Documents, their versions, and their shares (found by grantee). */
async function createDocumentTables(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('ssm_documents')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('display_name', 'text')
    .addColumn('default_version', 'integer', (c) => c.notNull())
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('ssm_documents_pk', ['account_id', 'region', 'name'])
    .execute();
  await db.schema
    .createTable('ssm_document_versions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('version_name', 'text')
    .addColumn('document_format', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('ssm_document_versions_pk', ['account_id', 'region', 'name', 'version'])
    .execute();
  await db.schema
    .createTable('ssm_document_permissions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('shared_with', 'text', (c) => c.notNull())
    .addColumn('shared_version', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('ssm_document_permissions_pk', ['account_id', 'region', 'name', 'shared_with'])
    .execute();
  await db.schema
    .createIndex('ssm_document_permissions_by_grantee')
    .on('ssm_document_permissions')
    .columns(['shared_with', 'region'])
    .execute();
}

/** Customized SSM service settings. */
async function createServiceSettings(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('ssm_service_settings')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('setting_id', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('modified_by', 'text', (c) => c.notNull())
    .addColumn('modified_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('ssm_service_settings_pk', ['account_id', 'region', 'setting_id'])
    .execute();
}

/** Associations (by account and by document) with their versions. */
async function createAssociations(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('ssm_associations')
    .addColumn('association_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('document_owner', 'text', (c) => c.notNull())
    .addColumn('document_name', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text')
    .addColumn('association_name', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('overview_status', 'text', (c) => c.notNull())
    .addColumn('next_run_at', big)
    .addColumn('last_execution_at', big)
    .addColumn('last_success_at', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ssm_associations_by_account')
    .on('ssm_associations')
    .columns(['account_id', 'region', 'created_at'])
    .execute();
  await db.schema
    .createIndex('ssm_associations_by_document')
    .on('ssm_associations')
    .columns(['document_owner', 'region', 'document_name'])
    .execute();
  await db.schema
    .createTable('ssm_association_versions')
    .addColumn('association_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('ssm_association_versions_pk', ['association_id', 'version'])
    .execute();
}

/** The last status of an association on each managed node. */
async function createAssociationStatuses(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('ssm_association_statuses')
    .addColumn('association_id', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('association_version', 'integer', (c) => c.notNull())
    .addColumn('document_version', 'text', (c) => c.notNull())
    .addColumn('execution_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detailed_status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('execution_summary', 'text')
    .addColumn('executed_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('ssm_association_statuses_pk', ['association_id', 'instance_id'])
    .execute();
  await db.schema
    .createIndex('ssm_association_statuses_by_instance')
    .on('ssm_association_statuses')
    .columns(['account_id', 'region', 'instance_id'])
    .execute();
}

/** Association executions and their per-target results. */
async function createAssociationExecutions(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('ssm_association_executions')
    .addColumn('execution_id', 'text', (c) => c.primaryKey())
    .addColumn('association_id', 'text', (c) => c.notNull())
    .addColumn('association_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detailed_status', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('last_execution_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ssm_association_executions_by_association')
    .on('ssm_association_executions')
    .columns(['association_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('ssm_association_execution_targets')
    .addColumn('execution_id', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('association_id', 'text', (c) => c.notNull())
    .addColumn('association_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detailed_status', 'text', (c) => c.notNull())
    .addColumn('executed_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('ssm_association_execution_targets_pk', ['execution_id', 'instance_id'])
    .execute();
}
