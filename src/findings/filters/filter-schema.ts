/** Zod schemas for AwsSecurityFindingFilters and AutomationRulesFindingFilters (spec §4.1, §4.2, §10). */

import { z } from 'zod';
import { filterKeySpecs, filterKeys, type FilterKey } from './filter-keys.js';
import { schemaByType, type FiltersShape } from './filter-value-schemas.js';
import {
  automationRuleCriteriaLimits,
  findFilterProblem,
  findingFilterLimits,
  type FilterLimits,
} from './validate-filters.js';

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

/** Parsed AutomationRulesFindingFilters (assignable to FindingFilters). */
export type AutomationRuleCriteria = z.infer<typeof automationRuleCriteriaSchema>;
