/** Documents and associations: the domain types and the pure rules shared by the services. */

export const documentTypes = [
  'Command',
  'Policy',
  'Automation',
  'Session',
  'Package',
  'ApplicationConfiguration',
  'ApplicationConfigurationSchema',
  'DeploymentStrategy',
  'ChangeCalendar',
  'Automation.ChangeTemplate',
  'ProblemAnalysis',
  'ProblemAnalysisTemplate',
  'CloudFormation',
  'ConformancePackTemplate',
  'QuickSetup',
  'ManualApprovalPolicy',
  'AutoApprovalPolicy',
] as const;
export type DocumentType = (typeof documentTypes)[number];
export type DocumentFormat = 'JSON' | 'YAML' | 'TEXT';
export type PlatformType = 'Windows' | 'Linux' | 'MacOS';
export type ParameterType = 'String' | 'StringList' | 'Boolean' | 'Integer' | 'MapList' | 'StringMap';

/** The owner string of the built-in documents. */
export const amazonOwner = 'Amazon';

/** One declared parameter of a document. */
export interface DocumentParameter {
  name: string;
  type: ParameterType;
  description?: string;
  /** As written in the content (string, list, boolean, number, object). */
  defaultValue?: unknown;
  allowedValues?: string[];
  allowedPattern?: string;
}

/** One version of a document, with what was derived from its content. */
export interface DocumentVersion {
  version: number;
  versionName: string | undefined;
  format: DocumentFormat;
  content: string;
  hash: string;
  schemaVersion: string;
  description: string | undefined;
  parameters: DocumentParameter[];
  platformTypes: PlatformType[];
  createdAt: Date;
}

/** A document: its owner (an account id, or `Amazon`), its versions' bookkeeping and metadata. */
export interface SsmDocument {
  owner: string;
  region: string;
  name: string;
  documentType: DocumentType;
  targetType: string | undefined;
  displayName: string | undefined;
  defaultVersion: number;
  latestVersion: number;
  tags: Record<string, string>;
  createdAt: Date;
}

/** A document with the one version a call selected. */
export interface DocumentAtVersion {
  document: SsmDocument;
  version: DocumentVersion;
}

/** A share of a document: an account id or `all` (public). */
export interface DocumentShare {
  accountId: string;
  sharedVersion: string;
}

/** The pseudo-account a public document is shared with (emitted lower-case, accepted in any case). */
export const publicShare = 'all';

/** Whether `name` may be used for a customer document: the AWS name pattern, no reserved prefix. */
export function documentNameProblem(name: string): string | undefined {
  if (!/^[a-zA-Z0-9_\-.]{3,128}$/.test(name)) return 'Document name must match ^[a-zA-Z0-9_\\-.]{3,128}$';
  if (/^(aws|amazon|amzn)/i.test(name)) {
    return `Document name ${name} can't start with a reserved prefix (aws, amazon, amzn).`;
  }
  return undefined;
}

/** An association target (`InstanceIds`, `tag:<key>`, `tag-key`, `resource-groups:…`). */
export interface AssociationTarget {
  key: string;
  values: string[];
}

export const complianceSeverities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNSPECIFIED'] as const;
export type AssociationComplianceSeverity = (typeof complianceSeverities)[number];

/** What one association version says (everything UpdateAssociation can change, plus the document it runs). */
export interface AssociationSpec {
  documentName: string;
  /** The account owning the document, or `Amazon`. */
  documentOwner: string;
  /** As the caller named it (name or ARN), echoed as `Name`. */
  nameAsGiven: string;
  documentVersion: string;
  instanceId?: string;
  targets?: AssociationTarget[];
  parameters?: Record<string, string[]>;
  scheduleExpression?: string;
  scheduleOffset?: number;
  associationName?: string;
  complianceSeverity?: AssociationComplianceSeverity;
  syncCompliance?: 'AUTO' | 'MANUAL';
  maxConcurrency?: string;
  maxErrors?: string;
  applyOnlyAtCronInterval: boolean;
  outputLocation?: unknown;
  calendarNames?: string[];
  targetLocations?: unknown;
  targetMaps?: unknown;
  duration?: number;
  automationTargetParameterName?: string;
}

