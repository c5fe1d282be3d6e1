/**
 * Dead letters keep their event: the event's type, account, outbox position, time and payload are copied into
 * the dead-letter row, so pruning the outbox never loses an event a subscriber gave up on. A dead letter stays
 * until an operator redrives it (`redrive_requested_at` set; a worker handles it again and deletes the row in
 * the same transaction) or discards it. `attempts` counts the failed handlings, redrives included.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function outboxDeadLetterPayloadsSchema(traits: DialectTraits): Migration {
  const big = traits.bigInteger;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const columns: [string, 'text' | typeof big][] = [
        ['txid', big],
        ['type', 'text'],
        ['account_id', 'text'],
        ['payload', 'text'],
        ['created_at', big],
        ['redrive_requested_at', big],
      ];
      for (const [name, type] of columns) {
        await db.schema.alterTable('outbox_dead_letters').addColumn(name, type).execute();
      }
      await db.schema
        .alterTable('outbox_dead_letters')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // Dead letters from before this migration: their event, where the outbox still holds it.
      for (const column of ['txid', 'type', 'account_id', 'payload', 'created_at']) {
        await sql`update outbox_dead_letters set ${sql.ref(column)} = (select ${sql.ref(
          `outbox.${column}`,
        )} from outbox where outbox.seq = outbox_dead_letters.seq)`.execute(db);
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const name of [
        'attempts',
        'redrive_requested_at',
        'created_at',
        'payload',
        'account_id',
        'type',
        'txid',
      ]) {
        await db.schema.alterTable('outbox_dead_letters').dropColumn(name).execute();
      }
    },
  };
}
