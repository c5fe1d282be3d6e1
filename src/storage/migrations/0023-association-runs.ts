/**
 * Associations run: the run job finds due associations by `next_run_at`; an agent reads the documents an
 * association or command names in its steps (aws:runDocument, aws:downloadContent) with GetDocument, so every
 * existing instance policy gains the statement new instances get at registration. Invocations keep each
 * step's outcome (`plugin_results`) for CommandPlugins and GetCommandInvocation's PluginName.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const statementSid = 'ManagedInstanceDocuments';

interface PolicyRow {
  policy_arn: string;
  document: string;
}

interface Statement {
  Sid?: string;
  Resource?: string;
}

export function associationRunsSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('ssm_associations_by_next_run')
        .on('ssm_associations')
        .column('next_run_at')
        .execute();
      await db.schema.alterTable('ssm_command_invocations').addColumn('plugin_results', 'text').execute();
      const { rows } =
        await sql<PolicyRow>`select policy_arn, document from managed_policies where name like ${'ManagedInstance-%'}`.execute(
          db,
        );
      for (const row of rows) {
        const document = JSON.parse(row.document) as { Statement?: Statement[] };
        const statements = document.Statement ?? [];
        if (statements.some((s) => s.Sid === statementSid)) continue;
        const region = /^arn:aws:ssm:([^:]*):/.exec(statements[0]?.Resource ?? '')?.[1];
        if (region === undefined) continue;
        statements.push({
          Sid: statementSid,
          Effect: 'Allow',
          Action: ['ssm:GetDocument'],
          Resource: `arn:aws:ssm:${region}:*:document/*`,
        } as Statement);
        document.Statement = statements;
        await sql`update managed_policies set document = ${JSON.stringify(document)} where policy_arn = ${row.policy_arn}`.execute(
          db,
        );
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('ssm_command_invocations').dropColumn('plugin_results').execute();
      await db.schema.dropIndex('ssm_associations_by_next_run').execute();
    },
  };
}
