/** Request schemas of the hub and findings operations (Security Hub restJson1), validated once at the edge. */
import { z } from 'zod';
import { findingFiltersSchema } from './filters/index.js';

const nonEmpty = z.string().regex(/\S/, 'must contain a non-space character');
const identifier = z.strictObject({ Id: nonEmpty.max(512), ProductArn: nonEmpty.max(2048) });
const tagsSchema = z
  .record(z.string().min(1).max(128), z.string().max(256))
  .refine((tags) => Object.keys(tags).length <= 50, 'must hold at most 50 tags');
const controlFindingGenerator = z.enum(['STANDARD_CONTROL', 'SECURITY_CONTROL']);
const severityLabel = z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
const workflowStatus = z.enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']);
const verificationState = z.enum(['UNKNOWN', 'TRUE_POSITIVE', 'FALSE_POSITIVE', 'BENIGN_POSITIVE']);
const percent = z.number().int().min(0).max(100);

/** Accepts absent, empty and the literal `NULL` as "first page", as the API reference tells callers to send. */
export const nextTokenSchema = z.string().max(4096).optional();

export const enableSecurityHubSchema = z.object({
  Tags: tagsSchema.optional(),
  EnableDefaultStandards: z.boolean().optional(),
  ControlFindingGenerator: controlFindingGenerator.optional(),
});

export const updateSecurityHubConfigurationSchema = z.object({
  AutoEnableControls: z.boolean().optional(),
  ControlFindingGenerator: controlFindingGenerator.optional(),
});

export const batchImportFindingsSchema = z.object({
  Findings: z
    .array(z.unknown())
    .min(1, 'must contain at least 1 finding')
    .max(100, 'must contain at most 100 findings'),
});

export const getFindingsSchema = z.object({
  Filters: findingFiltersSchema.optional(),
  SortCriteria: z
    .array(z.strictObject({ Field: nonEmpty.optional(), SortOrder: z.enum(['asc', 'desc']).optional() }))
    .max(10)
    .optional(),
  NextToken: nextTokenSchema,
  MaxResults: z.number().int().min(1).max(100).optional(),
});

/** The customer-owned fields shared by BatchUpdateFindings and automation-rule actions. */
export const findingFieldsUpdateShape = {
  Note: z.strictObject({ Text: nonEmpty.max(512), UpdatedBy: nonEmpty.max(512) }).optional(),
  Severity: z
    .strictObject({
      Label: severityLabel.optional(),
      Normalized: percent.optional(),
      Product: z.number().optional(),
    })
    .optional(),
  VerificationState: verificationState.optional(),
  Confidence: percent.optional(),
  Criticality: percent.optional(),
  Types: z.array(nonEmpty.max(128)).max(50).optional(),
  UserDefinedFields: z
    .record(nonEmpty.max(128), nonEmpty.max(1024))
    .refine((fields) => Object.keys(fields).length <= 50, 'must hold at most 50 fields')
    .optional(),
  Workflow: z.strictObject({ Status: workflowStatus.optional() }).optional(),
  RelatedFindings: z.array(identifier).min(1).max(10).optional(),
};

export const batchUpdateFindingsSchema = z
  .strictObject({
    FindingIdentifiers: z.array(identifier).min(1).max(100),
    ...findingFieldsUpdateShape,
  })
  .refine(
    (input) => Object.keys(input).some((key) => key !== 'FindingIdentifiers'),
    'at least one field to update is required',
  );

/** A modeled timestamp: ISO 8601 text as the SDKs send it, or epoch seconds. */
const isoTimestamp = z
  .union([z.iso.datetime({ offset: true }), z.number()])
  .transform((value) => (typeof value === 'number' ? new Date(value * 1000) : new Date(value)));

export const getFindingHistorySchema = z.strictObject({
  FindingIdentifier: identifier,
  StartTime: isoTimestamp.optional(),
  EndTime: isoTimestamp.optional(),
  NextToken: nextTokenSchema,
  MaxResults: z.number().int().min(1).max(100).optional(),
});

export { identifier as findingIdentifierSchema, nonEmpty as nonEmptyStringSchema, tagsSchema };
