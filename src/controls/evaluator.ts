/**
 * Runs controls and keeps their findings up to date: one finding per (control, resource), written through the
 * findings service only when what it says changed. NOT_APPLICABLE becomes NOT_AVAILABLE and is archived after
 * three days; a deleted resource's finding and a disabled control's findings are archived at once (§E.1).
 */
import type { Transaction } from 'kysely';
import type { Database, DbExecutor } from '../storage/database.js';
import { controlCatalogue, type ControlDefinition, type ControlScope } from './catalogue.js';
import {
  complianceStatusOf,
  controlFinding,
  controlFindingIdFor,
  controlFindingIdOf,
  controlFindingTargetOf,
  evaluationFingerprint,
  type ControlFindingGenerator,
  type ControlFindingTarget,
} from './control-finding.js';
import { ControlEnablement, effectiveParameters } from './enablement.js';
import { evaluateControl, type EvaluationInput, type ResourceEvaluation } from './evaluate.js';
import type { ControlFactsSource, NodeFacts } from './facts.js';
import { parseStandardsArn, standardsIdOf, standardsWithControl } from './standards.js';
import type { ControlScopeKey, ControlsStore, MissingPatch, StoredEvaluation } from './controls-store.js';

/** Where findings the hub produces itself go (the findings service, in the same transaction). */
export interface ServiceFindingsSink {
  write(
    tx: Transaction<Database>,
    scope: ControlScopeKey,
    now: Date,
    findings: Record<string, unknown>[],
  ): Promise<void>;
  /** Which of the scope's findings (by Id, Security Hub's product) a user has SUPPRESSED. */
  suppressed(
    db: DbExecutor,
    scope: ControlScopeKey,
    productArn: string,
    findingIds: readonly string[],
  ): Promise<Set<string>>;
}

/** Which accounts have Security Hub enabled in which Regions. */
export interface HubDirectory {
  isEnabled(db: DbExecutor, scope: ControlScopeKey): Promise<boolean>;
  /** The hub's control settings (undefined without a hub). */
  settings(
    db: DbExecutor,
    scope: ControlScopeKey,
  ): Promise<{ controlFindingGenerator: ControlFindingGenerator; autoEnableControls: boolean } | undefined>;
  scopes(db: DbExecutor): Promise<ControlScopeKey[]>;
}

/** What to evaluate: everything, some nodes, the documents, or the account. */
export type EvaluationTarget =
  | { kind: 'all' }
  | { kind: 'nodes'; instanceIds: readonly string[] }
  | { kind: 'documents' }
  | { kind: 'account' };

/** Findings written per call of the findings service. */
const writeSliceSize = 500;

/** How long a NOT_AVAILABLE (not applicable) finding stays active before it is archived. */
export const notApplicableArchiveMs = 3 * 86_400_000;

const scopesOf: Record<EvaluationTarget['kind'], readonly ControlScope[]> = {
  all: ['ManagedNode', 'Document', 'Account'],
  nodes: ['ManagedNode'],
  documents: ['Document'],
  account: ['Account'],
};

/** The outcome of one evaluation run. */
export interface EvaluationOutcome {
  evaluated: number;
  written: number;
}

export class ControlEvaluator {
  constructor(
    private readonly store: ControlsStore,
    private readonly facts: ControlFactsSource,
    private readonly sink: ServiceFindingsSink,
    private readonly hubs: HubDirectory,
    private readonly hubVersion: string,
  ) {}

  /** The enablement of a scope (subscriptions and per-standard settings). */
  async enablement(db: DbExecutor, scope: ControlScopeKey): Promise<ControlEnablement> {
    const [subscriptions, settings] = await Promise.all([
      this.store.subscriptions(db, scope),
      this.store.controlSettings(db, scope),
    ]);
    return new ControlEnablement(scope.region, subscriptions, settings);
  }

