/** Bulwark's GetOverview, a restJson1 operation beside Security Hub's (like GetSecurityScore). */
import type { RestRoute } from '../protocols/index.js';
import { securityHubOperation, type HubGate } from '../protocols/securityhub/index.js';
import type { OverviewService } from './overview-service.js';
import { getOverviewSchema, toWireOverview } from './overview-wire.js';

/** `GET /bulwark/overview`, action securityhub:GetOverview. */
export function overviewRoutes(hub: HubGate, overview: OverviewService): RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/bulwark/overview',
      operation: securityHubOperation(hub, {
        name: 'GetOverview',
        schema: getOverviewSchema,
        input: (request) => Object.fromEntries(request.query),
        // A new account sees its fleet and the empty states before it enables Security Hub.
        requiresHub: false,
        handle: async (ctx) => toWireOverview(await overview.overview(ctx)),
      }),
    },
  ];
}
