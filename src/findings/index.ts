/** The findings capability's public door. */
export { AutomationRulesService } from './automation-rules-service.js';
export { AutomationRulesStore } from './automation-rules-store.js';
export { automationRulesRoutes } from './automation-rules-routes.js';
export { findingsRoutes } from './findings-routes.js';
export { FindingsService, ownAccountOnly, type AccountScope, type IngestRule } from './findings-service.js';
export { FindingsStore } from './findings-store.js';
export { HubService, hubArnOf, type HubLifecycleListener } from './hub-service.js';
export { HubStore } from './hub-store.js';
export { StoredIngestPolicy } from './ingest-policy.js';
export { InsightsService } from './insights-service.js';
export { InsightsStore } from './insights-store.js';
export { insightsRoutes } from './insights-routes.js';
export { ProductsService } from './products-service.js';
export { productsRoutes } from './products-routes.js';
export { ProductSubscriptionsStore } from './product-subscriptions-store.js';
export { TagsService } from './tags-service.js';
export { tagsRoutes } from './tags-routes.js';
export type { FindingDocument } from './model.js';
export { membersRoutes } from './members-routes.js';
export { findingAggregatorRoutes } from './finding-aggregator-routes.js';
export { FindingAggregatorService } from './finding-aggregator-service.js';
export { FindingAggregatorStore } from './finding-aggregator-store.js';
export { findingScope } from './finding-scope.js';
export {
  bodyWithLabels,
  queryInteger,
  queryString,
  securityHubOperation,
} from './security-hub-operation.js';
export { pageOf, withNextToken } from './offset-page.js';
