/** ASFF (AwsSecurityFinding) validation for BatchImportFindings: the zod schema and the fast checker. */

export {
  asffFindingSchema,
  asffFindingShape,
  asffSchemaVersion,
  asffTimestampPattern,
  asffTypePattern,
  checkSeverityAndTypesSupplied,
  isAsffTimestamp,
  nonEmptyStringPattern,
  type AsffFinding,
} from './asff-schema.js';
export { validateFinding, type FindingValidation } from './validate-finding.js';
