/** GetOverview's wire shapes: its (empty) query and its PascalCase answer. */
import { z } from 'zod';
import type { SeverityCounts } from '../findings/index.js';
import type { Overview } from './overview-model.js';

/** GetOverview takes no parameters: any query parameter is an error rather than silently ignored. */
export const getOverviewSchema = z.object({}).strict();

const severities = (counts: SeverityCounts) => ({
  CRITICAL: counts.CRITICAL,
  HIGH: counts.HIGH,
  MEDIUM: counts.MEDIUM,
  LOW: counts.LOW,
  INFORMATIONAL: counts.INFORMATIONAL,
});

/** The overview as GetOverview answers it. */
export function toWireOverview(overview: Overview): Record<string, unknown> {
  const fleet = overview.fleetPatchCompliance;
  return {
    SecurityScores: overview.securityScores.map((s) => ({
      StandardsArn: s.standardsArn,
      Name: s.name,
      Score: s.score ?? null,
      PassedControls: s.passedControls,
      FailedControls: s.failedControls,
    })),
    ActiveFindingsBySeverity: severities(overview.activeFindingsBySeverity),
    ActiveFindingsTrend: overview.activeFindingsTrend.map((d) => ({ Date: d.day, ...severities(d.counts) })),
    TopFailingControls: overview.topFailingControls.map((c) => ({
      ControlId: c.controlId,
      Title: c.title,
      SeverityRating: c.severityRating,
      FailedResources: c.failedResources,
    })),
    FleetPatchCompliance: {
      Compliant: fleet.compliant,
      NonCompliant: fleet.nonCompliant,
      NotScanned: fleet.notScanned,
      Online: fleet.online,
      ConnectionLost: fleet.connectionLost,
      Total: fleet.total,
    },
    TopNodesByCriticalFindings: overview.topNodesByCriticalFindings.map((r) => ({
      ResourceId: r.resourceId,
      Critical: r.critical,
      High: r.high,
    })),
    // Incidents are not a capability yet; the console shows the panel once they are.
    OpenIncidents: null,
  };
}
