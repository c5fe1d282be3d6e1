/** Request schemas and response shapes of the insight operations (spec §6). */
import { z } from 'zod';
import { findingFiltersSchema, isGroupByAttribute } from './filters/index.js';
import type { Insight, InsightResults } from './insights-service.js';
import { nextTokenSchema, nonEmptyStringSchema } from './findings-wire.js';

const insightName = nonEmptyStringSchema.max(1024);
const groupByAttribute = z
  .string()
  .refine(
    isGroupByAttribute,
    'must be a string-typed finding attribute such as ResourceId, ResourceType or SeverityLabel',
  );
const insightArn = nonEmptyStringSchema.max(2048);

export const createInsightSchema = z.object({
  Name: insightName,
  Filters: findingFiltersSchema,
  GroupByAttribute: groupByAttribute,
});

export const getInsightsSchema = z.object({
  InsightArns: z.array(insightArn).max(100).optional(),
  NextToken: nextTokenSchema,
  MaxResults: z.number().int().min(1).max(100).optional(),
});

export const insightArnSchema = z.object({ InsightArn: insightArn });

export const updateInsightSchema = z.object({
  InsightArn: insightArn,
  Name: insightName.optional(),
  Filters: findingFiltersSchema.optional(),
  GroupByAttribute: groupByAttribute.optional(),
});

/** The wire Insight. */
export function toWireInsight(insight: Insight): Record<string, unknown> {
  return {
    InsightArn: insight.insightArn,
    Name: insight.name,
    Filters: insight.filters,
    GroupByAttribute: insight.groupByAttribute,
  };
}

/** The wire InsightResults. */
export function toWireInsightResults(results: InsightResults): Record<string, unknown> {
  return {
    InsightArn: results.insightArn,
    GroupByAttribute: results.groupByAttribute,
    ResultValues: results.resultValues,
  };
}
