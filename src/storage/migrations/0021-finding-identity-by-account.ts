/**
 * A finding's identity includes its owning account: (aws_account_id, region, product_arn, finding_id). Before,
 * the identity was (region, product_arn, finding_id), so an account importing another account's ProductArn and Id
 * (a shared product such as `aws/guardduty` or `prowler/prowler`) replaced that account's finding. Every stored
 * row stays: a set unique on (region, product_arn, finding_id) is unique on any superset of those columns.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

/**
 * SQLite planner statistics of the new identity index, in the shape findingsPlannerStatistics (0001) describes:
 * an account holds a large share of the findings, a Region and a product most of an account's, an Id one row.
 */
const identityStatistics = '1000000 200000 200000 200000 1';

async function recreateIdentityIndex(db: Kysely<unknown>, columns: string[]): Promise<void> {
  await db.schema.dropIndex('findings_identity').execute();
  await db.schema.createIndex('findings_identity').on('findings').columns(columns).unique().execute();
}

/** Rewrites the pinned sqlite_stat1 row of findings_identity and makes the planner reload the statistics. */
async function pinIdentityStatistics(db: Kysely<unknown>, stat: string): Promise<void> {
  await sql`analyze sqlite_schema`.execute(db);
  await sql`delete from sqlite_stat1 where tbl = 'findings' and idx = 'findings_identity'`.execute(db);
  await sql`insert into sqlite_stat1 (tbl, idx, stat) values ('findings', 'findings_identity', ${stat})`.execute(
    db,
  );
  await sql`analyze sqlite_schema`.execute(db);
}

export function findingIdentityByAccountSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await recreateIdentityIndex(db, ['aws_account_id', 'region', 'product_arn', 'finding_id']);
      if (traits.engine === 'sqlite') await pinIdentityStatistics(db, identityStatistics);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      // Fails (unique violation) once two accounts hold the same ProductArn and Id, as it must.
      await recreateIdentityIndex(db, ['region', 'product_arn', 'finding_id']);
      if (traits.engine === 'sqlite') await pinIdentityStatistics(db, '1000000 1000000 200000 1');
    },
  };
}
