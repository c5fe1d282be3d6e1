import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openTestDatabase } from '../../../test/support/service-context.js';
import { postgresEngine } from '../dialects/postgres/index.js';
import { sqliteEngine } from '../dialects/sqlite/index.js';
import { findingIdentityByAccountSchema } from './0021-finding-identity-by-account.js';

const traits =
  (process.env['BULWARK_TEST_DATABASE_URL'] ?? '') === '' ? sqliteEngine.traits : postgresEngine.traits;
const productArn = 'arn:aws:securityhub:us-east-1::product/prowler/prowler';

function findingRow(accountId: string, findingId: string): Record<string, unknown> {
  return {
    region: 'us-east-1',
    product_arn: productArn,
    finding_id: findingId,
    aws_account_id: accountId,
    generator_id: 'g',
    title: `${accountId} ${findingId}`,
    severity_label: 'LOW',
    severity_rank: 1,
    severity_normalized: 1,
    workflow_status: 'NEW',
    record_state: 'ACTIVE',
    created_at_ms: 1,
    updated_at_ms: 1,
    customer_updated: 0,
    version: 0,
  };
}

describe('migration 0021-finding-identity-by-account', () => {
  it('keeps every finding and lets two accounts each hold a finding with the same ProductArn and Id', async () => {
    const db = (await openTestDatabase()) as unknown as Kysely<unknown>;
    try {
      const migration = findingIdentityByAccountSchema(traits);
      // The database as it was before the migration, with findings of two accounts.
      await migration.down?.(db);
      const insert = (accountId: string, findingId: string): Promise<unknown> =>
        db
          .insertInto('findings' as never)
          .values(findingRow(accountId, findingId))
          .execute();
      await insert('111111111111', 'shared-id');
      await insert('222222222222', 'other-id');
      await assert.rejects(insert('222222222222', 'shared-id'), 'the old identity has no account');

      await migration.up(db);

      const titles = await sql<{ title: string }>`select title from findings order by title`.execute(db);
      assert.deepEqual(
        titles.rows.map((r) => r.title),
        ['111111111111 shared-id', '222222222222 other-id'],
      );
      await insert('222222222222', 'shared-id');
      await assert.rejects(insert('111111111111', 'shared-id'), 'one finding per account and identity');
      if (traits.engine === 'sqlite') {
        const stat = await sql<{ stat: string }>`select stat from sqlite_stat1
          where tbl = 'findings' and idx = 'findings_identity'`.execute(db);
        assert.deepEqual(stat.rows, [{ stat: '1000000 200000 200000 200000 1' }]);
      }
    } finally {
      await db.destroy();
    }
  });
});
