/**
 * Validation of one AwsSecurityFinding for BatchImportFindings, on the ingest hot path.
 *
 * zod's own parse allocates a copy of every object and collects every issue; ingest needs neither, so the
 * zod schema is compiled once (through its JSON Schema) into a checker that stops at the first error and
 * words it as Security Hub does. The caller gets back the very object it passed in, because the service
 * stores and returns the provider's document as sent (field order, timestamp spelling).
 */
import { z } from 'zod';
import { isAsffTimestamp } from './asff-primitives.js';
import { asffFindingShape, checkSeverityAndTypesSupplied, type AsffFinding } from './asff-schema.js';
import { compileJsonSchema } from './compile-json-schema.js';

export type { AsffFinding } from './asff-schema.js';

/** The outcome of validating one finding; `message` is the FailedFindings ErrorMessage for InvalidInput. */
export type FindingValidation = { ok: true; finding: AsffFinding } | { ok: false; message: string };

const checkShape = compileJsonSchema(z.toJSONSchema(asffFindingShape), {
  'date-time': isAsffTimestamp,
});

/** Validates one raw finding against ASFF; on success returns the same object, typed. */
export function validateFinding(raw: unknown): FindingValidation {
  const problem = checkShape(raw) ?? checkSeverityAndTypesSupplied(raw as AsffFinding);
  if (problem !== undefined) {
    return { ok: false, message: `Finding does not adhere to Amazon Finding Format. ${problem}.` };
  }
  return { ok: true, finding: raw as AsffFinding };
}
