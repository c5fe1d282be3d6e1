/** Persistence of maintenance windows, their targets and tasks, and ClientTokens; reads are scoped by account. */
import { afterKey, inScope, type Scope } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { ExecutionStore } from './execution-store.js';
import type { MaintenanceWindow, WindowTarget, WindowTask } from './window-model.js';
import type { Keyed, PageQuery } from './window-paging.js';
import { toTarget, toWindow, windowRow } from './window-rows.js';

/** Maintenance windows, their targets and tasks in SQL; `executions` holds what they run. */
export class MaintenanceStore {
  readonly executions = new ExecutionStore();

  async insertWindow(db: DbExecutor, window: MaintenanceWindow): Promise<void> {
    await db.insertInto('maintenance_windows').values(windowRow(window)).execute();
  }

  async updateWindow(db: DbExecutor, window: MaintenanceWindow): Promise<void> {
    const { window_id: windowId, ...row } = windowRow(window);
    await db.updateTable('maintenance_windows').set(row).where('window_id', '=', windowId).execute();
  }

  async findWindow(db: DbExecutor, scope: Scope, windowId: string): Promise<MaintenanceWindow | undefined> {
    const row = await db
      .selectFrom('maintenance_windows')
      .selectAll()
      .where('window_id', '=', windowId)
      .where(inScope(scope))
      .executeTakeFirst();
    return row === undefined ? undefined : toWindow(row);
  }

  async listWindows(db: DbExecutor, scope: Scope): Promise<MaintenanceWindow[]> {
    const rows = await db
      .selectFrom('maintenance_windows')
      .selectAll()
      .where(inScope(scope))
      .orderBy('window_id')
      .execute();
    return rows.map(toWindow);
  }

  /** A page of the account's windows by id (DescribeMaintenanceWindows). */
  async pageWindows(db: DbExecutor, scope: Scope, page: PageQuery): Promise<Keyed<MaintenanceWindow>[]> {
    let select = db.selectFrom('maintenance_windows').selectAll().where(inScope(scope));
    for (const filter of page.filters) select = select.where(filter);
    if (page.after !== undefined) select = select.where(afterKey(['window_id'], page.after));
    if (page.limit !== undefined) select = select.limit(page.limit);
    const rows = await select.orderBy('window_id').execute();
    return rows.map((row) => ({ item: toWindow(row), key: [row.window_id] }));
  }

  /** Deletes a window with its targets, tasks and execution history. */
  async deleteWindow(db: DbExecutor, windowId: string): Promise<void> {
    const executions = db
      .selectFrom('maintenance_window_executions')
      .select('window_execution_id')
      .where('window_id', '=', windowId);
    await db
      .deleteFrom('maintenance_window_task_invocations')
      .where('window_execution_id', 'in', executions)
      .execute();
    await db
      .deleteFrom('maintenance_window_task_executions')
      .where('window_execution_id', 'in', executions)
      .execute();
    await db.deleteFrom('maintenance_window_executions').where('window_id', '=', windowId).execute();
    await db.deleteFrom('maintenance_window_tasks').where('window_id', '=', windowId).execute();
    await db.deleteFrom('maintenance_window_targets').where('window_id', '=', windowId).execute();
    await db.deleteFrom('maintenance_windows').where('window_id', '=', windowId).execute();
  }

  /** Enabled windows whose next run is due, across accounts, soonest first. */
  async dueWindows(db: DbExecutor, now: Date, limit: number): Promise<MaintenanceWindow[]> {
    const rows = await db
      .selectFrom('maintenance_windows')
      .selectAll()
      .where('next_execution_at', '<=', now.getTime())
      .where('enabled', '=', 1)
      .orderBy('next_execution_at')
      .limit(limit)
      .execute();
    return rows.map(toWindow);
  }

  async insertTarget(db: DbExecutor, target: WindowTarget, now: Date): Promise<void> {
    await db
      .insertInto('maintenance_window_targets')
      .values({
        window_target_id: target.windowTargetId,
        window_id: target.windowId,
        resource_type: target.resourceType,
        targets: JSON.stringify(target.targets),
        owner_information: target.ownerInformation ?? null,
        name: target.name ?? null,
        description: target.description ?? null,
        created_at: now.getTime(),
      })
      .execute();
  }

