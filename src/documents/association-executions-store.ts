/** Persistence of association executions (runs) and their per-node targets. */
import { afterKey, afterOrderedKey, type OrderedColumn } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { toExecution, toExecutionTarget } from './association-rows.js';
import type { PageWindow } from './keyset-scan.js';
import type { AssociationExecution, AssociationExecutionTarget } from './documents-model.js';

/** DescribeAssociationExecutions' order: newest first, then by execution id. */
export const executionOrder: readonly OrderedColumn[] = [
  { column: 'created_at', direction: 'desc' },
  { column: 'execution_id', direction: 'asc' },
];

/** One condition on executions (DescribeAssociationExecutions filters), AND-ed with the others. */
export type ExecutionCondition =
  | { column: 'execution_id' | 'status'; value: string }
  | { column: 'created_at'; op: '=' | '<' | '>'; value: number };

/** One condition on execution targets (DescribeAssociationExecutionTargets filters). */
export interface TargetCondition {
  column: 'status' | 'instance_id';
  value: string;
}

export class AssociationExecutionsStore {
  /** The executions of an association, newest first, with their targets' counts per status. */
  async page(
    db: DbExecutor,
    associationId: string,
    conditions: readonly ExecutionCondition[],
    window: PageWindow,
  ): Promise<AssociationExecution[]> {
    let query = db
      .selectFrom('ssm_association_executions')
      .selectAll()
      .where('association_id', '=', associationId);
    for (const condition of conditions) {
      query =
        condition.column === 'created_at'
          ? query.where('created_at', condition.op, condition.value)
          : query.where(condition.column, '=', condition.value);
    }
    if (window.after !== undefined) query = query.where(afterOrderedKey(executionOrder, window.after));
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('execution_id')
      .limit(window.limit)
      .execute();
    const counts = await this.counts(
      db,
      rows.map((row) => row.execution_id),
    );
    return rows.map((row) => toExecution(row, counts.get(row.execution_id) ?? {}));
  }

  /** The newest execution of `associationId` at association version `version`. */
  async latest(
    db: DbExecutor,
    associationId: string,
    version: number,
  ): Promise<AssociationExecution | undefined> {
    const row = await db
      .selectFrom('ssm_association_executions')
      .selectAll()
      .where('association_id', '=', associationId)
      .where('association_version', '=', version)
      .orderBy('created_at', 'desc')
      .orderBy('execution_id')
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return toExecution(row, (await this.counts(db, [row.execution_id])).get(row.execution_id) ?? {});
  }

  async find(
    db: DbExecutor,
    associationId: string,
    executionId: string,
  ): Promise<AssociationExecution | undefined> {
    const row = await db
      .selectFrom('ssm_association_executions')
      .selectAll()
      .where('association_id', '=', associationId)
      .where('execution_id', '=', executionId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return toExecution(row, (await this.counts(db, [executionId])).get(executionId) ?? {});
  }

  /** Per execution, how many targets are in each status. */
  private async counts(
    db: DbExecutor,
    executionIds: readonly string[],
  ): Promise<Map<string, Record<string, number>>> {
    const counts = new Map<string, Record<string, number>>();
    if (executionIds.length === 0) return counts;
    const rows = await db
      .selectFrom('ssm_association_execution_targets')
      .select(['execution_id', 'status'])
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('execution_id', 'in', [...executionIds])
      .groupBy(['execution_id', 'status'])
      .execute();
    for (const row of rows) {
      const of = counts.get(row.execution_id) ?? {};
      of[row.status] = Number(row.n);
      counts.set(row.execution_id, of);
    }
    return counts;
  }

  async put(db: DbExecutor, execution: AssociationExecution): Promise<void> {
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

  /** Every target of one execution, by node. */
  async targets(
    db: DbExecutor,
    associationId: string,
    executionId: string,
  ): Promise<AssociationExecutionTarget[]> {
    const rows = await this.targetsOf(db, associationId, executionId).orderBy('instance_id').execute();
    return rows.map(toExecutionTarget);
  }

  /** DescribeAssociationExecutionTargets: the targets of one execution by node, after `window.after`. */
  async targetsPage(
    db: DbExecutor,
    associationId: string,
    executionId: string,
    conditions: readonly TargetCondition[],
    window: PageWindow,
  ): Promise<AssociationExecutionTarget[]> {
    let query = this.targetsOf(db, associationId, executionId);
    for (const condition of conditions) query = query.where(condition.column, '=', condition.value);
    if (window.after !== undefined) query = query.where(afterKey(['instance_id'], window.after));
    const rows = await query.orderBy('instance_id').limit(window.limit).execute();
    return rows.map(toExecutionTarget);
  }

  private targetsOf(db: DbExecutor, associationId: string, executionId: string) {
    return db
      .selectFrom('ssm_association_execution_targets')
      .selectAll()
      .where('association_id', '=', associationId)
      .where('execution_id', '=', executionId);
  }

  async putTarget(db: DbExecutor, target: AssociationExecutionTarget): Promise<void> {
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
