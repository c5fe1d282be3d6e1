/** The awsJson1_1 routes of maintenance windows (AmazonSSM.*MaintenanceWindow*). */
import { awsJsonRoute } from '../protocols/index.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import { ssmResourceArn } from '../fleet/index.js';
import { ssmPageOf, ssmService, withNextToken } from '../protocols/ssm/index.js';
import type { MaintenanceWindowsService, TaskUpdate } from './window-service.js';
import {
  createWindowSchema,
  deregisterTargetSchema,
  describeScheduleSchema,
  describeWindowsSchema,
  executionSchema,
  executionTaskInvocationSchema,
  executionTaskInvocationsSchema,
  executionTaskSchema,
  executionTasksSchema,
  filterByFields,
  filtersOf,
  listOfWindowSchema,
  registerTargetSchema,
  registerTaskSchema,
  statusFilter,
  targetsOf,
  toWireExecution,
  toWireTarget,
  toWireTask,
  toWireTaskExecution,
  toWireTaskInvocation,
  toWireWindow,
  toWireWindowDetail,
  toWireWindowIdentity,
  updateTargetSchema,
  updateTaskSchema,
  updateWindowSchema,
  windowIdSchema,
  windowTaskSchema,
} from './window-wire.js';

/** One page of a Describe* list: `field` holds the page's items as `toWire` writes them. */
function listPage<T>(
  field: string,
  items: readonly T[],
  input: { NextToken?: string | undefined; MaxResults?: number | undefined },
  requestKey: unknown,
  toWire: (item: T) => unknown,
): Record<string, unknown> {
  const page = ssmPageOf(items, { nextToken: input.NextToken, maxResults: input.MaxResults }, requestKey, 50);
  return withNextToken({ [field]: page.items.map(toWire) }, page.nextToken);
}

const windowArn = (scope: { accountId: string; region: string }, input: { WindowId: string }): string =>
  ssmResourceArn(scope, 'MaintenanceWindow', input.WindowId);

type TaskFields = {
  WindowId: string;
  TaskArn?: string | undefined;
  Targets?: { Key: string; Values?: string[] | undefined }[] | undefined;
  Priority?: number | undefined;
  MaxConcurrency?: string | undefined;
  MaxErrors?: string | undefined;
  ServiceRoleArn?: string | undefined;
  CutoffBehavior?: 'CONTINUE_TASK' | 'CANCEL_TASK' | undefined;
  Name?: string | undefined;
  Description?: string | undefined;
  TaskInvocationParameters?:
    | {
        RunCommand?:
          | {
              Parameters?: Record<string, string[]> | undefined;
              Comment?: string | undefined;
              TimeoutSeconds?: number | undefined;
              DocumentVersion?: string | undefined;
            }
          | undefined;
        Automation?:
          | { Parameters?: Record<string, string[]> | undefined; DocumentVersion?: string | undefined }
          | undefined;
      }
    | undefined;
};

/** The task fields Register and Update share (not its type, which only registration sets). */
function taskFields(input: TaskFields): TaskUpdate {
  const run = input.TaskInvocationParameters?.RunCommand;
  const automation = input.TaskInvocationParameters?.Automation;
  const given = run ?? automation;
  return {
    windowId: input.WindowId,
    taskArn: input.TaskArn,
    targets: targetsOf(input.Targets),
    priority: input.Priority,
    maxConcurrency: input.MaxConcurrency,
    maxErrors: input.MaxErrors,
    serviceRoleArn: input.ServiceRoleArn,
    cutoffBehavior: input.CutoffBehavior,
    name: input.Name,
    description: input.Description,
    invocation:
      given === undefined
        ? undefined
        : {
            parameters: given.Parameters ?? {},
            documentVersion: given.DocumentVersion,
            comment: run?.Comment,
            timeoutSeconds: run?.TimeoutSeconds,
          },
  };
}

