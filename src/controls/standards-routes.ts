/** The restJson1 routes of the standards and security control operations, and Bulwark's GetSecurityScore. */
import type { HubService } from '../findings/index.js';
import {
  bodyWithLabels,
  pagingQuery,
  securityHubOperation,
  securityHubPageOf,
  withNextToken,
} from '../protocols/securityhub/index.js';
import type { RestRoute } from '../protocols/index.js';
import { securityControlRoutes } from './security-control-routes.js';
import type { StandardsService } from './standards-service.js';
import {
  batchDisableStandardsSchema,
  batchEnableStandardsSchema,
  describeStandardsControlsSchema,
  describeStandardsSchema,
  getEnabledStandardsSchema,
  toWireSecurityScore,
  toWireStandard,
  toWireStandardsControl,
  toWireSubscription,
  updateStandardsControlSchema,
} from './controls-wire.js';
import { z } from 'zod';

/** The restJson1 routes of the standards and security control operations, and Bulwark's GetSecurityScore. */
export function standardsRoutes(hub: HubService, standards: StandardsService): RestRoute[] {
  return [
    ...standardsSubscriptionRoutes(hub, standards),
    ...standardsControlRoutes(hub, standards),
    ...securityControlRoutes(hub, standards),
    ...securityScoreRoutes(hub, standards),
  ];
}

/** DescribeStandards, BatchEnableStandards, BatchDisableStandards and GetEnabledStandards. */
function standardsSubscriptionRoutes(hub: HubService, standards: StandardsService): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/standards',
      operation: securityHubOperation(hub, {
        name: 'DescribeStandards',
        schema: describeStandardsSchema,
        input: pagingQuery,
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
  ];
}

/** DescribeStandardsControls and UpdateStandardsControl: a control's status within one enabled standard. */
function standardsControlRoutes(hub: HubService, standards: StandardsService): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/standards/controls/{StandardsSubscriptionArn+}',
      operation: securityHubOperation(hub, {
        name: 'DescribeStandardsControls',
        schema: describeStandardsControlsSchema,
        input: (request) => ({ ...request.labels, ...pagingQuery(request) }),
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
  ];
}

/** Bulwark's GetSecurityScore: the score of the caller's account and of the members it administers. */
function securityScoreRoutes(hub: HubService, standards: StandardsService): RestRoute[] {
  return [
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
