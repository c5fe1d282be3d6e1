/** The AwsSecurityFindingFilters engine: keys, schemas, validation, matching and sorting of ASFF documents. */

export { compareAsffTimestamps, parseAsffTimestamp } from './asff-timestamp.js';
export {
  filterKeys,
  filterKeySpecs,
  filterKeysOfType,
  groupByAttributes,
  isFilterKey,
  isGroupByAttribute,
  valuesForGroupBy,
  type AsffDocument,
  type FilterKey,
  type FilterKeyOfType,
  type FilterKeySpec,
  type FilterType,
} from './filter-keys.js';
export {
  automationRuleCriteriaKeys,
  automationRuleCriteriaSchema,
  findingFiltersSchema,
  type AutomationRuleCriteria,
  type BooleanFilter,
  type DateFilter,
  type FindingFilters,
  type IpFilter,
  type KeywordFilter,
  type MapFilter,
  type NumberFilter,
  type StringFilter,
} from './filter-schema.js';
export { compileFilters, matchesFilters, type FindingPredicate } from './match-filters.js';
export {
  automationRuleCriteriaLimits,
  findingFilterLimits,
  validateFilters,
  type FilterLimits,
} from './validate-filters.js';
