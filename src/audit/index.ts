/** The audit capability's public door. */
export { AuditStore, type AuditQuery, type LookupAttributeKey } from './store.js';
export type { AuditEntry, AuditIdentity, AuditResource, IdentityType } from './model.js';
export {
  compactParameters,
  identityTypeOf,
  isReadOnlyEventName,
  resourceOfArn,
  summarizeResponse,
} from './model.js';
export { genesisHash, recordHash, type AuditRow } from './chain.js';
export { toCloudTrailEvent, toExportLine, toLookupEvent } from './cloudtrail-event.js';
export { auditRoutes, cloudTrailTargetPrefix, lookupEventsOperation } from './lookup-events.js';
export { sealAuditTrail, type SealedDigest } from './seal.js';
export { verifyAuditTrail, type VerifyReport } from './verify.js';
export {
  auditSigningKeyFile,
  loadAuditSigningKey,
  parseAuditPublicKey,
  type AuditPublicKey,
  type AuditSigningKey,
} from './signing-key.js';
export { auditSealJob, auditSealJobName } from './jobs.js';
export type { DigestBody } from './digest.js';
