/** Persistence of maintenance windows, their targets, tasks and executions; reads are scoped by account. */
import type { Target } from '../protocols/ssm/index.js';
import { dateOrUndefined } from '../storage/index.js';
import type {
  DbExecutor,
  MaintenanceWindowExecutionsTable,
  MaintenanceWindowsTable,
  MaintenanceWindowTargetsTable,
  MaintenanceWindowTaskExecutionsTable,
  MaintenanceWindowTaskInvocationsTable,
} from '../storage/database.js';
import type {
  ExecutionStatus,
  MaintenanceWindow,
  TaskExecution,
  TaskInvocation,
  TaskType,
  WindowExecution,
  WindowResourceType,
  WindowTarget,
  WindowTask,
} from './window-model.js';

/** An account and Region. */
export interface Scope {
  accountId: string;
  region: string;
}

function toWindow(row: MaintenanceWindowsTable): MaintenanceWindow {
  return {
    windowId: row.window_id,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    description: row.description ?? undefined,
    schedule: row.schedule,
    scheduleTimezone: row.schedule_timezone ?? undefined,
    scheduleOffset: row.schedule_offset === null ? undefined : Number(row.schedule_offset),
    durationHours: Number(row.duration_hours),
    cutoffHours: Number(row.cutoff_hours),
    allowUnassociatedTargets: Number(row.allow_unassociated_targets) === 1,
    enabled: Number(row.enabled) === 1,
    startDate: dateOrUndefined(row.start_date),
    endDate: dateOrUndefined(row.end_date),
    createdAt: new Date(Number(row.created_at)),
    modifiedAt: new Date(Number(row.modified_at)),
    nextExecutionAt: dateOrUndefined(row.next_execution_at),
  };
}

function windowRow(window: MaintenanceWindow): MaintenanceWindowsTable {
  return {
    window_id: window.windowId,
    account_id: window.accountId,
    region: window.region,
    name: window.name,
    description: window.description ?? null,
    schedule: window.schedule,
    schedule_timezone: window.scheduleTimezone ?? null,
    schedule_offset: window.scheduleOffset ?? null,
    duration_hours: window.durationHours,
    cutoff_hours: window.cutoffHours,
    allow_unassociated_targets: window.allowUnassociatedTargets ? 1 : 0,
    enabled: window.enabled ? 1 : 0,
    start_date: window.startDate?.getTime() ?? null,
    end_date: window.endDate?.getTime() ?? null,
    created_at: window.createdAt.getTime(),
    modified_at: window.modifiedAt.getTime(),
    next_execution_at: window.nextExecutionAt?.getTime() ?? null,
  };
}

function toTarget(row: MaintenanceWindowTargetsTable): WindowTarget {
  return {
    windowTargetId: row.window_target_id,
    windowId: row.window_id,
    resourceType: row.resource_type as WindowResourceType,
    targets: JSON.parse(row.targets) as Target[],
    ownerInformation: row.owner_information ?? undefined,
    name: row.name ?? undefined,
    description: row.description ?? undefined,
  };
}

function toExecution(row: MaintenanceWindowExecutionsTable): WindowExecution {
  return {
    windowExecutionId: row.window_execution_id,
    windowId: row.window_id,
    accountId: row.account_id,
    region: row.region,
    scheduledAt: new Date(Number(row.scheduled_at)),
    status: row.status as ExecutionStatus,
    statusDetails: row.status_details,
    startTime: new Date(Number(row.start_time)),
    endTime: dateOrUndefined(row.end_time),
    cancelRequested: Number(row.cancel_requested) === 1,
  };
}

function executionRow(execution: WindowExecution): MaintenanceWindowExecutionsTable {
  return {
    window_execution_id: execution.windowExecutionId,
    window_id: execution.windowId,
    account_id: execution.accountId,
    region: execution.region,
    scheduled_at: execution.scheduledAt.getTime(),
    status: execution.status,
    status_details: execution.statusDetails,
    start_time: execution.startTime.getTime(),
    end_time: execution.endTime?.getTime() ?? null,
    cancel_requested: execution.cancelRequested ? 1 : 0,
  };
}

function toTaskExecution(row: MaintenanceWindowTaskExecutionsTable): TaskExecution {
  return {
    taskExecutionId: row.task_execution_id,
    windowExecutionId: row.window_execution_id,
    task: JSON.parse(row.task) as WindowTask,
    status: row.status as ExecutionStatus,
    statusDetails: row.status_details,
    startTime: dateOrUndefined(row.start_time),
    endTime: dateOrUndefined(row.end_time),
  };
}

