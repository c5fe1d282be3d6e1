/**
 * The AWS Security Finding Format (AwsSecurityFinding) as BatchImportFindings accepts it (spec §2.3, §3).
 *
 * This zod schema is the single source of truth: validate-finding.ts compiles its JSON Schema
 * (z.toJSONSchema) into the fast ingest validator, so every constraint here must be expressible in JSON
 * Schema. A refinement zod alone can see must carry the matching keyword through `.meta()` (see fieldMap
 * and timestamp), and the anyOf rule lives in checkSeverityAndTypesSupplied, which both paths call.
 *
 * Nested objects are loose (unknown sub-keys pass and are kept): the SDKs drop or refuse unknown members
 * before they reach the wire, and the service stores the provider's document as sent. Only the top level
 * is strict, as AWS's schema (`data should NOT have additional properties`) is.
 */
import { z } from 'zod';

/** The only ASFF schema version there is. */
export const asffSchemaVersion = '2018-10-08';

/**
 * ASFF timestamps (spec §1.5): the CloudFormation pattern with the documented bounds applied — at most
 * 9 fractional digits, offsets `+HH:MM`, `+HHMM` or `+HH` up to ±18:00. Calendar validity (no 30 February)
 * is checked by isAsffTimestamp.
 */
export const asffTimestampPattern =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d:[0-5]\d:[0-5]\d|2[0-3]:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d{1,9})?(?:Z|[+-](?:(?:0\d|1[0-7])(?::?[0-5]\d)?|18(?::?00)?))$/;

/**
 * Finding types: one to three `/`-separated parts (`namespace/category/classifier`). This is the pattern
 * the service reports (`data.Types[0] should match pattern "^([^/]+)(/[^/]+){0,2}$"`); it does not
 * restrict the namespace to the five documented ones.
 */
export const asffTypePattern = new RegExp('^([^/]+)(/[^/]+){0,2}$');

/** The model's NonEmptyString: at least one non-whitespace character. */
export const nonEmptyStringPattern = /.*\S.*/;

/** Whether a string is an ASFF timestamp: matches asffTimestampPattern and names a real calendar day. */
export function isAsffTimestamp(text: string): boolean {
  const match = asffTimestampPattern.exec(text);
  if (match === null) return false;
  const day = Number(match[3]);
  return day <= 28 || day <= daysInMonth(Number(match[1]), Number(match[2]));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A NonEmptyString, optionally with the model's length limits. */
function text(maxLength?: number, minLength = 1) {
  const base = z.string().min(minLength);
  return (maxLength === undefined ? base : base.max(maxLength)).regex(nonEmptyStringPattern);
}

/** A timestamp string; JSON Schema sees it as `format: date-time`, which the compiled validator knows. */
function timestamp() {
  return z.string().refine(isAsffTimestamp).meta({ format: 'date-time' });
}

/** An integer score 0–100 (Confidence, Criticality, Severity.Normalized). */
function score() {
  return z.int().min(0).max(100);
}

/**
 * A string→string map. Keys are NonEmptyStrings; values may be empty, because the service itself stores
 * empty values (GuardDuty's ProductFields in real GetFindings output). maxPairs becomes maxProperties.
 */
function fieldMap(limits: { maxPairs?: number; keyMax?: number; valueMax?: number } = {}) {
  const value = limits.valueMax === undefined ? z.string() : z.string().max(limits.valueMax);
  const map = z.record(text(limits.keyMax), value);
  const { maxPairs } = limits;
  if (maxPairs === undefined) return map;
  return map.refine((fields) => Object.keys(fields).length <= maxPairs).meta({ maxProperties: maxPairs });
}

/** Any JSON object, kept opaque. */
function jsonObject() {
  return z.record(z.string(), z.unknown());
}

const severityLabel = z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);

const findingTypes = z.array(z.string().regex(asffTypePattern).regex(nonEmptyStringPattern)).max(50);

const relatedFindings = z
  .array(z.looseObject({ ProductArn: text(), Id: text() }))
  .min(1)
  .max(10);

const severity = z.looseObject({
  Product: z.number().optional(),
  Label: severityLabel.optional(),
  Normalized: score().optional(),
  Original: text(64).optional(),
});