  /** A window's targets in the order they were registered. */
  async targetsOf(db: DbExecutor, windowId: string): Promise<WindowTarget[]> {
    const rows = await this.pageTargets(db, windowId, { filters: [], after: undefined, limit: undefined });
    return rows.map((row) => row.item);
  }

  /** A page of a window's targets by (registration time, id). */
  async pageTargets(db: DbExecutor, windowId: string, page: PageQuery): Promise<Keyed<WindowTarget>[]> {
    let select = db.selectFrom('maintenance_window_targets').selectAll().where('window_id', '=', windowId);
    for (const filter of page.filters) select = select.where(filter);
    if (page.after !== undefined)
      select = select.where(afterKey(['created_at', 'window_target_id'], page.after));
    if (page.limit !== undefined) select = select.limit(page.limit);
    const rows = await select.orderBy('created_at').orderBy('window_target_id').execute();
    return rows.map((row) => ({ item: toTarget(row), key: [Number(row.created_at), row.window_target_id] }));
  }

  async updateTarget(db: DbExecutor, target: WindowTarget): Promise<void> {
    await db
      .updateTable('maintenance_window_targets')
      .set({
        targets: JSON.stringify(target.targets),
        owner_information: target.ownerInformation ?? null,
        name: target.name ?? null,
        description: target.description ?? null,
      })
      .where('window_target_id', '=', target.windowTargetId)
      .execute();
  }

  async deleteTarget(db: DbExecutor, windowTargetId: string): Promise<void> {
    await db
      .deleteFrom('maintenance_window_targets')
      .where('window_target_id', '=', windowTargetId)
      .execute();
  }

  async insertTask(db: DbExecutor, task: WindowTask, now: Date): Promise<void> {
    await db
      .insertInto('maintenance_window_tasks')
      .values({
        window_task_id: task.windowTaskId,
        window_id: task.windowId,
        task: JSON.stringify(task),
        priority: task.priority,
        created_at: now.getTime(),
      })
      .execute();
  }

  async updateTask(db: DbExecutor, task: WindowTask): Promise<void> {
    await db
      .updateTable('maintenance_window_tasks')
      .set({ task: JSON.stringify(task), priority: task.priority })
      .where('window_task_id', '=', task.windowTaskId)
      .execute();
  }

  /** A window's tasks, highest priority (lowest number) first. */
  async tasksOf(db: DbExecutor, windowId: string): Promise<WindowTask[]> {
    return (await this.registeredTasksOf(db, windowId)).map((row) => row.item);
  }

  /** A window's tasks in tasksOf's order, each with its sort key (priority, registration time, id). */
  async registeredTasksOf(db: DbExecutor, windowId: string): Promise<Keyed<WindowTask>[]> {
    const rows = await db
      .selectFrom('maintenance_window_tasks')
      .select(['task', 'priority', 'created_at', 'window_task_id'])
      .where('window_id', '=', windowId)
      .orderBy('priority')
      .orderBy('created_at')
      .orderBy('window_task_id')
      .execute();
    return rows.map((row) => ({
      item: JSON.parse(row.task) as WindowTask,
      key: [Number(row.priority), Number(row.created_at), row.window_task_id],
    }));
  }

  async deleteTask(db: DbExecutor, windowTaskId: string): Promise<void> {
    await db.deleteFrom('maintenance_window_tasks').where('window_task_id', '=', windowTaskId).execute();
  }

  /** What an earlier request with this ClientToken made: its request fingerprint and resource id. */
  async findClientToken(
    db: DbExecutor,
    scope: Scope,
    operation: string,
    clientToken: string,
  ): Promise<{ fingerprint: string; resourceId: string } | undefined> {
    const row = await db
      .selectFrom('maintenance_client_tokens')
      .select(['fingerprint', 'resource_id'])
      .where(inScope(scope))
      .where('operation', '=', operation)
      .where('client_token', '=', clientToken)
      .executeTakeFirst();
    return row === undefined ? undefined : { fingerprint: row.fingerprint, resourceId: row.resource_id };
  }

  async insertClientToken(
    db: DbExecutor,
    scope: Scope,
    entry: { operation: string; clientToken: string; fingerprint: string; resourceId: string },
  ): Promise<void> {
    await db
      .insertInto('maintenance_client_tokens')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        operation: entry.operation,
        client_token: entry.clientToken,
        fingerprint: entry.fingerprint,
        resource_id: entry.resourceId,
      })
      .execute();
  }
}
