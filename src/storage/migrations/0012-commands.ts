/**
 * Run Command (ssm-api.md §10.1–10.2): commands sent to explicit managed instances, one invocation per
 * instance with its delivery lease and bounded output, and the report ids that make agent reports idempotent.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function commandsSchema(traits: DialectTraits): Migration {
  const big = traits.bigInteger;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('ssm_commands')
        .addColumn('command_id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('document_name', 'text', (c) => c.notNull())
        .addColumn('document_version', 'text', (c) => c.notNull())
        .addColumn('parameters', 'text', (c) => c.notNull())
        .addColumn('instance_ids', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('timeout_seconds', 'integer', (c) => c.notNull())
        .addColumn('execution_timeout_seconds', 'integer', (c) => c.notNull())
        .addColumn('requested_at', big, (c) => c.notNull())
        .addColumn('expires_at', big, (c) => c.notNull())
        .addColumn('cancel_requested', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_details', 'text', (c) => c.notNull())
        .addColumn('target_count', 'integer', (c) => c.notNull())
        .addColumn('completed_count', 'integer', (c) => c.notNull())
        .addColumn('error_count', 'integer', (c) => c.notNull())
        .addColumn('delivery_timed_out_count', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('ssm_commands_by_account')
        .on('ssm_commands')
        .columns(['account_id', 'region', 'requested_at'])
        .execute();
      await db.schema
        .createTable('ssm_command_invocations')
        .addColumn('command_id', 'text', (c) => c.notNull())
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_details', 'text', (c) => c.notNull())
        .addColumn('response_code', 'integer', (c) => c.notNull())
        .addColumn('standard_output', 'text', (c) => c.notNull())
        .addColumn('standard_error', 'text', (c) => c.notNull())
        .addColumn('requested_at', big, (c) => c.notNull())
        .addColumn('delivery_count', 'integer', (c) => c.notNull())
        .addColumn('lease_expires_at', big)
        .addColumn('started_at', big)
        .addColumn('ended_at', big)
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('ssm_command_invocations_pk', ['command_id', 'instance_id'])
        .execute();
      // The agent's poll: its own invocations that are not finished yet.
      await db.schema
        .createIndex('ssm_command_invocations_by_instance')
        .on('ssm_command_invocations')
        .columns(['account_id', 'region', 'instance_id', 'status'])
        .execute();
      // The timeout job: unfinished invocations of every account.
      await db.schema
        .createIndex('ssm_command_invocations_by_status')
        .on('ssm_command_invocations')
        .columns(['status', 'requested_at'])
        .execute();
      await db.schema
        .createTable('ssm_command_reports')
        .addColumn('command_id', 'text', (c) => c.notNull())
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('received_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('ssm_command_reports_pk', ['command_id', 'instance_id', 'report_id'])
        .execute();
    },
  };
}
