/** Run Command Targets (ssm-api.md §10.1): a command sent to tags or ids keeps the Targets it was sent with. */
import type { Kysely, Migration } from 'kysely';

export function commandTargetsSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // JSON array of {Key, Values}; null for a command sent to explicit InstanceIds.
      await db.schema.alterTable('ssm_commands').addColumn('targets', 'text').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('ssm_commands').dropColumn('targets').execute();
    },
  };
}
