/**
 * The AWS Security Finding Format (AwsSecurityFinding) as BatchImportFindings accepts it (spec §2.3, §3).
 *
 * This zod schema is the single source of truth: validate-finding.ts compiles its JSON Schema
 * (z.toJSONSchema) into the fast ingest validator, so every constraint here must be expressible in JSON
 * Schema. A refinement zod alone can see must carry the matching keyword through `.meta()` (see fieldMap
 * and timestamp in asff-primitives.ts), and the anyOf rule lives in checkSeverityAndTypesSupplied, which both paths call.
 *
 * Nested objects are loose (unknown sub-keys pass and are kept): the SDKs drop or refuse unknown members
 * before they reach the wire, and the service stores the provider's document as sent. Only the top level
 * is strict, as AWS's schema (`data should NOT have additional properties`) is.
 */
import { z } from 'zod';
import {
  findingTypes,
  relatedFindings,
  severity,
  resource,
  malware,
  network,
  networkPathComponent,
  processDetails,
  threat,
  threatIntelIndicator,
  compliance,
  vulnerability,
  patchSummary,
  action,
  findingProviderFields,
} from './asff-parts.js';
import { asffSchemaVersion, text, timestamp, score, fieldMap, jsonObject } from './asff-primitives.js';

/** Shape and field constraints of one AwsSecurityFinding; the anyOf rule is added by asffFindingSchema. */
export const asffFindingShape = z.strictObject({
  SchemaVersion: z.literal(asffSchemaVersion),
  Id: text(512),
  ProductArn: text(2048, 12),
  ProductName: text(128).optional(),
  CompanyName: text(128).optional(),
  Region: text(16).optional(),
  GeneratorId: text(512),
  AwsAccountId: text(12, 12),
  AwsAccountName: text(50).optional(),
  Types: findingTypes.optional(),
  FirstObservedAt: timestamp().optional(),
  LastObservedAt: timestamp().optional(),
  CreatedAt: timestamp(),
  UpdatedAt: timestamp(),
  Severity: severity.optional(),
  Confidence: score().optional(),
  Criticality: score().optional(),
  Title: text(256),
  Description: text(1024),
  Remediation: z
    .looseObject({
      Recommendation: z.looseObject({ Text: text(512).optional(), Url: text().optional() }).optional(),
    })
    .optional(),
  SourceUrl: text().optional(),
  ProductFields: fieldMap({ maxPairs: 50, keyMax: 128, valueMax: 2048 }).optional(),
  UserDefinedFields: fieldMap({ maxPairs: 50, keyMax: 128, valueMax: 1024 }).optional(),
  Malware: z.array(malware).max(5).optional(),
  Network: network.optional(),
  NetworkPath: z.array(networkPathComponent).optional(),
  Process: processDetails.optional(),
  Threats: z.array(threat).min(1).max(32).optional(),
  ThreatIntelIndicators: z.array(threatIntelIndicator).min(1).max(5).optional(),
  Resources: z.array(resource).min(1).max(32),
  Compliance: compliance.optional(),
  VerificationState: z.enum(['UNKNOWN', 'TRUE_POSITIVE', 'FALSE_POSITIVE', 'BENIGN_POSITIVE']).optional(),
  WorkflowState: z.enum(['NEW', 'ASSIGNED', 'IN_PROGRESS', 'DEFERRED', 'RESOLVED']).optional(),
  Workflow: z
    .looseObject({ Status: z.enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']).optional() })
    .optional(),
  RecordState: z.enum(['ACTIVE', 'ARCHIVED']).optional(),
  RelatedFindings: relatedFindings.optional(),
  Note: z.looseObject({ Text: text(512), UpdatedBy: text(), UpdatedAt: timestamp() }).optional(),
  Vulnerabilities: z.array(vulnerability).optional(),
  PatchSummary: patchSummary.optional(),
  Action: action.optional(),
  FindingProviderFields: findingProviderFields.optional(),
  Sample: z.boolean().optional(),
  GeneratorDetails: z
    .looseObject({
      Name: text().optional(),
      Description: text().optional(),
      Labels: z.array(text()).max(10).optional(),
    })
    .optional(),
  ProcessedAt: timestamp().optional(),
  Detection: jsonObject().optional(),
});

/** One ASFF finding as BatchImportFindings accepts it. */
export type AsffFinding = z.infer<typeof asffFindingShape>;

const anyOfFailed = 'data should match some schema in anyOf';

/**
 * The anyOf rule (spec §2.3): Severity (with Label or Normalized) and Types at the top level, or both in
 * FindingProviderFields (Severity with Label). Returns the service's error text, or undefined when met.
 */
export function checkSeverityAndTypesSupplied(finding: AsffFinding): string | undefined {
  const { Severity: topSeverity, Types: topTypes, FindingProviderFields: provider } = finding;
  if (topTypes !== undefined && topSeverity !== undefined) {
    if (topSeverity.Label !== undefined || topSeverity.Normalized !== undefined) return undefined;
  }
  // The observed message names only the FindingProviderFields branch; deeper gaps follow the same form.
  if (provider === undefined)
    return `data should have required property 'FindingProviderFields', ${anyOfFailed}`;
  if (provider.Severity === undefined) {
    return `data.FindingProviderFields should have required property 'Severity', ${anyOfFailed}`;
  }
  if (provider.Types === undefined) {
    return `data.FindingProviderFields should have required property 'Types', ${anyOfFailed}`;
  }
  if (provider.Severity.Label === undefined) {
    return `data.FindingProviderFields.Severity should have required property 'Label', ${anyOfFailed}`;
  }
  return undefined;
}

/** The full zod schema: shape, field constraints and the Severity/Types anyOf rule. */
export const asffFindingSchema = asffFindingShape.superRefine((finding, context) => {
  const problem = checkSeverityAndTypesSupplied(finding);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});
