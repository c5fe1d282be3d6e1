/** Patch Manager: custom patch baselines, patch group registrations, custom default baselines and frozen snapshots. */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function patchingSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('patch_baselines')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('baseline_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('operating_system', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('client_token', 'text')
        .addColumn('request_fingerprint', 'text')
        .addColumn('created_at', traits.bigInteger, (c) => c.notNull())
        .addColumn('modified_at', traits.bigInteger, (c) => c.notNull())
        .addPrimaryKeyConstraint('patch_baselines_pk', ['account_id', 'region', 'baseline_id'])
        .execute();
      await db.schema
        .createIndex('patch_baselines_by_client_token')
        .on('patch_baselines')
        .columns(['account_id', 'region', 'client_token'])
        .execute();
      await db.schema
        .createTable('patch_group_baselines')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('patch_group', 'text', (c) => c.notNull())
        .addColumn('operating_system', 'text', (c) => c.notNull())
        .addColumn('baseline_id', 'text', (c) => c.notNull())
        .addColumn('registered_at', traits.bigInteger, (c) => c.notNull())
        .addPrimaryKeyConstraint('patch_group_baselines_pk', [
          'account_id',
          'region',
          'patch_group',
          'operating_system',
        ])
        .execute();
      await db.schema
        .createIndex('patch_group_baselines_by_baseline')
        .on('patch_group_baselines')
        .columns(['account_id', 'region', 'baseline_id'])
        .execute();
      await db.schema
        .createTable('patch_default_baselines')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('operating_system', 'text', (c) => c.notNull())
        .addColumn('baseline_id', 'text', (c) => c.notNull())
        .addColumn('updated_at', traits.bigInteger, (c) => c.notNull())
        .addPrimaryKeyConstraint('patch_default_baselines_pk', ['account_id', 'region', 'operating_system'])
        .execute();
      await db.schema
        .createTable('patch_snapshots')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('snapshot_id', 'text', (c) => c.notNull())
        .addColumn('baseline_id', 'text', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('created_at', traits.bigInteger, (c) => c.notNull())
        .addPrimaryKeyConstraint('patch_snapshots_pk', ['account_id', 'region', 'snapshot_id', 'baseline_id'])
        .execute();
    },
  };
}
