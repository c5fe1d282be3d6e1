/**
 * Least privilege: principals get attached managed policies instead of one inline document.
 *
 * - `managed_policies`: customer-managed policies, one account each, unique by (account_id, name). The built-in
 *   policies (AdministratorAccess, SecurityHubImporter, …) are code, not rows, with `arn:aws:iam::aws:policy/…` ARNs.
 * - `principal_policies`: which policies (built-in or customer ARNs) are attached to which principal.
 * - `access_keys_by_principal`: listing and counting a principal's keys.
 * - `access_generation`: one counter bumped by every change to keys, principals, policies or attachments, so
 *   each node can drop its cached identities within seconds of a change made by another node or by the CLI.
 * - Existing principals keep exactly their old rights: the administrator document becomes an attachment of the
 *   built-in AdministratorAccess; any other document becomes a customer policy `<principal>-migrated`.
 *   Then `principals.policy_document` is dropped.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

const administratorAccessArn = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** Whether a stored document is the old administrator policy (Allow * on *, nothing else). */
function isAdministratorDocument(text: string): boolean {
  try {
    const document = JSON.parse(text) as { Statement?: unknown };
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    return (
      statements.length === 1 &&
      statements.every((s: unknown) => {
        const statement = s as Record<string, unknown>;
        const one = (v: unknown): boolean =>
          v === '*' || (Array.isArray(v) && v.length === 1 && v[0] === '*');
        return (
          statement['Effect'] === 'Allow' &&
          one(statement['Action']) &&
          one(statement['Resource']) &&
          statement['Condition'] === undefined
        );
      })
    );
  } catch {
    return false;
  }
}

export function principalsAndPoliciesSchema(traits: DialectTraits): Migration {
  const big = traits.bigInteger;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('managed_policies')
        .addColumn('policy_arn', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('managed_policies_by_account_name')
        .on('managed_policies')
        .columns(['account_id', 'name'])
        .unique()
        .execute();
      await db.schema
        .createTable('principal_policies')
        .addColumn('principal_id', 'text', (c) => c.notNull().references('principals.principal_id'))
        .addColumn('policy_arn', 'text', (c) => c.notNull())
        .addColumn('attached_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('principal_policies_pk', ['principal_id', 'policy_arn'])
        .execute();
      await db.schema
        .createIndex('principal_policies_by_policy')
        .on('principal_policies')
        .column('policy_arn')
        .execute();
      await db.schema
        .createIndex('access_keys_by_principal')
        .on('access_keys')
        .columns(['principal_id', 'status'])
        .execute();
      await db.schema
        .createTable('access_generation')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('generation', big, (c) => c.notNull())
        .execute();
      await sql`insert into access_generation (id, generation) values (1, 0)`.execute(db);

      const principals = await sql<{
        principal_id: string;
        account_id: string;
        name: string;
        policy_document: string;
        created_at: number | string;
      }>`select principal_id, account_id, name, policy_document, created_at from principals`.execute(db);
      for (const row of principals.rows) {
        const createdAt = Number(row.created_at);
        let policyArn = administratorAccessArn;
        if (!isAdministratorDocument(row.policy_document)) {
          const name = `${row.name}-migrated`;
          policyArn = `arn:aws:iam::${row.account_id}:policy/${name}`;
          await sql`insert into managed_policies (policy_arn, account_id, name, description, document, created_at, updated_at)
            values (${policyArn}, ${row.account_id}, ${name}, ${'the inline policy of ' + row.name + ' before 0004'},
                    ${row.policy_document}, ${createdAt}, ${createdAt})`.execute(db);
        }
        await sql`insert into principal_policies (principal_id, policy_arn, attached_at)
          values (${row.principal_id}, ${policyArn}, ${createdAt})`.execute(db);
      }
      await db.schema.alterTable('principals').dropColumn('policy_document').execute();
    },
  };
}
