/** Compliance domain: items, sets and their summaries, and the pure rules (status, overall severity, counts). */

export const complianceSeverities = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
  'UNSPECIFIED',
] as const;
/** Severity of a compliance item, highest first. */
export type ComplianceSeverity = (typeof complianceSeverities)[number];

export const complianceStatuses = ['COMPLIANT', 'NON_COMPLIANT'] as const;
/** Status of an item, and of a set (NON_COMPLIANT iff any item is). */
export type ComplianceStatus = (typeof complianceStatuses)[number];

/** The only resource type SSM compliance supports. */
export const managedInstanceResourceType = 'ManagedInstance';

/** How an upload changes the set: COMPLETE replaces it, PARTIAL upserts the given items (Association only). */
export type ComplianceUploadType = 'COMPLETE' | 'PARTIAL';

/** Limits (spec §4.2, §11); the size limits are Bulwark's own (AWS publishes none). */
export const complianceLimits = {
  itemsPerCall: 10_000,
  customTypesPerResource: 10,
  /** Serialized size of one item (Id, Title, Details). */
  itemBytes: 64 * 1024,
  /** Serialized size of all items of one call. */
  totalBytes: 5 * 1024 * 1024,
  /** Executions kept per set (summary rows). */
  executionsKept: 100,
  /** Of those, the most recent ones whose resulting item set is kept too. */
  executionsWithItemsKept: 5,
} as const;

/** What ran and when: the ExecutionSummary of a put. */
export interface ExecutionSummary {
  executionTime: Date;
  executionId: string | undefined;
  executionType: string | undefined;
}

/** One item as uploaded. */
export interface ComplianceItemInput {
  id: string | undefined;
  title: string | undefined;
  severity: ComplianceSeverity;
  status: ComplianceStatus;
  details: Record<string, string>;
}

/** One stored item of a set. */
export interface ComplianceItem {
  resourceType: string;
  resourceId: string;
  complianceType: string;
  id: string | undefined;
  title: string;
  severity: ComplianceSeverity;
  status: ComplianceStatus;
  details: Record<string, string>;
  execution: ExecutionSummary;
}

/** A PutComplianceItems request, from the wire or from another capability. */
export interface PutComplianceRequest {
  resourceType: string;
  resourceId: string;
  complianceType: string;
  executionSummary: ExecutionSummary;
  items: ComplianceItemInput[];
  itemContentHash?: string | undefined;
  uploadType?: ComplianceUploadType | undefined;
}

/** Item counts per severity. */
export type SeverityCounts = Record<ComplianceSeverity, number>;

/** Item counts of a set per status and severity. */
export interface SetCounts {
  COMPLIANT: SeverityCounts;
  NON_COMPLIANT: SeverityCounts;
}

/** One compliance set with its summary (ListResourceComplianceSummaries row). */
export interface ComplianceSet {
  resourceType: string;
  resourceId: string;
  complianceType: string;
  status: ComplianceStatus;
  overallSeverity: ComplianceSeverity;
  itemCount: number;
  counts: SetCounts;
  execution: ExecutionSummary;
  itemContentHash: string | undefined;
  updatedAt: Date;
}

/** What a put did. */
export interface PutComplianceOutcome {
  /** `unchanged`: same ItemContentHash as stored; `stale`: older than the stored execution; `written` otherwise. */
  result: 'written' | 'unchanged' | 'stale';
  /** The set after the put (undefined when it holds no items). */
  set: ComplianceSet | undefined;
}

/** The ComplianceType pattern of the model: `Association`, `Patch`, `Custom:<name>`, or another word. */
export const complianceTypePattern = /^([A-Za-z0-9_-]\w+|Custom:[a-zA-Z0-9_-]\w+)$/;

export const isCustomComplianceType = (complianceType: string): boolean =>
  complianceType.startsWith('Custom:');

/** A higher rank is more severe. */
export function severityRank(severity: ComplianceSeverity): number {
  return complianceSeverities.length - complianceSeverities.indexOf(severity);
}

export function zeroSeverityCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNSPECIFIED: 0 };
}

/** The maintained summary of a set of items: status, overall severity, counts. */
export interface SetSummary {
  status: ComplianceStatus;
  overallSeverity: ComplianceSeverity;
  counts: SetCounts;
  itemCount: number;
}

/**
 * Status NON_COMPLIANT iff any item is; OverallSeverity = the highest severity among non-compliant items, or
 * (spec §4.5 [U]) among all items when the set is compliant.
 */
export function summarizeItems(
  items: readonly Pick<ComplianceItemInput, 'severity' | 'status'>[],
): SetSummary {
  const counts: SetCounts = { COMPLIANT: zeroSeverityCounts(), NON_COMPLIANT: zeroSeverityCounts() };
  let worstNonCompliant: ComplianceSeverity | undefined;
  let worstAny: ComplianceSeverity = 'UNSPECIFIED';
  for (const item of items) {
    counts[item.status][item.severity] += 1;
    if (severityRank(item.severity) > severityRank(worstAny)) worstAny = item.severity;
    if (
      item.status === 'NON_COMPLIANT' &&
      (worstNonCompliant === undefined || severityRank(item.severity) > severityRank(worstNonCompliant))
    ) {
      worstNonCompliant = item.severity;
    }
  }
  return {
    status: worstNonCompliant === undefined ? 'COMPLIANT' : 'NON_COMPLIANT',
    overallSeverity: worstNonCompliant ?? worstAny,
    counts,
    itemCount: items.length,
  };
}

/** Total of a severity count record. */
export function totalOf(counts: SeverityCounts): number {
  return complianceSeverities.reduce((sum, severity) => sum + counts[severity], 0);
}

/** The stored key of an item: its Id, or its position for items without one (never collides with an Id). */
export function itemKeyOf(item: Pick<ComplianceItemInput, 'id'>, index: number): string {
  return item.id === undefined || item.id === '' ? `\u0000${String(index).padStart(6, '0')}` : item.id;
}
