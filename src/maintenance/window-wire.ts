/** The AWS shapes of the maintenance window API: zod inputs and output mappers (ssm-api.md §10.3–10.4). */
import { z } from 'zod';
import {
  maxConcurrencyPattern,
  maxErrorsPattern,
  ssmError,
  toEpochSeconds,
  type Target,
} from '../protocols/ssm/index.js';
import {
  executionStatuses,
  taskTypes,
  windowLimits,
  type MaintenanceWindow,
  type TaskExecution,
  type TaskInvocation,
  type WindowExecution,
  type WindowTarget,
  type WindowTask,
} from './window-model.js';
import { ssmResourceArn } from '../fleet/index.js';

const windowId = z.string().regex(/^mw-[0-9a-f]{17}$/);
const uuid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/);
const nextToken = z.string().max(1024).optional();
const targets = z
  .array(
    z.object({ Key: z.string().min(1).max(163), Values: z.array(z.string().max(256)).max(50).optional() }),
  )
  .max(windowLimits.maxTargetsPerTarget);
const filters = z
  .array(
    z.object({
      Key: z.string().min(1).max(128),
      Values: z.array(z.string().min(1).max(256)).max(5).optional(),
    }),
  )
  .max(5)
  .optional();
const tags = z.array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) })).max(1000);
const parameters = z.record(z.string(), z.array(z.string()));

const windowFields = {
  Name: z.string().min(3).max(128),
  Description: z.string().min(1).max(128).optional(),
  StartDate: z.string().optional(),
  EndDate: z.string().optional(),
  Schedule: z.string().min(1).max(256),
  ScheduleTimezone: z.string().optional(),
  ScheduleOffset: z.number().int().min(1).max(6).optional(),
  Duration: z.number().int().min(windowLimits.minDurationHours).max(windowLimits.maxDurationHours),
  Cutoff: z.number().int().min(0).max(windowLimits.maxCutoffHours),
  AllowUnassociatedTargets: z.boolean(),
};

export const createWindowSchema = z.object({
  ...windowFields,
  ClientToken: z.string().max(64).optional(),
  Tags: tags.optional(),
});

export const updateWindowSchema = z.object({
  WindowId: windowId,
  Name: windowFields.Name.optional(),
  Description: windowFields.Description,
  StartDate: windowFields.StartDate,
  EndDate: windowFields.EndDate,
  Schedule: windowFields.Schedule.optional(),
  ScheduleTimezone: windowFields.ScheduleTimezone,
  ScheduleOffset: windowFields.ScheduleOffset,
  Duration: windowFields.Duration.optional(),
  Cutoff: windowFields.Cutoff.optional(),
  AllowUnassociatedTargets: z.boolean().optional(),
  Enabled: z.boolean().optional(),
  Replace: z.boolean().optional(),
});

export const windowIdSchema = z.object({ WindowId: windowId });

export const describeWindowsSchema = z.object({
  Filters: filters,
  MaxResults: z.number().int().min(10).max(100).optional(),
  NextToken: nextToken,
});

export const describeScheduleSchema = z.object({
  WindowId: windowId.optional(),
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: nextToken,
});

export const registerTargetSchema = z.object({
  WindowId: windowId,
  ResourceType: z.enum(['INSTANCE', 'RESOURCE_GROUP']),
  Targets: targets.min(1),
  OwnerInformation: z.string().min(1).max(128).optional(),
  Name: z.string().min(3).max(128).optional(),
  Description: z.string().min(1).max(128).optional(),
  ClientToken: z.string().max(64).optional(),
});

export const updateTargetSchema = z.object({
  WindowId: windowId,
  WindowTargetId: uuid,
  Targets: targets.min(1).optional(),
  OwnerInformation: z.string().min(1).max(128).optional(),
  Name: z.string().min(3).max(128).optional(),
  Description: z.string().min(1).max(128).optional(),
  Replace: z.boolean().optional(),
});

export const deregisterTargetSchema = z.object({
  WindowId: windowId,
  WindowTargetId: uuid,
  Safe: z.boolean().optional(),
});

export const listOfWindowSchema = z.object({
  WindowId: windowId,
  Filters: filters,
  MaxResults: z.number().int().min(10).max(100).optional(),
  NextToken: nextToken,
});

const runCommandParameters = z.object({
  Comment: z.string().max(100).optional(),
  DocumentVersion: z.string().optional(),
  Parameters: parameters.optional(),
  TimeoutSeconds: z.number().int().min(30).max(2_592_000).optional(),
  DocumentHash: z.string().optional(),
  DocumentHashType: z.string().optional(),
  OutputS3BucketName: z.string().optional(),
  OutputS3KeyPrefix: z.string().optional(),
  ServiceRoleArn: z.string().optional(),
  NotificationConfig: z.unknown().optional(),
  CloudWatchOutputConfig: z.unknown().optional(),
});

