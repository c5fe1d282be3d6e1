/** Automation rules (V1): CRUD with the quota, and the rule source that applies them as findings are imported. */
import { type SecurityHubPage, securityHubPageOf } from '../protocols/securityhub/index.js';
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { limitExceeded } from '../kernel/index.js';
import type { AutomationRule, AutomationRuleAction, AutomationRulesStore } from './automation-rules-store.js';
import { compileFilters, type AutomationRuleCriteria } from './filters/index.js';
import type { IngestRule } from './finding-import.js';
import type { HubStore } from './hub-store.js';
import type { IngestRuleSource } from './ingest-policy.js';

/** Automation rules per account and Region (AWS quota). */
export const maxAutomationRules = 100;

/** The fields of a rule a caller chooses. */
export interface AutomationRuleFields {
  ruleName: string;
  ruleStatus: 'ENABLED' | 'DISABLED';
  ruleOrder: number;
  description: string;
  isTerminal: boolean;
  criteria: AutomationRuleCriteria;
  actions: AutomationRuleAction[];
}

/** A rule a batch call could not process; ErrorCode is an HTTP-like integer as in AWS. */
export interface UnprocessedRule {
  ruleArn: string;
  errorCode: number;
  errorMessage: string;
}

/** The result of BatchUpdate/BatchDeleteAutomationRules. */
export interface RuleBatchResult {
  processed: string[];
  unprocessed: UnprocessedRule[];
}

/** The ARN of a new automation rule. */
export function automationRuleArn(region: string, accountId: string, id: string): string {
  return `arn:aws:securityhub:${region}:${accountId}:automation-rule/${id}`;
}

const notFoundEntry = (ruleArn: string): UnprocessedRule => ({
  ruleArn,
  errorCode: 404,
  errorMessage: `Automation rule ${ruleArn} not found`,
});

/** Owns the rule rules: the quota, who sees which rule, the evaluation order and compiling rules for ingest. */
export class AutomationRulesService implements IngestRuleSource {
  constructor(
    private readonly store: AutomationRulesStore,
    private readonly tags: HubStore,
  ) {}

  async create(
    ctx: Ctx,
    fields: AutomationRuleFields,
    tags: Record<string, string> | undefined,
  ): Promise<string> {
    if ((await this.store.count(ctx.tx, ctx.accountId, ctx.region)) >= maxAutomationRules) {
      throw limitExceeded(`An account can have at most ${maxAutomationRules} automation rules per Region`);
    }
    const ruleArn = automationRuleArn(ctx.region, ctx.accountId, randomUUID());
    await this.store.insert(ctx.tx, {
      ...fields,
      ruleArn,
      accountId: ctx.accountId,
      region: ctx.region,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      createdBy: ctx.actor.principalArn,
    });
    if (tags !== undefined) await this.tags.putTags(ctx.tx, ctx.accountId, ruleArn, tags);
    return ruleArn;
  }

  async batchGet(
    ctx: Ctx,
    ruleArns: readonly string[],
  ): Promise<{ rules: AutomationRule[]; unprocessed: UnprocessedRule[] }> {
    const rules: AutomationRule[] = [];
    const unprocessed: UnprocessedRule[] = [];
    for (const ruleArn of new Set(ruleArns)) {
      const rule = await this.findOwn(ctx, ruleArn);
      if (rule === undefined) unprocessed.push(notFoundEntry(ruleArn));
      else rules.push(rule);
    }
    return { rules, unprocessed };
  }

  /** ListAutomationRules: the caller's rules in evaluation order. */
  async list(
    ctx: Ctx,
    input: { nextToken: string | undefined; maxResults: number | undefined },
  ): Promise<SecurityHubPage<AutomationRule>> {
    return securityHubPageOf(await this.store.list(ctx.tx, ctx.accountId, ctx.region), input);
  }

  async batchUpdate(
    ctx: Ctx,
    items: readonly ({ ruleArn: string } & Partial<AutomationRuleFields>)[],
  ): Promise<RuleBatchResult> {
    const result: RuleBatchResult = { processed: [], unprocessed: [] };
    for (const { ruleArn, ...patch } of items) {
      const rule = await this.findOwn(ctx, ruleArn);
      if (rule === undefined) {
        result.unprocessed.push(notFoundEntry(ruleArn));
        continue;
      }
      const changed: AutomationRule = { ...rule, updatedAt: ctx.now };
      if (patch.ruleName !== undefined) changed.ruleName = patch.ruleName;
      if (patch.ruleStatus !== undefined) changed.ruleStatus = patch.ruleStatus;
      if (patch.ruleOrder !== undefined) changed.ruleOrder = patch.ruleOrder;
      if (patch.description !== undefined) changed.description = patch.description;
      if (patch.isTerminal !== undefined) changed.isTerminal = patch.isTerminal;
      if (patch.criteria !== undefined) changed.criteria = patch.criteria;
      if (patch.actions !== undefined) changed.actions = patch.actions;
      await this.store.update(ctx.tx, changed);
      if (!result.processed.includes(ruleArn)) result.processed.push(ruleArn);
    }
    return result;
  }

  async batchDelete(ctx: Ctx, ruleArns: readonly string[]): Promise<RuleBatchResult> {
    const result: RuleBatchResult = { processed: [], unprocessed: [] };
    for (const ruleArn of new Set(ruleArns)) {
      const rule = await this.findOwn(ctx, ruleArn);
      if (rule === undefined) {
        result.unprocessed.push(notFoundEntry(ruleArn));
        continue;
      }
      await this.store.delete(ctx.tx, ruleArn);
      await this.tags.removeAllTags(ctx.tx, ruleArn);
      result.processed.push(ruleArn);
    }
    return result;
  }

  /** The caller's rule with this ARN; another account's looks the same as a missing one. */
  async findOwn(ctx: Ctx, ruleArn: string): Promise<AutomationRule | undefined> {
    const rule = await this.store.find(ctx.tx, ruleArn);
    return rule !== undefined && rule.accountId === ctx.accountId && rule.region === ctx.region
      ? rule
      : undefined;
  }

  /** The enabled rules, compiled against the time of the import, in evaluation order. */
  async rulesFor(ctx: Ctx): Promise<IngestRule[]> {
    const rules = await this.store.list(ctx.tx, ctx.accountId, ctx.region, { enabledOnly: true });
    return rules.map((rule) => ({
      matches: compileFilters(rule.criteria, ctx.now),
      update: rule.actions[0]?.findingFieldsUpdate ?? {},
      isTerminal: rule.isTerminal,
    }));
  }
}
