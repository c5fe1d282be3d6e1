/** The documents capability's public door: SSM documents, sharing, service settings and State Manager associations. */
export {
  AssociationsService,
  targetsInstance,
  type AssociationResultDetail,
  type ComplianceWriter,
  type InstanceDirectory,
} from './associations-service.js';
export { AssociationsStore } from './associations-store.js';
export { AssociationRuns, fleetNodes, type AssociationFleet } from './association-runs.js';
export { associationRunsJob, associationRunsJobName } from './association-runs-job.js';
export { DocumentsService, documentArn, type DocumentUsage } from './documents-service.js';
export type { DocumentTags } from './document-tags.js';
export { DocumentsStore } from './documents-store.js';
export { ServiceSettingsService, publicSharingSettingId } from './service-settings-service.js';
export { documentsRoutes } from './documents-routes.js';
export { deriveDocumentFields } from './document-content.js';
export { checkParameters } from './document-parameters.js';
export { builtinDocument } from './builtin-documents.js';
export type { Association, AssociationRunStatus, DocumentAtVersion, SsmDocument } from './documents-model.js';
export { documentFacts, type DocumentFacts, type OwnedDocument } from './documents-facade.js';
