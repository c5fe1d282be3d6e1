/** The awsJson1_1 routes of maintenance window executions: the history the scheduler records, and cancelling. */
import { awsJsonRoute, type AwsJsonRoute } from '../protocols/index.js';
import { ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import type { MaintenanceWindowsService } from './window-service.js';
import {
  executionSchema,
  executionTaskInvocationSchema,
  executionTaskInvocationsSchema,
  executionTaskSchema,
  executionTasksSchema,
  filtersOf,
  listOfWindowSchema,
  statusFilter,
  toWireExecution,
  toWireTaskExecution,
  toWireTaskInvocation,
  windowArn,
} from './window-wire.js';

/** Get and Describe executions, their tasks and task invocations; cancel an execution. */
export function executionRoutes(windows: MaintenanceWindowsService): AwsJsonRoute[] {
  return [
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
    describeExecutionsRoute(windows),
    describeExecutionTasksRoute(windows),
    describeTaskInvocationsRoute(windows),
  ];
}

/** DescribeMaintenanceWindowExecutions: newest first, ExecutedAfter / ExecutedBefore in SQL. */
function describeExecutionsRoute(windows: MaintenanceWindowsService): AwsJsonRoute {
  return ssmListOperation({
    name: 'DescribeMaintenanceWindowExecutions',
    schema: listOfWindowSchema,
    resultKey: 'WindowExecutions',
    defaultMaxResults: 50,
    resource: windowArn,
    load: (ctx, { input, after, limit }) =>
      windows.windowExecutions.executions(ctx, input.WindowId, filtersOf(input.Filters), { after, limit }),
    keyOf: (row) => row.key,
    toWire: (row) => toWireExecution(row.item),
  });
}

/** DescribeMaintenanceWindowExecutionTasks: in the order they started, STATUS in SQL. */
function describeExecutionTasksRoute(windows: MaintenanceWindowsService): AwsJsonRoute {
  return ssmListOperation({
    name: 'DescribeMaintenanceWindowExecutionTasks',
    schema: executionTasksSchema,
    resultKey: 'WindowExecutionTaskIdentities',
    defaultMaxResults: 50,
    load: (ctx, { input, after, limit }) =>
      windows.windowExecutions.executionTasks(
        ctx,
        input.WindowExecutionId,
        statusFilter(filtersOf(input.Filters)),
        { after, limit },
      ),
    keyOf: (row) => row.key,
    toWire: (row) => toWireTaskExecution(row.item),
  });
}

/** DescribeMaintenanceWindowExecutionTaskInvocations: in the order they run, STATUS in SQL. */
function describeTaskInvocationsRoute(windows: MaintenanceWindowsService): AwsJsonRoute {
  return ssmListOperation({
    name: 'DescribeMaintenanceWindowExecutionTaskInvocations',
    schema: executionTaskInvocationsSchema,
    resultKey: 'WindowExecutionTaskInvocationIdentities',
    defaultMaxResults: 50,
    load: (ctx, { input, after, limit }) =>
      windows.windowExecutions.executionTaskInvocations(
        ctx,
        input.WindowExecutionId,
        input.TaskId,
        statusFilter(filtersOf(input.Filters)),
        { after, limit },
      ),
    keyOf: (row) => row.key,
    toWire: (row) => toWireTaskInvocation(row.item),
  });
}
