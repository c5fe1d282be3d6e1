/** How maintenance windows are stored: row ↔ domain mappings of the maintenance_window* tables. */
import type { Target } from '../protocols/ssm/index.js';
import { dateOrUndefined } from '../storage/index.js';
import type {
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

export function toWindow(row: MaintenanceWindowsTable): MaintenanceWindow {
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

export function windowRow(window: MaintenanceWindow): MaintenanceWindowsTable {
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

export function toTarget(row: MaintenanceWindowTargetsTable): WindowTarget {
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

export function toExecution(row: MaintenanceWindowExecutionsTable): WindowExecution {
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

export function executionRow(execution: WindowExecution): MaintenanceWindowExecutionsTable {
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

export function toTaskExecution(row: MaintenanceWindowTaskExecutionsTable): TaskExecution {
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

export function taskExecutionRow(execution: TaskExecution): MaintenanceWindowTaskExecutionsTable {
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

export function toInvocation(row: MaintenanceWindowTaskInvocationsTable): TaskInvocation {
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

export function invocationRow(
  invocation: TaskInvocation,
  sequence: number,
): MaintenanceWindowTaskInvocationsTable {
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