  async evaluate(
    tx: Transaction<Database>,
    scope: ControlScopeKey,
    now: Date,
    target: EvaluationTarget,
  ): Promise<EvaluationOutcome> {
    const hub = await this.hubs.settings(tx, scope);
    if (hub === undefined) return { evaluated: 0, written: 0 };
    await this.reconcileStandards(tx, scope, hub.autoEnableControls, now);
    const enablement = await this.enablement(tx, scope);
    const generator = hub.controlFindingGenerator;
    const controls = controlCatalogue.filter((control) => scopesOf[target.kind].includes(control.scope));
    // A node run reads its nodes first: their ARNs select the stored evaluations it compares with.
    const targetNodes =
      target.kind === 'nodes' ? await this.facts.nodes(tx, scope, now, target.instanceIds) : undefined;
    const stored = await this.store.evaluations(tx, scope, {
      controlIds: controls.map((c) => c.id),
      ...(targetNodes === undefined ? {} : { resourceIds: targetNodes.map((node) => node.arn) }),
    });
    // A disabled control with no active finding has nothing to do.
    const live = controls.filter(
      (control) =>
        enablement.isEnabled(control.id) ||
        stored.some((e) => e.controlId === control.id && e.recordState === 'ACTIVE'),
    );
    if (live.length === 0) return { evaluated: 0, written: 0 };
    const input = await this.loadInput(tx, scope, now, target, live, targetNodes);
    const parameters = new Map(
      (await this.store.controlParameters(tx, scope)).map((settings) => [settings.controlId, settings]),
    );
    const storedByKey = new Map(stored.map((e) => [`${e.controlId} ${e.resourceId}`, e]));
    let pending: Record<string, unknown>[] = [];
    let saved: StoredEvaluation[] = [];
    let evaluated = 0;
    let written = 0;
    // Written in slices, so a first sweep over a large fleet never holds every new finding at once.
    const flush = async (): Promise<void> => {
      await this.sink.write(tx, scope, now, pending);
      await this.store.saveEvaluations(tx, scope, saved);
      written += pending.length;
      pending = [];
      saved = [];
    };
    for (const control of live) {
      const enabled = enablement.isEnabled(control.id);
      const values = effectiveParameters(control, parameters.get(control.id));
      const results = evaluateControl(control, { ...input, parameters: values });
      const seen = new Set<string>();
      const standardsIds = (
        enabled ? enablement.standardsOf(control.id) : standardsWithControl(control.id)
      ).map(standardsIdOf);
      const consider = (evaluation: ResourceEvaluation): void => {
        seen.add(evaluation.resourceId);
        evaluated += 1;
        const previous = storedByKey.get(`${control.id} ${evaluation.resourceId}`);
        if (previous === undefined && (!enabled || evaluation.gone)) return;
        const status = complianceStatusOf(evaluation);
        const statusChangedAt =
          previous !== undefined && previous.complianceStatus === status ? previous.statusChangedAt : now;
        const archived =
          !enabled ||
          evaluation.gone ||
          (status === 'NOT_AVAILABLE' && now.getTime() - statusChangedAt.getTime() >= notApplicableArchiveMs);
        const fingerprint = evaluationFingerprint(evaluation, standardsIds, archived, generator);
        if (previous?.fingerprint === fingerprint) return;
        const createdAt = previous?.createdAt ?? now;
        // STANDARD_CONTROL: one finding per enabled standard holding the control (none once it is disabled).
        const targets: ControlFindingTarget[] =
          generator === 'SECURITY_CONTROL'
            ? [{ kind: 'security-control' }]
            : enabled
              ? enablement.standardsOf(control.id).map((standard) => ({ kind: 'standard', standard }))
              : [];
        const idOf = (target: ControlFindingTarget): string =>
          controlFindingIdFor(target, scope.region, scope.accountId, control.id, evaluation.resourceId);
        const targetIds = targets.map(idOf);
        const document = (target: ControlFindingTarget, archive: boolean) =>
          controlFinding({
            control,
            evaluation,
            accountId: scope.accountId,
            region: scope.region,
            standardsIds,
            parameters: values,
            createdAt,
            now,
            archived: archive,
            target,
          });
        for (const target of targets) pending.push(document(target, archived));
        // Findings of the other shape, or of standards no longer holding the control, are archived.
        for (const findingId of previous?.findingIds ?? []) {
          if (targetIds.includes(findingId)) continue;
          const target = controlFindingTargetOf(findingId);
          if (target !== undefined && idOf(target) === findingId) pending.push(document(target, true));
        }
        saved.push({
          controlId: control.id,
          resourceId: evaluation.resourceId,
          findingId:
            targetIds[0] ??
            previous?.findingId ??
            controlFindingIdOf(scope.region, scope.accountId, control.id, evaluation.resourceId),
          findingIds: targetIds.length > 0 ? targetIds : (previous?.findingIds ?? []),
          complianceStatus: status,
          recordState: archived || targetIds.length === 0 ? 'ARCHIVED' : 'ACTIVE',
          fingerprint,
          createdAt,
          statusChangedAt,
          evaluatedAt: now,
        });
      };
      for (const evaluation of results) {
        consider(evaluation);
        if (pending.length >= writeSliceSize) await flush();
      }
      // A resource that had a result and has none now: out of scope (NOT_APPLICABLE), or gone altogether.
      for (const previous of stored) {
        if (previous.controlId !== control.id || seen.has(previous.resourceId)) continue;
        if (previous.recordState === 'ARCHIVED') continue;
        consider(this.withoutResult(control, previous.resourceId, scope.region, input.nodes, target));
      }
    }
    await flush();
    return { evaluated, written };
  }

