/** The awsJson1_1 routes listing associations and their history, keyset-paged. */
import type { AwsJsonRoute } from '../protocols/index.js';
import { ssmListOperation } from '../protocols/ssm/index.js';
import { executionOrder } from './association-executions-store.js';
import type { AssociationsService } from './associations-service.js';
import {
  associationResource,
  describeAssociationExecutionTargetsSchema,
  describeAssociationExecutionsSchema,
  listAssociationVersionsSchema,
  listAssociationsSchema,
  toAssociationExecution,
  toAssociationExecutionTarget,
  toAssociationListItem,
  toAssociationVersionInfo,
} from './associations-wire.js';
import { associationKey } from './instance-associations.js';

/** ListAssociations, ListAssociationVersions, DescribeAssociationExecutions, DescribeAssociationExecutionTargets. */
export function associationListRoutes(associations: AssociationsService): AwsJsonRoute[] {
  return [
    ssmListOperation({
      name: 'ListAssociations',
      schema: listAssociationsSchema,
      resultKey: 'Associations',
      defaultMaxResults: 50,
      load: (ctx, { input, after, limit }) =>
        associations.list(ctx, input.AssociationFilterList ?? [], { after, limit }),
      keyOf: (view) => associationKey(view.association),
      toWire: toAssociationListItem,
    }),
    ssmListOperation({
      name: 'ListAssociationVersions',
      schema: listAssociationVersionsSchema,
      resultKey: 'AssociationVersions',
      defaultMaxResults: 50,
      resource: associationResource,
      load: (ctx, { input, after, limit }) =>
        associations.listVersions(ctx, input.AssociationId, { after, limit }),
      keyOf: (version) => [version.version],
      toWire: (version, input) => toAssociationVersionInfo(input.AssociationId, version),
    }),
    ssmListOperation({
      name: 'DescribeAssociationExecutions',
      schema: describeAssociationExecutionsSchema,
      resultKey: 'AssociationExecutions',
      defaultMaxResults: 50,
      resource: associationResource,
      load: (ctx, { input, after, limit }) =>
        associations.executions(ctx, input.AssociationId, { after, limit }, input.Filters ?? []),
      keyOf: (execution) =>
        executionOrder.map((term) =>
          term.column === 'created_at' ? execution.createdAt.getTime() : execution.executionId,
        ),
      toWire: toAssociationExecution,
    }),
    ssmListOperation({
      name: 'DescribeAssociationExecutionTargets',
      schema: describeAssociationExecutionTargetsSchema,
      resultKey: 'AssociationExecutionTargets',
      defaultMaxResults: 50,
      resource: associationResource,
      load: (ctx, { input, after, limit }) =>
        associations.executionTargets(
          ctx,
          input.AssociationId,
          input.ExecutionId,
          { after, limit },
          input.Filters ?? [],
        ),
      keyOf: (target) => [target.instanceId],
      toWire: toAssociationExecutionTarget,
    }),
  ];
}
