/**
 * What a run of an association reports (ssm-api.md §8.3, §8.4): the node's status, the execution's, the
 * association's Overview, an AssociationStatusChanged event and, for AUTO associations, the node's Association
 * compliance set.
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/index.js';
import { appendEvent } from '../worker/index.js';
import type { InstanceDirectory } from './association-spec.js';
import { targetsInstance } from './association-targets.js';
import type { AssociationsStore } from './associations-store.js';
import type { DocumentsService } from './documents-service.js';
import {
  aggregateStatus,
  complianceStatusOf,
  type Association,
  type AssociationComplianceSeverity,
  type AssociationExecution,
  type AssociationNodeStatus,
  type AssociationOverview,
  type AssociationRunStatus,
  type AssociationView,
} from './documents-model.js';

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

/** What an agent (or a test) reports about one run on one node. */
export interface AssociationResultDetail {
  executionId?: string | undefined;
  detailedStatus?: string | undefined;
  errorCode?: string | undefined;
  executionSummary?: string | undefined;
  executedAt?: Date | undefined;
}

/** The statuses a node's run ends in. */
export const finalStatuses: readonly AssociationRunStatus[] = ['Success', 'Failed', 'TimedOut', 'Skipped'];

const doesNotExist = (): Error => ssmError('AssociationDoesNotExist', 'The association does not exist.');

export class AssociationReports {
  constructor(
    private readonly store: AssociationsStore,
    private readonly documents: DocumentsService,
    private readonly compliance: ComplianceWriter,
    private readonly instances: InstanceDirectory | undefined,
  ) {}

  /** The association's Overview: the aggregate of its nodes' statuses. */
  async overviewOf(db: DbExecutor, associationId: string): Promise<AssociationOverview> {
    return aggregateStatus(
      (await this.store.statuses.ofAssociations(db, [associationId])).map((s) => s.status),
    );
  }

  /** Records the result of a run of `associationId` on `instanceId` (what the agent reports). */
  async reportResult(
    ctx: Ctx,
    associationId: string,
    instanceId: string,
    status: AssociationRunStatus,
    detail: AssociationResultDetail = {},
  ): Promise<AssociationView> {
    const association = await this.store.find(ctx.tx, ctx, associationId);
    if (association === undefined) throw doesNotExist();
    const tags = this.instances === undefined ? undefined : await this.instances.tagsOf(ctx, instanceId);
    const knownTargets =
      this.instances !== undefined || !(association.spec.targets ?? []).some((t) => t.key.startsWith('tag'));
    if (knownTargets && !targetsInstance(association.spec, instanceId, tags)) {
      throw ssmError('InvalidInstanceId', `Association ${associationId} does not target ${instanceId}.`);
    }
    const executedAt = detail.executedAt ?? ctx.now;
    const execution = await this.executionFor(ctx, association, instanceId, detail.executionId, executedAt);
    const detailedStatus = detail.detailedStatus ?? status;
    await this.store.executions.putTarget(ctx.tx, {
      executionId: execution.executionId,
      associationId,
      associationVersion: execution.associationVersion,
      instanceId,
      status,
      detailedStatus,
      executedAt,
    });
    const targetStatuses = (
      await this.store.executions.targets(ctx.tx, associationId, execution.executionId)
    ).map((t) => t.status);
    const executionOverview = aggregateStatus(targetStatuses);
    await this.store.executions.put(ctx.tx, {
      ...execution,
      status: executionOverview.status,
      detailedStatus: executionOverview.detailedStatus,
      lastExecutionAt: executedAt,
    });
    const previous = await this.store.statuses.find(ctx.tx, associationId, instanceId);
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
    await this.store.statuses.put(ctx.tx, ctx, nodeStatus);
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
    if (executionId !== undefined) {
      const named = await this.store.executions.find(ctx.tx, association.associationId, executionId);
      if (named !== undefined) return named;
    } else {
      const latest = await this.store.executions.latest(
        ctx.tx,
        association.associationId,
        association.version,
      );
      if (latest !== undefined) {
        const target = (
          await this.store.executions.targets(ctx.tx, association.associationId, latest.executionId)
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
  async writeCompliance(ctx: Ctx, instanceId: string): Promise<void> {
    const statuses = await this.store.statuses.ofInstance(ctx.tx, ctx, instanceId);
    const items: ComplianceItemWrite[] = [];
    for (const status of statuses) {
      const compliance = complianceStatusOf(status.status);
      if (compliance === undefined) continue;
      const association = await this.store.find(ctx.tx, ctx, status.associationId);
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
}
