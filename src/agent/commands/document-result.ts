/** The outcome of a document run: each step's (plugin's) result and the invocation's, summarized from them. */
import { outputCaps, type ExecutionResult, type ExecutionStatus } from './executor.js';

/** How a step ended (Skipped: its precondition did not hold, or an earlier step ended the run). */
export type StepStatus = ExecutionStatus | 'Skipped';

/** One step's (plugin's) outcome, as CommandPlugins and association summaries show it. */
export interface PluginResult {
  name: string;
  action: string;
  status: StepStatus;
  responseCode: number;
  standardOutput: string;
  standardError: string;
  startedAt: Date;
  endedAt: Date;
}

/** A document run: the invocation's result plus each step's. */
export interface DocumentResult extends ExecutionResult {
  plugins: PluginResult[];
}

/** A step's outcome before the runner stamps its name, action and times. */
export type StepOutcome = Omit<PluginResult, 'name' | 'action' | 'startedAt' | 'endedAt'>;

/** The invocation's result from its steps: outputs concatenated; Failed when a step failed or the document could not run. */
export function summarizePlugins(
  plugins: readonly PluginResult[],
  documentError: string | undefined,
): DocumentResult {
  if (documentError !== undefined) {
    return {
      status: 'Failed',
      responseCode: 1,
      standardOutput: '',
      standardError: documentError,
      plugins: [],
    };
  }
  const has = (status: StepStatus): boolean => plugins.some((p) => p.status === status);
  const status: ExecutionStatus = has('Cancelled')
    ? 'Cancelled'
    : has('TimedOut')
      ? 'TimedOut'
      : has('Failed')
        ? 'Failed'
        : 'Success';
  const failing = plugins.find((p) => p.status !== 'Success' && p.status !== 'Skipped');
  return {
    status,
    responseCode: failing?.responseCode ?? 0,
    standardOutput: plugins
      .map((p) => p.standardOutput)
      .join('')
      .slice(0, outputCaps.standardOutput),
    standardError: plugins
      .map((p) => p.standardError)
      .join('')
      .slice(0, outputCaps.standardError),
    plugins: [...plugins],
  };
}

/** SSM's association ExecutionSummary: "2 out of 2 plugins processed, 1 success, 1 failed, 0 timedout, 0 skipped." */
export function executionSummary(plugins: readonly PluginResult[]): string {
  const count = (status: StepStatus): number => plugins.filter((p) => p.status === status).length;
  const noun = plugins.length === 1 ? 'plugin' : 'plugins';
  return `${plugins.length} out of ${plugins.length} ${noun} processed, ${count('Success')} success, ${count('Failed')} failed, ${count('TimedOut')} timedout, ${count('Skipped')} skipped.`;
}