function taskExecutionRow(execution: TaskExecution): MaintenanceWindowTaskExecutionsTable {
  return {
    task_execution_id: execution.taskExecutionId,
    window_execution_id: execution.windowExecutionId,
    task: JSON.stringify(execution.task),
    status: execution.status,
    status_details: execution.statusDetails,
    start_time: execution.startTime?.getTime() ?? null,
    end_time: execution.endTime?.getTime() ?? null,
  };
}

function toInvocation(row: MaintenanceWindowTaskInvocationsTable): TaskInvocation {
  return {
    invocationId: row.invocation_id,
    taskExecutionId: row.task_execution_id,
    windowExecutionId: row.window_execution_id,
    executionId: row.execution_id,
    taskType: row.task_type as TaskType,
    parameters: row.parameters,
    status: row.status as ExecutionStatus,
    statusDetails: row.status_details,
    startTime: dateOrUndefined(row.start_time),
    endTime: dateOrUndefined(row.end_time),
    ownerInformation: row.owner_information ?? undefined,
    windowTargetId: row.window_target_id ?? undefined,
    targets: JSON.parse(row.targets) as Target[],
  };
}

function invocationRow(invocation: TaskInvocation, sequence: number): MaintenanceWindowTaskInvocationsTable {
  return {
    invocation_id: invocation.invocationId,
    task_execution_id: invocation.taskExecutionId,
    window_execution_id: invocation.windowExecutionId,
    sequence,
    execution_id: invocation.executionId,
    task_type: invocation.taskType,
    parameters: invocation.parameters,
    status: invocation.status,
    status_details: invocation.statusDetails,
    start_time: invocation.startTime?.getTime() ?? null,
    end_time: invocation.endTime?.getTime() ?? null,
    owner_information: invocation.ownerInformation ?? null,
    window_target_id: invocation.windowTargetId ?? null,
    targets: JSON.stringify(invocation.targets),
  };
}

/** Maintenance windows in SQL. */
export class MaintenanceStore {
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
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .executeTakeFirst();
    return row === undefined ? undefined : toWindow(row);
  }

  async listWindows(db: DbExecutor, scope: Scope): Promise<MaintenanceWindow[]> {
    const rows = await db
      .selectFrom('maintenance_windows')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .orderBy('window_id')
      .execute();
    return rows.map(toWindow);
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

  async targetsOf(db: DbExecutor, windowId: string): Promise<WindowTarget[]> {
    const rows = await db
      .selectFrom('maintenance_window_targets')
      .selectAll()
      .where('window_id', '=', windowId)
      .orderBy('created_at')
      .orderBy('window_target_id')
      .execute();
    return rows.map(toTarget);
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
    const rows = await db
      .selectFrom('maintenance_window_tasks')
      .select('task')
      .where('window_id', '=', windowId)
      .orderBy('priority')
      .orderBy('created_at')
      .orderBy('window_task_id')
      .execute();
    return rows.map((row) => JSON.parse(row.task) as WindowTask);
  }

  async deleteTask(db: DbExecutor, windowTaskId: string): Promise<void> {
    await db.deleteFrom('maintenance_window_tasks').where('window_task_id', '=', windowTaskId).execute();
  }

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
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .executeTakeFirst();
    return row === undefined ? undefined : toExecution(row);
  }

  /** A window's executions, newest first. */
  async executionsOf(db: DbExecutor, windowId: string): Promise<WindowExecution[]> {
    const rows = await db
      .selectFrom('maintenance_window_executions')
      .selectAll()
      .where('window_id', '=', windowId)
      .orderBy('scheduled_at', 'desc')
      .execute();
    return rows.map(toExecution);
  }

  /** Executions still running (or being cancelled), across accounts, oldest first. */
  async activeExecutions(db: DbExecutor, limit: number): Promise<WindowExecution[]> {
    const rows = await db
      .selectFrom('maintenance_window_executions')
      .selectAll()
      .where('status', 'in', ['PENDING', 'IN_PROGRESS', 'CANCELLING'])
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
    const rows = await db
      .selectFrom('maintenance_window_task_executions')
      .selectAll()
      .where('window_execution_id', '=', windowExecutionId)
      .orderBy('start_time')
      .orderBy('task_execution_id')
      .execute();
    return rows.map(toTaskExecution);
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
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
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

  /** A task execution's invocations in the order they run. */
  async invocationsOf(db: DbExecutor, taskExecutionId: string): Promise<TaskInvocation[]> {
    const rows = await db
      .selectFrom('maintenance_window_task_invocations')
      .selectAll()
      .where('task_execution_id', '=', taskExecutionId)
      .orderBy('sequence')
      .execute();
    return rows.map(toInvocation);
  }
}
