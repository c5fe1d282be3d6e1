/**
 * Findings: the stored ASFF document and the pure rules that change it.
 * ASFF is the domain format itself (an open standard that providers write), so the document keeps its
 * PascalCase field names; wire.ts only adds the request and response envelopes around it.
 */

/** Severity as ASFF carries it. */
export interface Severity {
  Label?: SeverityLabel;
  Normalized?: number;
  Original?: string;
  Product?: number;
}

export type SeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** A reference to another finding. */
export interface FindingIdentifier {
  Id: string;
  ProductArn: string;
}

/** The provider's own copy of the fields that customers may override. */
export interface FindingProviderFields {
  Confidence?: number;
  Criticality?: number;
  RelatedFindings?: FindingIdentifier[];
  Severity?: { Label?: SeverityLabel; Original?: string };
  Types?: string[];
}

/** An ASFF finding document as stored and returned. Fields not named here pass through untouched. */
export interface FindingDocument {
  [field: string]: unknown;
  SchemaVersion: string;
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  CreatedAt: string;
  UpdatedAt: string;
  Title: string;
  Description: string;
  Resources: { Type: string; Id: string; [field: string]: unknown }[];
  Severity?: Severity;
  Types?: string[];
  Confidence?: number;
  Criticality?: number;
  RelatedFindings?: FindingIdentifier[];
  FindingProviderFields?: FindingProviderFields;
  Workflow?: { Status?: WorkflowStatus };
  WorkflowState?: string;
  RecordState?: 'ACTIVE' | 'ARCHIVED';
  Note?: { Text: string; UpdatedBy: string; UpdatedAt: string };
  UserDefinedFields?: Record<string, string>;
  VerificationState?: string;
  Compliance?: { Status?: string; [field: string]: unknown };
  ProductFields?: Record<string, string>;
  ProductName?: string;
  CompanyName?: string;
  Region?: string;
  ProcessedAt?: string;
}

export type WorkflowStatus = 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';

/** The five fields mirrored in FindingProviderFields, each with a bit in `customerUpdated`. */
export const mirroredFields = ['Confidence', 'Criticality', 'RelatedFindings', 'Severity', 'Types'] as const;
export type MirroredField = (typeof mirroredFields)[number];

const mirroredBit: Record<MirroredField, number> = {
  Confidence: 1,
  Criticality: 2,
  RelatedFindings: 4,
  Severity: 8,
  Types: 16,
};

/** A finding as the service holds it: the document plus which mirrored fields a customer has overridden. */
export interface StoredFinding {
  pk: number;
  document: FindingDocument;
  customerUpdated: number;
  /** The row version read with it (optimistic concurrency: a write expects it unchanged). */
  version?: number;
}

/** One field's change, as GetFindingHistory reports it. */
export interface FieldChange {
  UpdatedField: string;
  OldValue?: string;
  NewValue?: string;
}

const severityRanks: Record<SeverityLabel, number> = {
  INFORMATIONAL: 0,
  LOW: 1,
  MEDIUM: 2,
  HIGH: 3,
  CRITICAL: 4,
};

/** The rank used to sort by severity (INFORMATIONAL lowest). */
export function severityRank(label: SeverityLabel): number {
  return severityRanks[label];
}

/** Label from Normalized: 0 INFORMATIONAL, 1–39 LOW, 40–69 MEDIUM, 70–89 HIGH, 90–100 CRITICAL. */
export function labelFromNormalized(normalized: number): SeverityLabel {
  if (normalized === 0) return 'INFORMATIONAL';
  if (normalized < 40) return 'LOW';
  if (normalized < 70) return 'MEDIUM';
  if (normalized < 90) return 'HIGH';
  return 'CRITICAL';
}

const normalizedByLabel: Record<SeverityLabel, number> = {
  INFORMATIONAL: 0,
  LOW: 1,
  MEDIUM: 40,
  HIGH: 70,
  CRITICAL: 90,
};

/** Fills Label from Normalized or Normalized from Label, whichever is missing. */
export function completeSeverity(severity: Severity): Severity {
  if (severity.Label !== undefined && severity.Normalized === undefined) {
    return { ...severity, Normalized: normalizedByLabel[severity.Label] };
  }
  if (severity.Label === undefined && severity.Normalized !== undefined) {
    return { ...severity, Label: labelFromNormalized(severity.Normalized) };
  }
  return severity;
}

const clone = <T>(value: T): T => structuredClone(value);

