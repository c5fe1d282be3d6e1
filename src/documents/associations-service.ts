/** State Manager associations (ssm-api.md §8): versions, schedules, per-node status, aggregation and compliance. */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/index.js';
import {
  associationQuery,
  executionConditions,
  targetConditions,
  type AssociationFilter,
} from './association-filters.js';
import {
  AssociationReports,
  type AssociationResultDetail,
  type ComplianceWriter,
} from './association-reports.js';
import type { AssociationRuns } from './association-runs.js';
import {
  buildAssociationSpec,
  firstRun,
  nextScheduled,
  type AssociationInput,
  type InstanceDirectory,
  type SpecSources,
} from './association-spec.js';
import type { AssociationVersion, AssociationsStore } from './associations-store.js';
import { parseDocumentReference } from './document-reference.js';
import type { DocumentsService } from './documents-service.js';
import { InstanceAssociations, associationKey } from './instance-associations.js';
import { scanKeyset, type PageWindow } from './keyset-scan.js';
import {
  aggregateStatus,
  type Association,
  type AssociationExecution,
  type AssociationExecutionTarget,
  type AssociationRunStatus,
  type AssociationView,
  type InstanceAssociation,
  type InstanceAssociationStatus,
} from './documents-model.js';

export { targetsInstance } from './association-targets.js';
export type { AssociationFilter } from './association-filters.js';
export type { AssociationResultDetail, ComplianceWriter } from './association-reports.js';
export type { AssociationInput, InstanceDirectory } from './association-spec.js';

/** Active associations per account and Region, and versions per association (§11). */
export const maxAssociations = 2000;
export const maxAssociationVersions = 1000;

