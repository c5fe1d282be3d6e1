/** AWS:ComplianceItem inventory as the agent's patch run uploads it (spec §4.7), read as a compliance put. */
import { ssmError } from '../protocols/ssm/index.js';
import {
  complianceSeverities,
  complianceStatuses,
  complianceTypePattern,
  managedInstanceResourceType,
  type ComplianceSeverity,
  type ComplianceStatus,
  type PutComplianceRequest,
} from './compliance-model.js';

/** AWS:ComplianceItem inventory as the agent's patch run uploads it (spec §4.7). */
export interface InventoryComplianceUpload {
  resourceId: string;
  /** The item's Context: ComplianceType, ExecutionId, ExecutionType, ExecutionTime. */
  context: Readonly<Record<string, string>>;
  rows: readonly Readonly<Record<string, string>>[];
}

const rowFields = new Set(['Id', 'Title', 'Severity', 'Status']);

/** The COMPLETE put of the Context's compliance type that an AWS:ComplianceItem upload means. */
export function complianceRequestOfInventory(
  upload: InventoryComplianceUpload,
  now: Date,
): PutComplianceRequest {
  const badContext = (message: string) => ssmError('InvalidInventoryItemContextException', message);
  const complianceType = upload.context['ComplianceType'];
  if (complianceType === undefined || !complianceTypePattern.test(complianceType)) {
    throw badContext('Context.ComplianceType is missing or not a valid compliance type.');
  }
  const rawTime = upload.context['ExecutionTime'];
  const executionTime = rawTime === undefined || rawTime === '' ? now : parseExecutionTime(rawTime);
  if (executionTime === undefined)
    throw badContext(`Context.ExecutionTime '${rawTime ?? ''}' is not a time.`);
  const badContent = (message: string) => ssmError('InvalidItemContentException', message);
  const items = upload.rows.map((row, index) => {
    const status = row['Status'];
    const severity = row['Severity'];
    if (!(complianceStatuses as readonly (string | undefined)[]).includes(status)) {
      throw badContent(
        `AWS:ComplianceItem entry ${index + 1}: Status '${status ?? ''}' is not COMPLIANT or NON_COMPLIANT.`,
      );
    }
    if (!(complianceSeverities as readonly (string | undefined)[]).includes(severity)) {
      throw badContent(
        `AWS:ComplianceItem entry ${index + 1}: Severity '${severity ?? ''}' is not a compliance severity.`,
      );
    }
    const details: Record<string, string> = {};
    for (const [name, value] of Object.entries(row)) if (!rowFields.has(name)) details[name] = value;
    return {
      id: row['Id'],
      title: row['Title'],
      status: status as ComplianceStatus,
      severity: severity as ComplianceSeverity,
      details,
    };
  });
  return {
    resourceType: managedInstanceResourceType,
    resourceId: upload.resourceId,
    complianceType,
    executionSummary: {
      executionTime,
      executionId: nonEmpty(upload.context['ExecutionId']),
      executionType: nonEmpty(upload.context['ExecutionType']),
    },
    items,
    uploadType: 'COMPLETE',
  };
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

/** An ExecutionTime as inventory sends it (`YYYY-MM-DDTHH:MM:SSZ`), or epoch seconds. */
function parseExecutionTime(value: string): Date | undefined {
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
