/** The controls capability's public door: standards, security controls, their evaluation and patch findings. */
export { controlCatalogue, findControl, type ControlDefinition } from './catalogue.js';
export { standardCatalogue, standardsArnOf, subscriptionArnOf } from './standards.js';
export { ControlsStore, type ControlScopeKey } from './controls-store.js';
export type {
  AccountFacts,
  ControlFactsSource,
  DocumentFacts,
  NodeFacts,
  PatchSummaryFacts,
} from './facts.js';
export {
  ControlEvaluator,
  type EvaluationOutcome,
  type EvaluationTarget,
  type HubDirectory,
  type ServiceFindingsSink,
} from './evaluator.js';
export { PatchFindings, missingPatchFindingId, patchSummaryFindingId } from './patch-findings.js';
export { StandardsService } from './standards-service.js';
export type { SecurityScore } from './security-score.js';
export { standardsRoutes } from './standards-routes.js';
export { controlEvaluationSubscriber, controlsSweepJob, evaluateAccountJob } from './controls-jobs.js';
export { controlFindingIdOf, securityHubProductArnOf } from './control-finding.js';
export {
  controlFactsFrom,
  hubDirectoryFrom,
  type ControlCompliancePort,
  type ControlDocumentsPort,
  type ControlFleetPort,
  type ControlHubsPort,
} from './control-sources.js';
