/**
 * The security score (securityhub-api.md §7.5): per standard, passed controls ÷ enabled controls that have data;
 * per account, the same over the distinct enabled controls of all its standards. A control's status comes from its
 * active findings, SUPPRESSED ones ignored: Failed if any FAILED, Passed if all PASSED, Unknown otherwise.
 */
import type { DbExecutor } from '../storage/database.js';
import { securityHubProductArnOf } from './control-finding.js';
import type { ControlEnablement } from './enablement.js';
import type { ServiceFindingsSink } from './evaluator.js';
import { standardCatalogue, standardsArnOf } from './standards.js';
import type { ActiveResult, ControlScopeKey, ControlsStore } from './controls-store.js';

/** A control's overall status. */
export type ControlStatus = 'PASSED' | 'FAILED' | 'UNKNOWN' | 'NO_DATA';

/** Passed of enabled-with-data, and the percentage (undefined when no control has data). */
export interface ScoreFigures {
  passedControls: number;
  failedControls: number;
  controlsWithData: number;
  enabledControls: number;
  score: number | undefined;
}

/** The score of one account in one Region. */
export interface SecurityScore extends ScoreFigures {
  accountId: string;
  region: string;
  standards: (ScoreFigures & { standardsArn: string; name: string })[];
  controls: Record<string, ControlStatus>;
  /** Per FAILED control, how many resources its ACTIVE, not suppressed findings fail. */
  failedResources: Record<string, number>;
}

/** The overall status of a control from its findings' compliance statuses. */
export function controlStatusOf(statuses: readonly string[]): ControlStatus {
  if (statuses.length === 0) return 'NO_DATA';
  if (statuses.includes('FAILED')) return 'FAILED';
  if (statuses.every((status) => status === 'PASSED')) return 'PASSED';
  return 'UNKNOWN';
}

function figures(controlIds: readonly string[], statuses: ReadonlyMap<string, ControlStatus>): ScoreFigures {
  const withData = controlIds.filter((id) => (statuses.get(id) ?? 'NO_DATA') !== 'NO_DATA');
  const passed = withData.filter((id) => statuses.get(id) === 'PASSED');
  return {
    passedControls: passed.length,
    failedControls: withData.filter((id) => statuses.get(id) === 'FAILED').length,
    controlsWithData: withData.length,
    enabledControls: controlIds.length,
    score: withData.length === 0 ? undefined : Math.round((passed.length / withData.length) * 100),
  };
}

/** Computes the score of a scope from its stored evaluations. */
export async function securityScoreOf(
  db: DbExecutor,
  scope: ControlScopeKey,
  enablement: ControlEnablement,
  store: ControlsStore,
  findings: ServiceFindingsSink,
): Promise<SecurityScore> {
  const enabled = enablement.enabledControls().map((control) => control.id);
  const active = await store.activeResults(db, scope, enabled);
  const suppressed = await findings.suppressed(
    db,
    scope,
    securityHubProductArnOf(scope.region),
    active.map((evaluation) => evaluation.findingId),
  );
  const byControl = new Map<string, ActiveResult[]>();
  for (const evaluation of active) {
    if (suppressed.has(evaluation.findingId)) continue;
    const list = byControl.get(evaluation.controlId);
    if (list === undefined) byControl.set(evaluation.controlId, [evaluation]);
    else list.push(evaluation);
  }
  const statuses = new Map(
    enabled.map((id) => [id, controlStatusOf((byControl.get(id) ?? []).map((e) => e.complianceStatus))]),
  );
  const subscribed = new Set(enablement.subscriptions.map((s) => s.standardsArn));
  const standards = standardCatalogue
    .filter((standard) => subscribed.has(standardsArnOf(scope.region, standard)))
    .map((standard) => ({
      standardsArn: standardsArnOf(scope.region, standard),
      name: standard.name,
      ...figures(
        standard.controlIds.filter((id) => enablement.standardsOf(id).includes(standard)),
        statuses,
      ),
    }));
  return {
    accountId: scope.accountId,
    region: scope.region,
    ...figures(enabled, statuses),
    standards,
    controls: Object.fromEntries(statuses),
    failedResources: Object.fromEntries(
      [...byControl.entries()]
        .filter(([id]) => statuses.get(id) === 'FAILED')
        .map(([id, evaluations]) => [
          id,
          new Set(evaluations.filter((e) => e.complianceStatus === 'FAILED').map((e) => e.resourceId)).size,
        ]),
    ),
  };
}
