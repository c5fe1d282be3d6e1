/**
 * GetOverview: the console's first page in one read transaction. Every figure comes from a summary kept
 * current by its owner (the findings summary tables, the controls' stored evaluations, managed nodes and
 * their Patch compliance sets); nothing here reads the findings themselves.
 */
import type { Ctx } from '../kernel/index.js';
import {
  combineStandardScores,
  topFailingControlsOf,
  topListLength,
  trendDays,
  type FleetPatchCompliance,
  type Overview,
} from './overview-model.js';
import type { OverviewSources } from './overview-sources.js';

/** Builds the overview of the caller's account (and the members it administers) in the caller's Region. */
export class OverviewService {
  constructor(private readonly sources: OverviewSources) {}

  async overview(ctx: Ctx): Promise<Overview> {
    const { findings, controls } = this.sources;
    const scope = await findings.visibleScope(ctx.tx, ctx.accountId, ctx.region);
    const accountControls = await controls.accountControls(ctx);
    const topResources = await findings.topResources(ctx.tx, scope, topListLength);
    return {
      securityScores: combineStandardScores(accountControls.map((a) => a.standards)),
      activeFindingsBySeverity: await findings.activeBySeverity(ctx.tx, scope),
      activeFindingsTrend: await findings.activeTrend(ctx.tx, scope, ctx.now, trendDays),
      topFailingControls: topFailingControlsOf(
        accountControls.flatMap((a) => a.failedControls),
        (id) => controls.describeControl(id),
        topListLength,
      ),
      fleetPatchCompliance: await this.fleetPatchCompliance(ctx, scope.accountIds),
      topNodesByCriticalFindings: topResources.map((r) => ({
        resourceId: r.resourceId,
        critical: r.critical,
        high: r.high,
      })),
    };
  }

  /** The registered nodes of `accountIds` in the caller's Region by Patch compliance and by connection. */
  private async fleetPatchCompliance(ctx: Ctx, accountIds: readonly string[]): Promise<FleetPatchCompliance> {
    const figures = { compliant: 0, nonCompliant: 0, notScanned: 0, online: 0, connectionLost: 0, total: 0 };
    for (const accountId of accountIds) {
      const scope = { accountId, region: ctx.region };
      const nodes = await this.sources.fleet.nodeCounts(ctx.tx, scope, ctx.now);
      const patch = await this.sources.fleet.patchCounts(ctx.tx, scope);
      figures.total += nodes.registered;
      figures.online += nodes.online;
      figures.connectionLost += nodes.registered - nodes.online;
      figures.compliant += patch.compliant;
      figures.nonCompliant += patch.nonCompliant;
      // A deregistered node's compliance is purged just after its deregistration (an outbox subscriber).
      figures.notScanned += Math.max(0, nodes.registered - patch.compliant - patch.nonCompliant);
    }
    return figures;
  }
}
