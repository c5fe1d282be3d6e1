/**
 * The findings summary's rules: which findings count as ACTIVE and what one finding adds to the counts. A change
 * of a finding is the summary of its new state minus that of its old one, so every write path that goes
 * through the findings store (imports, updates, automation rules, control and patch findings) and retention's
 * delete keeps the counts exact in the changing transaction.
 */

/** The severity labels the summary counts, most severe first. */
export const summarySeverities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export type SummarySeverity = (typeof summarySeverities)[number];

/** ACTIVE as the overview counts it: RecordState ACTIVE and Workflow.Status NEW or NOTIFIED (not RESOLVED/SUPPRESSED). */
export function countsAsActive(recordState: string, workflowStatus: string): boolean {
  return recordState === 'ACTIVE' && (workflowStatus === 'NEW' || workflowStatus === 'NOTIFIED');
}

/** What the summary reads of one stored finding version. */
export interface SummaryState {
  accountId: string;
  region: string;
  severityLabel: string;
  workflowStatus: string;
  recordState: string;
  /** The distinct Resources[].Id of the finding (only read where it counts: ACTIVE CRITICAL or HIGH). */
  resourceIds: readonly string[];
}

/** Whether the finding adds to the per-resource counts (ACTIVE, CRITICAL or HIGH). */
export function countsPerResource(state: Omit<SummaryState, 'resourceIds'>): boolean {
  return (
    countsAsActive(state.recordState, state.workflowStatus) &&
    (state.severityLabel === 'CRITICAL' || state.severityLabel === 'HIGH')
  );
}

/** A change to the summary counts. */
export interface CountChange {
  accountId: string;
  region: string;
  severityLabel: string;
  delta: number;
}

/** A change to one resource's counts. */
export interface ResourceCountChange {
  accountId: string;
  region: string;
  resourceId: string;
  critical: number;
  high: number;
}

const key = (...parts: string[]): string => parts.join('\u0000');

/** The net change of a set of finding changes, zero entries left out, in key order (a fixed lock order). */
export class SummaryDelta {
  private readonly counts = new Map<string, CountChange>();
  private readonly resources = new Map<string, ResourceCountChange>();

  /** Adds (`sign` 1) or takes away (`sign` -1) what `state` counts. */
  add(state: SummaryState, sign: 1 | -1): void {
    if (!countsAsActive(state.recordState, state.workflowStatus)) return;
    const countKey = key(state.accountId, state.region, state.severityLabel);
    const count = this.counts.get(countKey);
    if (count === undefined) {
      this.counts.set(countKey, {
        accountId: state.accountId,
        region: state.region,
        severityLabel: state.severityLabel,
        delta: sign,
      });
    } else count.delta += sign;
    if (!countsPerResource(state)) return;
    const critical = state.severityLabel === 'CRITICAL' ? sign : 0;
    const high = state.severityLabel === 'HIGH' ? sign : 0;
    for (const resourceId of new Set(state.resourceIds)) {
      const resourceKey = key(state.accountId, state.region, resourceId);
      const change = this.resources.get(resourceKey);
      if (change === undefined) {
        this.resources.set(resourceKey, {
          accountId: state.accountId,
          region: state.region,
          resourceId,
          critical,
          high,
        });
      } else {
        change.critical += critical;
        change.high += high;
      }
    }
  }

  /** The count changes that are not zero, in (account, Region, severity) order. */
  countChanges(): CountChange[] {
    return sortedValues(this.counts).filter((change) => change.delta !== 0);
  }

  /** The resource changes that are not zero, in (account, Region, resource) order. */
  resourceChanges(): ResourceCountChange[] {
    return sortedValues(this.resources).filter((change) => change.critical !== 0 || change.high !== 0);
  }
}

function sortedValues<T>(map: ReadonlyMap<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

/** The UTC day (YYYY-MM-DD) a change at `at` belongs to. */
export function summaryDayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Per-severity totals of one day. */
export type SeverityCounts = Record<SummarySeverity, number>;

/** Zero of every severity. */
export function noSeverityCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0 };
}

/**
 * The `days` days ending with `today` (oldest first), each with the totals of the last row on or before it:
 * a day without a row carries the previous day's totals forward (counts change only when findings do).
 * `rows` are one scope's rows in day order; `before` the last row before the first day, if any.
 */
export function carryForward(
  rows: readonly { day: string; counts: SeverityCounts }[],
  before: SeverityCounts | undefined,
  today: string,
  days: number,
): { day: string; counts: SeverityCounts }[] {
  const result: { day: string; counts: SeverityCounts }[] = [];
  let current = before ?? noSeverityCounts();
  let next = 0;
  const end = Date.parse(`${today}T00:00:00Z`);
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    while (next < rows.length && (rows[next]?.day ?? '') <= day) {
      current = rows[next]?.counts ?? current;
      next++;
    }
    result.push({ day, counts: current });
  }
  return result;
}
