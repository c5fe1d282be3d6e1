/** Cross-Region finding aggregation: one aggregator per account, in its aggregation (home) Region. */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function findingAggregatorsSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('finding_aggregators')
        .addColumn('aggregator_arn', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().unique())
        .addColumn('home_region', 'text', (c) => c.notNull())
        .addColumn('linking_mode', 'text', (c) => c.notNull())
        .addColumn('regions', 'text', (c) => c.notNull())
        .addColumn('created_at', traits.bigInteger, (c) => c.notNull())
        .execute();
    },
  };
}