const resourceDetails = z
  .looseObject({
    AwsEc2Instance: z
      .looseObject({
        Type: text().optional(),
        ImageId: text().optional(),
        IpV4Addresses: z.array(text()).optional(),
        IpV6Addresses: z.array(text()).optional(),
        KeyName: text().optional(),
        IamInstanceProfileArn: text().optional(),
        VpcId: text().optional(),
        SubnetId: text().optional(),
        LaunchedAt: timestamp().optional(),
      })
      .optional(),
    AwsS3Bucket: z.looseObject({ OwnerId: text().optional(), OwnerName: text().optional() }).optional(),
    AwsIamAccessKey: z
      .looseObject({
        UserName: text().optional(),
        Status: text().optional(),
        CreatedAt: timestamp().optional(),
        PrincipalName: text().optional(),
      })
      .optional(),
    AwsIamUser: z.looseObject({ UserName: text().optional() }).optional(),
    Container: z
      .looseObject({
        Name: text().optional(),
        ImageId: text().optional(),
        ImageName: text().optional(),
        LaunchedAt: timestamp().optional(),
      })
      .optional(),
    Other: fieldMap().optional(),
  })
  .catchall(jsonObject());

const resource = z.looseObject({
  Type: text(256),
  Id: text(),
  Partition: z.enum(['aws', 'aws-cn', 'aws-us-gov', 'aws-us-iso', 'aws-us-iso-b', 'AzureCloud']).optional(),
  Region: text(16).optional(),
  Provider: z.enum(['AWS', 'Azure']).optional(),
  Owner: jsonObject().optional(),
  ResourceRole: text().optional(),
  // AWS tag conventions: key 1–128 characters, value 0–256.
  Tags: fieldMap({ keyMax: 128, valueMax: 256 }).optional(),
  DataClassification: jsonObject().optional(),
  Details: resourceDetails.optional(),
  ApplicationName: text().optional(),
  ApplicationArn: text().optional(),
});

const malware = z.looseObject({
  Name: text(64),
  Type: z
    .enum([
      'ADWARE',
      'BLENDED_THREAT',
      'BOTNET_AGENT',
      'COIN_MINER',
      'EXPLOIT_KIT',
      'KEYLOGGER',
      'MACRO',
      'POTENTIALLY_UNWANTED',
      'RANSOMWARE',
      'REMOTE_ACCESS',
      'ROOTKIT',
      'SPYWARE',
      'TROJAN',
      'VIRUS',
      'WORM',
    ])
    .optional(),
  Path: text(512).optional(),
  State: z.enum(['OBSERVED', 'REMOVAL_FAILED', 'REMOVED']).optional(),
});

const network = z.looseObject({
  Direction: z.enum(['IN', 'OUT']).optional(),
  Protocol: text(16).optional(),
  OpenPortRange: z.looseObject({ Begin: z.int().optional(), End: z.int().optional() }).optional(),
  SourceIpV4: text().optional(),
  SourceIpV6: text().optional(),
  SourcePort: z.int().optional(),
  SourceDomain: text(128).optional(),
  SourceMac: text().optional(),
  DestinationIpV4: text().optional(),
  DestinationIpV6: text().optional(),
  DestinationPort: z.int().optional(),
  DestinationDomain: text(128).optional(),
});

const networkPathComponent = z.looseObject({
  ComponentId: text(32).optional(),
  ComponentType: text(32).optional(),
  Egress: jsonObject().optional(),
  Ingress: jsonObject().optional(),
});

const processDetails = z.looseObject({
  Name: text(64).optional(),
  Path: text(512).optional(),
  Pid: z.int().optional(),
  ParentPid: z.int().optional(),
  LaunchedAt: timestamp().optional(),
  TerminatedAt: timestamp().optional(),
});

const threat = z.looseObject({
  Name: text(128).optional(),
  Severity: text(128).optional(),
  ItemCount: z.int().optional(),
  FilePaths: z
    .array(
      z.looseObject({
        FilePath: text(128).optional(),
        FileName: text(128).optional(),
        ResourceId: text(128).optional(),
        Hash: text(128).optional(),
      }),
    )
    .min(1)
    .max(5)
    .optional(),
});

