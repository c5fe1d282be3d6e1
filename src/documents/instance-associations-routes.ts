/** The awsJson1_1 routes a managed node (or the legacy API) reads and reports association runs through. */
import { awsJsonRoute, type AwsJsonRoute } from '../protocols/index.js';
import { ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import { managedInstanceArn } from '../fleet/index.js';
import type { AssociationsService } from './associations-service.js';
import {
  describeInstanceAssociationsStatusSchema,
  listInstanceAssociationsSchema,
  toAssociationDescription,
  toInstanceAssociation,
  toInstanceAssociationStatusInfo,
  updateAssociationStatusSchema,
  updateInstanceAssociationStatusSchema,
} from './associations-wire.js';
import { associationKey } from './instance-associations.js';

const instanceResource = (
  scope: { accountId: string; region: string },
  input: { InstanceId: string },
): string => managedInstanceArn(scope.region, scope.accountId, input.InstanceId);

/** UpdateAssociationStatus, ListInstanceAssociations, DescribeInstanceAssociationsStatus, UpdateInstanceAssociationStatus. */
export function instanceAssociationsRoutes(associations: AssociationsService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'UpdateAssociationStatus',
      schema: updateAssociationStatusSchema,
      handle: async (ctx, input) => {
        const view = await associations.updateLegacyStatus(ctx, input.Name, input.InstanceId, {
          name: input.AssociationStatus.Name,
          message: input.AssociationStatus.Message,
          date: new Date(input.AssociationStatus.Date * 1000),
          additionalInfo: input.AssociationStatus.AdditionalInfo,
        });
        return { AssociationDescription: toAssociationDescription(view) };
      },
    }),
    ssmListOperation({
      name: 'ListInstanceAssociations',
      schema: listInstanceAssociationsSchema,
      resultKey: 'Associations',
      defaultMaxResults: 50,
      resource: instanceResource,
      load: (ctx, { input, after, limit }) =>
        associations.instanceAssociations(ctx, input.InstanceId, { after, limit }),
      keyOf: (item) => associationKey(item.association),
      toWire: (item, input) => toInstanceAssociation(input.InstanceId, item),
    }),
    ssmListOperation({
      name: 'DescribeInstanceAssociationsStatus',
      schema: describeInstanceAssociationsStatusSchema,
      resultKey: 'InstanceAssociationStatusInfos',
      defaultMaxResults: 50,
      resource: instanceResource,
      load: (ctx, { input, after, limit }) =>
        associations.instanceStatuses(ctx, input.InstanceId, { after, limit }),
      keyOf: (item) => [item.status.associationId],
      toWire: toInstanceAssociationStatusInfo,
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateInstanceAssociationStatus',
      schema: updateInstanceAssociationStatusSchema,
      resource: instanceResource,
      handle: async (ctx, input) => {
        const status = await associations.updateInstanceStatus(ctx, input.AssociationId, input.InstanceId, {
          status: input.ExecutionResult.Status,
          errorCode: input.ExecutionResult.ErrorCode,
          executionSummary: input.ExecutionResult.ExecutionSummary,
          executionDate: new Date(input.ExecutionResult.ExecutionDate * 1000),
        });
        return { InstanceAssociationStatusInfo: toInstanceAssociationStatusInfo(status) };
      },
    }),
  ];
}
