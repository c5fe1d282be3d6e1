/** Patch state per node (§6): read from what agents report (AWS:PatchSummary, Patch compliance rows). Pure. */
import type { SortKey } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { ReportedPatchRow } from './available-patches.js';
import type { PatchScope } from './patching-store.js';

/** A node's latest `AWS:PatchSummary` content row (all values strings, as uploaded). */
export interface PatchSummaryReport {
  instanceId: string;
  attributes: Readonly<Record<string, string>>;
}

/** Which nodes' summaries to read: the listed ones (all of the scope when undefined), by instance id. */
export interface PatchSummaryQuery {
  instanceIds?: readonly string[] | undefined;
  /** Nodes strictly after this `[instanceId]` key. */
  after?: SortKey | undefined;
  /** At most this many (all when undefined). */
  limit?: number | undefined;
}

/** A node's Patch row as a flat string map, with the sort key of its compliance item. */
export interface KeyedPatchRow {
  key: SortKey;
  row: Readonly<Record<string, string>>;
}

/** Where patch state comes from: inventory (summaries) and the Patch compliance set (rows). */
export interface PatchStateSource {
  /** The latest non-empty summaries of the queried nodes, ordered by instance id. */
  patchSummaries(db: DbExecutor, scope: PatchScope, query: PatchSummaryQuery): Promise<PatchSummaryReport[]>;
  /**
   * A page of the node's Patch rows in item order, as flat string maps: `Id`, `Title`, `Status`, `Severity` and
   * the Details keys (`Classification`, `PatchSeverity`, `PatchState`, `InstalledTime`, `CVEIds`, …); undefined
   * when the node is not a registered managed node of the scope.
   */
  patchRows(
    db: DbExecutor,
    scope: PatchScope,
    instanceId: string,
    page: { after: SortKey | undefined; limit: number },
  ): Promise<KeyedPatchRow[] | undefined>;
  /**
   * The distinct non-empty titles of the scope's Patch rows (the available patches' Ids), in order: after
   * `query.from`, or from it when `inclusive`; at most `query.limit`.
   */
  reportedPatchTitles(
    db: DbExecutor,
    scope: PatchScope,
    query: { from: string | undefined; inclusive: boolean; limit: number },
  ): Promise<string[]>;
  /**
   * The Patch rows with the given titles of every registered node of the scope whose product is known, with
   * that product, in node then item order.
   */
  fleetPatchRows(db: DbExecutor, scope: PatchScope, titles: readonly string[]): Promise<ReportedPatchRow[]>;
}

/** The 8 state counters a ForPatchGroup filter may name. */
export const patchStateCounterKeys = [
  'InstalledCount',
  'InstalledOtherCount',
  'InstalledPendingRebootCount',
  'InstalledRejectedCount',
  'MissingCount',
  'FailedCount',
  'UnreportedNotApplicableCount',
  'NotApplicableCount',
] as const;

/** A state counter name. */
export type PatchStateCounterKey = (typeof patchStateCounterKeys)[number];

/** The 3 non-compliance counters. */
export const nonCompliantCounterKeys = [
  'CriticalNonCompliantCount',
  'SecurityNonCompliantCount',
  'OtherNonCompliantCount',
] as const;

/** A node's patch state (DescribeInstancePatchStates). */
export interface InstancePatchState {
  instanceId: string;
  patchGroup: string;
  baselineId: string;
  snapshotId?: string;
  installOverrideList?: string;
  ownerInformation?: string;
  counts: Record<PatchStateCounterKey, number>;
  nonCompliant: Partial<Record<(typeof nonCompliantCounterKeys)[number], number>>;
  operationStartTime: Date;
  operationEndTime: Date;
  operation: 'Scan' | 'Install';
  rebootOption?: 'RebootIfNeeded' | 'NoReboot';
  lastNoRebootInstallOperationTime?: Date;
}

/** Reported times are `YYYY-MM-DDTHH:MM:SSZ` (any Date.parse-able form is accepted); bad or absent → epoch 0. */
export function parseReportedTime(value: string | undefined): Date {
  if (value === undefined || value.trim() === '') return new Date(0);
  const parsed = Date.parse(value);
  return new Date(Number.isNaN(parsed) ? 0 : parsed);
}

function countOf(value: string | undefined, absent: number): number {
  if (value === undefined || value.trim() === '') return absent;
  const parsed = Number.parseInt(value, 10);
  return Number.isNaN(parsed) ? absent : parsed;
}

/** Maps an AWS:PatchSummary row to the API's InstancePatchState (§6.4). */
export function instancePatchStateOf(report: PatchSummaryReport): InstancePatchState {
  const a = report.attributes;
  const counts = Object.fromEntries(
    patchStateCounterKeys.map((key) => [
      key,
      countOf(a[key], key === 'UnreportedNotApplicableCount' ? -1 : 0),
    ]),
  ) as Record<PatchStateCounterKey, number>;
  const nonCompliant: InstancePatchState['nonCompliant'] = {};
  for (const key of nonCompliantCounterKeys) {
    if (a[key] !== undefined && a[key].trim() !== '') nonCompliant[key] = countOf(a[key], 0);
  }
  const state: InstancePatchState = {
    instanceId: report.instanceId,
    patchGroup: a['PatchGroup'] ?? '',
    baselineId: a['BaselineId'] ?? '',
    counts,
    nonCompliant,
    operationStartTime: parseReportedTime(a['OperationStartTime']),
    operationEndTime: parseReportedTime(a['OperationEndTime']),
    operation: (a['OperationType'] ?? a['Operation']) === 'Install' ? 'Install' : 'Scan',
  };
  const optional = (key: string): string | undefined => {
    const value = a[key];
    return value === undefined || value === '' ? undefined : value;
  };
  const snapshotId = optional('SnapshotId');
  if (snapshotId !== undefined) state.snapshotId = snapshotId;
  const installOverrideList = optional('InstallOverrideList');
  if (installOverrideList !== undefined) state.installOverrideList = installOverrideList;
  const ownerInformation = optional('OwnerInformation');
  if (ownerInformation !== undefined) state.ownerInformation = ownerInformation;
  const rebootOption = optional('RebootOption');
  if (rebootOption === 'RebootIfNeeded' || rebootOption === 'NoReboot') state.rebootOption = rebootOption;
  const lastNoReboot = optional('LastNoRebootInstallOperationTime');
  if (lastNoReboot !== undefined) state.lastNoRebootInstallOperationTime = parseReportedTime(lastNoReboot);
  return state;
}

