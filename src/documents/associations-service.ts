/** State Manager associations (ssm-api.md §8): versions, schedules, per-node status, aggregation and compliance. */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { ApiError, accessDenied } from '../kernel/index.js';
import { instanceIdOfActor } from '../fleet/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/index.js';
import { appendEvent } from '../worker/index.js';
import type { AssociationsStore } from './associations-store.js';
import { targetsInstance } from './association-targets.js';
import { nextScheduledRun, type AssociationRuns } from './association-runs.js';

export { targetsInstance };
import { checkParameters } from './document-content.js';
import { parseDocumentReference, type DocumentsService } from './documents-service.js';
import {
  aggregateStatus,
  complianceStatusOf,
  type Association,
  type AssociationComplianceSeverity,
  type AssociationExecution,
  type AssociationExecutionTarget,
  type AssociationNodeStatus,
  type AssociationOverview,
  type AssociationRunStatus,
  type AssociationSpec,
  type AssociationTarget,
  type DocumentVersion,
} from './model.js';
import {
  ScheduleExpressionError,
  parseAssociationSchedule,
  type ScheduleExpression,
} from '../protocols/ssm/index.js';

/** Active associations per account and Region, and versions per association (§11). */
export const maxAssociations = 2000;
export const maxAssociationVersions = 1000;

/** One item of a node's `Association` compliance set, as the compliance capability's PutComplianceItems takes it. */
export interface ComplianceItemWrite {
  id: string | undefined;
  title: string | undefined;
  severity: AssociationComplianceSeverity;
  status: 'COMPLIANT' | 'NON_COMPLIANT';
  details: Record<string, string>;
}

/** The slice of the compliance capability associations write through (its internal putComplianceItems). */
export interface ComplianceWriter {
  putComplianceItems(
    ctx: Ctx,
    request: {
      resourceType: string;
      resourceId: string;
      complianceType: string;
      executionSummary: {
        executionTime: Date;
        executionId: string | undefined;
        executionType: string | undefined;
      };
      items: ComplianceItemWrite[];
      uploadType?: 'COMPLETE' | 'PARTIAL' | undefined;
    },
  ): Promise<unknown>;
}

/** What associations need to know of managed nodes: their tags, or undefined for a node the account doesn't have. */
export interface InstanceDirectory {
  tagsOf(ctx: Ctx, instanceId: string): Promise<Record<string, string> | undefined>;
}

/** What CreateAssociation / UpdateAssociation may set (wire members, in domain form). */
export interface AssociationInput {
  name?: string | undefined;
  documentVersion?: string | undefined;
  instanceId?: string | undefined;
  targets?: AssociationTarget[] | undefined;
  parameters?: Record<string, string[]> | undefined;
  scheduleExpression?: string | undefined;
  scheduleOffset?: number | undefined;
  associationName?: string | undefined;
  complianceSeverity?: AssociationComplianceSeverity | undefined;
  syncCompliance?: 'AUTO' | 'MANUAL' | undefined;
  maxConcurrency?: string | undefined;
  maxErrors?: string | undefined;
  applyOnlyAtCronInterval?: boolean | undefined;
  outputLocation?: unknown;
  calendarNames?: string[] | undefined;
  targetLocations?: unknown;
  targetMaps?: unknown;
  duration?: number | undefined;
  automationTargetParameterName?: string | undefined;
}

/** An association at one version with its Overview. */
export interface AssociationView {
  association: Association;
  version: number;
  spec: AssociationSpec;
  overview: AssociationOverview;
}

/** What an agent (or a test) reports about one run on one node. */
export interface AssociationResultDetail {
  executionId?: string | undefined;
  detailedStatus?: string | undefined;
  errorCode?: string | undefined;
  executionSummary?: string | undefined;
  executedAt?: Date | undefined;
}

/** One association of ListInstanceAssociations: the document content it runs and the node's run to do, if any. */
export interface InstanceAssociation {
  association: Association;
  documentVersion: string;
  content: string;
  executionId: string | undefined;
}

/** One row of DescribeInstanceAssociationsStatus. */
export interface InstanceAssociationStatus {
  association: Association;
  status: AssociationNodeStatus;
}

