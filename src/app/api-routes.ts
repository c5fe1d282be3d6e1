/** The HTTP route tables of a node, each derived from the service graph. */
import { auditRoutes, auditVerificationRoutes } from '../audit/index.js';
import { complianceRoutes } from '../compliance/index.js';
import { standardsRoutes } from '../controls/index.js';
import { documentsRoutes } from '../documents/index.js';
import {
  automationRulesRoutes,
  findingAggregatorRoutes,
  findingsRoutes,
  insightsRoutes,
  membersRoutes,
  productsRoutes,
  tagsRoutes,
} from '../findings/index.js';
import { fleetRoutes, inventoryRoutes } from '../fleet/index.js';
import { AwsJsonRouter } from '../http/aws-json-router.js';
import { QueryRouter } from '../http/query-router.js';
import { RestJsonRouter } from '../http/rest-json-router.js';
import { maintenanceWindowRoutes } from '../maintenance/index.js';
import { commandsRoutes } from '../operations/index.js';
import { overviewRoutes } from '../overview/index.js';
import { patchBaselineRoutes, patchStateRoutes } from '../patching/index.js';
import { stsRoutes } from '../sts/index.js';
import type { Services } from './services.js';

/** Security Hub's REST-JSON operations and Bulwark's own (`/bulwark/…`). */
export function restJsonRouter(s: Services): RestJsonRouter {
  const { hub, findings, automationRules, members, aggregators } = s.findings;
  return new RestJsonRouter([
    ...findingsRoutes(hub, findings),
    ...insightsRoutes(hub, s.insights),
    ...productsRoutes(hub, s.products),
    ...automationRulesRoutes(hub, automationRules),
    ...tagsRoutes(hub, s.findingTags),
    ...membersRoutes(hub, members),
    ...findingAggregatorRoutes(hub, aggregators),
    ...standardsRoutes(hub, s.controls.standards),
    ...overviewRoutes(hub, s.overview),
    ...auditVerificationRoutes(),
  ]);
}

/** CloudTrail's and Systems Manager's AWS-JSON operations. */
export function awsJsonRouter(s: Services): AwsJsonRouter {
  return new AwsJsonRouter([
    ...auditRoutes(s.audit),
    ...fleetRoutes(s.ssm.fleet, s.ssmTags),
    ...inventoryRoutes(s.inventory),
    ...complianceRoutes(s.compliance),
    ...patchBaselineRoutes(s.patchBaselines),
    ...patchStateRoutes(s.patchStates),
    ...documentsRoutes(s.ssm.documents, s.ssm.serviceSettings, s.associations),
    ...commandsRoutes(s.ssm.commands),
    ...maintenanceWindowRoutes(s.maintenance.windows),
  ]);
}

/** STS's query-protocol operations. */
export function queryRouter(): QueryRouter {
  return new QueryRouter(stsRoutes());
}
