/**
 * Run Command rate control (ssm-api.md §10.1): a command keeps its MaxConcurrency and MaxErrors, and an
 * invocation records when it was dispatched (null while rate control holds it back).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function commandRateControlSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('ssm_commands')
        .addColumn('max_concurrency', 'text', (c) => c.notNull().defaultTo('50'))
        .execute();
      await db.schema
        .alterTable('ssm_commands')
        .addColumn('max_errors', 'text', (c) => c.notNull().defaultTo('0'))
        .execute();
      await db.schema
        .alterTable('ssm_command_invocations')
        .addColumn('dispatched_at', traits.bigInteger)
        .execute();
      // Commands sent before rate control dispatched every invocation at once.
      await sql`update ssm_command_invocations set dispatched_at = requested_at`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('ssm_command_invocations').dropColumn('dispatched_at').execute();
      await db.schema.alterTable('ssm_commands').dropColumn('max_errors').execute();
      await db.schema.alterTable('ssm_commands').dropColumn('max_concurrency').execute();
    },
  };
}