const doesNotExist = (): Error => ssmError('AssociationDoesNotExist', 'The association does not exist.');
const associationIdPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export class AssociationsService {
  private readonly reports: AssociationReports;
  private readonly nodes: InstanceAssociations;
  private readonly sources: SpecSources;

  constructor(
    private readonly store: AssociationsStore,
    documents: DocumentsService,
    compliance: ComplianceWriter,
    instances: InstanceDirectory | undefined,
    private readonly runs: AssociationRuns,
  ) {
    this.sources = { documents, instances };
    this.reports = new AssociationReports(store, documents, compliance, instances);
    this.nodes = new InstanceAssociations(store, documents, instances, runs, this.reports);
  }

  /** Tells DocumentsService whether a document still has associations. */
  usesDocument = (db: DbExecutor, key: { owner: string; region: string; name: string }): Promise<boolean> =>
    this.store.usesDocument(db, key.owner, key.region, key.name);

  async create(ctx: Ctx, input: AssociationInput & { name: string }): Promise<AssociationView> {
    if ((await this.store.count(ctx.tx, ctx)) >= maxAssociations) {
      throw ssmError(
        'AssociationLimitExceeded',
        `An account can have at most ${maxAssociations} associations.`,
      );
    }
    const spec = await buildAssociationSpec(ctx, this.sources, input, undefined);
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
      nextRunAt: firstRun(spec, ctx.now),
      lastExecutionAt: undefined,
      lastSuccessAt: undefined,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    await this.store.insert(ctx.tx, association);
    return { association, version: 1, spec, overview: aggregateStatus([]) };
  }

  /** The association's next scheduled run after `after` (what Run Command will dispatch on). */
  nextRunAfter(association: Association, after: Date): Date | undefined {
    return nextScheduled(association.spec, after, association.updatedAt);
  }

  private async requireAssociation(ctx: Ctx, associationId: string): Promise<Association> {
    const association = await this.store.find(ctx.tx, ctx, associationId);
    if (association === undefined) throw doesNotExist();
    return association;
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
    const overview = await this.reports.overviewOf(ctx.tx, association.associationId);
    if (
      by.associationVersion === undefined ||
      by.associationVersion === '$LATEST' ||
      by.associationVersion === String(association.version)
    ) {
      return { association, version: association.version, spec: association.spec, overview };
    }
    const version = /^[1-9][0-9]*$/.test(by.associationVersion)
      ? await this.store.version(ctx.tx, association.associationId, Number(by.associationVersion))
      : undefined;
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
    const spec = await buildAssociationSpec(ctx, this.sources, input, current.spec);
    const association: Association = {
      ...current,
      version: current.version + 1,
      spec,
      updatedAt: ctx.now,
      nextRunAt: firstRun(spec, ctx.now),
    };
    await this.store.save(ctx.tx, association, true);
    return {
      association,
      version: association.version,
      spec,
      overview: await this.reports.overviewOf(ctx.tx, association.associationId),
    };
  }

  async delete(
    ctx: Ctx,
    by: { associationId?: string | undefined; name?: string | undefined; instanceId?: string | undefined },
  ): Promise<void> {
    const association = await this.locate(ctx, by);
    const statuses = await this.store.statuses.ofAssociations(ctx.tx, [association.associationId]);
    await this.store.delete(ctx.tx, association.associationId);
    // Compliance keeps only associations still assigned to the node (§4.7).
    for (const status of statuses) await this.reports.writeCompliance(ctx, status.instanceId);
  }

  /** ListAssociations: the associations meeting every filter, oldest first, each with its Overview. */
  async list(
    ctx: Ctx,
    filters: readonly AssociationFilter[],
    window: PageWindow,
  ): Promise<AssociationView[]> {
    const query = associationQuery(filters, ctx);
    const associations = await scanKeyset(
      window,
      (after, limit) => this.store.page(ctx.tx, ctx, query.conditions, { after, limit }),
      associationKey,
      (association) => Promise.resolve(query.matches(association) ? association : undefined),
    );
    const statuses = await this.store.statuses.ofAssociations(
      ctx.tx,
      associations.map((a) => a.associationId),
    );
    return associations.map((association) => ({
      association,
      version: association.version,
      spec: association.spec,
      overview: aggregateStatus(
        statuses.filter((s) => s.associationId === association.associationId).map((s) => s.status),
      ),
    }));
  }

  /** ListAssociationVersions: newest first. */
  async listVersions(ctx: Ctx, associationId: string, window: PageWindow): Promise<AssociationVersion[]> {
    await this.requireAssociation(ctx, associationId);
    return this.store.versionsPage(ctx.tx, associationId, window);
  }

  /** DescribeAssociationExecutions: newest first, narrowed by the request's filters. */
  async executions(
    ctx: Ctx,
    associationId: string,
    window: PageWindow,
    filters: Parameters<typeof executionConditions>[0] = [],
  ): Promise<AssociationExecution[]> {
    await this.requireAssociation(ctx, associationId);
    return this.store.executions.page(ctx.tx, associationId, executionConditions(filters), window);
  }

  /** DescribeAssociationExecutionTargets: by node, narrowed by the request's filters. */
  async executionTargets(
    ctx: Ctx,
    associationId: string,
    executionId: string,
    window: PageWindow,
    filters: Parameters<typeof targetConditions>[0] = [],
  ): Promise<AssociationExecutionTarget[]> {
    await this.requireAssociation(ctx, associationId);
    if ((await this.store.executions.find(ctx.tx, associationId, executionId)) === undefined) {
      throw ssmError(
        'AssociationExecutionDoesNotExist',
        `Association execution ${executionId} does not exist.`,
      );
    }
    const conditions = targetConditions(filters);
    if (conditions === undefined) return [];
    return this.store.executions.targetsPage(ctx.tx, associationId, executionId, conditions, window);
  }

  /** Records the result of a run on a node (see AssociationReports.reportResult). */
  reportResult(
    ctx: Ctx,
    associationId: string,
    instanceId: string,
    status: AssociationRunStatus,
    detail: AssociationResultDetail = {},
  ): Promise<AssociationView> {
    return this.reports.reportResult(ctx, associationId, instanceId, status, detail);
  }

  /** The legacy UpdateAssociationStatus: reports a status for the (Name, InstanceId) association. */
  async updateLegacyStatus(
    ctx: Ctx,
    name: string,
    instanceId: string,
    status: { name: AssociationRunStatus; message: string; date: Date; additionalInfo?: string | undefined },
  ): Promise<AssociationView> {
    const association = await this.locate(ctx, { name, instanceId });
    const previous = await this.store.statuses.find(ctx.tx, association.associationId, instanceId);
    if (
      previous !== undefined &&
      previous.status === status.name &&
      previous.executionSummary === status.message
    ) {
      throw ssmError('StatusUnchanged', 'The association status is unchanged.');
    }
    return this.reports.reportResult(ctx, association.associationId, instanceId, status.name, {
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
      const association = await this.store.find(ctx.tx, ctx, associationId);
      if (association === undefined)
        throw ssmError('AssociationDoesNotExist', `Association ${associationId} does not exist.`);
      found.push(association);
    }
    for (const association of found) await this.runs.start(ctx.tx, association, ctx.now);
  }

  /** ListInstanceAssociations (see InstanceAssociations.page). */
  instanceAssociations(ctx: Ctx, instanceId: string, window: PageWindow): Promise<InstanceAssociation[]> {
    return this.nodes.page(ctx, instanceId, window);
  }

  /** DescribeInstanceAssociationsStatus (see InstanceAssociations.statusesPage). */
  instanceStatuses(ctx: Ctx, instanceId: string, window: PageWindow): Promise<InstanceAssociationStatus[]> {
    return this.nodes.statusesPage(ctx, instanceId, window);
  }

  /** UpdateInstanceAssociationStatus (see InstanceAssociations.updateStatus). */
  updateInstanceStatus(
    ctx: Ctx,
    associationId: string,
    instanceId: string,
    result: Parameters<InstanceAssociations['updateStatus']>[3],
  ): Promise<InstanceAssociationStatus> {
    return this.nodes.updateStatus(ctx, associationId, instanceId, result);
  }
}
