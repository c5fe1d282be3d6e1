/**
 * The node's side of State Manager: ListInstanceAssociations (what to run), DescribeInstanceAssociationsStatus
 * and UpdateInstanceAssociationStatus (what ran). A node may only read and report about itself.
 */
import { ApiError, accessDenied, type Ctx, type SortKey } from '../kernel/index.js';
import { instanceIdOfActor } from '../fleet/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import { finalStatuses, type AssociationReports } from './association-reports.js';
import type { AssociationRuns } from './association-runs.js';
import type { InstanceDirectory } from './association-spec.js';
import { targetsInstance } from './association-targets.js';
import type { AssociationsStore } from './associations-store.js';
import type { DocumentsService } from './documents-service.js';
import { scanKeyset, type PageWindow } from './keyset-scan.js';
import type {
  Association,
  AssociationRunStatus,
  DocumentVersion,
  InstanceAssociation,
  InstanceAssociationStatus,
} from './documents-model.js';

/** The sort key of associations in ListAssociations and ListInstanceAssociations: oldest first, then by id. */
export const associationKey = (association: Association): SortKey => [
  association.createdAt.getTime(),
  association.associationId,
];

export class InstanceAssociations {
  constructor(
    private readonly store: AssociationsStore,
    private readonly documents: DocumentsService,
    private readonly instances: InstanceDirectory | undefined,
    private readonly runs: AssociationRuns,
    private readonly reports: AssociationReports,
  ) {}

  /**
   * ListInstanceAssociations: the associations targeting the node, with the content of the document version each
   * runs and — when the node has a run to do (Pending, or InProgress and perhaps lost with a restarted agent) —
   * that run's execution id. A node new to an association (not ApplyOnlyAtCronInterval) joins its latest run,
   * unless the run job is about to start one anyway. Whether an association targets the node depends on its
   * targets and the node's tags, so that is decided while scanning the account's associations in key order.
   */
  async page(ctx: Ctx, instanceId: string, window: PageWindow): Promise<InstanceAssociation[]> {
    const tags = await this.requireInstance(ctx, instanceId);
    return scanKeyset(
      window,
      (after, limit) => this.store.page(ctx.tx, ctx, [{ mayTarget: instanceId }], { after, limit }),
      associationKey,
      async (association) =>
        targetsInstance(association.spec, instanceId, tags)
          ? this.toRun(ctx, association, instanceId)
          : undefined,
    );
  }

  private async toRun(
    ctx: Ctx,
    association: Association,
    instanceId: string,
  ): Promise<InstanceAssociation | undefined> {
    let version: DocumentVersion;
    try {
      ({ version } = await this.documents.resolve(ctx, association.spec.nameAsGiven, {
        documentVersion: association.spec.documentVersion,
      }));
    } catch (error) {
      if (error instanceof ApiError) return undefined; // a document no longer shared with the account: nothing to run
      throw error;
    }
    let status = await this.store.statuses.find(ctx.tx, association.associationId, instanceId);
    const dueSoon = association.nextRunAt !== undefined && association.nextRunAt <= ctx.now;
    if (status === undefined && !association.spec.applyOnlyAtCronInterval && !dueSoon) {
      const latest = await this.store.executions.latest(
        ctx.tx,
        association.associationId,
        association.version,
      );
      if (latest === undefined) await this.runs.start(ctx.tx, association, ctx.now, [instanceId]);
      else await this.runs.markPending(ctx.tx, association, latest, instanceId, ctx.now);
      status = await this.store.statuses.find(ctx.tx, association.associationId, instanceId);
    }
    const toRun = status !== undefined && (status.status === 'Pending' || status.status === 'InProgress');
    return {
      association,
      documentVersion: String(version.version),
      content: version.content,
      executionId: toRun ? status?.executionId : undefined,
    };
  }

  /** DescribeInstanceAssociationsStatus: the node's last status for each association that reported or ran there. */
  async statusesPage(ctx: Ctx, instanceId: string, window: PageWindow): Promise<InstanceAssociationStatus[]> {
    await this.requireInstance(ctx, instanceId);
    const statuses = await this.store.statuses.ofInstancePage(ctx.tx, ctx, instanceId, window);
    const associations = new Map(
      (
        await this.store.findMany(
          ctx.tx,
          ctx,
          statuses.map((s) => s.associationId),
        )
      ).map((a) => [a.associationId, a]),
    );
    return statuses.flatMap((status) => {
      const association = associations.get(status.associationId);
      return association === undefined ? [] : [{ association, status }];
    });
  }

  /**
   * UpdateInstanceAssociationStatus, what the agent reports about its run: recorded against the node's run in
   * progress. A repeated report of a finished run (same status and execution date) changes nothing.
   */
  async updateStatus(
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
    const previous = await this.store.statuses.find(ctx.tx, associationId, instanceId);
    const repeated =
      previous !== undefined &&
      finalStatuses.includes(previous.status) &&
      previous.status === result.status &&
      previous.executedAt.getTime() === result.executionDate.getTime();
    if (!repeated) {
      const running = previous !== undefined && !finalStatuses.includes(previous.status);
      await this.reports.reportResult(ctx, associationId, instanceId, result.status, {
        executionId: running ? previous.executionId : undefined,
        errorCode: result.errorCode,
        executionSummary: result.executionSummary,
        executedAt: result.executionDate,
      });
    }
    const status = await this.store.statuses.find(ctx.tx, associationId, instanceId);
    const association = await this.store.find(ctx.tx, ctx, associationId);
    if (status === undefined || association === undefined)
      throw ssmError('AssociationDoesNotExist', 'The association does not exist.');
    return { association, status };
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
