/**
 * What the overview reads of other capabilities (its ports) and how they are answered by their facades: the
 * findings summary, the security score of the standards service, managed nodes and their patch compliance.
 */
import type { Ctx } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { ComplianceFacts } from '../compliance/index.js';
import { findControl, type SecurityScore } from '../controls/index.js';
import type { FindingSummaryFacts } from '../findings/index.js';
import type { FleetFacts } from '../fleet/index.js';

type Scope = { accountId: string; region: string };

/** One account's standard figures and failing controls. */
export interface AccountControls {
  standards: {
    standardsArn: string;
    name: string;
    passedControls: number;
    failedControls: number;
    controlsWithData: number;
  }[];
  failedControls: { controlId: string; failedResources: number }[];
}

/** The controls the overview reads: per visible account, its standards' figures and failing controls. */
export interface OverviewControlsPort {
  accountControls(ctx: Ctx): Promise<AccountControls[]>;
  describeControl(controlId: string): { title: string; severityRating: string };
}

/** The managed nodes of one account and Region: how many, how many Online, and their Patch compliance. */
export interface OverviewFleetPort {
  /** Registered (not deregistered) nodes, and those of them Online at `now`. */
  nodeCounts(db: DbExecutor, scope: Scope, now: Date): Promise<{ registered: number; online: number }>;
  /** Nodes whose Patch compliance summary is COMPLIANT or NON_COMPLIANT (never-scanned nodes have none). */
  patchCounts(db: DbExecutor, scope: Scope): Promise<{ compliant: number; nonCompliant: number }>;
}

/** Every port of the overview. */
export interface OverviewSources {
  findings: FindingSummaryFacts;
  controls: OverviewControlsPort;
  fleet: OverviewFleetPort;
}

/** The ports over the owning capabilities' facades and the standards service's score. */
export function overviewSourcesFrom(facades: {
  findings: FindingSummaryFacts;
  securityScores: (ctx: Ctx) => Promise<SecurityScore[]>;
  fleet: FleetFacts;
  compliance: ComplianceFacts;
}): OverviewSources {
  return {
    findings: facades.findings,
    controls: {
      async accountControls(ctx) {
        return (await facades.securityScores(ctx)).map((score) => ({
          standards: score.standards.map((s) => ({
            standardsArn: s.standardsArn,
            name: s.name,
            passedControls: s.passedControls,
            failedControls: s.failedControls,
            controlsWithData: s.controlsWithData,
          })),
          failedControls: Object.entries(score.failedResources).map(([controlId, failedResources]) => ({
            controlId,
            failedResources,
          })),
        }));
      },
      describeControl(controlId) {
        const control = findControl(controlId);
        return { title: control?.title ?? controlId, severityRating: control?.severity ?? 'MEDIUM' };
      },
    },
    fleet: {
      nodeCounts: (db, scope, now) => facades.fleet.countNodes(db, scope, now),
      patchCounts: (db, scope) => facades.compliance.nodeStatusCounts(db, scope, 'Patch'),
    },
  };
}