export const associationStatuses = [
  'Pending',
  'InProgress',
  'Success',
  'Failed',
  'TimedOut',
  'Skipped',
] as const;
/** A per-node execution status as the agent reports it (§8.3). */
export type AssociationRunStatus = (typeof associationStatuses)[number];

/** An association as stored: its current version plus bookkeeping. */
export interface Association {
  associationId: string;
  accountId: string;
  region: string;
  version: number;
  spec: AssociationSpec;
  overviewStatus: OverviewStatus;
  nextRunAt: Date | undefined;
  lastExecutionAt: Date | undefined;
  lastSuccessAt: Date | undefined;
  createdAt: Date;
  updatedAt: Date;
}

export type OverviewStatus = 'Pending' | 'Success' | 'Failed';

/** The association's Overview (§8.3): counts per status and the aggregate. */
export interface AssociationOverview {
  status: OverviewStatus;
  detailedStatus: string;
  counts: Record<string, number>;
}

/** Aggregates per-node statuses: Failed if any failed or timed out, else Pending while any is unfinished, else Success. */
export function aggregateStatus(statuses: readonly string[]): AssociationOverview {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  const status: OverviewStatus =
    statuses.length === 0
      ? 'Pending'
      : statuses.some((s) => s === 'Failed' || s === 'TimedOut')
        ? 'Failed'
        : statuses.some((s) => s !== 'Success' && s !== 'Skipped')
          ? 'Pending'
          : 'Success';
  const detailedStatus =
    statuses.length === 0
      ? 'Creating'
      : status === 'Pending'
        ? counts['InProgress']
          ? 'InProgress'
          : 'Pending'
        : status;
  return { status, detailedStatus, counts };
}

/** The compliance status an association run sets (§8.4); undefined for runs that don't change compliance. */
export function complianceStatusOf(status: AssociationRunStatus): 'COMPLIANT' | 'NON_COMPLIANT' | undefined {
  if (status === 'Success') return 'COMPLIANT';
  if (status === 'Failed' || status === 'TimedOut') return 'NON_COMPLIANT';
  return undefined;
}

/** One node's last reported result for an association. */
export interface AssociationNodeStatus {
  associationId: string;
  instanceId: string;
  associationVersion: number;
  documentVersion: string;
  executionId: string;
  status: AssociationRunStatus;
  detailedStatus: string;
  errorCode: string | undefined;
  executionSummary: string | undefined;
  executedAt: Date;
}

/** One run of an association over its targets. */
export interface AssociationExecution {
  executionId: string;
  associationId: string;
  associationVersion: number;
  status: OverviewStatus;
  detailedStatus: string;
  createdAt: Date;
  lastExecutionAt: Date;
  counts: Record<string, number>;
}

export interface AssociationExecutionTarget {
  executionId: string;
  associationId: string;
  associationVersion: number;
  instanceId: string;
  status: AssociationRunStatus;
  detailedStatus: string;
  executedAt: Date;
}

/** The version number a selector names in `document`: `$DEFAULT`, `$LATEST` or a number; undefined otherwise. */
export function versionNumber(
  document: Pick<SsmDocument, 'defaultVersion' | 'latestVersion'>,
  selector: string,
): number | undefined {
  if (selector === '$DEFAULT') return document.defaultVersion;
  if (selector === '$LATEST') return document.latestVersion;
  return /^[1-9][0-9]*$/.test(selector) ? Number(selector) : undefined;
}

/** An association at one version with its Overview. */
export interface AssociationView {
  association: Association;
  version: number;
  spec: AssociationSpec;
  overview: AssociationOverview;
}

/** One association of ListInstanceAssociations: the document content it runs and the node's run to do, if any. */
export interface InstanceAssociation {
  association: Association;
  documentVersion: string;
  content: string;
  executionId: string | undefined;
}

/** One row of DescribeInstanceAssociationsStatus. */
export interface InstanceAssociationStatus {
  association: Association;
  status: AssociationNodeStatus;
}
