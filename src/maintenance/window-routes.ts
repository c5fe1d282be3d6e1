/** The awsJson1_1 routes of maintenance windows (AmazonSSM.*MaintenanceWindow*): windows and their schedule. */
import { awsJsonRoute, type AwsJsonRoute } from '../protocols/index.js';
import { ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import { executionRoutes } from './execution-routes.js';
import { targetRoutes } from './target-routes.js';
import { taskRoutes } from './task-routes.js';
import type { MaintenanceWindowsService } from './window-service.js';
import {
  createWindowSchema,
  describeScheduleSchema,
  describeWindowsSchema,
  filtersOf,
  toWireWindow,
  toWireWindowDetail,
  toWireWindowIdentity,
  updateWindowSchema,
  windowArn,
  windowIdSchema,
} from './window-wire.js';

/** Every maintenance window operation. */
export function maintenanceWindowRoutes(windows: MaintenanceWindowsService): AwsJsonRoute[] {
  return [
    ...windowRoutes(windows),
    describeWindowsRoute(windows),
    describeScheduleRoute(windows),
    ...targetRoutes(windows),
    ...taskRoutes(windows),
    ...executionRoutes(windows),
  ];
}

/** Create, Get, Update and Delete a window. */
function windowRoutes(windows: MaintenanceWindowsService): AwsJsonRoute[] {
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
  ];
}

/** DescribeMaintenanceWindows: the account's windows by id, Name and Enabled filters in SQL. */
function describeWindowsRoute(windows: MaintenanceWindowsService): AwsJsonRoute {
  return ssmListOperation({
    name: 'DescribeMaintenanceWindows',
    schema: describeWindowsSchema,
    resultKey: 'WindowIdentities',
    defaultMaxResults: 50,
    load: (ctx, { input, after, limit }) => windows.describe(ctx, filtersOf(input.Filters), { after, limit }),
    keyOf: (row) => row.key,
    toWire: (row) => toWireWindowIdentity(row.item),
  });
}

/**
 * DescribeMaintenanceWindowSchedule: the next MaxResults runs of the window (or of each of the account's),
 * soonest first.
 */
function describeScheduleRoute(windows: MaintenanceWindowsService): AwsJsonRoute {
  return ssmListOperation({
    name: 'DescribeMaintenanceWindowSchedule',
    schema: describeScheduleSchema,
    resultKey: 'ScheduledWindowExecutions',
    defaultMaxResults: 50,
    load: (ctx, { input, after, limit }) =>
      windows.schedule(ctx, input.WindowId, input.MaxResults ?? 50, { after, limit }),
    keyOf: (row) => row.key,
    toWire: ({ item }) => ({
      WindowId: item.windowId,
      Name: item.name,
      ExecutionTime: item.at.toISOString(),
    }),
  });
}