const taskFields = {
  Targets: targets.optional(),
  TaskArn: z.string().min(1).max(1600),
  ServiceRoleArn: z.string().optional(),
  TaskInvocationParameters: z
    .object({
      RunCommand: runCommandParameters.optional(),
      Automation: z
        .object({ DocumentVersion: z.string().optional(), Parameters: parameters.optional() })
        .optional(),
      StepFunctions: z.unknown().optional(),
      Lambda: z.unknown().optional(),
    })
    .optional(),
  Priority: z.number().int().min(0).max(windowLimits.maxPriority).optional(),
  MaxConcurrency: z.string().regex(maxConcurrencyPattern).optional(),
  MaxErrors: z.string().regex(maxErrorsPattern).optional(),
  Name: z.string().min(3).max(128).optional(),
  Description: z.string().min(1).max(128).optional(),
  CutoffBehavior: z.enum(['CONTINUE_TASK', 'CANCEL_TASK']).optional(),
  TaskParameters: z.unknown().optional(),
  LoggingInfo: z.unknown().optional(),
  AlarmConfiguration: z.unknown().optional(),
};

export const registerTaskSchema = z.object({
  WindowId: windowId,
  TaskType: z.enum(taskTypes),
  ClientToken: z.string().max(64).optional(),
  ...taskFields,
});

export const updateTaskSchema = z.object({
  WindowId: windowId,
  WindowTaskId: uuid,
  ...taskFields,
  TaskArn: taskFields.TaskArn.optional(),
  Replace: z.boolean().optional(),
});

export const windowTaskSchema = z.object({ WindowId: windowId, WindowTaskId: uuid });

export const executionSchema = z.object({ WindowExecutionId: uuid });

export const executionTasksSchema = z.object({
  WindowExecutionId: uuid,
  Filters: filters,
  MaxResults: z.number().int().min(10).max(100).optional(),
  NextToken: nextToken,
});

export const executionTaskSchema = z.object({ WindowExecutionId: uuid, TaskId: uuid });

export const executionTaskInvocationSchema = z.object({
  WindowExecutionId: uuid,
  TaskId: uuid,
  InvocationId: uuid,
});

export const executionTaskInvocationsSchema = executionTasksSchema.extend({ TaskId: uuid });

/** `Filters` as the service reads them. */
export const filtersOf = (input?: { Key: string; Values?: string[] | undefined }[]) =>
  (input ?? []).map((filter) => ({ key: filter.Key, values: filter.Values ?? [] }));

/** `Targets` as the service reads them. */
export const targetsOf = (input?: { Key: string; Values?: string[] | undefined }[]): Target[] | undefined =>
  input?.map((target) => ({ key: target.Key, values: target.Values ?? [] }));

/**
 * Keeps the items whose field (read by `fields[key]`) is one of each filter's values; a filter key `fields` does
 * not name is a ValidationException.
 */
export function filterByFields<T>(
  items: readonly T[],
  filters: { key: string; values: string[] }[],
  fields: Record<string, (item: T) => string>,
): T[] {
  const unknown = filters.find((f) => !Object.hasOwn(fields, f.key));
  if (unknown !== undefined)
    throw ssmError(
      'ValidationException',
      `Filter key ${unknown.key} is not one of ${Object.keys(fields).join(', ')}.`,
    );
  return items.filter((item) => filters.every((f) => f.values.includes(fields[f.key]?.(item) ?? '')));
}

/** STATUS filter values (DescribeMaintenanceWindowExecutionTasks / …TaskInvocations). */
export function statusFilter(input: { key: string; values: string[] }[]): string[] | undefined {
  const statuses = input.filter((f) => f.key === 'STATUS').flatMap((f) => f.values);
  return statuses.length === 0 ? undefined : statuses;
}

export const isExecutionStatus = (value: string): boolean =>
  (executionStatuses as readonly string[]).includes(value);

const wireTargets = (list: readonly Target[]) => list.map((t) => ({ Key: t.key, Values: t.values }));
const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

/** The fields GetMaintenanceWindow, DescribeMaintenanceWindows and UpdateMaintenanceWindow share. */
export function toWireWindow(window: MaintenanceWindow): Record<string, unknown> {
  return {
    WindowId: window.windowId,
    Name: window.name,
    ...optional('Description', window.description),
    ...optional('StartDate', window.startDate?.toISOString()),
    ...optional('EndDate', window.endDate?.toISOString()),
    Schedule: window.schedule,
    ...optional('ScheduleTimezone', window.scheduleTimezone),
    ...optional('ScheduleOffset', window.scheduleOffset),
    Duration: window.durationHours,
    Cutoff: window.cutoffHours,
    AllowUnassociatedTargets: window.allowUnassociatedTargets,
    Enabled: window.enabled,
  };
}

