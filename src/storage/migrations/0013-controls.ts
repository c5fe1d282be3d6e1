/**
 * Controls (incidents-audit-inspector.md §E, securityhub-api.md §7): enabled standards, per-standard control
 * settings, security control parameters, the latest evaluation of each control on each resource (with the id
 * of the finding it keeps up to date), and the missing patches each managed node's scans reported.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function controlsSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createStandardsTables(db, traits);
      await createEvaluationTables(db, traits);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'missing_patches',
        'control_evaluations',
        'security_control_settings',
        'standards_control_settings',
        'standards_subscriptions',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}

/** Standards subscriptions and the control settings of standards and of security controls. */
async function createStandardsTables(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('standards_subscriptions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('standards_arn', 'text', (c) => c.notNull())
    .addColumn('standards_input', 'text', (c) => c.notNull())
    .addColumn('subscribed_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('standards_subscriptions_pk', ['account_id', 'region', 'standards_arn'])
    .execute();
  // Only controls someone changed have a row; every other control of a standard is ENABLED.
  await db.schema
    .createTable('standards_control_settings')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('standards_arn', 'text', (c) => c.notNull())
    .addColumn('control_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('updated_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('standards_control_settings_pk', [
      'account_id',
      'region',
      'standards_arn',
      'control_id',
    ])
    .execute();
  await db.schema
    .createTable('security_control_settings')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('control_id', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('last_update_reason', 'text')
    .addColumn('updated_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('security_control_settings_pk', ['account_id', 'region', 'control_id'])
    .execute();
}

/** Control evaluations and the missing patches scans report. */
async function createEvaluationTables(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('control_evaluations')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('control_id', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('finding_id', 'text', (c) => c.notNull())
    .addColumn('compliance_status', 'text', (c) => c.notNull())
    .addColumn('record_state', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('status_changed_at', big, (c) => c.notNull())
    .addColumn('evaluated_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('control_evaluations_pk', ['account_id', 'region', 'control_id', 'resource_id'])
    .execute();
  await db.schema
    .createTable('missing_patches')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('patch_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('compliance_level', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', big, (c) => c.notNull())
    .addColumn('last_seen_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('missing_patches_pk', ['account_id', 'region', 'instance_id', 'patch_id'])
    .execute();
}
