/** Persistence of associations, their versions, per-node statuses and executions. */
import { dateOrUndefined } from '../storage/index.js';
import type {
  DbExecutor,
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
} from './model.js';

function toAssociation(row: SsmAssociationsTable): Association {
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

function toRow(association: Association): SsmAssociationsTable {
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

function toNodeStatus(row: SsmAssociationStatusesTable): AssociationNodeStatus {
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

function toExecution(
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

function toExecutionTarget(row: SsmAssociationExecutionTargetsTable): AssociationExecutionTarget {
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

export class AssociationsStore {
  async find(
    db: DbExecutor,
    accountId: string,
    region: string,
    associationId: string,
  ): Promise<Association | undefined> {
    const row = await db
      .selectFrom('ssm_associations')
      .selectAll()
      .where('association_id', '=', associationId)
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .executeTakeFirst();
    return row === undefined ? undefined : toAssociation(row);
  }

  /** The legacy association of document `documentName` (as named by the caller) with `instanceId`. */
  async findLegacy(
    db: DbExecutor,
    scope: { accountId: string; region: string },
    documentOwner: string,
    documentName: string,
    instanceId: string,
  ): Promise<Association | undefined> {
    const row = await db
      .selectFrom('ssm_associations')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('document_owner', '=', documentOwner)
      .where('document_name', '=', documentName)
      .where('instance_id', '=', instanceId)
      .executeTakeFirst();
    return row === undefined ? undefined : toAssociation(row);
  }

  async list(db: DbExecutor, accountId: string, region: string): Promise<Association[]> {
    const rows = await db
      .selectFrom('ssm_associations')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .orderBy('created_at')
      .orderBy('association_id')
      .execute();
    return rows.map(toAssociation);
  }

  /** Associations of every account whose next run is at or before `now`, soonest first. */
  async due(db: DbExecutor, now: Date, limit: number): Promise<Association[]> {
    const rows = await db
      .selectFrom('ssm_associations')
      .selectAll()
      .where('next_run_at', '<=', now.getTime())
      .orderBy('next_run_at')
      .orderBy('association_id')
      .limit(limit)
      .execute();
    return rows.map(toAssociation);
  }

  /** Moves the association's next run from `expected` to `next`; false when another worker moved it first. */
  async claimRun(
    db: DbExecutor,
    associationId: string,
    expected: Date | undefined,
    next: Date | undefined,
  ): Promise<boolean> {
    if (expected === undefined) return false;
    const result = await db
      .updateTable('ssm_associations')
      .set({ next_run_at: next?.getTime() ?? null })
      .where('association_id', '=', associationId)
      .where('next_run_at', '=', expected.getTime())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async count(db: DbExecutor, accountId: string, region: string): Promise<number> {
    const row = await db
      .selectFrom('ssm_associations')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Whether any association (of any account) runs the document. */
  async usesDocument(db: DbExecutor, owner: string, region: string, name: string): Promise<boolean> {
    const row = await db
      .selectFrom('ssm_associations')
      .select('association_id')
      .where('document_owner', '=', owner)
      .where('region', '=', region)
      .where('document_name', '=', name)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insert(db: DbExecutor, association: Association): Promise<void> {
    await db.insertInto('ssm_associations').values(toRow(association)).execute();
    await this.insertVersion(db, association);
  }

  /** Saves the current version of `association` (and records it as a version when `newVersion`). */
  async save(db: DbExecutor, association: Association, newVersion: boolean): Promise<void> {
    const row: Partial<SsmAssociationsTable> = toRow(association);
    delete row.association_id;
    // Only a new version reschedules; otherwise the run job owns next_run_at (its compare-and-set).
    if (!newVersion) delete row.next_run_at;
    await db
      .updateTable('ssm_associations')
      .set(row)
      .where('association_id', '=', association.associationId)
      .execute();
    if (newVersion) await this.insertVersion(db, association);
  }

  private async insertVersion(db: DbExecutor, association: Association): Promise<void> {
    await db
      .insertInto('ssm_association_versions')
      .values({
        association_id: association.associationId,
        version: association.version,
        spec: JSON.stringify(association.spec),
        created_at: association.updatedAt.getTime(),
      })
      .execute();
  }

  async versions(
    db: DbExecutor,
    associationId: string,
  ): Promise<{ version: number; spec: AssociationSpec; createdAt: Date }[]> {
    const rows = await db
      .selectFrom('ssm_association_versions')
      .selectAll()
      .where('association_id', '=', associationId)
      .orderBy('version')
      .execute();
    return rows.map((row) => ({
      version: Number(row.version),
      spec: JSON.parse(row.spec) as AssociationSpec,
      createdAt: new Date(Number(row.created_at)),
    }));
  }

  async delete(db: DbExecutor, associationId: string): Promise<void> {
    for (const table of [
      'ssm_association_execution_targets',
      'ssm_association_executions',
      'ssm_association_statuses',
      'ssm_association_versions',
      'ssm_associations',
    ] as const) {
      await db.deleteFrom(table).where('association_id', '=', associationId).execute();
    }
  }

  async nodeStatuses(db: DbExecutor, associationIds: readonly string[]): Promise<AssociationNodeStatus[]> {
    if (associationIds.length === 0) return [];
    const rows = await db
      .selectFrom('ssm_association_statuses')
      .selectAll()
      .where('association_id', 'in', [...associationIds])
      .orderBy('instance_id')
      .execute();
    return rows.map(toNodeStatus);
  }

  /** Every association status reported by one node of the account and Region. */
  async statusesOfInstance(
    db: DbExecutor,
    scope: { accountId: string; region: string },
    instanceId: string,
  ): Promise<AssociationNodeStatus[]> {
    const rows = await db
      .selectFrom('ssm_association_statuses')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('instance_id', '=', instanceId)
      .orderBy('association_id')
      .execute();
    return rows.map(toNodeStatus);
  }

  async putNodeStatus(
    db: DbExecutor,
    scope: { accountId: string; region: string },
    status: AssociationNodeStatus,
  ): Promise<void> {
    const values = {
      association_version: status.associationVersion,
      document_version: status.documentVersion,
      execution_id: status.executionId,
      status: status.status,
      detailed_status: status.detailedStatus,
      error_code: status.errorCode ?? null,
      execution_summary: status.executionSummary ?? null,
      executed_at: status.executedAt.getTime(),
    };
    await db
      .insertInto('ssm_association_statuses')
      .values({
        association_id: status.associationId,
        instance_id: status.instanceId,
        account_id: scope.accountId,
        region: scope.region,
        ...values,
      })
      .onConflict((oc) => oc.columns(['association_id', 'instance_id']).doUpdateSet(values))
      .execute();
  }

  async executions(db: DbExecutor, associationId: string): Promise<AssociationExecution[]> {
    const rows = await db
      .selectFrom('ssm_association_executions')
      .selectAll()
      .where('association_id', '=', associationId)
      .orderBy('created_at', 'desc')
      .orderBy('execution_id')
      .execute();
    const targets = await this.executionTargets(db, associationId, undefined);
    return rows.map((row) => {
      const counts: Record<string, number> = {};
      for (const target of targets) {
        if (target.executionId === row.execution_id) counts[target.status] = (counts[target.status] ?? 0) + 1;
      }
      return toExecution(row, counts);
    });
  }

  async findExecution(
    db: DbExecutor,
    associationId: string,
    executionId: string,
  ): Promise<AssociationExecution | undefined> {
    return (await this.executions(db, associationId)).find((e) => e.executionId === executionId);
  }

  async putExecution(db: DbExecutor, execution: AssociationExecution): Promise<void> {
    const values = {
      status: execution.status,
      detailed_status: execution.detailedStatus,
      last_execution_at: execution.lastExecutionAt.getTime(),
    };
    await db
      .insertInto('ssm_association_executions')
      .values({
        execution_id: execution.executionId,
        association_id: execution.associationId,
        association_version: execution.associationVersion,
        created_at: execution.createdAt.getTime(),
        ...values,
      })
      .onConflict((oc) => oc.column('execution_id').doUpdateSet(values))
      .execute();
  }

  async executionTargets(
    db: DbExecutor,
    associationId: string,
    executionId: string | undefined,
  ): Promise<AssociationExecutionTarget[]> {
    let query = db
      .selectFrom('ssm_association_execution_targets')
      .selectAll()
      .where('association_id', '=', associationId);
    if (executionId !== undefined) query = query.where('execution_id', '=', executionId);
    const rows = await query.orderBy('instance_id').execute();
    return rows.map(toExecutionTarget);
  }

  async putExecutionTarget(db: DbExecutor, target: AssociationExecutionTarget): Promise<void> {
    const values = {
      status: target.status,
      detailed_status: target.detailedStatus,
      executed_at: target.executedAt.getTime(),
    };
    await db
      .insertInto('ssm_association_execution_targets')
      .values({
        execution_id: target.executionId,
        instance_id: target.instanceId,
        association_id: target.associationId,
        association_version: target.associationVersion,
        ...values,
      })
      .onConflict((oc) => oc.columns(['execution_id', 'instance_id']).doUpdateSet(values))
      .execute();
  }
}
