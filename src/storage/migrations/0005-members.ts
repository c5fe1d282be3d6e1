/** Administrator/member relationships between accounts, per Region (Security Hub's invitation model). */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function membersSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('members')
        .addColumn('administrator_account_id', 'text', (c) => c.notNull())
        .addColumn('member_account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('invitation_id', 'text')
        .addColumn('invited_at', traits.bigInteger)
        .addColumn('updated_at', traits.bigInteger, (c) => c.notNull())
        .addPrimaryKeyConstraint('members_pk', ['administrator_account_id', 'member_account_id', 'region'])
        .execute();
      await db.schema
        .createIndex('members_by_member')
        .on('members')
        .columns(['member_account_id', 'region', 'status'])
        .execute();
    },
  };
}
