/** The SSM fleet operations (awsJson1_1, `AmazonSSM.<name>`, IAM action `ssm:<name>`). */
import type { AwsJsonRoute } from '../protocols/index.js';
import { awsJsonRoute } from '../protocols/index.js';
import { activationArn, managedInstanceArn, ssmResourceArn } from './fleet-model.js';
import type { FleetService } from './fleet-service.js';
import { ssmListOperation, ssmService } from '../protocols/ssm/index.js';
import type { SsmTagsService } from './tags-service.js';
import {
  addTagsToResourceInput,
  createActivationInput,
  deleteActivationInput,
  deregisterManagedInstanceInput,
  describeActivationsInput,
  describeInstanceInformationInput,
  fromCreateActivation,
  fromRegisterManagedInstance,
  fromWireFacts,
  fromWireTags,
  instanceFiltersOf,
  listTagsForResourceInput,
  registerManagedInstanceInput,
  removeTagsFromResourceInput,
  toWireActivation,
  toWireInstanceInformation,
  toWireTags,
  updateInstanceInformationInput,
} from './fleet-wire.js';

/** What the fleet routes need to know beyond the services. */
export interface FleetRouteOptions {
  /** The current Bulwark agent version, for IsLatestVersion (omitted when unknown). */
  latestAgentVersion?: string | undefined;
}

/** The routes of activations, registration, instance information, deregistration and SSM tagging. */
export function fleetRoutes(
  fleet: FleetService,
  tags: SsmTagsService,
  options: FleetRouteOptions = {},
): AwsJsonRoute[] {
  return [...activationRoutes(fleet), ...instanceRoutes(fleet, options), ...tagRoutes(tags)];
}

const instanceResource = (scope: { accountId: string; region: string }, input: { InstanceId: string }) =>
  managedInstanceArn(scope.region, scope.accountId, input.InstanceId);

/** CreateActivation, DescribeActivations, DeleteActivation and RegisterManagedInstance. */
function activationRoutes(fleet: FleetService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'CreateActivation',
      schema: createActivationInput,
      handle: async (ctx, input) => {
        const created = await fleet.createActivation(ctx, fromCreateActivation(input));
        return { ActivationId: created.activationId, ActivationCode: created.activationCode };
      },
    }),
    ssmListOperation({
      name: 'DescribeActivations',
      schema: describeActivationsInput,
      resultKey: 'ActivationList',
      defaultMaxResults: 50,
      filters: (input) =>
        (input.Filters ?? []).map((filter) => ({ key: filter.FilterKey, values: filter.FilterValues })),
      load: (ctx, { filters, after, limit }) => fleet.describeActivations(ctx, { filters, after, limit }),
      keyOf: (activation) => [activation.createdAt.getTime(), activation.activationId],
      toWire: (activation, _input, ctx) => toWireActivation(activation, ctx.now),
    }),
    awsJsonRoute(ssmService, {
      name: 'DeleteActivation',
      schema: deleteActivationInput,
      resource: (scope, input) => activationArn(scope.region, scope.accountId, input.ActivationId),
      handle: async (ctx, input) => {
        await fleet.deleteActivation(ctx, input.ActivationId);
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'RegisterManagedInstance',
      schema: registerManagedInstanceInput,
      authentication: 'activation-code',
      identify: (db, input) => fleet.identifyActivation(db, input.ActivationId),
      resource: (scope, input) => activationArn(scope.region, scope.accountId, input.ActivationId),
      handle: async (ctx, input) => {
        const registered = await fleet.register(ctx, fromRegisterManagedInstance(input));
        return {
          InstanceId: registered.instanceId,
          AccountId: registered.accountId,
          Region: registered.region,
          AccessKeyId: registered.accessKeyId,
          SecretAccessKey: registered.secretAccessKey,
        };
      },
    }),
  ];
}

/** The instance's own operations and the operator's view of instances. */
function instanceRoutes(fleet: FleetService, options: FleetRouteOptions): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'UpdateInstanceInformation',
      schema: updateInstanceInformationInput,
      resource: instanceResource,
      handle: async (ctx, input) => {
        await fleet.updateInstanceInformation(ctx, input.InstanceId, fromWireFacts(input));
        return {};
      },
    }),
    ssmListOperation({
      name: 'DescribeInstanceInformation',
      schema: describeInstanceInformationInput,
      resultKey: 'InstanceInformationList',
      defaultMaxResults: 10,
      filters: instanceFiltersOf,
      load: async (ctx, { filters, after, limit }) =>
        fleet.describeInstanceInformation(ctx, {
          filters: await fleet.checkInstanceFilters(ctx, filters),
          after,
          limit,
        }),
      keyOf: (info) => [info.instance.instanceId],
      toWire: (info) => toWireInstanceInformation(info, options.latestAgentVersion),
    }),
    awsJsonRoute(ssmService, {
      name: 'DeregisterManagedInstance',
      schema: deregisterManagedInstanceInput,
      resource: instanceResource,
      handle: async (ctx, input) => {
        await fleet.deregister(ctx, input.InstanceId);
        return {};
      },
    }),
  ];
}

/** AddTagsToResource, RemoveTagsFromResource and ListTagsForResource. */
function tagRoutes(tags: SsmTagsService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'AddTagsToResource',
      schema: addTagsToResourceInput,
      resource: (scope, input) => ssmResourceArn(scope, input.ResourceType, input.ResourceId),
      handle: async (ctx, input) => {
        await tags.addTags(ctx, input.ResourceType, input.ResourceId, fromWireTags(input.Tags) ?? []);
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'RemoveTagsFromResource',
      schema: removeTagsFromResourceInput,
      resource: (scope, input) => ssmResourceArn(scope, input.ResourceType, input.ResourceId),
      handle: async (ctx, input) => {
        await tags.removeTags(ctx, input.ResourceType, input.ResourceId, input.TagKeys);
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ListTagsForResource',
      schema: listTagsForResourceInput,
      resource: (scope, input) => ssmResourceArn(scope, input.ResourceType, input.ResourceId),
      handle: async (ctx, input) => ({
        TagList: toWireTags(await tags.listTags(ctx, input.ResourceType, input.ResourceId)),
      }),
    }),
  ];
}
