/** The restJson1 routes of the automation rule operations. */
import {
  queryInteger,
  queryString,
  securityHubOperation,
  withNextToken,
} from '../protocols/securityhub/index.js';
import type { RestRoute } from '../protocols/index.js';
import type { AutomationRulesService, RuleBatchResult } from './automation-rules-service.js';
import {
  automationRuleArnsSchema,
  batchUpdateAutomationRulesSchema,
  createAutomationRuleSchema,
  listAutomationRulesSchema,
  toWireRule,
  toWireRuleMetadata,
  toWireUnprocessed,
} from './automation-rules-wire.js';
import type { HubService } from './hub-service.js';

// Batch calls name many rules; the IAM resource is every rule of the caller.
const anyRule = (scope: { accountId: string; region: string }): string =>
  `arn:aws:securityhub:${scope.region}:${scope.accountId}:automation-rule/*`;

const toWireBatch = (result: RuleBatchResult) => ({
  ProcessedAutomationRules: result.processed,
  UnprocessedAutomationRules: result.unprocessed.map(toWireUnprocessed),
});

/** Routes for Create/BatchGet/List/BatchUpdate/BatchDeleteAutomationRules. */
export function automationRulesRoutes(hub: HubService, rules: AutomationRulesService): RestRoute[] {
  return [...ruleCreateAndReadRoutes(hub, rules), ...ruleBatchRoutes(hub, rules)];
}

/** CreateAutomationRule, BatchGetAutomationRules and ListAutomationRules. */
function ruleCreateAndReadRoutes(hub: HubService, rules: AutomationRulesService): RestRoute[] {
  return [
    {
      method: 'POST',
      path: '/automationrules/create',
      operation: securityHubOperation(hub, {
        name: 'CreateAutomationRule',
        schema: createAutomationRuleSchema,
        resource: anyRule,
        handle: async (ctx, input) => ({
          RuleArn: await rules.create(
            ctx,
            {
              ruleName: input.RuleName,
              ruleStatus: input.RuleStatus ?? 'ENABLED',
              ruleOrder: input.RuleOrder,
              description: input.Description,
              isTerminal: input.IsTerminal ?? false,
              criteria: input.Criteria,
              actions: input.Actions,
            },
            input.Tags,
          ),
        }),
      }),
    },
    {
      method: 'POST',
      path: '/automationrules/get',
      operation: securityHubOperation(hub, {
        name: 'BatchGetAutomationRules',
        schema: automationRuleArnsSchema,
        resource: anyRule,
        handle: async (ctx, input) => {
          const found = await rules.batchGet(ctx, input.AutomationRulesArns);
          return {
            Rules: found.rules.map(toWireRule),
            UnprocessedAutomationRules: found.unprocessed.map(toWireUnprocessed),
          };
        },
      }),
    },
    {
      method: 'GET',
      path: '/automationrules/list',
      operation: securityHubOperation(hub, {
        name: 'ListAutomationRules',
        schema: listAutomationRulesSchema,
        input: (request) => ({
          NextToken: queryString(request.query, 'NextToken'),
          MaxResults: queryInteger(request.query, 'MaxResults'),
        }),
        resource: anyRule,
        handle: async (ctx, input) => {
          const page = await rules.list(ctx, { nextToken: input.NextToken, maxResults: input.MaxResults });
          return withNextToken(
            { AutomationRulesMetadata: page.items.map(toWireRuleMetadata) },
            page.nextToken,
          );
        },
      }),
    },
  ];
}

/** BatchUpdateAutomationRules and BatchDeleteAutomationRules. */
function ruleBatchRoutes(hub: HubService, rules: AutomationRulesService): RestRoute[] {
  return [
    {
      method: 'PATCH',
      path: '/automationrules/update',
      operation: securityHubOperation(hub, {
        name: 'BatchUpdateAutomationRules',
        schema: batchUpdateAutomationRulesSchema,
        resource: anyRule,
        handle: async (ctx, input) =>
          toWireBatch(
            await rules.batchUpdate(
              ctx,
              input.UpdateAutomationRulesRequestItems.map((item) => ({
                ruleArn: item.RuleArn,
                ...(item.RuleStatus === undefined ? {} : { ruleStatus: item.RuleStatus }),
                ...(item.RuleOrder === undefined ? {} : { ruleOrder: item.RuleOrder }),
                ...(item.Description === undefined ? {} : { description: item.Description }),
                ...(item.RuleName === undefined ? {} : { ruleName: item.RuleName }),
                ...(item.IsTerminal === undefined ? {} : { isTerminal: item.IsTerminal }),
                ...(item.Criteria === undefined ? {} : { criteria: item.Criteria }),
                ...(item.Actions === undefined ? {} : { actions: item.Actions }),
              })),
            ),
          ),
      }),
    },
    {
      method: 'POST',
      path: '/automationrules/delete',
      operation: securityHubOperation(hub, {
        name: 'BatchDeleteAutomationRules',
        schema: automationRuleArnsSchema,
        resource: anyRule,
        handle: async (ctx, input) => toWireBatch(await rules.batchDelete(ctx, input.AutomationRulesArns)),
      }),
    },
  ];
}
