/** The overview's domain: the figures of the console's first page, for one caller in one Region. */
import type { SeverityCounts } from '../findings/index.js';

/** One standard's score over the accounts the caller sees. */
export interface StandardScore {
  standardsArn: string;
  name: string;
  /** Passed ÷ controls with data, in percent; undefined when no control has data. */
  score: number | undefined;
  passedControls: number;
  failedControls: number;
}

/** A control failing on some resources. */
export interface FailingControl {
  controlId: string;
  title: string;
  severityRating: string;
  failedResources: number;
}

/** Managed nodes by patch compliance and by connection. */
export interface FleetPatchCompliance {
  compliant: number;
  nonCompliant: number;
  notScanned: number;
  online: number;
  connectionLost: number;
  total: number;
}

/** A resource with its ACTIVE CRITICAL and HIGH findings. */
export interface ResourceFindingCounts {
  resourceId: string;
  critical: number;
  high: number;
}

/** Everything the overview shows. */
export interface Overview {
  securityScores: StandardScore[];
  activeFindingsBySeverity: SeverityCounts;
  activeFindingsTrend: { day: string; counts: SeverityCounts }[];
  topFailingControls: FailingControl[];
  fleetPatchCompliance: FleetPatchCompliance;
  topNodesByCriticalFindings: ResourceFindingCounts[];
}

/** Days the trend covers, today included. */
export const trendDays = 30;
/** How many controls and resources the top lists hold. */
export const topListLength = 5;

/** Sums per-account standard figures into one score per standard, in first-seen order. */
export function combineStandardScores(
  perAccount: readonly (readonly {
    standardsArn: string;
    name: string;
    passedControls: number;
    failedControls: number;
    controlsWithData: number;
  }[])[],
): StandardScore[] {
  const byArn = new Map<string, { name: string; passed: number; failed: number; withData: number }>();
  for (const standards of perAccount) {
    for (const s of standards) {
      const sum = byArn.get(s.standardsArn) ?? { name: s.name, passed: 0, failed: 0, withData: 0 };
      sum.passed += s.passedControls;
      sum.failed += s.failedControls;
      sum.withData += s.controlsWithData;
      byArn.set(s.standardsArn, sum);
    }
  }
  return [...byArn.entries()].map(([standardsArn, sum]) => ({
    standardsArn,
    name: sum.name,
    score: sum.withData === 0 ? undefined : Math.round((sum.passed / sum.withData) * 100),
    passedControls: sum.passed,
    failedControls: sum.failed,
  }));
}

/** The `limit` controls failing on the most resources (summed over accounts), ties by control id. */
export function topFailingControlsOf(
  failed: readonly { controlId: string; failedResources: number }[],
  describe: (controlId: string) => { title: string; severityRating: string },
  limit: number,
): FailingControl[] {
  const sums = new Map<string, number>();
  for (const f of failed) sums.set(f.controlId, (sums.get(f.controlId) ?? 0) + f.failedResources);
  return [...sums.entries()]
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, limit)
    .map(([controlId, failedResources]) => ({ controlId, ...describe(controlId), failedResources }));
}
