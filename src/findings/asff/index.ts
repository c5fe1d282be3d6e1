/** ASFF (AwsSecurityFinding) validation for BatchImportFindings: the zod schema and the fast checker. */

export {
  asffFindingSchema,
  asffFindingShape,
  checkSeverityAndTypesSupplied,
  type AsffFinding,
} from './asff-schema.js';
export {
  asffSchemaVersion,
  asffTimestampPattern,
  asffTypePattern,
  isAsffTimestamp,
  nonEmptyStringPattern,
} from './asff-primitives.js';
export { validateFinding, type FindingValidation } from './validate-finding.js';
