/**
 * The patch report as AWS's payload uploads it (§6, §7.5): `AWS:PatchSummary` with the counters and
 * `AWS:ComplianceItem` (ComplianceType Patch) rows, sent in one PutInventory.
 */
import { createHash } from 'node:crypto';
import { complianceLevels, type ComplianceLevel } from '../../patching/index.js';
import { isoSeconds } from './dpkg-status.js';
import { isNonCompliantState, type PatchRow, type PatchScan, type PatchState } from './patch-scan.js';

/** The counters of §6.3. */
export interface PatchCounts {
  InstalledCount: number;
  InstalledOtherCount: number;
  InstalledPendingRebootCount: number;
  InstalledRejectedCount: number;
  MissingCount: number;
  FailedCount: number;
  NotApplicableCount: number;
  CriticalNonCompliantCount: number;
  SecurityNonCompliantCount: number;
  OtherNonCompliantCount: number;
}

/** What one run reports. */
export interface PatchSummary extends PatchCounts {
  BaselineId: string;
  PatchGroup: string;
  SnapshotId: string;
  OperationType: 'Scan' | 'Install';
  OperationStartTime: string;
  OperationEndTime: string;
  RebootOption: 'RebootIfNeeded' | 'NoReboot';
  InstallOverrideList?: string;
  LastNoRebootInstallOperationTime?: string;
  /** Highest severity among non-compliant rows, floored at INFORMATIONAL; absent when compliant. */
  NonCompliantSeverity?: ComplianceLevel;
}

const stateCounter: Record<Exclude<PatchState, 'NotApplicable'>, keyof PatchCounts> = {
  Installed: 'InstalledCount',
  InstalledOther: 'InstalledOtherCount',
  InstalledPendingReboot: 'InstalledPendingRebootCount',
  InstalledRejected: 'InstalledRejectedCount',
  Missing: 'MissingCount',
  Failed: 'FailedCount',
};

/** Counts the rows per state and the non-compliant rows by severity and classification (§6.3). */
export function countPatchStates(scan: PatchScan): PatchCounts {
  const counts: PatchCounts = {
    InstalledCount: 0,
    InstalledOtherCount: 0,
    InstalledPendingRebootCount: 0,
    InstalledRejectedCount: 0,
    MissingCount: 0,
    FailedCount: 0,
    NotApplicableCount: scan.notApplicableCount,
    CriticalNonCompliantCount: 0,
    SecurityNonCompliantCount: 0,
    OtherNonCompliantCount: 0,
  };
  for (const row of scan.rows) {
    if (row.state === 'NotApplicable') {
      counts.NotApplicableCount += 1;
      continue;
    }
    counts[stateCounter[row.state]] += 1;
    if (!isNonCompliantState(row.state)) continue;
    const critical = row.complianceLevel === 'CRITICAL';
    const security = row.classification.toLowerCase() === 'security';
    if (critical) counts.CriticalNonCompliantCount += 1;
    if (security) counts.SecurityNonCompliantCount += 1;
    if (!critical && !security) counts.OtherNonCompliantCount += 1;
  }
  return counts;
}

/** The highest compliance level among non-compliant rows, floored at INFORMATIONAL; undefined when compliant. */
export function nonCompliantSeverityOf(rows: readonly PatchRow[]): ComplianceLevel | undefined {
  let best: number | undefined;
  for (const row of rows) {
    if (!isNonCompliantState(row.state)) continue;
    const index = Math.min(
      complianceLevels.indexOf(row.complianceLevel),
      complianceLevels.indexOf('INFORMATIONAL'),
    );
    best = best === undefined ? index : Math.min(best, index);
  }
  return best === undefined ? undefined : complianceLevels[best];
}

/** The compliance rows of `AWS:ComplianceItem` (NotApplicable rows are counted, not uploaded). */
export function complianceRowsOf(
  scan: PatchScan,
  context: { baselineId: string; patchGroup: string; installOverrideList?: string },
): Record<string, string>[] {
  return scan.rows
    .filter((row) => row.state !== 'NotApplicable')
    .map((row) => {
      const missing = row.state === 'Missing' || row.state === 'Failed';
      return {
        Id: row.id,
        Title: row.title,
        Severity: row.complianceLevel,
        Status: isNonCompliantState(row.state) ? 'NON_COMPLIANT' : 'COMPLIANT',
        PatchBaselineId: context.baselineId,
        PatchState: row.state,
        PatchGroup: context.patchGroup,
        DocumentName: '',
        DocumentVersion: '',
        InstalledTime: missing ? '' : row.installedTime,
        Classification: row.classification,
        PatchSeverity: row.patchSeverity,
        ...(missing && row.cveIds.length > 0 ? { CVEIds: row.cveIds.join(',') } : {}),
        ...(context.installOverrideList === undefined || context.installOverrideList === ''
          ? {}
          : { InstallOverrideList: context.installOverrideList }),
      };
    });
}

/** The summary row of `AWS:PatchSummary`: every value a string. */
export function summaryRowOf(summary: PatchSummary): Record<string, string> {
  const row: Record<string, string> = {};
  for (const [key, value] of Object.entries(summary)) {
    if (value === undefined || value === '') continue;
    row[key] = String(value);
  }
  row['PatchGroup'] = summary.PatchGroup; // may be empty, but is always present
  return row;
}

/** What one patch run reports: AWS:PatchSummary and AWS:ComplianceItem in one PutInventory. */
export interface PatchInventoryRequest extends Record<string, unknown> {
  InstanceId: string;
  Items: Record<string, unknown>[];
}

/** The PutInventory request body of one patch run. */
export function patchInventoryRequest(
  instanceId: string,
  summary: PatchSummary,
  scan: PatchScan,
): PatchInventoryRequest {
  const rows = complianceRowsOf(scan, {
    baselineId: summary.BaselineId,
    patchGroup: summary.PatchGroup,
    ...(summary.InstallOverrideList === undefined
      ? {}
      : { installOverrideList: summary.InstallOverrideList }),
  });
  const summaryRows = [summaryRowOf(summary)];
  const hash = (content: unknown): string =>
    createHash('sha256').update(JSON.stringify(content)).digest('hex');
  return {
    InstanceId: instanceId,
    Items: [
      {
        TypeName: 'AWS:PatchSummary',
        SchemaVersion: '1.0',
        CaptureTime: summary.OperationEndTime,
        ContentHash: hash(summaryRows),
        Content: summaryRows,
      },
      {
        TypeName: 'AWS:ComplianceItem',
        SchemaVersion: '1.0',
        CaptureTime: summary.OperationEndTime,
        ContentHash: hash(rows),
        Context: {
          ComplianceType: 'Patch',
          ExecutionId: summary.SnapshotId,
          ExecutionType: 'Command',
          ExecutionTime: summary.OperationStartTime,
        },
        Content: rows,
      },
    ],
  };
}

/** Builds the summary of a run from its scan. */
export function patchSummaryOf(
  scan: PatchScan,
  run: Omit<PatchSummary, keyof PatchCounts | 'NonCompliantSeverity' | 'OperationEndTime'> & { end: Date },
): PatchSummary {
  const { end, ...rest } = run;
  const severity = nonCompliantSeverityOf(scan.rows);
  return {
    ...rest,
    OperationEndTime: isoSeconds(end),
    ...countPatchStates(scan),
    ...(severity === undefined ? {} : { NonCompliantSeverity: severity }),
  };
}
