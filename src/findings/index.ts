/** The findings capability's public door. */
export { findingsRoutes } from './findings-routes.js';
export { FindingsService, type IngestRule } from './findings-service.js';
export { FindingsStore } from './findings-store.js';
export { HubService } from './hub-service.js';
export { HubStore } from './hub-store.js';
export { StoredIngestPolicy } from './ingest-policy.js';
export { ProductSubscriptionsStore } from './product-subscriptions-store.js';
export type { FindingDocument } from './model.js';
