/**
 * Runs an SSM Command document the way the SSM Agent does on Linux: schema 1.2 (`runtimeConfig`) and 2.x
 * (`mainSteps`), `{{ parameter }}` substitution with the document's defaults and allowedValues, step
 * preconditions (`{"StringEquals": ["platformType", "Linux"]}`), `onFailure: exit | successAndExit`, and the
 * plugins that make sense here: aws:runShellScript, aws:runDocument (an SSM document from the hub, or a file)
 * and aws:downloadContent (an SSM document from the hub). Any other plugin fails its step with a clear error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  downloadContentPlugin,
  runDocumentPlugin,
  runShellScriptPlugin,
  supportedPlugins,
  type PluginContext,
} from './document-plugins.js';
import {
  summarizePlugins,
  type DocumentResult,
  type PluginResult,
  type StepOutcome,
} from './document-result.js';
import {
  DocumentError,
  objectOf,
  platformType,
  preconditionHolds,
  resolveParameters,
  stepsOf,
  substitute,
  type Step,
  type Value,
} from './document-steps.js';
import type { CommandExecution, CommandExecutor } from './executor.js';

/** What a document run needs besides the document. */
export interface DocumentRunOptions {
  /** The content of an SSM document the hub has (GetDocument), for aws:runDocument and aws:downloadContent. */
  fetchDocument(name: string, version: string | undefined): Promise<string>;
  /** Where each run's working directory goes; default the OS temp directory. */
  scratchRoot?: string;
}

/** The run's limits, shared by every step and nested document. */
interface RunLimits {
  executionTimeoutSeconds: number;
  signal: AbortSignal;
}

/** The steps and parameter values of `content`, or the message of why it cannot run. */
function parseDocument(
  content: string,
  parameters: Readonly<Record<string, readonly string[]>>,
): { steps: Step[]; values: Map<string, Value> } | { error: string } {
  try {
    const body = JSON.parse(content) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new DocumentError('The document is not a JSON object.');
    return {
      steps: stepsOf(body as Record<string, unknown>),
      values: resolveParameters(body as Record<string, unknown>, parameters),
    };
  } catch (error) {
    return {
      error:
        error instanceof SyntaxError
          ? `The document is not valid JSON: ${error.message}`
          : String((error as Error).message),
    };
  }
}

/** Whether a step ending with `result` ends the run (`onFailure: exit`, or `successAndExit` after a failure). */
function endsRun(step: Step, result: PluginResult): boolean {
  if ((result.status === 'Failed' || result.status === 'TimedOut') && step.onFailure === 'exit') return true;
  return step.onFailure === 'successAndExit' && result.status === 'Failed';
}

/** Runs documents for one agent. */
export class DocumentRunner {
  constructor(private readonly options: DocumentRunOptions) {}

  /** Runs `content` with `parameters`; never rejects for a document or step problem (that is a Failed result). */
  async run(execution: {
    content: string;
    parameters: Readonly<Record<string, readonly string[]>>;
    executionTimeoutSeconds: number;
    signal: AbortSignal;
  }): Promise<DocumentResult> {
    const directory = await mkdtemp(path.join(this.options.scratchRoot ?? tmpdir(), 'bulwark-document-'));
    try {
      return await this.runIn(directory, execution.content, execution.parameters, execution, 0);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  private async runIn(
    directory: string,
    content: string,
    parameters: Readonly<Record<string, readonly string[]>>,
    execution: RunLimits,
    depth: number,
  ): Promise<DocumentResult> {
    const parsed = parseDocument(content, parameters);
    if ('error' in parsed) return summarizePlugins([], parsed.error);
    const plugins: PluginResult[] = [];
    let stopped = false;
    for (const step of parsed.steps) {
      const startedAt = new Date();
      const done = (result: StepOutcome): PluginResult => ({
        name: step.name,
        action: step.action,
        startedAt,
        endedAt: new Date(),
        ...result,
      });
      if (stopped || execution.signal.aborted) {
        plugins.push(
          done({
            status: execution.signal.aborted ? 'Cancelled' : 'Skipped',
            responseCode: -1,
            standardOutput: '',
            standardError: '',
          }),
        );
        continue;
      }
      const result = done(await this.outcomeOf(directory, step, parsed.values, execution, depth));
      plugins.push(result);
      if (endsRun(step, result)) stopped = true;
    }
    return summarizePlugins(plugins, undefined);
  }

  /** A step's outcome: Skipped when its precondition does not hold, Failed when it throws. */
  private async outcomeOf(
    directory: string,
    step: Step,
    values: ReadonlyMap<string, Value>,
    execution: RunLimits,
    depth: number,
  ): Promise<StepOutcome> {
    try {
      if (!preconditionHolds(step)) {
        return {
          status: 'Skipped',
          responseCode: 0,
          standardOutput: `Step execution skipped due to unsatisfied preconditions: platformType is ${platformType}.`,
          standardError: '',
        };
      }
      return await this.runStep(directory, step, substitute(step.inputs, values), execution, depth);
    } catch (error) {
      return {
        status: 'Failed',
        responseCode: 1,
        standardOutput: '',
        standardError: error instanceof Error ? error.message : String(error),
      };
    }
  }

  private runStep(
    directory: string,
    step: Step,
    inputs: unknown,
    execution: RunLimits,
    depth: number,
  ): Promise<StepOutcome> {
    const context: PluginContext = {
      directory,
      step,
      input: objectOf(inputs ?? {}, `Step ${step.name}: inputs`),
      execution,
      fetchDocument: (name, version) => this.fetch(step, name, version),
    };
    switch (step.action) {
      case 'aws:runShellScript':
        return runShellScriptPlugin(context);
      case 'aws:runDocument':
        return runDocumentPlugin(context, depth, (content, parameters) =>
          this.runIn(directory, content, parameters, execution, depth + 1),
        );
      case 'aws:downloadContent':
        return downloadContentPlugin(context);
      default:
        throw new DocumentError(
          `Step ${step.name}: plugin ${step.action} is not supported by this agent on ${platformType} (it runs ${supportedPlugins.join(', ')}).`,
        );
    }
  }

  private async fetch(step: Step, name: string, version: string | undefined): Promise<string> {
    try {
      return await this.options.fetchDocument(name, version);
    } catch (error) {
      throw new DocumentError(
        `Step ${step.name}: document ${name} could not be read from the hub: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** A command executor running the delivered document content (any Command document, by its plugins). */
export function documentExecutor(runner: DocumentRunner): CommandExecutor {
  return async (execution: CommandExecution) => {
    if (execution.content === undefined) {
      return {
        status: 'Failed',
        responseCode: 1,
        standardOutput: '',
        standardError: `The hub sent no content for document ${execution.documentName}.`,
      };
    }
    return runner.run({
      content: execution.content,
      parameters: execution.parameters,
      executionTimeoutSeconds: execution.executionTimeoutSeconds,
      signal: execution.signal,
    });
  };
}