  /**
   * Controls a release added to an enabled standard: enabled (the default) under AutoEnableControls, otherwise
   * recorded DISABLED in that standard, as Security Hub does. A subscription not reconciled yet (made before
   * Bulwark tracked this) takes the standard's controls as they are now.
   */
  private async reconcileStandards(
    tx: Transaction<Database>,
    scope: ControlScopeKey,
    autoEnableControls: boolean,
    now: Date,
  ): Promise<void> {
    for (const subscription of await this.store.subscriptions(tx, scope)) {
      const parsed = parseStandardsArn(subscription.standardsArn);
      if (parsed?.kind !== 'standards') continue;
      const current = parsed.standard.controlIds;
      const known = subscription.knownControlIds;
      const added = known === undefined ? [] : current.filter((id) => !known.includes(id));
      if (known !== undefined && added.length === 0) continue;
      if (!autoEnableControls) {
        for (const controlId of added) {
          await this.store.putControlSetting(tx, scope, {
            standardsArn: subscription.standardsArn,
            controlId,
            status: 'DISABLED',
            disabledReason: 'Added to the standard while AutoEnableControls was off',
            updatedAt: now,
          });
        }
      }
      await this.store.setKnownControls(tx, scope, subscription.standardsArn, current);
    }
  }

  /** The NOT_APPLICABLE result of a resource a control no longer returns a result for. */
  private withoutResult(
    control: ControlDefinition,
    resourceId: string,
    region: string,
    nodes: readonly NodeFacts[],
    target: EvaluationTarget,
  ): ResourceEvaluation {
    const node = nodes.find((n) => n.arn === resourceId);
    const exists =
      control.scope === 'ManagedNode' ? node !== undefined && !node.deregistered : target.kind === 'nodes';
    return {
      resourceId,
      result: 'NOT_APPLICABLE',
      annotation: exists
        ? 'The control no longer applies to the resource.'
        : 'The resource no longer exists.',
      resource: { Type: control.findingResourceType, Id: resourceId, Partition: 'aws', Region: region },
      gone: !exists,
    };
  }

  private async loadInput(
    db: DbExecutor,
    scope: ControlScopeKey,
    now: Date,
    target: EvaluationTarget,
    controls: readonly ControlDefinition[],
    /** The target's nodes when the caller has read them already. */
    targetNodes: NodeFacts[] | undefined,
  ): Promise<Omit<EvaluationInput, 'parameters'>> {
    const needs = (kind: ControlScope) => controls.some((control) => control.scope === kind);
    const instanceIds = target.kind === 'nodes' ? target.instanceIds : undefined;
    const [nodes, patches, documents, account] = await Promise.all([
      needs('ManagedNode')
        ? (targetNodes ?? this.facts.nodes(db, scope, now, instanceIds))
        : Promise.resolve([]),
      needs('ManagedNode') ? this.store.missingPatches(db, scope, instanceIds) : Promise.resolve([]),
      needs('Document') ? this.facts.documents(db, scope) : Promise.resolve([]),
      needs('Account') ? this.facts.account(db, scope) : Promise.resolve(undefined),
    ]);
    const missingPatches = new Map<string, MissingPatch[]>();
    for (const patch of patches) {
      const list = missingPatches.get(patch.instanceId);
      if (list === undefined) missingPatches.set(patch.instanceId, [patch]);
      else list.push(patch);
    }
    return {
      region: scope.region,
      accountId: scope.accountId,
      now,
      hubVersion: this.hubVersion,
      nodes,
      missingPatches,
      documents,
      account,
    };
  }
}
