/** Persistence of what maintenance windows run: executions, their task executions and task invocations. */
import { afterKey, inScope, type Scope } from '../kernel/index.js';
import type { DbExecutor, MaintenanceWindowTaskInvocationsTable } from '../storage/database.js';
import type { ExecutionStatus, TaskExecution, TaskInvocation, WindowExecution } from './window-model.js';
import {
  executionRow,
  invocationRow,
  taskExecutionRow,
  toExecution,
  toInvocation,
  toTaskExecution,
} from './window-rows.js';
import type { Keyed, PageQuery } from './window-paging.js';

/** The statuses of an execution something still changes. */
const unfinished: ExecutionStatus[] = ['PENDING', 'IN_PROGRESS', 'CANCELLING'];

/** Every row, unfiltered (the scheduler's reads). */
const everything: PageQuery = { filters: [], after: undefined, limit: undefined };

/** Window executions in SQL. */
export class ExecutionStore {
  /** Records an execution unless one for the same window and schedule time exists; true when recorded. */
  async insertExecution(db: DbExecutor, execution: WindowExecution): Promise<boolean> {
    const result = await db
      .insertInto('maintenance_window_executions')
      .values(executionRow(execution))
      .onConflict((oc) => oc.columns(['window_id', 'scheduled_at']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async updateExecution(db: DbExecutor, execution: WindowExecution): Promise<void> {
    const { window_execution_id: id, ...row } = executionRow(execution);
    await db
      .updateTable('maintenance_window_executions')
      .set(row)
      .where('window_execution_id', '=', id)
      .execute();
  }

  async findExecution(
    db: DbExecutor,
    scope: Scope,
    executionId: string,
  ): Promise<WindowExecution | undefined> {
    const row = await db
      .selectFrom('maintenance_window_executions')
      .selectAll()
      .where('window_execution_id', '=', executionId)
      .where(inScope(scope))
      .executeTakeFirst();
    return row === undefined ? undefined : toExecution(row);
  }

  /** The window's newest execution that has not finished yet, if any. */
  async unfinishedExecutionOf(db: DbExecutor, windowId: string): Promise<WindowExecution | undefined> {
    const row = await db
      .selectFrom('maintenance_window_executions')
      .selectAll()
      .where('window_id', '=', windowId)
      .where('status', 'in', unfinished)
      .orderBy('scheduled_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toExecution(row);
  }

  /** A page of a window's executions, newest first, by (scheduled time, id) descending. */
  async pageExecutions(db: DbExecutor, windowId: string, page: PageQuery): Promise<Keyed<WindowExecution>[]> {
    let select = db.selectFrom('maintenance_window_executions').selectAll().where('window_id', '=', windowId);
    for (const filter of page.filters) select = select.where(filter);
    if (page.after !== undefined)
      select = select.where(afterKey(['scheduled_at', 'window_execution_id'], page.after, 'desc'));
    if (page.limit !== undefined) select = select.limit(page.limit);
    const rows = await select
      .orderBy('scheduled_at', 'desc')
      .orderBy('window_execution_id', 'desc')
      .execute();
    return rows.map((row) => ({
      item: toExecution(row),
      key: [Number(row.scheduled_at), row.window_execution_id],
    }));
  }

  /** Executions still running (or being cancelled), across accounts, oldest first. */
  async activeExecutions(db: DbExecutor, limit: number): Promise<WindowExecution[]> {
    const rows = await db
      .selectFrom('maintenance_window_executions')
      .selectAll()
      .where('status', 'in', unfinished)
      .orderBy('scheduled_at')
      .limit(limit)
      .execute();
    return rows.map(toExecution);
  }

  /** Takes the execution's row lock (a no-op update) so one node at a time advances it on PostgreSQL. */
  async lockExecution(db: DbExecutor, executionId: string): Promise<WindowExecution | undefined> {
    await db
      .updateTable('maintenance_window_executions')
      .set((eb) => ({ status: eb.ref('status') }))
      .where('window_execution_id', '=', executionId)
      .execute();
    const row = await db
      .selectFrom('maintenance_window_executions')
      .selectAll()
      .where('window_execution_id', '=', executionId)
      .executeTakeFirst();
    return row === undefined ? undefined : toExecution(row);
  }

  async insertTaskExecution(db: DbExecutor, execution: TaskExecution): Promise<void> {
    await db.insertInto('maintenance_window_task_executions').values(taskExecutionRow(execution)).execute();
  }

  async updateTaskExecution(db: DbExecutor, execution: TaskExecution): Promise<void> {
    const { task_execution_id: id, ...row } = taskExecutionRow(execution);
    await db
      .updateTable('maintenance_window_task_executions')
      .set(row)
      .where('task_execution_id', '=', id)
      .execute();
  }

  /** The task executions of a window execution, in the order they started. */
  async taskExecutionsOf(db: DbExecutor, windowExecutionId: string): Promise<TaskExecution[]> {
    return (await this.pageTaskExecutions(db, windowExecutionId, everything)).map((row) => row.item);
  }

  /** A page of a window execution's task executions by (start time, id). */
  async pageTaskExecutions(
    db: DbExecutor,
    windowExecutionId: string,
    page: PageQuery,
  ): Promise<Keyed<TaskExecution>[]> {
    let select = db
      .selectFrom('maintenance_window_task_executions')
      .selectAll()
      .where('window_execution_id', '=', windowExecutionId);
    for (const filter of page.filters) select = select.where(filter);
    if (page.after !== undefined)
      select = select.where(afterKey(['start_time', 'task_execution_id'], page.after));
    if (page.limit !== undefined) select = select.limit(page.limit);
    const rows = await select.orderBy('start_time').orderBy('task_execution_id').execute();
    // A task execution has its start time from the moment it is recorded.
    return rows.map((row) => ({
      item: toTaskExecution(row),
      key: [Number(row.start_time ?? 0), row.task_execution_id],
    }));
  }

  async insertInvocations(db: DbExecutor, invocations: readonly TaskInvocation[]): Promise<void> {
    if (invocations.length === 0) return;
    await db
      .insertInto('maintenance_window_task_invocations')
      .values(invocations.map((invocation, sequence) => invocationRow(invocation, sequence)))
      .execute();
  }

  async updateInvocation(db: DbExecutor, invocation: TaskInvocation): Promise<void> {
    const row: Partial<MaintenanceWindowTaskInvocationsTable> = invocationRow(invocation, 0);
    delete row.sequence;
    delete row.invocation_id;
    const id = invocation.invocationId;
    await db
      .updateTable('maintenance_window_task_invocations')
      .set(row)
      .where('invocation_id', '=', id)
      .execute();
  }

  /** A task execution's invocations in the order they run. */
  async invocationsOf(db: DbExecutor, taskExecutionId: string): Promise<TaskInvocation[]> {
    return (await this.pageInvocations(db, taskExecutionId, everything)).map((row) => row.item);
  }

  /** A page of a task execution's invocations, in the order they run. */
  async pageInvocations(
    db: DbExecutor,
    taskExecutionId: string,
    page: PageQuery,
  ): Promise<Keyed<TaskInvocation>[]> {
    let select = db
      .selectFrom('maintenance_window_task_invocations')
      .selectAll()
      .where('task_execution_id', '=', taskExecutionId);
    for (const filter of page.filters) select = select.where(filter);
    if (page.after !== undefined) select = select.where(afterKey(['sequence', 'invocation_id'], page.after));
    if (page.limit !== undefined) select = select.limit(page.limit);
    const rows = await select.orderBy('sequence').orderBy('invocation_id').execute();
    return rows.map((row) => ({ item: toInvocation(row), key: [Number(row.sequence), row.invocation_id] }));
  }
}
