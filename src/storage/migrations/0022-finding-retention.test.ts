import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openTestDatabase } from '../../../test/support/service-context.js';
import { postgresEngine } from '../dialects/postgres/index.js';
import { sqliteEngine } from '../dialects/sqlite/index.js';
import { findingRetentionSchema } from './0022-finding-retention.js';

const traits =
  (process.env['BULWARK_TEST_DATABASE_URL'] ?? '') === '' ? sqliteEngine.traits : postgresEngine.traits;
const serviceRole =
  'arn:aws:iam::111122223333:role/aws-service-role/securityhub.amazonaws.com/AWSServiceRoleForSecurityHub';

describe('migration 0022-finding-retention', () => {
  it('backfills when each finding was last stored, and holds the active findings the hub wrote', async () => {
    const migrated = await openTestDatabase();
    const db = migrated as unknown as Kysely<unknown>;
    try {
      // Back to the schema before 0022, with findings stored by an earlier release.
      const migration = findingRetentionSchema(traits);
      assert.ok(migration.down !== undefined, 'the migration can be reverted');
      await migration.down?.(db);
      const insert = async (pk: number, id: string, updatedAt: number, recordState: string) =>
        sql`insert into findings (pk, region, product_arn, finding_id, aws_account_id, generator_id, title,
          severity_label, severity_rank, severity_normalized, workflow_status, record_state, created_at_ms,
          updated_at_ms, customer_updated, version)
          values (${pk}, 'us-east-1', 'p', ${id}, '111122223333', 'g', 't', 'LOW', 1, 1, 'NEW', ${recordState},
          ${updatedAt}, ${updatedAt}, 0, 0)`.execute(db);
      const history = async (pk: number, at: number, identity: string) =>
        sql`insert into finding_history (finding_pk, update_time_ms, finding_created, source_type, source_identity, updates)
          values (${pk}, ${at}, 0, 'BATCH_IMPORT_FINDINGS', ${identity}, '')`.execute(db);
      // An import of an old finding, later updated by a user.
      await insert(1, 'imported', 1_000, 'ACTIVE');
      await history(1, 50_000, 'arn:aws:iam::111122223333:user/admin');
      await history(1, 90_000, 'arn:aws:iam::111122223333:user/admin');
      // Control findings: one current, one archived.
      await insert(2, 'control-active', 70_000, 'ACTIVE');
      await history(2, 70_000, serviceRole);
      await insert(3, 'control-archived', 80_000, 'ARCHIVED');
      await history(3, 80_000, serviceRole);
      // No history at all: UpdatedAt is all there is.
      await insert(4, 'bare', 5_000, 'ACTIVE');

      await migration.up(db);

      const rows = await migrated
        .selectFrom('findings')
        .select(['finding_id', 'stored_at_ms', 'held'])
        .orderBy('pk')
        .execute();
      assert.deepEqual(
        rows.map((row) => ({ ...row, stored_at_ms: Number(row.stored_at_ms) })),
        [
          { finding_id: 'imported', stored_at_ms: 90_000, held: 0 },
          { finding_id: 'control-active', stored_at_ms: 70_000, held: 1 },
          { finding_id: 'control-archived', stored_at_ms: 80_000, held: 0 },
          { finding_id: 'bare', stored_at_ms: 5_000, held: 0 },
        ],
      );
      // The new nullable columns read as "not yet known".
      const subscriptions = await migrated
        .selectFrom('standards_subscriptions')
        .select('known_control_ids')
        .execute();
      assert.deepEqual(subscriptions, []);
      if (traits.engine === 'sqlite') {
        const stat = await sql<{ stat: string }>`
          select stat from sqlite_stat1 where idx = 'findings_by_account_held_stored_at_ms'`.execute(db);
        assert.equal(stat.rows.length, 1);
      }
    } finally {
      await migrated.destroy();
    }
  });
});