function providerSeverity(severity: Severity): { Label?: SeverityLabel; Original?: string } {
  const completed = completeSeverity(severity);
  const result: { Label?: SeverityLabel; Original?: string } = {};
  if (completed.Label !== undefined) result.Label = completed.Label;
  if (completed.Original !== undefined) result.Original = completed.Original;
  return result;
}

/** The top-level value a FindingProviderFields value stands for. */
function topLevelFromProvider(field: MirroredField, value: unknown): unknown {
  return field === 'Severity' ? completeSeverity(value as Severity) : clone(value);
}

/** The FindingProviderFields value a top-level value stands for. */
function providerFromTopLevel(field: MirroredField, value: unknown): unknown {
  return field === 'Severity' ? providerSeverity(value as Severity) : clone(value);
}

function setField(target: Record<string, unknown>, field: string, value: unknown): void {
  if (value === undefined) delete target[field];
  else target[field] = value;
}

/** Where the service, not the provider, decides a value. */
export interface ImportContext {
  region: string;
  now: Date;
  /** Whether ProductArn is the account's default (custom integration) product, which may name itself. */
  defaultProduct: boolean;
  productName: string;
  companyName: string;
}

const customerOwnedFields = [
  'Note',
  'UserDefinedFields',
  'VerificationState',
  'Workflow',
  'WorkflowState',
] as const;

function applyServiceFields(document: FindingDocument, context: ImportContext): void {
  document.Region = context.region;
  document.ProcessedAt = context.now.toISOString();
  if (!context.defaultProduct || document.ProductName === undefined)
    document.ProductName = context.productName;
  if (!context.defaultProduct || document.CompanyName === undefined)
    document.CompanyName = context.companyName;
  const productFields: Record<string, string> = {};
  for (const [key, value] of Object.entries(document.ProductFields ?? {})) {
    if (!key.startsWith('aws/')) productFields[key] = value;
  }
  productFields['aws/securityhub/FindingId'] = `${document.ProductArn}/${document.Id}`;
  productFields['aws/securityhub/ProductName'] = document.ProductName;
  productFields['aws/securityhub/CompanyName'] = document.CompanyName;
  document.ProductFields = productFields;
}

/**
 * A new finding: FindingProviderFields and top-level mirrored fields filled from each other, defaults set.
 * `'adopt'` builds it in `incoming` itself, for a caller that owns `incoming` and will not use it again
 * (the import path, whose findings were just parsed from the request): a 2 KB deep copy per finding saved.
 */
export function createFinding(
  incoming: FindingDocument,
  context: ImportContext,
  ownership: 'copy' | 'adopt' = 'copy',
): FindingDocument {
  const document = ownership === 'adopt' ? incoming : clone(incoming);
  const provider: Record<string, unknown> = { ...(document.FindingProviderFields ?? {}) };
  for (const field of mirroredFields) {
    if (provider[field] !== undefined) {
      setField(document, field, topLevelFromProvider(field, provider[field]));
      if (field === 'Severity') provider[field] = providerSeverity(provider[field] as Severity);
    } else if (document[field] !== undefined) {
      provider[field] = providerFromTopLevel(field, document[field]);
      if (field === 'Severity') document.Severity = completeSeverity(document.Severity ?? {});
    }
  }
  document.FindingProviderFields = provider;
  document.Workflow = { Status: document.Workflow?.Status ?? 'NEW' };
  document.WorkflowState ??= 'NEW';
  document.RecordState ??= 'ACTIVE';
  applyServiceFields(document, context);
  return document;
}

const resettableStatuses: readonly (WorkflowStatus | undefined)[] = ['NOTIFIED', 'RESOLVED'];

/** Whether a provider update sends a resolved or notified finding back to NEW (§2.6). */
function reopensWorkflow(before: FindingDocument, after: FindingDocument): boolean {
  if (!resettableStatuses.includes(before.Workflow?.Status)) return false;
  const reactivated = before.RecordState === 'ARCHIVED' && after.RecordState === 'ACTIVE';
  const leftPassed =
    before.Compliance?.Status === 'PASSED' &&
    ['WARNING', 'FAILED', 'NOT_AVAILABLE'].includes(after.Compliance?.Status ?? '');
  return reactivated || leftPassed;
}

