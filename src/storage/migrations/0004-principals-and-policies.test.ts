import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { sqliteEngine } from '../dialects/sqlite/index.js';
import { initialSchema } from './0001-initial.js';
import { principalsAndPoliciesSchema } from './0004-principals-and-policies.js';

const traits = sqliteEngine.traits;

describe('migration 0004-principals-and-policies', () => {
  it('keeps every existing principal’s rights: admin documents become AdministratorAccess, others customer policies', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      await initialSchema(traits).up(db);
      const admin = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'AdministratorAccess', Effect: 'Allow', Action: '*', Resource: '*' }],
      });
      const custom = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'securityhub:Get*', Resource: '*' }],
      });
      await sql`insert into accounts (account_id, created_at) values ('111122223333', 1)`.execute(db);
      await sql`insert into principals (principal_id, account_id, name, kind, arn, policy_document, created_at)
        values ('AIDA1', '111122223333', 'admin', 'user', 'arn:aws:iam::111122223333:user/admin', ${admin}, 5),
               ('AIDA2', '111122223333', 'reader', 'user', 'arn:aws:iam::111122223333:user/reader', ${custom}, 6)`.execute(
        db,
      );
      await principalsAndPoliciesSchema(traits).up(db);

      const attachments = await sql<{ principal_id: string; policy_arn: string }>`
        select principal_id, policy_arn from principal_policies order by principal_id`.execute(db);
      assert.deepEqual(attachments.rows, [
        { principal_id: 'AIDA1', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        { principal_id: 'AIDA2', policy_arn: 'arn:aws:iam::111122223333:policy/reader-migrated' },
      ]);
      const policies = await sql<{ name: string; document: string }>`
        select name, document from managed_policies`.execute(db);
      assert.deepEqual(policies.rows, [{ name: 'reader-migrated', document: custom }]);
      const columns = await sql<{ name: string }>`select name from pragma_table_info('principals')`.execute(
        db,
      );
      assert.ok(!columns.rows.some((c) => c.name === 'policy_document'));
      const generation = await sql<{ generation: number }>`select generation from access_generation`.execute(
        db,
      );
      assert.deepEqual(generation.rows, [{ generation: 0 }]);
    } finally {
      await db.destroy();
    }
  });
});
