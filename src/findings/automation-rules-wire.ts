/** Request schemas and response shapes of the automation rule operations (spec §10). */
import { z } from 'zod';
import type { AutomationRule, AutomationRuleAction } from './automation-rules-store.js';
import { automationRuleCriteriaSchema } from './filters/index.js';
import {
  findingFieldsUpdateShape,
  nextTokenSchema,
  nonEmptyStringSchema,
  tagsSchema,
} from './findings-wire.js';

const ruleArn = nonEmptyStringSchema.max(2048);
const ruleArns = z
  .array(ruleArn)
  .min(1, 'must contain at least 1 rule ARN')
  .max(100, 'must contain at most 100 rule ARNs');
const ruleStatus = z.enum(['ENABLED', 'DISABLED']);
const ruleOrder = z.number().int().min(1).max(1000);
const ruleName = nonEmptyStringSchema.max(256);
const description = nonEmptyStringSchema.max(1024);

const actionSchema = z.strictObject({
  Type: z.literal('FINDING_FIELDS_UPDATE', { error: 'Type must be FINDING_FIELDS_UPDATE' }),
  FindingFieldsUpdate: z
    .strictObject(findingFieldsUpdateShape)
    .refine((update) => Object.values(update).some((v) => v !== undefined), 'must update at least one field'),
});

const actionsSchema = z
  .array(actionSchema)
  .length(1, 'must contain exactly 1 action')
  .transform((actions): AutomationRuleAction[] =>
    actions.map((action) => ({ type: action.Type, findingFieldsUpdate: action.FindingFieldsUpdate })),
  );

export const createAutomationRuleSchema = z.object({
  Tags: tagsSchema.optional(),
  RuleStatus: ruleStatus.optional(),
  RuleOrder: ruleOrder,
  RuleName: ruleName,
  Description: description,
  IsTerminal: z.boolean().optional(),
  Criteria: automationRuleCriteriaSchema,
  Actions: actionsSchema,
});

export const automationRuleArnsSchema = z.object({ AutomationRulesArns: ruleArns });

export const listAutomationRulesSchema = z.object({
  NextToken: nextTokenSchema,
  MaxResults: z.number().int().min(1).max(100).optional(),
});

export const batchUpdateAutomationRulesSchema = z.object({
  UpdateAutomationRulesRequestItems: z
    .array(
      z.strictObject({
        RuleArn: ruleArn,
        RuleStatus: ruleStatus.optional(),
        RuleOrder: ruleOrder.optional(),
        Description: description.optional(),
        RuleName: ruleName.optional(),
        IsTerminal: z.boolean().optional(),
        Criteria: automationRuleCriteriaSchema.optional(),
        Actions: actionsSchema.optional(),
      }),
    )
    .min(1, 'must contain at least 1 item')
    .max(100, 'must contain at most 100 items'),
});

/** The wire AutomationRulesMetadata: a rule without Criteria and Actions. */
export function toWireRuleMetadata(rule: AutomationRule): Record<string, unknown> {
  return {
    RuleArn: rule.ruleArn,
    RuleStatus: rule.ruleStatus,
    RuleOrder: rule.ruleOrder,
    RuleName: rule.ruleName,
    Description: rule.description,
    IsTerminal: rule.isTerminal,
    CreatedAt: rule.createdAt.toISOString(),
    UpdatedAt: rule.updatedAt.toISOString(),
    CreatedBy: rule.createdBy,
  };
}

/** The wire AutomationRulesConfig. */
export function toWireRule(rule: AutomationRule): Record<string, unknown> {
  return {
    ...toWireRuleMetadata(rule),
    Criteria: rule.criteria,
    Actions: rule.actions.map((action) => ({
      Type: action.type,
      FindingFieldsUpdate: action.findingFieldsUpdate,
    })),
  };
}

/** The wire UnprocessedAutomationRule list entry. */
export function toWireUnprocessed(entry: {
  ruleArn: string;
  errorCode: number;
  errorMessage: string;
}): Record<string, unknown> {
  return { RuleArn: entry.ruleArn, ErrorCode: entry.errorCode, ErrorMessage: entry.errorMessage };
}