export function maintenanceWindowRoutes(windows: MaintenanceWindowsService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'CreateMaintenanceWindow',
      schema: createWindowSchema,
      async handle(ctx, input) {
        const window = await windows.create(
          ctx,
          {
            name: input.Name,
            description: input.Description,
            schedule: input.Schedule,
            scheduleTimezone: input.ScheduleTimezone,
            scheduleOffset: input.ScheduleOffset,
            durationHours: input.Duration,
            cutoffHours: input.Cutoff,
            allowUnassociatedTargets: input.AllowUnassociatedTargets,
            startDate: input.StartDate,
            endDate: input.EndDate,
          },
          (input.Tags ?? []).map((tag) => ({ key: tag.Key, value: tag.Value })),
          input.ClientToken,
        );
        return { WindowId: window.windowId };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetMaintenanceWindow',
      schema: windowIdSchema,
      resource: windowArn,
      async handle(ctx, input) {
        return toWireWindowDetail(await windows.get(ctx, input.WindowId));
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateMaintenanceWindow',
      schema: updateWindowSchema,
      resource: windowArn,
      async handle(ctx, input) {
        const window = await windows.update(
          ctx,
          input.WindowId,
          {
            name: input.Name,
            description: input.Description,
            schedule: input.Schedule,
            scheduleTimezone: input.ScheduleTimezone,
            scheduleOffset: input.ScheduleOffset,
            durationHours: input.Duration,
            cutoffHours: input.Cutoff,
            allowUnassociatedTargets: input.AllowUnassociatedTargets,
            enabled: input.Enabled,
            startDate: input.StartDate,
            endDate: input.EndDate,
          },
          input.Replace ?? false,
        );
        return toWireWindow(window);
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DeleteMaintenanceWindow',
      schema: windowIdSchema,
      resource: windowArn,
      async handle(ctx, input) {
        await windows.delete(ctx, input.WindowId);
        return { WindowId: input.WindowId };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeMaintenanceWindows',
      schema: describeWindowsSchema,
      async handle(ctx, input) {
        const list = await windows.list(ctx, filtersOf(input.Filters));
        return listPage(
          'WindowIdentities',
          list,
          input,
          ['DescribeMaintenanceWindows', input.Filters],
          toWireWindowIdentity,
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeMaintenanceWindowSchedule',
      schema: describeScheduleSchema,
      async handle(ctx, input) {
        const ids =
          input.WindowId === undefined
            ? (await windows.list(ctx, [])).map((w) => w.windowId)
            : [input.WindowId];
        const runs = [];
        for (const id of ids) {
          const window = await windows.get(ctx, id);
          for (const at of await windows.upcoming(ctx, id, input.MaxResults ?? 50))
            runs.push({ WindowId: id, Name: window.name, ExecutionTime: at.toISOString() });
        }
        runs.sort((a, b) => a.ExecutionTime.localeCompare(b.ExecutionTime));
        return listPage(
          'ScheduledWindowExecutions',
          runs,
          input,
          ['DescribeMaintenanceWindowSchedule', input.WindowId],
          (item) => item,
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'RegisterTargetWithMaintenanceWindow',
      schema: registerTargetSchema,
      resource: windowArn,
      async handle(ctx, input) {
        const target = await windows.registerTarget(
          ctx,
          {
            windowId: input.WindowId,
            resourceType: input.ResourceType,
            targets: targetsOf(input.Targets) ?? [],
            ownerInformation: input.OwnerInformation,
            name: input.Name,
            description: input.Description,
          },
          input.ClientToken,
        );
        return { WindowTargetId: target.windowTargetId };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateMaintenanceWindowTarget',
      schema: updateTargetSchema,
      resource: windowArn,
      async handle(ctx, input) {
        const target = await windows.updateTarget(
          ctx,
          input.WindowId,
          input.WindowTargetId,
          {
            targets: targetsOf(input.Targets),
            ownerInformation: input.OwnerInformation,
            name: input.Name,
            description: input.Description,
          },
          input.Replace ?? false,
        );
        const wire = toWireTarget(target);
        delete wire['ResourceType']; // UpdateMaintenanceWindowTarget's output has no ResourceType
        return wire;
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DeregisterTargetFromMaintenanceWindow',
      schema: deregisterTargetSchema,
      resource: windowArn,
      async handle(ctx, input) {
        await windows.deregisterTarget(ctx, input.WindowId, input.WindowTargetId, input.Safe ?? false);
        return { WindowId: input.WindowId, WindowTargetId: input.WindowTargetId };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeMaintenanceWindowTargets',
      schema: listOfWindowSchema,
      resource: windowArn,
      async handle(ctx, input) {
        return listPage(
          'Targets',
          filterByFields(await windows.targets(ctx, input.WindowId), filtersOf(input.Filters), {
            Type: (t) => t.resourceType,
            WindowTargetId: (t) => t.windowTargetId,
            OwnerInformation: (t) => t.ownerInformation ?? '',
          }),
          input,
          ['DescribeMaintenanceWindowTargets', input.WindowId, input.Filters],
          toWireTarget,
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'RegisterTaskWithMaintenanceWindow',
      schema: registerTaskSchema,
      resource: windowArn,
      async handle(ctx, input) {
        const task = await windows.registerTask(
          ctx,
          { ...taskFields(input), taskArn: input.TaskArn, taskType: input.TaskType },
          input.ClientToken,
        );
        return { WindowTaskId: task.windowTaskId };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateMaintenanceWindowTask',
      schema: updateTaskSchema,
      resource: windowArn,
      async handle(ctx, input) {
        const task = await windows.updateTask(ctx, input.WindowTaskId, taskFields(input));
        return toWireTask(task, true);
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DeregisterTaskFromMaintenanceWindow',
      schema: windowTaskSchema,
      resource: windowArn,
      async handle(ctx, input) {
        await windows.deregisterTask(ctx, input.WindowId, input.WindowTaskId);
        return { WindowId: input.WindowId, WindowTaskId: input.WindowTaskId };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeMaintenanceWindowTasks',
      schema: listOfWindowSchema,
      resource: windowArn,
      async handle(ctx, input) {
        return listPage(
          'Tasks',
          filterByFields(await windows.tasks(ctx, input.WindowId), filtersOf(input.Filters), {
            WindowTaskId: (t) => t.windowTaskId,
            TaskArn: (t) => t.taskArn,
            Priority: (t) => String(t.priority),
            TaskType: (t) => t.taskType,
          }),
          input,
          ['DescribeMaintenanceWindowTasks', input.WindowId, input.Filters],
          (task) => toWireTask(task),
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetMaintenanceWindowTask',
      schema: windowTaskSchema,
      resource: windowArn,
      async handle(ctx, input) {
        return toWireTask(await windows.getTask(ctx, input.WindowId, input.WindowTaskId), true);
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeMaintenanceWindowExecutions',
      schema: listOfWindowSchema,
      resource: windowArn,
      async handle(ctx, input) {
        return listPage(
          'WindowExecutions',
          await windows.executions(ctx, input.WindowId, filtersOf(input.Filters)),
          input,
          ['DescribeMaintenanceWindowExecutions', input.WindowId, input.Filters],
          toWireExecution,
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetMaintenanceWindowExecution',
      schema: executionSchema,
      async handle(ctx, input) {
        const execution = await windows.execution(ctx, input.WindowExecutionId);
        const tasks = await windows.executionTasks(ctx, input.WindowExecutionId);
        return {
          ...toWireExecution(execution),
          TaskIds: tasks.map((t) => t.taskExecutionId),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeMaintenanceWindowExecutionTasks',
      schema: executionTasksSchema,
      async handle(ctx, input) {
        const tasks = await windows.executionTasks(
          ctx,
          input.WindowExecutionId,
          statusFilter(filtersOf(input.Filters)),
        );
        return listPage(
          'WindowExecutionTaskIdentities',
          tasks,
          input,
          ['DescribeMaintenanceWindowExecutionTasks', input.WindowExecutionId, input.Filters],
          (t) => toWireTaskExecution(t),
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetMaintenanceWindowExecutionTask',
      schema: executionTaskSchema,
      async handle(ctx, input) {
        return toWireTaskExecution(
          await windows.executionTask(ctx, input.WindowExecutionId, input.TaskId),
          true,
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeMaintenanceWindowExecutionTaskInvocations',
      schema: executionTaskInvocationsSchema,
      async handle(ctx, input) {
        const invocations = await windows.executionTaskInvocations(
          ctx,
          input.WindowExecutionId,
          input.TaskId,
          statusFilter(filtersOf(input.Filters)),
        );
        return listPage(
          'WindowExecutionTaskInvocationIdentities',
          invocations,
          input,
          [
            'DescribeMaintenanceWindowExecutionTaskInvocations',
            input.WindowExecutionId,
            input.TaskId,
            input.Filters,
          ],
          toWireTaskInvocation,
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetMaintenanceWindowExecutionTaskInvocation',
      schema: executionTaskInvocationSchema,
      async handle(ctx, input) {
        return toWireTaskInvocation(
          await windows.executionTaskInvocation(
            ctx,
            input.WindowExecutionId,
            input.TaskId,
            input.InvocationId,
          ),
        );
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'CancelMaintenanceWindowExecution',
      schema: executionSchema,
      async handle(ctx, input) {
        await windows.cancelExecution(ctx, input.WindowExecutionId);
        return { WindowExecutionId: input.WindowExecutionId };
      },
    }),
  ];
}
