/** Persistence of finding aggregators (at most one per account). */
import { inAccount } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';

/** How an aggregator chooses its linked Regions. */
export type RegionLinkingMode =
  'ALL_REGIONS' | 'ALL_REGIONS_EXCEPT_SPECIFIED' | 'SPECIFIED_REGIONS' | 'NO_REGIONS';

/** One account's cross-Region aggregation settings. */
export interface FindingAggregator {
  arn: string;
  accountId: string;
  homeRegion: string;
  linkingMode: RegionLinkingMode;
  regions: string[];
  createdAt: Date;
}

/** Reads and writes finding aggregators. */
export class FindingAggregatorStore {
  async findByAccount(db: DbExecutor, accountId: string): Promise<FindingAggregator | undefined> {
    const row = await db
      .selectFrom('finding_aggregators')
      .selectAll()
      .where(inAccount(accountId))
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          arn: row.aggregator_arn,
          accountId: row.account_id,
          homeRegion: row.home_region,
          linkingMode: row.linking_mode as RegionLinkingMode,
          regions: JSON.parse(row.regions) as string[],
          createdAt: new Date(Number(row.created_at)),
        };
  }

  async save(db: DbExecutor, aggregator: FindingAggregator): Promise<void> {
    const values = {
      aggregator_arn: aggregator.arn,
      account_id: aggregator.accountId,
      home_region: aggregator.homeRegion,
      linking_mode: aggregator.linkingMode,
      regions: JSON.stringify(aggregator.regions),
      created_at: aggregator.createdAt.getTime(),
    };
    await db
      .insertInto('finding_aggregators')
      .values(values)
      .onConflict((oc) =>
        oc
          .column('aggregator_arn')
          .doUpdateSet({ linking_mode: values.linking_mode, regions: values.regions }),
      )
      .execute();
  }

  async delete(db: DbExecutor, arn: string): Promise<void> {
    await db.deleteFrom('finding_aggregators').where('aggregator_arn', '=', arn).execute();
  }

  /** The Regions where the account has enabled Security Hub. */
  async hubRegions(db: DbExecutor, accountId: string): Promise<string[]> {
    const rows = await db.selectFrom('hubs').select('region').where(inAccount(accountId)).execute();
    return rows.map((row) => row.region);
  }
}
