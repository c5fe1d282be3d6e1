/** The awsJson1_1 routes of State Manager associations. */
import { awsJsonRoute, type AwsJsonRoute } from '../protocols/index.js';
import { ssmService } from '../protocols/ssm/index.js';
import { associationListRoutes } from './association-list-routes.js';
import type { AssociationsService } from './associations-service.js';
import {
  associationLocatorSchema,
  associationResource,
  createAssociationSchema,
  fromWireAssociation,
  startAssociationsOnceSchema,
  toAssociationDescription,
  updateAssociationSchema,
} from './associations-wire.js';
import { instanceAssociationsRoutes } from './instance-associations-routes.js';

/** Routes of every association operation. */
export function associationsRoutes(associations: AssociationsService): AwsJsonRoute[] {
  return [
    ...associationChangeRoutes(associations),
    ...associationListRoutes(associations),
    ...instanceAssociationsRoutes(associations),
  ];
}

/** CreateAssociation, DescribeAssociation, UpdateAssociation, DeleteAssociation, StartAssociationsOnce. */
function associationChangeRoutes(associations: AssociationsService): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'CreateAssociation',
      schema: createAssociationSchema,
      handle: async (ctx, input) => {
        const view = await associations.create(ctx, {
          ...fromWireAssociation(input),
          name: input.Name,
          instanceId: input.InstanceId,
        });
        return { AssociationDescription: toAssociationDescription(view) };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeAssociation',
      schema: associationLocatorSchema,
      resource: associationResource,
      handle: async (ctx, input) => {
        const view = await associations.describe(ctx, {
          associationId: input.AssociationId,
          name: input.Name,
          instanceId: input.InstanceId,
          associationVersion: input.AssociationVersion,
        });
        return { AssociationDescription: toAssociationDescription(view) };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateAssociation',
      schema: updateAssociationSchema,
      resource: associationResource,
      handle: async (ctx, input) => {
        const view = await associations.update(ctx, {
          ...fromWireAssociation(input),
          associationId: input.AssociationId,
          name: input.Name,
          associationVersion: input.AssociationVersion,
        });
        return { AssociationDescription: toAssociationDescription(view) };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DeleteAssociation',
      schema: associationLocatorSchema,
      resource: associationResource,
      handle: async (ctx, input) => {
        await associations.delete(ctx, {
          associationId: input.AssociationId,
          name: input.Name,
          instanceId: input.InstanceId,
        });
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'StartAssociationsOnce',
      schema: startAssociationsOnceSchema,
      handle: async (ctx, input) => {
        await associations.startOnce(ctx, input.AssociationIds);
        return {};
      },
    }),
  ];
}
