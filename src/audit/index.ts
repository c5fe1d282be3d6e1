/** The audit capability's public door. */
export { AuditStore, type AuditQuery, type LookupAttributeKey } from './audit-store.js';
export type { AuditEntry, AuditIdentity, AuditResource, IdentityType } from './audit-model.js';
export {
  compactParameters,
  identityTypeOf,
  isReadOnlyEventName,
  resourceOfArn,
  summarizeResponse,
} from './audit-model.js';
export { genesisHash, recordHash, type AuditRow } from './chain.js';
export { toCloudTrailEvent, toExportLine, toLookupEvent } from './cloudtrail-event.js';
export { auditRoutes, lookupEventsOperation } from './lookup-events.js';
export { sealAuditTrail, type SealedDigest } from './seal.js';
export { verifyAuditTrail, type VerifyOptions, type VerifyReport } from './verify.js';
export {
  AuditAnchor,
  auditAnchorFile,
  auditAnchorFiles,
  readAuditAnchor,
  type AnchorContents,
  type AnchoredHead,
} from './anchor.js';
export {
  auditSigningKeyFile,
  loadAuditSigningKey,
  parseAuditPublicKey,
  trustedAuditPublicKey,
  type AuditPublicKey,
  type AuditSigningKey,
} from './signing-key.js';
export { auditSealGraceMs, auditSealIntervalMs, auditSealJob, auditSealJobName } from './audit-jobs.js';
export {
  AuditVerificationStore,
  auditVerifyFirstAfterMs,
  auditVerifyIntervalMs,
  auditVerifyJob,
  auditVerifyJobName,
  verifyAndRecord,
  type AuditVerification,
} from './verification.js';
export { auditVerificationRoutes, getAuditTrailVerificationOperation } from './verification-routes.js';
export type { DigestBody } from './digest.js';
export {
  UnauthenticatedFailureAggregator,
  defaultFailureAggregationLimits,
  failureSummaryEntry,
  type FailureAggregationLimits,
  type FailureSummary,
} from './failure-aggregator.js';