export interface AssociationFilter {
  key: string;
  value: string;
}

const doesNotExist = (): Error => ssmError('AssociationDoesNotExist', 'The association does not exist.');
const finalStatuses: readonly AssociationRunStatus[] = ['Success', 'Failed', 'TimedOut', 'Skipped'];

const targetKeyPattern =
  /^(InstanceIds|tag:.{1,128}|tag-key|resource-groups:Name|resource-groups:ResourceTypeFilters|ParameterValues)$/;
const instanceIdPattern = /^(\*|mi-\w{17}|i-(\w{8}|\w{17}))$/;
const associationIdPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export class AssociationsService {
  constructor(
    private readonly store: AssociationsStore,
    private readonly documents: DocumentsService,
    private readonly compliance: ComplianceWriter,
    private readonly instances: InstanceDirectory | undefined,
    private readonly runs: AssociationRuns,
  ) {}

  /** Tells DocumentsService whether a document still has associations. */
  usesDocument = (db: DbExecutor, key: { owner: string; region: string; name: string }): Promise<boolean> =>
    this.store.usesDocument(db, key.owner, key.region, key.name);

  async create(ctx: Ctx, input: AssociationInput & { name: string }): Promise<AssociationView> {
    if ((await this.store.count(ctx.tx, ctx.accountId, ctx.region)) >= maxAssociations) {
      throw ssmError(
        'AssociationLimitExceeded',
        `An account can have at most ${maxAssociations} associations.`,
      );
    }
    const spec = await this.buildSpec(ctx, input, undefined);
    if (spec.instanceId !== undefined) {
      const existing = await this.store.findLegacy(
        ctx.tx,
        ctx,
        spec.documentOwner,
        spec.documentName,
        spec.instanceId,
      );
      if (existing !== undefined) {
        throw ssmError(
          'AssociationAlreadyExists',
          `An association of ${spec.nameAsGiven} with ${spec.instanceId} already exists.`,
        );
      }
    }
    const association: Association = {
      associationId: randomUUID(),
      accountId: ctx.accountId,
      region: ctx.region,
      version: 1,
      spec,
      overviewStatus: 'Pending',
      nextRunAt: this.firstRun(spec, ctx.now),
      lastExecutionAt: undefined,
      lastSuccessAt: undefined,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    await this.store.insert(ctx.tx, association);
    return { association, version: 1, spec, overview: aggregateStatus([]) };
  }

  /** Validates `input` over `base` (UpdateAssociation) into a complete spec. */
  private async buildSpec(
    ctx: Ctx,
    input: AssociationInput,
    base: AssociationSpec | undefined,
  ): Promise<AssociationSpec> {
    const pick = <K extends keyof AssociationInput>(
      key: K,
      baseValue: AssociationInput[K],
    ): AssociationInput[K] => (input[key] === undefined ? baseValue : input[key]);
    const nameAsGiven = input.name ?? base?.nameAsGiven ?? '';
    const documentVersion =
      input.documentVersion ??
      (input.name !== undefined && base !== undefined ? '$DEFAULT' : base?.documentVersion) ??
      '$DEFAULT';
    const { document, version } = await this.documents.resolve(ctx, nameAsGiven, { documentVersion });
    if (!['Command', 'Policy', 'Automation'].includes(document.documentType)) {
      throw ssmError(
        'InvalidDocument',
        `Document ${nameAsGiven} of type ${document.documentType} can't be associated.`,
      );
    }
    const key = parseDocumentReference(nameAsGiven, ctx);
    const instanceId = base?.instanceId ?? input.instanceId;
    const targets = pick('targets', base?.targets);
    if (
      instanceId === undefined &&
      (targets === undefined || targets.length === 0) &&
      input.targetMaps === undefined
    ) {
      throw ssmError('InvalidTarget', 'Specify Targets (or the legacy InstanceId) for the association.');
    }
    if (instanceId !== undefined) {
      if (input.targets !== undefined)
        throw ssmError('InvalidTarget', "InstanceId and Targets can't be used together.");
      if (!instanceIdPattern.test(instanceId) || instanceId === '*')
        throw ssmError('InvalidInstanceId', `Invalid instance id ${instanceId}.`);
      // The legacy form names one instance: it must be the caller's (another account's does not exist for it).
      if (base === undefined && this.instances !== undefined) {
        if ((await this.instances.tagsOf(ctx, instanceId)) === undefined)
          throw ssmError('InvalidInstanceId', `Instance ${instanceId} is not a registered managed instance.`);
      }
      const notWithInstanceId = (
        ['associationName', 'maxErrors', 'maxConcurrency', 'outputLocation', 'scheduleExpression'] as const
      ).filter((k) => input[k] !== undefined);
      if (base === undefined && input.documentVersion !== undefined)
        notWithInstanceId.unshift('documentVersion' as never);
      if (notWithInstanceId.length > 0) {
        throw ssmError(
          'ValidationException',
          `InstanceId can't be used with ${notWithInstanceId.join(', ')}; use Targets instead.`,
        );
      }
    }
    if (targets !== undefined && input.targetMaps !== undefined) {
      throw ssmError('ValidationException', "Targets and TargetMaps can't be used together.");
    }
    for (const target of targets ?? []) {
      if (!targetKeyPattern.test(target.key))
        throw ssmError('InvalidTarget', `Target key ${target.key} is not supported.`);
      if (target.key !== 'tag-key' && target.values.length === 0)
        throw ssmError('InvalidTarget', `Target ${target.key} needs values.`);
      if (target.key === 'InstanceIds') {
        const bad = target.values.find((v) => !instanceIdPattern.test(v));
        if (bad !== undefined)
          throw ssmError('InvalidTarget', `Target InstanceIds value ${bad} is not a managed node id or *.`);
      }
    }
    const parameters = pick(
      'parameters',
      input.name !== undefined && base !== undefined && input.name !== base.nameAsGiven
        ? undefined
        : base?.parameters,
    );
    const problem = checkParameters(version.parameters, parameters ?? {});
    if (problem !== undefined) throw ssmError('InvalidParameters', problem);
    const scheduleExpression = pick('scheduleExpression', base?.scheduleExpression);
    const applyOnlyAtCronInterval = input.applyOnlyAtCronInterval ?? base?.applyOnlyAtCronInterval ?? false;
    const scheduleOffset = pick('scheduleOffset', base?.scheduleOffset);
    const schedule =
      scheduleExpression === undefined ? undefined : this.parseSchedule(scheduleExpression, ctx.now);
    if (applyOnlyAtCronInterval && schedule?.kind !== 'cron') {
      throw ssmError('InvalidSchedule', 'ApplyOnlyAtCronInterval needs a cron schedule expression.');
    }
    if (scheduleOffset !== undefined && (schedule?.kind !== 'cron' || !applyOnlyAtCronInterval)) {
      throw ssmError(
        'ValidationException',
        'ScheduleOffset needs a cron schedule and ApplyOnlyAtCronInterval.',
      );
    }
    const duration = pick('duration', base?.duration);
    if (duration !== undefined && !applyOnlyAtCronInterval) {
      throw ssmError('ValidationException', 'Duration needs ApplyOnlyAtCronInterval.');
    }
    const optional = {
      instanceId,
      targets,
      parameters,
      scheduleExpression,
      scheduleOffset,
      associationName: pick('associationName', base?.associationName),
      complianceSeverity: pick('complianceSeverity', base?.complianceSeverity),
      syncCompliance: pick('syncCompliance', base?.syncCompliance),
      maxConcurrency: pick('maxConcurrency', base?.maxConcurrency),
      maxErrors: pick('maxErrors', base?.maxErrors),
      outputLocation: pick('outputLocation', base?.outputLocation),
      calendarNames: pick('calendarNames', base?.calendarNames),
      targetLocations: pick('targetLocations', base?.targetLocations),
      targetMaps: pick('targetMaps', base?.targetMaps),
      duration,
      automationTargetParameterName: pick(
        'automationTargetParameterName',
        base?.automationTargetParameterName,
      ),
    };
    const spec: AssociationSpec = {
      documentName: key.name,
      documentOwner: key.owner,
      nameAsGiven,
      documentVersion,
      applyOnlyAtCronInterval,
    };
    for (const [k, v] of Object.entries(optional)) {
      if (v !== undefined) (spec as unknown as Record<string, unknown>)[k] = v;
    }
    return spec;
  }

  private parseSchedule(expression: string, now: Date): ScheduleExpression {
    try {
      return parseAssociationSchedule(expression, now);
    } catch (error) {
      if (error instanceof ScheduleExpressionError) throw ssmError('InvalidSchedule', error.message);
      throw error;
    }
  }

  /** Associations run on create/update unless ApplyOnlyAtCronInterval, then on their schedule. */
  private firstRun(spec: AssociationSpec, now: Date): Date | undefined {
    if (!spec.applyOnlyAtCronInterval) return now;
    return spec.scheduleExpression === undefined ? undefined : this.nextScheduled(spec, now, now);
  }

  private nextScheduled(spec: AssociationSpec, after: Date, anchor: Date): Date | undefined {
    try {
      return nextScheduledRun(spec, after, anchor);
    } catch (error) {
      if (error instanceof ScheduleExpressionError) throw ssmError('InvalidSchedule', error.message);
      throw error;
    }
  }

  /** The association's next scheduled run after `after` (what Run Command will dispatch on). */
  nextRunAfter(association: Association, after: Date): Date | undefined {
    return this.nextScheduled(association.spec, after, association.updatedAt);
  }

  private async requireAssociation(ctx: Ctx, associationId: string): Promise<Association> {
    const association = await this.store.find(ctx.tx, ctx.accountId, ctx.region, associationId);
    if (association === undefined) throw doesNotExist();
    return association;
  }

  private async overviewOf(db: DbExecutor, associationId: string): Promise<AssociationOverview> {
    return aggregateStatus((await this.store.nodeStatuses(db, [associationId])).map((s) => s.status));
  }

  /** DescribeAssociation by id, or by (Name, InstanceId) for legacy associations; at `associationVersion` if given. */
  async describe(
    ctx: Ctx,
    by: {
      associationId?: string | undefined;
      name?: string | undefined;
      instanceId?: string | undefined;
      associationVersion?: string | undefined;
    },
  ): Promise<AssociationView> {
    const association = await this.locate(ctx, by);
    const overview = await this.overviewOf(ctx.tx, association.associationId);
    if (
      by.associationVersion === undefined ||
      by.associationVersion === '$LATEST' ||
      by.associationVersion === String(association.version)
    ) {
      return { association, version: association.version, spec: association.spec, overview };
    }
    const version = (await this.store.versions(ctx.tx, association.associationId)).find(
      (v) => String(v.version) === by.associationVersion,
    );
    if (version === undefined) {
      throw ssmError(
        'InvalidAssociationVersion',
        `Association version ${by.associationVersion} does not exist.`,
      );
    }
    return { association, version: version.version, spec: version.spec, overview };
  }

  private async locate(
    ctx: Ctx,
    by: { associationId?: string | undefined; name?: string | undefined; instanceId?: string | undefined },
  ): Promise<Association> {
    if (by.associationId !== undefined) return this.requireAssociation(ctx, by.associationId);
    if (by.name !== undefined && by.instanceId !== undefined) {
      const key = parseDocumentReference(by.name, ctx);
      const association = await this.store.findLegacy(ctx.tx, ctx, key.owner, key.name, by.instanceId);
      if (association === undefined) throw doesNotExist();
      return association;
    }
    throw ssmError('ValidationException', 'Specify AssociationId, or Name and InstanceId.');
  }

  async update(
    ctx: Ctx,
    input: AssociationInput & { associationId: string; associationVersion?: string | undefined },
  ): Promise<AssociationView> {
    const current = await this.requireAssociation(ctx, input.associationId);
    if (
      input.associationVersion !== undefined &&
      input.associationVersion !== '$LATEST' &&
      input.associationVersion !== String(current.version)
    ) {
      throw ssmError(
        'InvalidAssociationVersion',
        `AssociationVersion must be $LATEST or ${current.version}, the latest version.`,
      );
    }
    if (current.version >= maxAssociationVersions) {
      throw ssmError(
        'AssociationVersionLimitExceeded',
        `An association can have at most ${maxAssociationVersions} versions.`,
      );
    }
    if (input.instanceId !== undefined)
      throw ssmError('InvalidUpdate', "The InstanceId of an association can't be changed.");
    const spec = await this.buildSpec(ctx, input, current.spec);
    const association: Association = {
      ...current,
      version: current.version + 1,
      spec,
      updatedAt: ctx.now,
      nextRunAt: this.firstRun(spec, ctx.now),
    };
    await this.store.save(ctx.tx, association, true);
    return {
      association,
      version: association.version,
      spec,
      overview: await this.overviewOf(ctx.tx, association.associationId),
    };
  }

  async delete(
    ctx: Ctx,
    by: { associationId?: string | undefined; name?: string | undefined; instanceId?: string | undefined },
  ): Promise<void> {
    const association = await this.locate(ctx, by);
    const statuses = await this.store.nodeStatuses(ctx.tx, [association.associationId]);
    await this.store.delete(ctx.tx, association.associationId);
    // Compliance keeps only associations still assigned to the node (§4.7).
    for (const status of statuses) await this.writeCompliance(ctx, status.instanceId);
  }

  async list(ctx: Ctx, filters: readonly AssociationFilter[]): Promise<AssociationView[]> {
    const associations = await this.store.list(ctx.tx, ctx.accountId, ctx.region);
    const statuses = await this.store.nodeStatuses(
      ctx.tx,
      associations.map((a) => a.associationId),
    );
    const views = associations.map((association) => ({
      association,
      version: association.version,
      spec: association.spec,
      overview: aggregateStatus(
        statuses.filter((s) => s.associationId === association.associationId).map((s) => s.status),
      ),
    }));
    return views.filter((view) => filters.every((filter) => matchesAssociationFilter(view, filter, ctx)));
  }

  async listVersions(
    ctx: Ctx,
    associationId: string,
  ): Promise<{ version: number; spec: AssociationSpec; createdAt: Date }[]> {
    await this.requireAssociation(ctx, associationId);
    return (await this.store.versions(ctx.tx, associationId)).reverse();
  }

  async executions(ctx: Ctx, associationId: string): Promise<AssociationExecution[]> {
    await this.requireAssociation(ctx, associationId);
    return this.store.executions(ctx.tx, associationId);
  }

  async executionTargets(
    ctx: Ctx,
    associationId: string,
    executionId: string,
  ): Promise<AssociationExecutionTarget[]> {
    await this.requireAssociation(ctx, associationId);
    if ((await this.store.findExecution(ctx.tx, associationId, executionId)) === undefined) {
      throw ssmError(
        'AssociationExecutionDoesNotExist',
        `Association execution ${executionId} does not exist.`,
      );
    }
    return this.store.executionTargets(ctx.tx, associationId, executionId);
  }

  /**
   * Records the result of a run of `associationId` on `instanceId` (what the agent reports): the node's status,
   * the execution's, the association's Overview, an AssociationStatusChanged event and — for finished runs of
   * associations with SyncCompliance AUTO — the node's Association compliance set (§8.4).
   */
  async reportResult(
    ctx: Ctx,
    associationId: string,
    instanceId: string,
    status: AssociationRunStatus,
    detail: AssociationResultDetail = {},
  ): Promise<AssociationView> {
    const association = await this.requireAssociation(ctx, associationId);
    const tags = this.instances === undefined ? undefined : await this.instances.tagsOf(ctx, instanceId);
    const knownTargets =
      this.instances !== undefined || !(association.spec.targets ?? []).some((t) => t.key.startsWith('tag'));
    if (knownTargets && !targetsInstance(association.spec, instanceId, tags)) {
      throw ssmError('InvalidInstanceId', `Association ${associationId} does not target ${instanceId}.`);
    }
    const executedAt = detail.executedAt ?? ctx.now;
    const execution = await this.executionFor(ctx, association, instanceId, detail.executionId, executedAt);
    const detailedStatus = detail.detailedStatus ?? status;
    await this.store.putExecutionTarget(ctx.tx, {
      executionId: execution.executionId,
      associationId,
      associationVersion: execution.associationVersion,
      instanceId,
      status,
      detailedStatus,
      executedAt,
    });
    const targetStatuses = (
      await this.store.executionTargets(ctx.tx, associationId, execution.executionId)
    ).map((t) => t.status);
    const executionOverview = aggregateStatus(targetStatuses);
    await this.store.putExecution(ctx.tx, {
      ...execution,
      status: executionOverview.status,
      detailedStatus: executionOverview.detailedStatus,
      lastExecutionAt: executedAt,
    });
    const previous = (await this.store.nodeStatuses(ctx.tx, [associationId])).find(
      (s) => s.instanceId === instanceId,
    );
    const { version } = await this.documents.resolve(ctx, association.spec.nameAsGiven, {
      documentVersion: association.spec.documentVersion,
    });
    const nodeStatus: AssociationNodeStatus = {
      associationId,
      instanceId,
      associationVersion: association.version,
      documentVersion: String(version.version),
      executionId: execution.executionId,
      status,
      detailedStatus,
      errorCode: detail.errorCode,
      executionSummary: detail.executionSummary,
      executedAt,
    };
    await this.store.putNodeStatus(ctx.tx, ctx, nodeStatus);
    const overview = await this.overviewOf(ctx.tx, associationId);
    const updated: Association = {
      ...association,
      overviewStatus: overview.status,
      lastExecutionAt: executedAt,
      ...(status === 'Success' ? { lastSuccessAt: executedAt } : {}),
    };
    await this.store.save(ctx.tx, updated, false);
    if (previous?.status !== status) {
      await appendEvent(ctx.tx, {
        type: 'AssociationStatusChanged',
        accountId: ctx.accountId,
        region: ctx.region,
        associationId,
        instanceId,
        status,
      });
    }
    if (association.spec.syncCompliance !== 'MANUAL' && complianceStatusOf(status) !== undefined) {
      await this.writeCompliance(ctx, instanceId);
    }
    return { association: updated, version: updated.version, spec: updated.spec, overview };
  }

  /** The execution a report belongs to: the named one, else the current version's latest one this node hasn't finished. */
  private async executionFor(
    ctx: Ctx,
    association: Association,
    instanceId: string,
    executionId: string | undefined,
    at: Date,
  ): Promise<AssociationExecution> {
    const executions = await this.store.executions(ctx.tx, association.associationId);
    if (executionId !== undefined) {
      const named = executions.find((e) => e.executionId === executionId);
      if (named !== undefined) return named;
    } else {
      const latest = executions.find((e) => e.associationVersion === association.version);
      if (latest !== undefined) {
        const target = (
          await this.store.executionTargets(ctx.tx, association.associationId, latest.executionId)
        ).find((t) => t.instanceId === instanceId);
        if (target === undefined || !finalStatuses.includes(target.status)) return latest;
      }
    }
    return {
      executionId: executionId ?? randomUUID(),
      associationId: association.associationId,
      associationVersion: association.version,
      status: 'Pending',
      detailedStatus: 'Pending',
      createdAt: at,
      lastExecutionAt: at,
      counts: {},
    };
  }

  /** Rewrites the node's Association compliance set: one item per AUTO association whose last run there finished. */
  private async writeCompliance(ctx: Ctx, instanceId: string): Promise<void> {
    const statuses = await this.store.statusesOfInstance(ctx.tx, ctx, instanceId);
    const items: ComplianceItemWrite[] = [];
    for (const status of statuses) {
      const compliance = complianceStatusOf(status.status);
      if (compliance === undefined) continue;
      const association = await this.store.find(ctx.tx, ctx.accountId, ctx.region, status.associationId);
      if (association === undefined || association.spec.syncCompliance === 'MANUAL') continue;
      items.push({
        id: association.associationId,
        title: association.spec.associationName ?? '',
        severity: association.spec.complianceSeverity ?? 'UNSPECIFIED',
        status: compliance,
        details: { DocumentName: association.spec.documentName, DocumentVersion: status.documentVersion },
      });
    }
    await this.compliance.putComplianceItems(ctx, {
      resourceType: 'ManagedInstance',
      resourceId: instanceId,
      complianceType: 'Association',
      executionSummary: { executionTime: ctx.now, executionId: undefined, executionType: undefined },
      items,
      uploadType: 'COMPLETE',
    });
  }

  /** The legacy UpdateAssociationStatus: reports a status for the (Name, InstanceId) association. */
  async updateLegacyStatus(
    ctx: Ctx,
    name: string,
    instanceId: string,
    status: { name: AssociationRunStatus; message: string; date: Date; additionalInfo?: string | undefined },
  ): Promise<AssociationView> {
    const association = await this.locate(ctx, { name, instanceId });
    const previous = (await this.store.nodeStatuses(ctx.tx, [association.associationId])).find(
      (s) => s.instanceId === instanceId,
    );
    if (
      previous !== undefined &&
      previous.status === status.name &&
      previous.executionSummary === status.message
    ) {
      throw ssmError('StatusUnchanged', 'The association status is unchanged.');
    }
    return this.reportResult(ctx, association.associationId, instanceId, status.name, {
      executionSummary: status.message,
      executedAt: status.date,
    });
  }

  /** StartAssociationsOnce: a run of each association now over the nodes it targets now; schedules are unchanged. */
  async startOnce(ctx: Ctx, associationIds: readonly string[]): Promise<void> {
    const found: Association[] = [];
    for (const associationId of associationIds) {
      if (!associationIdPattern.test(associationId))
        throw ssmError('InvalidAssociation', `${associationId} is not an association id.`);
      const association = await this.store.find(ctx.tx, ctx.accountId, ctx.region, associationId);
      if (association === undefined)
        throw ssmError('AssociationDoesNotExist', `Association ${associationId} does not exist.`);
      found.push(association);
    }
    for (const association of found) await this.runs.start(ctx.tx, association, ctx.now);
  }

  /**
   * ListInstanceAssociations: every association targeting the node, with the content of the document version it
   * runs and — when the node has a run to do (Pending, or InProgress and perhaps lost with a restarted agent) —
   * that run's execution id. A node new to an association (not ApplyOnlyAtCronInterval) joins its latest run,
   * unless the run job is about to start one anyway.
   */
  async instanceAssociations(ctx: Ctx, instanceId: string): Promise<InstanceAssociation[]> {
    const tags = await this.requireInstance(ctx, instanceId);
    const statuses = new Map(
      (await this.store.statusesOfInstance(ctx.tx, ctx, instanceId)).map((s) => [s.associationId, s]),
    );
    const result: InstanceAssociation[] = [];
    for (const association of await this.store.list(ctx.tx, ctx.accountId, ctx.region)) {
      if (!targetsInstance(association.spec, instanceId, tags)) continue;
      let version: DocumentVersion;
      try {
        ({ version } = await this.documents.resolve(ctx, association.spec.nameAsGiven, {
          documentVersion: association.spec.documentVersion,
        }));
      } catch (error) {
        if (error instanceof ApiError) continue; // a document no longer shared with the account: nothing to run
        throw error;
      }
      let status = statuses.get(association.associationId);
      const dueSoon = association.nextRunAt !== undefined && association.nextRunAt <= ctx.now;
      if (status === undefined && !association.spec.applyOnlyAtCronInterval && !dueSoon) {
        const latest = (await this.store.executions(ctx.tx, association.associationId)).find(
          (e) => e.associationVersion === association.version,
        );
        if (latest === undefined) await this.runs.start(ctx.tx, association, ctx.now, [instanceId]);
        else await this.runs.markPending(ctx.tx, association, latest, instanceId, ctx.now);
        status = (await this.store.statusesOfInstance(ctx.tx, ctx, instanceId)).find(
          (s) => s.associationId === association.associationId,
        );
      }
      const toRun = status !== undefined && (status.status === 'Pending' || status.status === 'InProgress');
      result.push({
        association,
        documentVersion: String(version.version),
        content: version.content,
        executionId: toRun ? status?.executionId : undefined,
      });
    }
    return result;
  }

  /**
   * UpdateInstanceAssociationStatus, what the agent reports about its run: recorded against the node's run in
   * progress. A repeated report of a finished run (same status and execution date) changes nothing.
   */
  async updateInstanceStatus(
    ctx: Ctx,
    associationId: string,
    instanceId: string,
    result: {
      status: AssociationRunStatus;
      errorCode?: string | undefined;
      executionSummary?: string | undefined;
      executionDate: Date;
    },
  ): Promise<InstanceAssociationStatus> {
    await this.requireInstance(ctx, instanceId);
    const previous = (await this.store.nodeStatuses(ctx.tx, [associationId])).find(
      (s) => s.instanceId === instanceId,
    );
    const repeated =
      previous !== undefined &&
      finalStatuses.includes(previous.status) &&
      previous.status === result.status &&
      previous.executedAt.getTime() === result.executionDate.getTime();
    if (!repeated) {
      const running = previous !== undefined && !finalStatuses.includes(previous.status);
      await this.reportResult(ctx, associationId, instanceId, result.status, {
        executionId: running ? previous.executionId : undefined,
        errorCode: result.errorCode,
        executionSummary: result.executionSummary,
        executedAt: result.executionDate,
      });
    }
    const statuses = await this.instanceStatuses(ctx, instanceId);
    const status = statuses.find((s) => s.status.associationId === associationId);
    if (status === undefined) throw doesNotExist();
    return status;
  }

  /** DescribeInstanceAssociationsStatus: the node's last status for each association that reported or ran there. */
  async instanceStatuses(ctx: Ctx, instanceId: string): Promise<InstanceAssociationStatus[]> {
    await this.requireInstance(ctx, instanceId);
    const result: InstanceAssociationStatus[] = [];
    for (const status of await this.store.statusesOfInstance(ctx.tx, ctx, instanceId)) {
      const association = await this.store.find(ctx.tx, ctx.accountId, ctx.region, status.associationId);
      if (association !== undefined) result.push({ association, status });
    }
    return result;
  }

  /** The node's tags; InvalidInstanceId for a node the account doesn't have, AccessDenied for another node's key. */
  private async requireInstance(ctx: Ctx, instanceId: string): Promise<Record<string, string> | undefined> {
    const caller = instanceIdOfActor(ctx.actor);
    if (caller !== undefined && caller !== instanceId) {
      throw accessDenied(`Instance ${caller} may only read and report about itself.`);
    }
    if (this.instances === undefined) return undefined;
    const tags = await this.instances.tagsOf(ctx, instanceId);
    if (tags === undefined)
      throw ssmError('InvalidInstanceId', `Instance ${instanceId} is not a registered managed instance.`);
    return tags;
  }
}

function parseTime(value: string): number | undefined {
  const number = Number(value);
  if (value !== '' && Number.isFinite(number)) return number * 1000;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function matchesAssociationFilter(view: AssociationView, filter: AssociationFilter, ctx: Ctx): boolean {
  const { association, spec } = view;
  switch (filter.key) {
    case 'InstanceId':
      return spec.instanceId === filter.value;
    case 'Name': {
      const key = parseDocumentReference(filter.value, ctx);
      return spec.documentName === key.name && spec.documentOwner === key.owner;
    }
    case 'AssociationId':
      return association.associationId === filter.value;
    case 'AssociationStatusName':
      return view.overview.status === filter.value;
    case 'AssociationName':
      return spec.associationName === filter.value;
    case 'LastExecutedBefore':
    case 'LastExecutedAfter': {
      const at = parseTime(filter.value);
      const last = association.lastExecutionAt?.getTime();
      if (at === undefined) throw ssmError('ValidationException', `${filter.key} must be a date and time.`);
      if (last === undefined) return false;
      return filter.key === 'LastExecutedBefore' ? last < at : last > at;
    }
    case 'ResourceGroupName':
      return (spec.targets ?? []).some(
        (t) => t.key === 'resource-groups:Name' && t.values.includes(filter.value),
      );
    default:
      throw ssmError('ValidationException', `Unknown association filter key ${filter.key}.`);
  }
}
