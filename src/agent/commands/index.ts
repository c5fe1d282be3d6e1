/** The agent's Run Command side: the runner the agent loop polls with, and the document executors. */
export {
  CommandRunner,
  commandTargets,
  directReportSink,
  spoolReportSink,
  type CommandReportBody,
  type CommandReportSink,
  type CommandRunnerOptions,
  type PendingCommand,
} from './command-runner.js';
export {
  outputCaps,
  stoppedExitCode,
  type CommandExecution,
  type CommandExecutor,
  type ExecutionResult,
  type ExecutionStatus,
} from './executor.js';
export { runShellScript, shellScriptExecutor, type ShellScriptRun } from './shell-executor.js';
export {
  patchBaselineExecutor,
  patchBaselineParameters,
  type PatchBaselineParameters,
  type PatchBaselineRunner,
  type PatchRunOutcome,
} from './patch-baseline-executor.js';
export {
  createCommandSource,
  hubDocuments,
  type CommandSource,
  type CommandSourceContext,
} from './command-source.js';
export {
  AssociationRunner,
  associationTargets,
  type AssociationReportBody,
  type AssociationRunnerOptions,
  type InstanceAssociationItem,
} from './association-runner.js';
export { DocumentRunner, documentExecutor } from './document-executor.js';
export { supportedPlugins } from './document-plugins.js';
export {
  executionSummary,
  type DocumentResult,
  type PluginResult,
  type StepStatus,
} from './document-result.js';