const threatIntelIndicator = z.looseObject({
  Type: z
    .enum([
      'DOMAIN',
      'EMAIL_ADDRESS',
      'HASH_MD5',
      'HASH_SHA1',
      'HASH_SHA256',
      'HASH_SHA512',
      'IPV4_ADDRESS',
      'IPV6_ADDRESS',
      'MUTEX',
      'PROCESS',
      'URL',
    ])
    .optional(),
  Value: text(512).optional(),
  Category: z
    .enum(['BACKDOOR', 'CARD_STEALER', 'COMMAND_AND_CONTROL', 'DROP_SITE', 'EXPLOIT_SITE', 'KEYLOGGER'])
    .optional(),
  LastObservedAt: timestamp().optional(),
  Source: text(64).optional(),
  SourceUrl: text().optional(),
});

const compliance = z.looseObject({
  Status: z.enum(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']).optional(),
  RelatedRequirements: z.array(text()).max(32).optional(),
  StatusReasons: z.array(z.looseObject({ ReasonCode: text(), Description: text().optional() })).optional(),
  SecurityControlId: text().optional(),
  AssociatedStandards: z.array(z.looseObject({ StandardsId: text().optional() })).optional(),
  SecurityControlParameters: z
    .array(z.looseObject({ Name: text().optional(), Value: z.array(text()).optional() }))
    .optional(),
});

const vulnerability = z.looseObject({
  Id: text(),
  VulnerablePackages: z
    .array(
      z.looseObject({
        Name: text().optional(),
        Version: text().optional(),
        Epoch: text().optional(),
        Release: text().optional(),
        Architecture: text().optional(),
        PackageManager: text().optional(),
        FilePath: text().optional(),
        FixedInVersion: text().optional(),
        Remediation: text().optional(),
        SourceLayerHash: text().optional(),
        SourceLayerArn: text().optional(),
      }),
    )
    .optional(),
  Cvss: z
    .array(
      z.looseObject({
        Version: text().optional(),
        BaseScore: z.number().optional(),
        BaseVector: text().optional(),
        Source: text().optional(),
        Adjustments: z.array(jsonObject()).optional(),
      }),
    )
    .optional(),
  RelatedVulnerabilities: z.array(text()).optional(),
  Vendor: z
    .looseObject({
      Name: text(),
      Url: text().optional(),
      VendorSeverity: text().optional(),
      VendorCreatedAt: timestamp().optional(),
      VendorUpdatedAt: timestamp().optional(),
    })
    .optional(),
  ReferenceUrls: z.array(text()).optional(),
  FixAvailable: z.enum(['YES', 'NO', 'PARTIAL']).optional(),
  EpssScore: z.number().optional(),
  ExploitAvailable: z.enum(['YES', 'NO']).optional(),
  LastKnownExploitAt: timestamp().optional(),
  CodeVulnerabilities: z.array(jsonObject()).optional(),
});

const patchSummary = z.looseObject({
  Id: text(256),
  InstalledCount: z.int().optional(),
  MissingCount: z.int().optional(),
  FailedCount: z.int().optional(),
  InstalledOtherCount: z.int().optional(),
  InstalledRejectedCount: z.int().optional(),
  InstalledPendingReboot: z.int().optional(),
  OperationStartTime: timestamp().optional(),
  OperationEndTime: timestamp().optional(),
  RebootOption: text(256).optional(),
  Operation: text(256).optional(),
});

const action = z.looseObject({
  ActionType: text().optional(),
  NetworkConnectionAction: jsonObject().optional(),
  AwsApiCallAction: jsonObject().optional(),
  DnsRequestAction: jsonObject().optional(),
  PortProbeAction: jsonObject().optional(),
});

const findingProviderFields = z.looseObject({
  Confidence: score().optional(),
  Criticality: score().optional(),
  RelatedFindings: relatedFindings.optional(),
  Severity: z.looseObject({ Label: severityLabel.optional(), Original: text(64).optional() }).optional(),
  Types: findingTypes.optional(),
});

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
