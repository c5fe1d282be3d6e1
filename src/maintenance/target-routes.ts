/** The awsJson1_1 routes of a maintenance window's targets. */
import { awsJsonRoute, type AwsJsonRoute } from '../protocols/index.js';
import { ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import type { MaintenanceWindowsService } from './window-service.js';
import {
  deregisterTargetSchema,
  filtersOf,
  listOfWindowSchema,
  registerTargetSchema,
  targetsOf,
  toWireTarget,
  updateTargetSchema,
  windowArn,
} from './window-wire.js';

/** Register, Update, Deregister and Describe a window's targets. */
export function targetRoutes(windows: MaintenanceWindowsService): AwsJsonRoute[] {
  return [
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
    describeTargetsRoute(windows),
  ];
}

/** DescribeMaintenanceWindowTargets: in the order they were registered, Type / WindowTargetId / OwnerInformation in SQL. */
function describeTargetsRoute(windows: MaintenanceWindowsService): AwsJsonRoute {
  return ssmListOperation({
    name: 'DescribeMaintenanceWindowTargets',
    schema: listOfWindowSchema,
    resultKey: 'Targets',
    defaultMaxResults: 50,
    resource: windowArn,
    load: (ctx, { input, after, limit }) =>
      windows.windowTargets.page(ctx, input.WindowId, filtersOf(input.Filters), { after, limit }),
    keyOf: (row) => row.key,
    toWire: (row) => toWireTarget(row.item),
  });
}
