/**
 * Audit records say when a call came from the web console (CloudTrail's `sessionCredentialFromConsole`):
 * `from_console` is 1 on such a record and NULL on every other, so records written before it keep their hash.
 */
import type { Kysely, Migration } from 'kysely';

export function auditConsoleCallsSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('audit_records').addColumn('from_console', 'integer').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('audit_records').dropColumn('from_console').execute();
    },
  };
}
