/** Persistence of custom insights. */
import { inScope } from '../kernel/index.js';
import type { DbExecutor, InsightsTable } from '../storage/database.js';
import type { FindingFilters } from './filters/index.js';

/** A custom insight of one account in one Region. */
export interface CustomInsight {
  insightArn: string;
  accountId: string;
  region: string;
  name: string;
  filters: FindingFilters;
  groupByAttribute: string;
  createdAt: Date;
}

function toInsight(row: InsightsTable): CustomInsight {
  return {
    insightArn: row.insight_arn,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    filters: JSON.parse(row.filters) as FindingFilters,
    groupByAttribute: row.group_by_attribute,
    createdAt: new Date(Number(row.created_at)),
  };
}

/** Reads and writes custom insights. */
export class InsightsStore {
  /** The insights of an account in a Region, oldest first. */
  async list(db: DbExecutor, accountId: string, region: string): Promise<CustomInsight[]> {
    const rows = await db
      .selectFrom('insights')
      .selectAll()
      .where(inScope({ accountId, region }))
      .orderBy('created_at')
      .orderBy('insight_arn')
      .execute();
    return rows.map(toInsight);
  }

  async count(db: DbExecutor, accountId: string, region: string): Promise<number> {
    const row = await db
      .selectFrom('insights')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where(inScope({ accountId, region }))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async find(db: DbExecutor, insightArn: string): Promise<CustomInsight | undefined> {
    const row = await db
      .selectFrom('insights')
      .selectAll()
      .where('insight_arn', '=', insightArn)
      .executeTakeFirst();
    return row === undefined ? undefined : toInsight(row);
  }

  async insert(db: DbExecutor, insight: CustomInsight): Promise<void> {
    await db
      .insertInto('insights')
      .values({
        insight_arn: insight.insightArn,
        account_id: insight.accountId,
        region: insight.region,
        name: insight.name,
        filters: JSON.stringify(insight.filters),
        group_by_attribute: insight.groupByAttribute,
        created_at: insight.createdAt.getTime(),
      })
      .execute();
  }

  async update(db: DbExecutor, insight: CustomInsight): Promise<void> {
    await db
      .updateTable('insights')
      .set({
        name: insight.name,
        filters: JSON.stringify(insight.filters),
        group_by_attribute: insight.groupByAttribute,
      })
      .where('insight_arn', '=', insight.insightArn)
      .execute();
  }

  async delete(db: DbExecutor, insightArn: string): Promise<void> {
    await db.deleteFrom('insights').where('insight_arn', '=', insightArn).execute();
  }
}
