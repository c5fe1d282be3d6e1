/** How associations, their per-node statuses, executions and execution targets map to and from their rows. */
import { dateOrUndefined } from '../storage/index.js';
import type {
  SsmAssociationExecutionTargetsTable,
  SsmAssociationExecutionsTable,
  SsmAssociationStatusesTable,
  SsmAssociationsTable,
} from '../storage/database.js';
import type {
  Association,
  AssociationExecution,
  AssociationExecutionTarget,
  AssociationNodeStatus,
  AssociationRunStatus,
  AssociationSpec,
  OverviewStatus,
} from './documents-model.js';

/** An association row as the domain type. */
export function toAssociation(row: SsmAssociationsTable): Association {
  return {
    associationId: row.association_id,
    accountId: row.account_id,
    region: row.region,
    version: Number(row.version),
    spec: JSON.parse(row.spec) as AssociationSpec,
    overviewStatus: row.overview_status as OverviewStatus,
    nextRunAt: dateOrUndefined(row.next_run_at),
    lastExecutionAt: dateOrUndefined(row.last_execution_at),
    lastSuccessAt: dateOrUndefined(row.last_success_at),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

/** The row of an association. */
export function toRow(association: Association): SsmAssociationsTable {
  return {
    association_id: association.associationId,
    account_id: association.accountId,
    region: association.region,
    document_owner: association.spec.documentOwner,
    document_name: association.spec.documentName,
    instance_id: association.spec.instanceId ?? null,
    association_name: association.spec.associationName ?? null,
    version: association.version,
    spec: JSON.stringify(association.spec),
    overview_status: association.overviewStatus,
    next_run_at: association.nextRunAt?.getTime() ?? null,
    last_execution_at: association.lastExecutionAt?.getTime() ?? null,
    last_success_at: association.lastSuccessAt?.getTime() ?? null,
    created_at: association.createdAt.getTime(),
    updated_at: association.updatedAt.getTime(),
  };
}

export function toNodeStatus(row: SsmAssociationStatusesTable): AssociationNodeStatus {
  return {
    associationId: row.association_id,
    instanceId: row.instance_id,
    associationVersion: Number(row.association_version),
    documentVersion: row.document_version,
    executionId: row.execution_id,
    status: row.status as AssociationRunStatus,
    detailedStatus: row.detailed_status,
    errorCode: row.error_code ?? undefined,
    executionSummary: row.execution_summary ?? undefined,
    executedAt: new Date(Number(row.executed_at)),
  };
}

export function toExecution(
  row: SsmAssociationExecutionsTable,
  counts: Record<string, number>,
): AssociationExecution {
  return {
    executionId: row.execution_id,
    associationId: row.association_id,
    associationVersion: Number(row.association_version),
    status: row.status as OverviewStatus,
    detailedStatus: row.detailed_status,
    createdAt: new Date(Number(row.created_at)),
    lastExecutionAt: new Date(Number(row.last_execution_at)),
    counts,
  };
}

export function toExecutionTarget(row: SsmAssociationExecutionTargetsTable): AssociationExecutionTarget {
  return {
    executionId: row.execution_id,
    associationId: row.association_id,
    associationVersion: Number(row.association_version),
    instanceId: row.instance_id,
    status: row.status as AssociationRunStatus,
    detailedStatus: row.detailed_status,
    executedAt: new Date(Number(row.executed_at)),
  };
}
