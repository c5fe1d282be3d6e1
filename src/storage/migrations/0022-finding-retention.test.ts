import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';
import { initialSchema } from './0001-initial.js';
import { controlsSchema } from './0013-controls.js';
import { findingRetentionSchema } from './0022-finding-retention.js';

const traits: DialectTraits = { engine: 'sqlite', autoIncrementKey: 'integer', bigInteger: 'integer' };
const serviceRole =
  'arn:aws:iam::111122223333:role/aws-service-role/securityhub.amazonaws.com/AWSServiceRoleForSecurityHub';

describe('migration 0022-finding-retention', () => {
  it('backfills when each finding was last stored, and holds the active findings the hub wrote', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      await initialSchema(traits).up(db);
      await controlsSchema(traits).up(db);
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

      await findingRetentionSchema(traits).up(db);

      const rows = await sql<{ finding_id: string; stored_at_ms: number; held: number }>`
        select finding_id, stored_at_ms, held from findings order by pk`.execute(db);
      assert.deepEqual(rows.rows, [
        { finding_id: 'imported', stored_at_ms: 90_000, held: 0 },
        { finding_id: 'control-active', stored_at_ms: 70_000, held: 1 },
        { finding_id: 'control-archived', stored_at_ms: 80_000, held: 0 },
        { finding_id: 'bare', stored_at_ms: 5_000, held: 0 },
      ]);
      const stat = await sql<{ stat: string }>`
        select stat from sqlite_stat1 where idx = 'findings_by_account_held_stored_at_ms'`.execute(db);
      assert.equal(stat.rows.length, 1);
    } finally {
      await db.destroy();
    }
  });
});
