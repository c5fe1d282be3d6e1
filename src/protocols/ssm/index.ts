/** The SSM protocol's one door: the awsJson1_1 service description, error wording, paging, targets, rate control and schedule expressions every SSM capability shares. */
export { ssmExceptionNames, type SsmExceptionName } from './ssm-errors.js';
export { ssmError, ssmService, ssmValidationError, toEpochSeconds } from './ssm-service.js';
export {
  matchesTargets,
  rolloutPercentKey,
  rolloutPosition,
  targetLimits,
  targetsProblem,
  type Target,
} from './targets.js';
export {
  concurrencyLimit,
  defaultMaxConcurrency,
  defaultMaxErrors,
  errorLimit,
  maxConcurrencyPattern,
  maxErrorsPattern,
} from './rate-control.js';
export {
  nextRun,
  parseScheduleExpression,
  parseAssociationSchedule,
  ScheduleExpressionError,
  type ScheduleExpression,
} from './schedule-expression.js';
export { loadFiltered, ssmListOperation, type ListQuery, type SsmListSpec } from './list-operation.js';
export { complianceDetailKeys } from './compliance-detail-keys.js';