/** A provider update of an existing finding (the caller has checked that UpdatedAt is newer). */
export function reimportFinding(
  existing: StoredFinding,
  incoming: FindingDocument,
  context: ImportContext,
): FindingDocument {
  const before = existing.document;
  const document = clone(incoming);
  for (const field of customerOwnedFields) setField(document, field, clone(before[field]));
  const givenProvider: Record<string, unknown> = { ...(incoming.FindingProviderFields ?? {}) };
  const provider: Record<string, unknown> = { ...(before.FindingProviderFields ?? {}) };
  for (const field of mirroredFields) {
    const customerOwned = (existing.customerUpdated & mirroredBit[field]) !== 0;
    const givenFpf = givenProvider[field];
    const givenTop = incoming[field];
    if (givenFpf !== undefined)
      provider[field] = field === 'Severity' ? providerSeverity(givenFpf as Severity) : clone(givenFpf);
    else if (givenTop !== undefined) provider[field] = providerFromTopLevel(field, givenTop);
    let top: unknown = before[field];
    if (!customerOwned) {
      if (givenTop !== undefined) top = topLevelFromProvider(field, givenTop);
      else if (givenFpf !== undefined) top = topLevelFromProvider(field, givenFpf);
    }
    setField(document, field, clone(top));
  }
  document.FindingProviderFields = provider;
  document.RecordState ??= 'ACTIVE';
  if (reopensWorkflow(before, document)) document.Workflow = { Status: 'NEW' };
  applyServiceFields(document, context);
  return document;
}

/** The customer-owned fields BatchUpdateFindings and automation-rule actions may change. */
export interface FindingFieldsUpdate {
  Note?: { Text: string; UpdatedBy: string } | undefined;
  Severity?:
    | { Label?: SeverityLabel | undefined; Normalized?: number | undefined; Product?: number | undefined }
    | undefined;
  VerificationState?: string | undefined;
  Confidence?: number | undefined;
  Criticality?: number | undefined;
  Types?: string[] | undefined;
  UserDefinedFields?: Record<string, string> | undefined;
  Workflow?: { Status?: WorkflowStatus | undefined } | undefined;
  RelatedFindings?: FindingIdentifier[] | undefined;
}

/** Applies a customer update; returns the new document and customer-updated flags. UpdatedAt is untouched. */
export function applyFieldsUpdate(
  existing: StoredFinding,
  update: FindingFieldsUpdate,
  now: Date,
): { document: FindingDocument; customerUpdated: number } {
  const document = clone(existing.document);
  let customerUpdated = existing.customerUpdated;
  if (update.Note !== undefined) {
    document.Note = {
      Text: update.Note.Text,
      UpdatedBy: update.Note.UpdatedBy,
      UpdatedAt: now.toISOString(),
    };
  }
  if (update.Severity !== undefined) {
    const given: Severity = {};
    if (update.Severity.Label !== undefined) given.Label = update.Severity.Label;
    if (update.Severity.Normalized !== undefined) given.Normalized = update.Severity.Normalized;
    if (update.Severity.Product !== undefined) given.Product = update.Severity.Product;
    const merged: Severity = completeSeverity(given);
    if (document.Severity?.Original !== undefined) merged.Original = document.Severity.Original;
    document.Severity = merged;
  }
  if (update.VerificationState !== undefined) document.VerificationState = update.VerificationState;
  if (update.Confidence !== undefined) document.Confidence = update.Confidence;
  if (update.Criticality !== undefined) document.Criticality = update.Criticality;
  if (update.Types !== undefined) document.Types = [...update.Types];
  if (update.UserDefinedFields !== undefined) {
    document.UserDefinedFields = { ...(document.UserDefinedFields ?? {}), ...update.UserDefinedFields };
  }
  if (update.Workflow?.Status !== undefined) document.Workflow = { Status: update.Workflow.Status };
  if (update.RelatedFindings !== undefined) document.RelatedFindings = clone(update.RelatedFindings);
  for (const field of mirroredFields) {
    if (update[field] !== undefined) customerUpdated |= mirroredBit[field];
  }
  return { document, customerUpdated };
}

const historyIgnoredFields = new Set(['ProcessedAt']);

function historyValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The top-level fields that differ between two versions of a finding, for GetFindingHistory. */
export function diffFindings(before: FindingDocument | undefined, after: FindingDocument): FieldChange[] {
  const changes: FieldChange[] = [];
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const field of fields) {
    if (historyIgnoredFields.has(field)) continue;
    const oldValue = historyValue(before?.[field]);
    const newValue = historyValue(after[field]);
    if (oldValue === newValue) continue;
    const change: FieldChange = { UpdatedField: field };
    if (oldValue !== undefined) change.OldValue = oldValue;
    if (newValue !== undefined) change.NewValue = newValue;
    changes.push(change);
  }
  return changes;
}