/** A counter filter of DescribeInstancePatchStatesForPatchGroup. */
export interface PatchStateFilter {
  key: PatchStateCounterKey;
  value: number;
  type: 'Equal' | 'NotEqual' | 'LessThan' | 'GreaterThan';
}

/** Whether a node's state passes every filter. */
export function matchesPatchStateFilters(
  state: InstancePatchState,
  filters: readonly PatchStateFilter[],
): boolean {
  return filters.every((filter) => {
    const actual = state.counts[filter.key];
    switch (filter.type) {
      case 'Equal':
        return actual === filter.value;
      case 'NotEqual':
        return actual !== filter.value;
      case 'LessThan':
        return actual < filter.value;
      case 'GreaterThan':
        return actual > filter.value;
    }
  });
}

/** One patch row of DescribeInstancePatches. */
export interface PatchComplianceData {
  title: string;
  kbId: string;
  classification: string;
  severity: string;
  state: string;
  installedTime: Date;
  cveIds?: string;
}

/** The CamelCase patch state of a row (`PatchState`; UPPER_SNAKE values are converted). */
export function patchStateName(value: string): string {
  if (!value.includes('_') && value !== value.toUpperCase()) return value;
  return value
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Maps one Patch compliance row to PatchComplianceData (§6.5): Severity is the vendor severity, not the level. */
export function patchComplianceDataOf(row: Readonly<Record<string, string>>): PatchComplianceData {
  const state = patchStateName(row['PatchState'] ?? row['State'] ?? '');
  const missingOrFailed = state === 'Missing' || state === 'Failed';
  const data: PatchComplianceData = {
    title: row['Title'] ?? '',
    kbId: row['Id'] ?? row['KBId'] ?? '',
    classification: row['Classification'] ?? '',
    severity: row['PatchSeverity'] ?? '',
    state,
    installedTime: missingOrFailed ? new Date(0) : parseReportedTime(row['InstalledTime']),
  };
  const cves = row['CVEIds'];
  if (cves !== undefined && cves !== '') data.cveIds = cves;
  return data;
}

/** DescribeInstancePatches filter keys. */
export type PatchRowFilterKey = 'Classification' | 'KBId' | 'Severity' | 'State';

/** Whether a row passes every filter (values OR'ed, case-insensitive; State accepts INSTALLED_OTHER and InstalledOther). */
export function matchesPatchRowFilters(
  patch: PatchComplianceData,
  filters: readonly { key: PatchRowFilterKey; values: readonly string[] }[],
): boolean {
  return filters.every((filter) => {
    const actual = (() => {
      switch (filter.key) {
        case 'Classification':
          return patch.classification;
        case 'KBId':
          return patch.kbId;
        case 'Severity':
          return patch.severity;
        case 'State':
          return patch.state;
      }
    })().toLowerCase();
    return filter.values.some(
      (value) => (filter.key === 'State' ? patchStateName(value) : value).toLowerCase() === actual,
    );
  });
}

/** The node counts of DescribePatchGroupState. */
export interface PatchGroupState {
  instances: number;
  withInstalled: number;
  withInstalledOther: number;
  withInstalledPendingReboot: number;
  withInstalledRejected: number;
  withMissing: number;
  withFailed: number;
  withNotApplicable: number;
  withUnreportedNotApplicable: number;
  withCriticalNonCompliant: number;
  withSecurityNonCompliant: number;
  withOtherNonCompliant: number;
}

/** Counts the nodes of a group having each kind of patch (a count > 0; -1 = unreported doesn't count). */
export function patchGroupStateOf(states: readonly InstancePatchState[]): PatchGroupState {
  const having = (count: (state: InstancePatchState) => number | undefined): number =>
    states.filter((state) => (count(state) ?? 0) > 0).length;
  return {
    instances: states.length,
    withInstalled: having((s) => s.counts.InstalledCount),
    withInstalledOther: having((s) => s.counts.InstalledOtherCount),
    withInstalledPendingReboot: having((s) => s.counts.InstalledPendingRebootCount),
    withInstalledRejected: having((s) => s.counts.InstalledRejectedCount),
    withMissing: having((s) => s.counts.MissingCount),
    withFailed: having((s) => s.counts.FailedCount),
    withNotApplicable: having((s) => s.counts.NotApplicableCount),
    withUnreportedNotApplicable: having((s) => s.counts.UnreportedNotApplicableCount),
    withCriticalNonCompliant: having((s) => s.nonCompliant.CriticalNonCompliantCount),
    withSecurityNonCompliant: having((s) => s.nonCompliant.SecurityNonCompliantCount),
    withOtherNonCompliant: having((s) => s.nonCompliant.OtherNonCompliantCount),
  };
}
