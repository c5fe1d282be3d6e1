/**
 * ListCommandInvocations pages an account's invocations newest first in SQL: an index on the account, Region
 * and request time (then the command and instance ids that break ties) serves that order.
 */
import type { Kysely, Migration } from 'kysely';

export function commandInvocationsByTimeSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('ssm_command_invocations_by_time')
        .on('ssm_command_invocations')
        .columns(['account_id', 'region', 'requested_at', 'command_id', 'instance_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('ssm_command_invocations_by_time').execute();
    },
  };
}
