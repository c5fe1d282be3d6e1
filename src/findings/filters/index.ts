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
} from './filter-schema.js';
export type {
  BooleanFilter,
  DateFilter,
  FindingFilters,
  IpFilter,
  KeywordFilter,
  MapFilter,
  NumberFilter,
  StringFilter,
} from './filter-value-schemas.js';
export { compileFilters, matchesFilters, type FindingPredicate } from './match-filters.js';
export {
  automationRuleCriteriaLimits,
  findingFilterLimits,
  validateFilters,
  type FilterLimits,
} from './validate-filters.js';
