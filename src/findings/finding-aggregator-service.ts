/** Cross-Region aggregation: which Regions' findings the aggregation Region shows, and the aggregator lifecycle. */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { invalidInput, notFound } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type {
  FindingAggregator,
  FindingAggregatorStore,
  RegionLinkingMode,
} from './finding-aggregator-store.js';

/** The linked Regions an aggregator of `mode` covers, given the Regions where the account has a hub. */
export function linkedRegions(
  aggregator: Pick<FindingAggregator, 'homeRegion' | 'linkingMode' | 'regions'>,
  hubRegions: readonly string[],
): string[] {
  const others = (regions: readonly string[]): string[] => regions.filter((r) => r !== aggregator.homeRegion);
  switch (aggregator.linkingMode) {
    case 'ALL_REGIONS':
      return others(hubRegions);
    case 'ALL_REGIONS_EXCEPT_SPECIFIED':
      return others(hubRegions).filter((r) => !aggregator.regions.includes(r));
    case 'SPECIFIED_REGIONS':
      return others(aggregator.regions);
    case 'NO_REGIONS':
      return [];
  }
}

function checkRegions(mode: RegionLinkingMode, regions: readonly string[] | undefined): string[] {
  if (mode === 'NO_REGIONS' || mode === 'ALL_REGIONS') {
    if (regions !== undefined && regions.length > 0)
      throw invalidInput(`Regions must be empty when RegionLinkingMode is ${mode}`);
    return [];
  }
  if (regions === undefined || regions.length === 0)
    throw invalidInput(`Regions is required when RegionLinkingMode is ${mode}`);
  return [...new Set(regions)];
}

/** Owns finding aggregators and answers which Regions a caller sees. */
export class FindingAggregatorService {
  constructor(private readonly store: FindingAggregatorStore) {}

  /** The Regions whose findings a caller in `region` sees: linked ones too when `region` is the aggregation Region. */
  async visibleRegions(db: DbExecutor, accountId: string, region: string): Promise<string[]> {
    const aggregator = await this.store.findByAccount(db, accountId);
    if (aggregator === undefined || aggregator.homeRegion !== region) return [region];
    return [region, ...linkedRegions(aggregator, await this.store.hubRegions(db, accountId))];
  }

  async create(ctx: Ctx, mode: RegionLinkingMode, regions: string[] | undefined): Promise<FindingAggregator> {
    if ((await this.store.findByAccount(ctx.tx, ctx.accountId)) !== undefined) {
      throw invalidInput(`Account ${ctx.accountId} already has a finding aggregator; update or delete it`);
    }
    const aggregator: FindingAggregator = {
      arn: `arn:aws:securityhub:${ctx.region}:${ctx.accountId}:finding-aggregator/${randomUUID()}`,
      accountId: ctx.accountId,
      homeRegion: ctx.region,
      linkingMode: mode,
      regions: checkRegions(mode, regions),
      createdAt: ctx.now,
    };
    await this.store.save(ctx.tx, aggregator);
    return aggregator;
  }

  /** The caller's aggregator named `arn`, called from its aggregation Region; not found otherwise. */
  async get(ctx: Ctx, arn: string): Promise<FindingAggregator> {
    const aggregator = await this.store.findByAccount(ctx.tx, ctx.accountId);
    if (aggregator === undefined || aggregator.arn !== arn || aggregator.homeRegion !== ctx.region) {
      throw notFound(`Finding aggregator ${arn} not found`);
    }
    return aggregator;
  }

  async update(
    ctx: Ctx,
    arn: string,
    mode: RegionLinkingMode,
    regions: string[] | undefined,
  ): Promise<FindingAggregator> {
    const updated = {
      ...(await this.get(ctx, arn)),
      linkingMode: mode,
      regions: checkRegions(mode, regions),
    };
    await this.store.save(ctx.tx, updated);
    return updated;
  }

  async delete(ctx: Ctx, arn: string): Promise<void> {
    await this.get(ctx, arn);
    await this.store.delete(ctx.tx, arn);
  }

  async list(ctx: Ctx): Promise<FindingAggregator[]> {
    const aggregator = await this.store.findByAccount(ctx.tx, ctx.accountId);
    return aggregator === undefined ? [] : [aggregator];
  }
}
