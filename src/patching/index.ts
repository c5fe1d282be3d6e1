/** The patching capability's public door: baselines, patch groups, snapshots, patch state, and the pure rules the agent uses. */
export * from './patching-model.js';
export {
  evaluatePatch,
  isSecurityCandidate,
  matchesFilter,
  matchesFilterGroup,
  matchesPatchName,
  packageSpellings,
  ruleDateReached,
  type PatchCandidate,
  type PatchDecision,
  type PatchDecisionReason,
} from './evaluate-patch.js';
export {
  findPredefinedBaseline,
  predefinedBaseline,
  predefinedBaselineId,
  predefinedBaselines,
} from './predefined-baselines.js';
export {
  baselineArnOf,
  resolveBaselineForInstance,
  type BaselineRegistrations,
  type BaselineResolutionInput,
  type BaselineSource,
  type ResolvedBaseline,
} from './resolve-baseline.js';
export {
  PatchBaselineService,
  maxCustomBaselines,
  maxPatchGroupsPerBaseline,
  type BaselineTagStore,
  type PatchInstance,
  type PatchInstanceSource,
} from './baseline-service.js';
export { validateBaselineRules } from './baseline-rules.js';
export { PatchStateService } from './patch-state-service.js';
export {
  instancePatchStateOf,
  patchComplianceDataOf,
  type InstancePatchState,
  type PatchComplianceData,
  type PatchStateSource,
  type PatchSummaryReport,
} from './patch-state.js';
export { PatchingStore, type PatchScope } from './patching-store.js';
export { snapshotDocumentOf, snapshotDownloadUrlOf } from './snapshot-document.js';
export { patchBaselineRoutes } from './baseline-routes.js';
export { patchStateRoutes } from './patch-state-routes.js';
export {
  patchInstancesFrom,
  patchStateFrom,
  type PatchingCompliancePort,
  type PatchingFleetPort,
} from './patching-sources.js';
