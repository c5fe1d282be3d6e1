/** Insights: custom saved queries grouped by one attribute, plus the read-only managed insights. */
import { type SecurityHubPage, securityHubPageOf } from '../protocols/securityhub/index.js';
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { invalidInput, limitExceeded, notFound } from '../kernel/index.js';
import type { FindingFilters } from './filters/index.js';
import type { FindingsService } from './findings-service.js';
import type { HubStore } from './hub-store.js';
import type { CustomInsight, InsightsStore } from './insights-store.js';
import { findManagedInsight, isManagedInsightArn, type ManagedInsight } from './managed-insights.js';

/** Custom insights per account and Region (AWS hard quota). */
export const maxCustomInsights = 100;

/** An insight as GetInsights describes it. */
export interface Insight {
  insightArn: string;
  name: string;
  filters: FindingFilters;
  groupByAttribute: string;
}

/** GetInsightResults: the count of matching findings per GroupByAttribute value. */
export interface InsightResults {
  insightArn: string;
  groupByAttribute: string;
  resultValues: { GroupByAttributeValue: string; Count: number }[];
}

const customInsightArnPattern =
  /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:insight\/\d{12}\/custom\/[^/]+$/;

/** The ARN of a new custom insight. */
export function customInsightArn(region: string, accountId: string, id: string): string {
  return `arn:aws:securityhub:${region}:${accountId}:insight/${accountId}/custom/${id}`;
}

function describe(insight: CustomInsight | ManagedInsight): Insight {
  return {
    insightArn: insight.insightArn,
    name: insight.name,
    filters: insight.filters,
    groupByAttribute: insight.groupByAttribute,
  };
}

/** Owns the insight rules: the quota, who sees which insight, and that managed insights are read-only. */
export class InsightsService {
  constructor(
    private readonly store: InsightsStore,
    private readonly findings: FindingsService,
    private readonly tags: HubStore,
  ) {}

  async create(
    ctx: Ctx,
    input: { name: string; filters: FindingFilters; groupByAttribute: string },
  ): Promise<string> {
    if ((await this.store.count(ctx.tx, ctx.accountId, ctx.region)) >= maxCustomInsights) {
      throw limitExceeded(`An account can have at most ${maxCustomInsights} custom insights per Region`);
    }
    const insightArn = customInsightArn(ctx.region, ctx.accountId, randomUUID());
    await this.store.insert(ctx.tx, {
      insightArn,
      accountId: ctx.accountId,
      region: ctx.region,
      name: input.name,
      filters: input.filters,
      groupByAttribute: input.groupByAttribute,
      createdAt: ctx.now,
    });
    return insightArn;
  }

  /** GetInsights: the named insights (custom or managed), or every custom insight when none are named. */
  async get(
    ctx: Ctx,
    input: {
      insightArns: readonly string[] | undefined;
      nextToken: string | undefined;
      maxResults: number | undefined;
    },
  ): Promise<SecurityHubPage<Insight>> {
    if (input.insightArns === undefined || input.insightArns.length === 0) {
      const all = await this.store.list(ctx.tx, ctx.accountId, ctx.region);
      return securityHubPageOf(all.map(describe), input);
    }
    const named: Insight[] = [];
    for (const arn of new Set(input.insightArns)) named.push(describe(await this.resolve(ctx, arn)));
    return securityHubPageOf(named, input, input.insightArns);
  }

  async results(ctx: Ctx, insightArn: string): Promise<InsightResults> {
    const insight = await this.resolve(ctx, insightArn);
    return {
      insightArn: insight.insightArn,
      groupByAttribute: insight.groupByAttribute,
      resultValues: await this.findings.countFindings(ctx, insight.filters, insight.groupByAttribute),
    };
  }

  async update(
    ctx: Ctx,
    insightArn: string,
    patch: {
      name?: string | undefined;
      filters?: FindingFilters | undefined;
      groupByAttribute?: string | undefined;
    },
  ): Promise<void> {
    const insight = await this.resolveCustom(ctx, insightArn);
    await this.store.update(ctx.tx, {
      ...insight,
      name: patch.name ?? insight.name,
      filters: patch.filters ?? insight.filters,
      groupByAttribute: patch.groupByAttribute ?? insight.groupByAttribute,
    });
  }

  async delete(ctx: Ctx, insightArn: string): Promise<string> {
    const insight = await this.resolveCustom(ctx, insightArn);
    await this.store.delete(ctx.tx, insight.insightArn);
    await this.tags.removeAllTags(ctx.tx, insight.insightArn);
    return insight.insightArn;
  }

  /** The caller's custom insight with this ARN; another account's looks the same as a missing one. */
  async findCustom(ctx: Ctx, insightArn: string): Promise<CustomInsight | undefined> {
    const insight = await this.store.find(ctx.tx, insightArn);
    return insight !== undefined && insight.accountId === ctx.accountId && insight.region === ctx.region
      ? insight
      : undefined;
  }

  private async resolve(ctx: Ctx, insightArn: string): Promise<CustomInsight | ManagedInsight> {
    if (isManagedInsightArn(insightArn)) {
      const managed = findManagedInsight(insightArn);
      if (managed === undefined) throw notFound(`Insight ${insightArn} not found`);
      return managed;
    }
    return this.resolveCustom(ctx, insightArn);
  }

  private async resolveCustom(ctx: Ctx, insightArn: string): Promise<CustomInsight> {
    if (isManagedInsightArn(insightArn)) {
      throw invalidInput(
        `Insight ${insightArn} is a managed insight; managed insights cannot be modified or deleted`,
      );
    }
    if (!customInsightArnPattern.test(insightArn)) {
      throw invalidInput(`InsightArn: ${insightArn} is not a valid insight ARN`);
    }
    const insight = await this.findCustom(ctx, insightArn);
    if (insight === undefined) throw notFound(`Insight ${insightArn} not found`);
    return insight;
  }
}
