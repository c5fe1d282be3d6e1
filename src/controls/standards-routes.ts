/** The restJson1 routes of the standards and security control operations, and Bulwark's GetSecurityScore. */
import type { HubService } from '../findings/index.js';
import {
  bodyWithLabels,
  queryInteger,
  queryString,
  securityHubOperation,
  securityHubPageOf,
  withNextToken,
} from '../protocols/securityhub/index.js';
import type { RestRoute } from '../protocols/index.js';
import type { StandardsService } from './standards-service.js';
import { securityControlArnOf } from './standards.js';
import {
  batchDisableStandardsSchema,
  batchGetStandardsControlAssociationsSchema,
  batchUpdateStandardsControlAssociationsSchema,
  listStandardsControlAssociationsSchema,
  toWireAssociation,
  batchEnableStandardsSchema,
  batchGetSecurityControlsSchema,
  describeStandardsControlsSchema,
  describeStandardsSchema,
  getEnabledStandardsSchema,
  getSecurityControlDefinitionSchema,
  listSecurityControlDefinitionsSchema,
  toWireControlDefinition,
  toWireSecurityControl,
  toWireSecurityScore,
  toWireStandard,
  toWireStandardsControl,
  toWireSubscription,
  updateSecurityControlSchema,
  updateStandardsControlSchema,
} from './controls-wire.js';
import { z } from 'zod';

const paging = (request: { query: URLSearchParams }) => ({
  NextToken: queryString(request.query, 'NextToken'),
  MaxResults: queryInteger(request.query, 'MaxResults'),
});

export function standardsRoutes(hub: HubService, standards: StandardsService): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/standards',
      operation: securityHubOperation(hub, {
        name: 'DescribeStandards',
        schema: describeStandardsSchema,
        input: paging,
        handle: (ctx, input) => {
          const page = securityHubPageOf(standards.describeStandards(ctx), {
            nextToken: input.NextToken,
            maxResults: input.MaxResults,
          });
          return Promise.resolve(
            withNextToken(
              { Standards: page.items.map((s) => toWireStandard(s.standard, s.standardsArn)) },
              page.nextToken,
            ),
          );
        },
      }),
    },
    {
      method: 'POST',
      path: '/standards/register',
      operation: securityHubOperation(hub, {
        name: 'BatchEnableStandards',
        schema: batchEnableStandardsSchema,
        handle: async (ctx, input) => {
          const views = await standards.enableStandards(
            ctx,
            input.StandardsSubscriptionRequests.map((request) => ({
              standardsArn: request.StandardsArn,
              standardsInput: request.StandardsInput ?? {},
            })),
          );
          return { StandardsSubscriptions: views.map(toWireSubscription) };
        },
      }),
    },
    {
      method: 'POST',
      path: '/standards/deregister',
      operation: securityHubOperation(hub, {
        name: 'BatchDisableStandards',
        schema: batchDisableStandardsSchema,
        handle: async (ctx, input) => {
          const views = await standards.disableStandards(ctx, input.StandardsSubscriptionArns);
          return { StandardsSubscriptions: views.map(toWireSubscription) };
        },
      }),
    },
    {
      method: 'POST',
      path: '/standards/get',
      operation: securityHubOperation(hub, {
        name: 'GetEnabledStandards',
        schema: getEnabledStandardsSchema,
        handle: async (ctx, input) => {
          const views = await standards.enabledStandards(ctx, input.StandardsSubscriptionArns);
          const page = securityHubPageOf(
            views,
            { nextToken: input.NextToken, maxResults: input.MaxResults },
            input.StandardsSubscriptionArns ?? null,
          );
          return withNextToken(
            { StandardsSubscriptions: page.items.map(toWireSubscription) },
            page.nextToken,
          );
        },
      }),
    },
    {
      method: 'GET',
      path: '/standards/controls/{StandardsSubscriptionArn+}',
      operation: securityHubOperation(hub, {
        name: 'DescribeStandardsControls',
        schema: describeStandardsControlsSchema,
        input: (request) => ({ ...request.labels, ...paging(request) }),
        resource: (_scope, input) => input.StandardsSubscriptionArn,
        handle: async (ctx, input) => {
          const controls = await standards.standardsControls(ctx, input.StandardsSubscriptionArn);
          const page = securityHubPageOf(
            controls,
            { nextToken: input.NextToken, maxResults: input.MaxResults },
            input.StandardsSubscriptionArn,
          );
          return withNextToken({ Controls: page.items.map(toWireStandardsControl) }, page.nextToken);
        },
      }),
    },
    {
      method: 'PATCH',
      path: '/standards/control/{StandardsControlArn+}',
      operation: securityHubOperation(hub, {
        name: 'UpdateStandardsControl',
        schema: updateStandardsControlSchema,
        input: bodyWithLabels,
        resource: (_scope, input) => input.StandardsControlArn,
        handle: async (ctx, input) => {
          await standards.updateStandardsControl(
            ctx,
            input.StandardsControlArn,
            input.ControlStatus,
            input.DisabledReason,
          );
          return {};
        },
      }),
    },
    {
      method: 'GET',
      path: '/securityControls/definitions',
      operation: securityHubOperation(hub, {
        name: 'ListSecurityControlDefinitions',
        schema: listSecurityControlDefinitionsSchema,
        input: (request) => ({
          StandardsArn: queryString(request.query, 'StandardsArn'),
          ...paging(request),
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
    {
      method: 'GET',
      path: '/associations',
      operation: securityHubOperation(hub, {
        name: 'ListStandardsControlAssociations',
        schema: listStandardsControlAssociationsSchema,
        input: (request) => ({
          SecurityControlId: queryString(request.query, 'SecurityControlId'),
          ...paging(request),
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
    {
      method: 'GET',
      path: '/bulwark/securityScore',
      operation: securityHubOperation(hub, {
        name: 'GetSecurityScore',
        schema: z.object({}),
        input: () => ({}),
        handle: async (ctx) => ({
          SecurityScores: (await standards.securityScores(ctx)).map(toWireSecurityScore),
        }),
      }),
    },
  ];
}
