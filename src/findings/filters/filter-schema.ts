/** Zod schemas for AwsSecurityFindingFilters and AutomationRulesFindingFilters (spec §4.1, §4.2, §10). */

import { z } from 'zod';
import { filterKeySpecs, filterKeys, type FilterKey, type FilterTypeOf } from './filter-keys.js';
import {
  automationRuleCriteriaLimits,
  findFilterProblem,
  findingFilterLimits,
  type FilterLimits,
} from './validate-filters.js';

const stringComparisons = [
  'EQUALS',
  'PREFIX',
  'NOT_EQUALS',
  'PREFIX_NOT_EQUALS',
  'CONTAINS',
  'NOT_CONTAINS',
] as const;
const mapComparisons = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS'] as const;

const nonEmptyString = z.string().min(1, { error: 'must not be empty' });

/** StringFilter: a comparison against a string field. */
export const stringFilterSchema = z.strictObject({
  Value: nonEmptyString,
  Comparison: z.enum(stringComparisons, {
    error: (issue) =>
      issue.input === 'CONTAINS_WORD'
        ? 'Comparison CONTAINS_WORD is only supported by GetFindingsV2 and V2 automation rules'
        : `Comparison must be one of ${stringComparisons.join(', ')}`,
  }),
});

/** NumberFilter: bounds on a number field, ANDed within one object. */
export const numberFilterSchema = z
  .strictObject({
    Gte: z.number().optional(),
    Lte: z.number().optional(),
    Eq: z.number().optional(),
    Gt: z.number().optional(),
    Lt: z.number().optional(),
  })
  .refine(
    (filter) => Object.values(filter).some((bound) => bound !== undefined),
    'NumberFilter needs at least one of Gte, Lte, Eq, Gt, Lt',
  );

/** DateRange: a window relative to the time of evaluation. */
export const dateRangeSchema = z.strictObject({
  Value: z.number().int().min(0),
  Unit: z.enum(['DAYS'], { error: 'DateRange Unit must be DAYS' }),
  Comparison: z
    .enum(['WITHIN', 'OLDER_THAN'], { error: 'DateRange Comparison must be WITHIN or OLDER_THAN' })
    .optional(),
});

/** DateFilter: an absolute Start/End range or a relative DateRange (checked in validateFilters). */
export const dateFilterSchema = z.strictObject({
  Start: nonEmptyString.optional(),
  End: nonEmptyString.optional(),
  DateRange: dateRangeSchema.optional(),
});

/** MapFilter: a comparison against the value at one key of a string map. */
export const mapFilterSchema = z.strictObject({
  Key: nonEmptyString,
  Value: nonEmptyString,
  Comparison: z.enum(mapComparisons, { error: `Comparison must be one of ${mapComparisons.join(', ')}` }),
});

/** IpFilter: a CIDR block (checked in validateFilters). */
export const ipFilterSchema = z.strictObject({ Cidr: nonEmptyString });

/** BooleanFilter: the only boolean attribute is Sample. */
export const booleanFilterSchema = z.strictObject({ Value: z.boolean() });

/** KeywordFilter: the deprecated free-text filter. */
export const keywordFilterSchema = z.strictObject({ Value: nonEmptyString });

/** A parsed StringFilter. */
export type StringFilter = z.infer<typeof stringFilterSchema>;
/** A parsed NumberFilter. */
export type NumberFilter = z.infer<typeof numberFilterSchema>;
/** A parsed DateFilter. */
export type DateFilter = z.infer<typeof dateFilterSchema>;
/** A parsed MapFilter. */
export type MapFilter = z.infer<typeof mapFilterSchema>;
/** A parsed IpFilter. */
export type IpFilter = z.infer<typeof ipFilterSchema>;
/** A parsed BooleanFilter. */
export type BooleanFilter = z.infer<typeof booleanFilterSchema>;
/** A parsed KeywordFilter. */
export type KeywordFilter = z.infer<typeof keywordFilterSchema>;
/** A StringFilter comparison operator. */
export type StringComparison = StringFilter['Comparison'];
/** A MapFilter comparison operator. */
export type MapComparison = MapFilter['Comparison'];

const schemaByType = {
  string: stringFilterSchema,
  number: numberFilterSchema,
  date: dateFilterSchema,
  map: mapFilterSchema,
  ip: ipFilterSchema,
  boolean: booleanFilterSchema,
  keyword: keywordFilterSchema,
} as const;

type FiltersShape<K extends FilterKey> = {
  [P in K]: z.ZodOptional<z.ZodArray<(typeof schemaByType)[FilterTypeOf<P>]>>;
};

/** The keys an automation rule's Criteria may use (spec §10). */
export const automationRuleCriteriaKeys = [
  'ProductArn',
  'AwsAccountId',
  'Id',
  'GeneratorId',
  'Type',
  'FirstObservedAt',
  'LastObservedAt',
  'CreatedAt',
  'UpdatedAt',
  'Confidence',
  'Criticality',
  'Title',
  'Description',
  'SourceUrl',
  'ProductName',
  'CompanyName',
  'SeverityLabel',
  'ResourceType',
  'ResourceId',
  'ResourcePartition',
  'ResourceRegion',
  'ResourceTags',
  'ResourceDetailsOther',
  'ComplianceStatus',
  'ComplianceSecurityControlId',
  'ComplianceAssociatedStandardsId',
  'VerificationState',
  'WorkflowStatus',
  'RecordState',
  'RelatedFindingsProductArn',
  'RelatedFindingsId',
  'NoteText',
  'NoteUpdatedAt',
  'NoteUpdatedBy',
  'UserDefinedFields',
  'ResourceApplicationArn',
  'ResourceApplicationName',
  'AwsAccountName',
  'ResourceProvider',
  'ResourceOwnerAccountId',
  'ResourceOwnerOrgId',
] as const satisfies readonly FilterKey[];

// Builds a strict object of the given keys, then runs the semantic checks of validateFilters on the result.
function filtersSchema<K extends FilterKey>(keys: readonly K[], limits: FilterLimits, what: string) {
  const shape = Object.fromEntries(
    keys.map((key) => [key, z.array(schemaByType[filterKeySpecs[key].type]).optional()]),
  ) as FiltersShape<K>;
  return z
    .strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `Unknown ${what} key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
          : undefined,
    })
    .superRefine((filters, ctx) => {
      const problem = findFilterProblem(filters, limits);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    });
}

/** AwsSecurityFindingFilters for GetFindings and insights: all 107 keys, at most 10 keys × 20 values. */
export const findingFiltersSchema = filtersSchema(filterKeys, findingFilterLimits, 'filter');

/** AutomationRulesFindingFilters: the §10 subset, 1..20 values per key (1..100 for four keys). */
export const automationRuleCriteriaSchema = filtersSchema(
  automationRuleCriteriaKeys,
  automationRuleCriteriaLimits,
  'automation rule criteria',
);

/** Parsed AwsSecurityFindingFilters. */
export type FindingFilters = z.infer<typeof findingFiltersSchema>;

/** Parsed AutomationRulesFindingFilters (assignable to FindingFilters). */
export type AutomationRuleCriteria = z.infer<typeof automationRuleCriteriaSchema>;