/** GetMaintenanceWindow adds the next run and the dates. */
export function toWireWindowDetail(window: MaintenanceWindow): Record<string, unknown> {
  return {
    ...toWireWindow(window),
    ...optional('NextExecutionTime', window.nextExecutionAt?.toISOString()),
    CreatedDate: toEpochSeconds(window.createdAt),
    ModifiedDate: toEpochSeconds(window.modifiedAt),
  };
}

/** DescribeMaintenanceWindows' WindowIdentity. */
export function toWireWindowIdentity(window: MaintenanceWindow): Record<string, unknown> {
  const identity = toWireWindow(window);
  delete identity['AllowUnassociatedTargets'];
  return { ...identity, ...optional('NextExecutionTime', window.nextExecutionAt?.toISOString()) };
}

export function toWireTarget(target: WindowTarget): Record<string, unknown> {
  return {
    WindowId: target.windowId,
    WindowTargetId: target.windowTargetId,
    ResourceType: target.resourceType,
    Targets: wireTargets(target.targets),
    ...optional('OwnerInformation', target.ownerInformation),
    ...optional('Name', target.name),
    ...optional('Description', target.description),
  };
}

function invocationParametersOf(task: WindowTask): Record<string, unknown> {
  const { parameters, comment, timeoutSeconds, documentVersion } = task.invocation;
  if (task.taskType === 'AUTOMATION')
    return { Automation: { Parameters: parameters, ...optional('DocumentVersion', documentVersion) } };
  return {
    RunCommand: {
      Parameters: parameters,
      ...optional('Comment', comment),
      ...optional('TimeoutSeconds', timeoutSeconds),
      ...optional('DocumentVersion', documentVersion),
    },
  };
}

/** DescribeMaintenanceWindowTasks' item; GetMaintenanceWindowTask adds TaskInvocationParameters. */
export function toWireTask(task: WindowTask, detail = false): Record<string, unknown> {
  return {
    WindowId: task.windowId,
    WindowTaskId: task.windowTaskId,
    TaskArn: task.taskArn,
    [detail ? 'TaskType' : 'Type']: task.taskType,
    Targets: wireTargets(task.targets),
    Priority: task.priority,
    ...optional('ServiceRoleArn', task.serviceRoleArn),
    ...optional('MaxConcurrency', task.maxConcurrency),
    ...optional('MaxErrors', task.maxErrors),
    ...optional('Name', task.name),
    ...optional('Description', task.description),
    CutoffBehavior: task.cutoffBehavior,
    ...(detail ? { TaskInvocationParameters: invocationParametersOf(task) } : {}),
  };
}

const epoch = (date: Date | undefined) => (date === undefined ? undefined : toEpochSeconds(date));

export function toWireExecution(execution: WindowExecution): Record<string, unknown> {
  return {
    WindowId: execution.windowId,
    WindowExecutionId: execution.windowExecutionId,
    Status: execution.status,
    StatusDetails: execution.statusDetails,
    StartTime: toEpochSeconds(execution.startTime),
    ...optional('EndTime', epoch(execution.endTime)),
  };
}

/** DescribeMaintenanceWindowExecutionTasks' item; GetMaintenanceWindowExecutionTask adds the task's settings. */
export function toWireTaskExecution(execution: TaskExecution, detail = false): Record<string, unknown> {
  const { task } = execution;
  return {
    WindowExecutionId: execution.windowExecutionId,
    TaskExecutionId: execution.taskExecutionId,
    Status: execution.status,
    StatusDetails: execution.statusDetails,
    ...optional('StartTime', epoch(execution.startTime)),
    ...optional('EndTime', epoch(execution.endTime)),
    TaskArn: task.taskArn,
    ...(detail
      ? {
          Type: task.taskType,
          Priority: task.priority,
          ...optional('MaxConcurrency', task.maxConcurrency),
          ...optional('MaxErrors', task.maxErrors),
          ...optional('ServiceRole', task.serviceRoleArn),
        }
      : { TaskType: task.taskType }),
  };
}

export function toWireTaskInvocation(invocation: TaskInvocation): Record<string, unknown> {
  return {
    WindowExecutionId: invocation.windowExecutionId,
    TaskExecutionId: invocation.taskExecutionId,
    InvocationId: invocation.invocationId,
    ExecutionId: invocation.executionId,
    TaskType: invocation.taskType,
    Parameters: invocation.parameters,
    Status: invocation.status,
    StatusDetails: invocation.statusDetails,
    ...optional('StartTime', epoch(invocation.startTime)),
    ...optional('EndTime', epoch(invocation.endTime)),
    ...optional('OwnerInformation', invocation.ownerInformation),
    ...optional('WindowTargetId', invocation.windowTargetId),
  };
}

/** The ARN of the window a request names (what IAM checks). */
export const windowArn = (
  scope: { accountId: string; region: string },
  input: { WindowId: string },
): string => ssmResourceArn(scope, 'MaintenanceWindow', input.WindowId);
