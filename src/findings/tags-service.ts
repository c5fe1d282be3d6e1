/** Tags on Security Hub resources the caller owns: its hub, custom insights and automation rules. */
import type { Ctx } from '../kernel/index.js';
import { invalidInput, notFound } from '../kernel/index.js';
import type { AutomationRulesService } from './automation-rules-service.js';
import { hubArnOf } from '../protocols/securityhub/index.js';
import type { HubStore } from './hub-store.js';
import type { InsightsService } from './insights-service.js';

/** Tags per resource (AWS). */
export const maxTagsPerResource = 50;

/** Owns the tag rules: only existing resources of the caller, at most 50 tags, no `aws:` keys. */
export class TagsService {
  constructor(
    private readonly hubs: HubStore,
    private readonly insights: InsightsService,
    private readonly rules: AutomationRulesService,
  ) {}

  async list(ctx: Ctx, resourceArn: string): Promise<Record<string, string>> {
    await this.requireResource(ctx, resourceArn);
    return this.hubs.tags(ctx.tx, resourceArn);
  }

  async tag(ctx: Ctx, resourceArn: string, tags: Record<string, string>): Promise<void> {
    await this.requireResource(ctx, resourceArn);
    const current = await this.hubs.tags(ctx.tx, resourceArn);
    const merged = { ...current, ...tags };
    if (Object.keys(merged).length > maxTagsPerResource) {
      throw invalidInput(`Tags: a resource can have at most ${maxTagsPerResource} tags`);
    }
    await this.hubs.putTags(ctx.tx, ctx.accountId, resourceArn, tags);
  }

  async untag(ctx: Ctx, resourceArn: string, tagKeys: readonly string[]): Promise<void> {
    await this.requireResource(ctx, resourceArn);
    await this.hubs.removeTags(ctx.tx, resourceArn, tagKeys);
  }

  // Another account's resource looks the same as a missing one.
  private async requireResource(ctx: Ctx, resourceArn: string): Promise<void> {
    if (resourceArn === hubArnOf(ctx.region, ctx.accountId)) {
      if ((await this.hubs.find(ctx.tx, ctx.accountId, ctx.region)) !== undefined) return;
    } else if (
      (await this.insights.findCustom(ctx, resourceArn)) !== undefined ||
      (await this.rules.findOwn(ctx, resourceArn)) !== undefined
    ) {
      return;
    }
    throw notFound(`Resource ${resourceArn} not found`);
  }
}
