/** The restJson1 routes of the security control operations: definitions, the caller's controls and their standards associations. */
import type { HubService } from '../findings/index.js';
import {
  pagingQuery,
  queryString,
  securityHubOperation,
  securityHubPageOf,
  withNextToken,
} from '../protocols/securityhub/index.js';
import type { RestRoute } from '../protocols/index.js';
import type { StandardsService } from './standards-service.js';
import { securityControlArnOf } from './standards.js';
import {
  batchGetStandardsControlAssociationsSchema,
  batchUpdateStandardsControlAssociationsSchema,
  listStandardsControlAssociationsSchema,
  toWireAssociation,
  batchGetSecurityControlsSchema,
  getSecurityControlDefinitionSchema,
  listSecurityControlDefinitionsSchema,
  toWireControlDefinition,
  toWireSecurityControl,
  updateSecurityControlSchema,
} from './controls-wire.js';

/** The security control routes, one group of operations per function. */
export function securityControlRoutes(hub: HubService, standards: StandardsService): RestRoute[] {
  return [
    ...securityControlDefinitionRoutes(hub, standards),
    ...securityControlApiRoutes(hub, standards),
    ...associationReadRoutes(hub, standards),
    ...associationUpdateRoutes(hub, standards),
  ];
}

/** ListSecurityControlDefinitions and GetSecurityControlDefinition. */
function securityControlDefinitionRoutes(hub: HubService, standards: StandardsService): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/securityControls/definitions',
      operation: securityHubOperation(hub, {
        name: 'ListSecurityControlDefinitions',
        schema: listSecurityControlDefinitionsSchema,
        input: (request) => ({
          StandardsArn: queryString(request.query, 'StandardsArn'),
          ...pagingQuery(request),
        }),
        handle: (ctx, input) => {
          const definitions = standards.controlDefinitions(ctx, input.StandardsArn);
          const page = securityHubPageOf(
            definitions,
            { nextToken: input.NextToken, maxResults: input.MaxResults },
            input.StandardsArn ?? null,
          );
          return Promise.resolve(
            withNextToken(
              { SecurityControlDefinitions: page.items.map(toWireControlDefinition) },
              page.nextToken,
            ),
          );
        },
      }),
    },
    {
      method: 'GET',
      path: '/securityControl/definition',
      operation: securityHubOperation(hub, {
        name: 'GetSecurityControlDefinition',
        schema: getSecurityControlDefinitionSchema,
        input: (request) => ({ SecurityControlId: queryString(request.query, 'SecurityControlId') }),
        handle: (_ctx, input) =>
          Promise.resolve({
            SecurityControlDefinition: toWireControlDefinition(
              standards.controlDefinition(input.SecurityControlId),
            ),
          }),
      }),
    },
  ];
}

/** BatchGetSecurityControls and UpdateSecurityControl: the caller's controls and their parameters. */
function securityControlApiRoutes(hub: HubService, standards: StandardsService): RestRoute[] {
  return [
    {
      method: 'POST',
      path: '/securityControls/batchGet',
      operation: securityHubOperation(hub, {
        name: 'BatchGetSecurityControls',
        schema: batchGetSecurityControlsSchema,
        handle: async (ctx, input) => {
          const { found, unprocessed } = await standards.securityControls(ctx, input.SecurityControlIds);
          return {
            SecurityControls: found.map(toWireSecurityControl),
            UnprocessedIds: unprocessed.map((u) => ({
              SecurityControlId: u.id,
              ErrorCode: u.code,
              ErrorReason: u.reason,
            })),
          };
        },
      }),
    },
    {
      method: 'PATCH',
      path: '/securityControl/update',
      operation: securityHubOperation(hub, {
        name: 'UpdateSecurityControl',
        schema: updateSecurityControlSchema,
        resource: (scope, input) =>
          input.SecurityControlId.startsWith('arn:')
            ? input.SecurityControlId
            : securityControlArnOf(scope.region, scope.accountId, input.SecurityControlId),
        handle: async (ctx, input) => {
          await standards.updateSecurityControl(
            ctx,
            input.SecurityControlId,
            input.Parameters,
            input.LastUpdateReason,
          );
          return {};
        },
      }),
    },
  ];
}

/** ListStandardsControlAssociations and BatchGetStandardsControlAssociations. */
function associationReadRoutes(hub: HubService, standards: StandardsService): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/associations',
      operation: securityHubOperation(hub, {
        name: 'ListStandardsControlAssociations',
        schema: listStandardsControlAssociationsSchema,
        input: (request) => ({
          SecurityControlId: queryString(request.query, 'SecurityControlId'),
          ...pagingQuery(request),
        }),
        handle: async (ctx, input) => {
          const views = await standards.controlAssociations(ctx, input.SecurityControlId);
          const page = securityHubPageOf(
            views,
            { nextToken: input.NextToken, maxResults: input.MaxResults },
            input.SecurityControlId,
          );
          return withNextToken(
            {
              StandardsControlAssociationSummaries: page.items.map((view) => toWireAssociation(view, false)),
            },
            page.nextToken,
          );
        },
      }),
    },
    {
      method: 'POST',
      path: '/associations/batchGet',
      operation: securityHubOperation(hub, {
        name: 'BatchGetStandardsControlAssociations',
        schema: batchGetStandardsControlAssociationsSchema,
        handle: async (ctx, input) => {
          const { found, unprocessed } = await standards.getAssociations(
            ctx,
            input.StandardsControlAssociationIds.map((id) => ({
              securityControlId: id.SecurityControlId,
              standardsArn: id.StandardsArn,
            })),
          );
          return {
            StandardsControlAssociationDetails: found.map((view) => toWireAssociation(view, true)),
            UnprocessedAssociations: unprocessed.map((u) => ({
              StandardsControlAssociationId: {
                SecurityControlId: u.securityControlId,
                StandardsArn: u.standardsArn,
              },
              ErrorCode: u.code,
              ErrorReason: u.reason,
            })),
          };
        },
      }),
    },
  ];
}

/** BatchUpdateStandardsControlAssociations: enables or disables controls per standard. */
function associationUpdateRoutes(hub: HubService, standards: StandardsService): RestRoute[] {
  return [
    {
      method: 'PATCH',
      path: '/associations',
      operation: securityHubOperation(hub, {
        name: 'BatchUpdateStandardsControlAssociations',
        schema: batchUpdateStandardsControlAssociationsSchema,
        handle: async (ctx, input) => {
          const unprocessed = await standards.updateAssociations(
            ctx,
            input.StandardsControlAssociationUpdates.map((update) => ({
              securityControlId: update.SecurityControlId,
              standardsArn: update.StandardsArn,
              status: update.AssociationStatus,
              reason: update.UpdatedReason,
            })),
          );
          const byKey = new Map(
            input.StandardsControlAssociationUpdates.map((u) => [
              `${u.SecurityControlId} ${u.StandardsArn}`,
              u,
            ]),
          );
          return {
            UnprocessedAssociationUpdates: unprocessed.map((u) => ({
              StandardsControlAssociationUpdate: byKey.get(`${u.securityControlId} ${u.standardsArn}`),
              ErrorCode: u.code,
              ErrorReason: u.reason,
            })),
          };
        },
      }),
    },
  ];
}
