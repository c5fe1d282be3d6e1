import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { sqliteEngine } from '../dialects/sqlite/index.js';
import { allMigrations } from './index.js';

const traits = sqliteEngine.traits;

describe('migration 0023-association-runs', () => {
  it('gives every existing instance policy the GetDocument statement and leaves other policies alone', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      const migrations = Object.entries(allMigrations(traits));
      for (const [name, migration] of migrations) if (name < '0023') await migration.up(db);
      const instancePolicy = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ManagedInstanceAgent',
            Effect: 'Allow',
            Action: ['ssm:UpdateInstanceInformation'],
            Resource: 'arn:aws:ssm:eu-west-1:111122223333:managed-instance/mi-0123456789abcdef0',
          },
        ],
      };
      const other = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'ssm:*', Resource: '*' }],
      };
      await sql`insert into accounts (account_id, created_at) values ('111122223333', 1)`.execute(db);
      await sql`insert into managed_policies (policy_arn, account_id, name, description, document, created_at, updated_at)
        values ('arn:aws:iam::111122223333:policy/ManagedInstance-mi-0123456789abcdef0', '111122223333',
                'ManagedInstance-mi-0123456789abcdef0', '', ${JSON.stringify(instancePolicy)}, 1, 1),
               ('arn:aws:iam::111122223333:policy/ops', '111122223333', 'ops', '', ${JSON.stringify(other)}, 1, 1)`.execute(
        db,
      );
      const up = migrations.find(([name]) => name === '0023-association-runs')?.[1] ?? assert.fail('missing');
      await up.up(db);
      const rows = await sql<{ name: string; document: string }>`
        select name, document from managed_policies order by name`.execute(db);
      const documents = Object.fromEntries(rows.rows.map((r) => [r.name, JSON.parse(r.document) as unknown]));
      assert.deepEqual(documents['ops'], other);
      assert.deepEqual(documents['ManagedInstance-mi-0123456789abcdef0'], {
        ...instancePolicy,
        Statement: [
          ...instancePolicy.Statement,
          {
            Sid: 'ManagedInstanceDocuments',
            Effect: 'Allow',
            Action: ['ssm:GetDocument'],
            Resource: 'arn:aws:ssm:eu-west-1:*:document/*',
          },
        ],
      });
      const columns = await sql<{
        name: string;
      }>`select name from pragma_table_info('ssm_command_invocations')`.execute(db);
      assert.ok(columns.rows.some((c) => c.name === 'plugin_results'));
    } finally {
      await db.destroy();
    }
  });
});
