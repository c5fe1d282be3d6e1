/**
 * AWS-RunPatchBaseline (ssm-api.md §7.4) as a command executor: hands the document parameters to the patch
 * engine (`runPatchBaseline` of src/agent/patch/, injected so the two evolve separately) and maps its exit
 * code — 0 Success, anything else (1, 2, 194 reboot requested, 130–196 payload errors) Failed — like Run
 * Command does. The step's 7,200 s timeout and cancellation abort the engine through its signal.
 */
import {
  outputCaps,
  stoppedExitCode,
  type CommandExecution,
  type CommandExecutor,
  type ExecutionResult,
} from './executor.js';

/** The document's parameters, single-valued, defaults applied. */
export interface PatchBaselineParameters {
  operation: 'Scan' | 'Install';
  snapshotId: string;
  installOverrideList: string;
  baselineOverride: string;
  rebootOption: 'RebootIfNeeded' | 'NoReboot';
  associationId: string;
}

/** What the patch engine reports back. */
export interface PatchRunOutcome {
  exitCode: number;
  output?: string;
  error?: string;
}

/** The patch engine's entry point as this executor calls it. */
export type PatchBaselineRunner = (
  parameters: PatchBaselineParameters,
  deps: { signal: AbortSignal; commandId: string },
) => Promise<PatchRunOutcome>;

/** The step timeout of AWS-RunPatchBaseline (§7.4). */
const stepTimeoutSeconds = 7200;

/** Reads the document's parameters with their defaults. */
export function patchBaselineParameters(
  parameters: Readonly<Record<string, readonly string[]>>,
): PatchBaselineParameters {
  const one = (name: string, fallback: string): string => parameters[name]?.[0] ?? fallback;
  return {
    operation: one('Operation', 'Scan') === 'Install' ? 'Install' : 'Scan',
    snapshotId: one('SnapshotId', ''),
    installOverrideList: one('InstallOverrideList', ''),
    baselineOverride: one('BaselineOverride', ''),
    rebootOption: one('RebootOption', 'RebootIfNeeded') === 'NoReboot' ? 'NoReboot' : 'RebootIfNeeded',
    associationId: one('AssociationId', ''),
  };
}

/** The AWS-RunPatchBaseline executor around `run`. */
export function patchBaselineExecutor(run: PatchBaselineRunner): CommandExecutor {
  return async (execution: CommandExecution): Promise<ExecutionResult> => {
    const controller = new AbortController();
    let timedOut = false;
    const timeoutSeconds = Math.min(execution.executionTimeoutSeconds, stepTimeoutSeconds);
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('execution timed out'));
    }, timeoutSeconds * 1000);
    const onAbort = (): void => controller.abort(execution.signal.reason);
    execution.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const outcome = await run(patchBaselineParameters(execution.parameters), {
        signal: controller.signal,
        commandId: execution.commandId,
      });
      const stopped = timedOut ? 'TimedOut' : execution.signal.aborted ? 'Cancelled' : undefined;
      return {
        status: stopped ?? (outcome.exitCode === 0 ? 'Success' : 'Failed'),
        responseCode: stopped === undefined ? outcome.exitCode : stoppedExitCode,
        standardOutput: (outcome.output ?? '').slice(0, outputCaps.standardOutput),
        standardError: (outcome.error ?? '').slice(0, outputCaps.standardError),
      };
    } catch (error) {
      const stopped = timedOut ? 'TimedOut' : execution.signal.aborted ? 'Cancelled' : undefined;
      return {
        status: stopped ?? 'Failed',
        responseCode: stopped === undefined ? 1 : stoppedExitCode,
        standardOutput: '',
        standardError: (error instanceof Error ? error.message : String(error)).slice(
          0,
          outputCaps.standardError,
        ),
      };
    } finally {
      clearTimeout(timer);
      execution.signal.removeEventListener('abort', onAbort);
    }
  };
}
