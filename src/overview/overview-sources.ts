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

/** The managed nodes of one account and Region: connection and patch compliance. */
export interface OverviewFleetPort {
  /** Each registered (not deregistered) node with whether it is Online at `now`. */
  liveNodes(db: DbExecutor, scope: Scope, now: Date): Promise<{ instanceId: string; online: boolean }[]>;
  /** Each node's Patch compliance status (nodes never scanned have none). */
  patchStatuses(db: DbExecutor, scope: Scope): Promise<Map<string, 'COMPLIANT' | 'NON_COMPLIANT'>>;
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
      async liveNodes(db, scope, now) {
        return (await facades.fleet.listInstances(db, scope, false)).map((instance) => ({
          instanceId: instance.instanceId,
          online: facades.fleet.pingStatus(instance, now) === 'Online',
        }));
      },
      async patchStatuses(db, scope) {
        const sets = await facades.compliance.nodeSets(db, scope, { complianceTypes: ['Patch'] });
        return new Map(sets.map((set) => [set.resourceId, set.status]));
      },
    },
  };
}
