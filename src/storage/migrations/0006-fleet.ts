/**
 * SSM fleet: activations, managed (hybrid) instances and the SSM tag store.
 *
 * - `ssm_activations`: one row per live activation (DeleteActivation removes it); the code is kept only as a
 *   SHA-256 hash; the tags given at creation are copied onto every instance it registers, so they live here as JSON.
 * - `ssm_managed_instances`: one row per registration; a deregistered instance keeps its row (`deregistered_at`)
 *   so its history and events stay explainable, but it is hidden from DescribeInstanceInformation.
 * - `ssm_resource_tags`: tags of any SSM resource, keyed by (account, Region, resource type, resource id), so
 *   documents, patch baselines, associations and maintenance windows share it with managed instances.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function fleetSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createActivations(db, traits);
      await createManagedInstances(db, traits);
      await createResourceTags(db);
    },
  };
}

/** Activations, listed per account and Region by creation time. */
async function createActivations(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('ssm_activations')
    .addColumn('activation_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('iam_role', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('default_instance_name', 'text')
    .addColumn('registration_limit', 'integer', (c) => c.notNull())
    .addColumn('registrations_count', 'integer', (c) => c.notNull())
    .addColumn('expires_at', traits.bigInteger, (c) => c.notNull())
    .addColumn('created_at', traits.bigInteger, (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ssm_activations_by_account')
    .on('ssm_activations')
    .columns(['account_id', 'region', 'created_at'])
    .execute();
}

/** Managed instances, listed per account and Region and found by their principal. */
async function createManagedInstances(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  await db.schema
    .createTable('ssm_managed_instances')
    .addColumn('instance_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('activation_id', 'text', (c) => c.notNull())
    .addColumn('iam_role', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('access_key_id', 'text', (c) => c.notNull())
    .addColumn('policy_arn', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text')
    .addColumn('registered_at', traits.bigInteger, (c) => c.notNull())
    .addColumn('last_ping_at', traits.bigInteger, (c) => c.notNull())
    .addColumn('deregistered_at', traits.bigInteger)
    .addColumn('agent_name', 'text')
    .addColumn('agent_version', 'text')
    .addColumn('agent_status', 'text')
    .addColumn('platform_type', 'text')
    .addColumn('platform_name', 'text')
    .addColumn('platform_version', 'text')
    .addColumn('ip_address', 'text')
    .addColumn('computer_name', 'text')
    .addColumn('association_status', 'text')
    .addColumn('last_association_execution_at', traits.bigInteger)
    .addColumn('last_successful_association_execution_at', traits.bigInteger)
    .execute();
  await db.schema
    .createIndex('ssm_managed_instances_by_account')
    .on('ssm_managed_instances')
    .columns(['account_id', 'region', 'instance_id'])
    .execute();
  await db.schema
    .createIndex('ssm_managed_instances_by_principal')
    .on('ssm_managed_instances')
    .column('principal_id')
    .execute();
}

/** Tags of any SSM resource, found by key and value. */
async function createResourceTags(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ssm_resource_tags')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('tag_key', 'text', (c) => c.notNull())
    .addColumn('tag_value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ssm_resource_tags_pk', [
      'account_id',
      'region',
      'resource_type',
      'resource_id',
      'tag_key',
    ])
    .execute();
  await db.schema
    .createIndex('ssm_resource_tags_by_tag')
    .on('ssm_resource_tags')
    .columns(['account_id', 'region', 'resource_type', 'tag_key', 'tag_value'])
    .execute();
}
