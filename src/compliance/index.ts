/** The compliance capability's public door (SSM Compliance: sets of items per resource and compliance type). */
export {
  ComplianceService,
  type ComplianceItemsQuery,
  type ComplianceSummariesQuery,
  type ComplianceTypeSummary,
  type InstanceAttributes,
  type InventoryComplianceUpload,
} from './compliance-service.js';
export { ComplianceStore, type ComplianceExecution, type SetKey } from './compliance-store.js';
export { complianceRoutes } from './compliance-routes.js';
export {
  complianceLimits,
  complianceSeverities,
  complianceStatuses,
  managedInstanceResourceType,
  summarizeItems,
  zeroSeverityCounts,
  type ComplianceItem,
  type ComplianceItemInput,
  type ComplianceSet,
  type ComplianceSeverity,
  type ComplianceStatus,
  type ComplianceUploadType,
  type ExecutionSummary,
  type PutComplianceOutcome,
  type PutComplianceRequest,
  type SetCounts,
  type SeverityCounts,
} from './compliance-model.js';
export {
  parseComplianceFilters,
  type ComplianceFilter,
  type WireComplianceFilter,
} from './compliance-filters.js';
export { compliancePurgeOnDeregistration } from './compliance-purge-subscriber.js';
export { complianceFacts, type ComplianceFacts, type NodeComplianceQuery } from './compliance-facade.js';
