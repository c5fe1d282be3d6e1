/** The awsJson1_1 routes of a maintenance window's tasks. */
import { awsJsonRoute, type AwsJsonRoute } from '../protocols/index.js';
import { ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import type { MaintenanceWindowsService } from './window-service.js';
import type { TaskUpdate } from './window-requests.js';
import {
  filtersOf,
  listOfWindowSchema,
  registerTaskSchema,
  targetsOf,
  toWireTask,
  updateTaskSchema,
  windowArn,
  windowTaskSchema,
} from './window-wire.js';

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

/** Register, Update, Deregister, Get and Describe a window's tasks. */
export function taskRoutes(windows: MaintenanceWindowsService): AwsJsonRoute[] {
  return [
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
      name: 'GetMaintenanceWindowTask',
      schema: windowTaskSchema,
      resource: windowArn,
      async handle(ctx, input) {
        return toWireTask(await windows.getTask(ctx, input.WindowId, input.WindowTaskId), true);
      },
    }),
    describeTasksRoute(windows),
  ];
}

/** DescribeMaintenanceWindowTasks: highest priority first, filtered by WindowTaskId, TaskArn, Priority, TaskType. */
function describeTasksRoute(windows: MaintenanceWindowsService): AwsJsonRoute {
  return ssmListOperation({
    name: 'DescribeMaintenanceWindowTasks',
    schema: listOfWindowSchema,
    resultKey: 'Tasks',
    defaultMaxResults: 50,
    resource: windowArn,
    load: (ctx, { input, after, limit }) =>
      windows.windowTasks.page(ctx, input.WindowId, filtersOf(input.Filters), { after, limit }),
    keyOf: (row) => row.key,
    toWire: (row) => toWireTask(row.item),
  });
}
