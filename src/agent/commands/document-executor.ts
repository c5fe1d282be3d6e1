/**
 * Runs an SSM Command document the way the SSM Agent does on Linux: schema 1.2 (`runtimeConfig`) and 2.x
 * (`mainSteps`), `{{ parameter }}` substitution with the document's defaults and allowedValues, step
 * preconditions (`{"StringEquals": ["platformType", "Linux"]}`), `onFailure: exit | successAndExit`, and the
 * plugins that make sense here: aws:runShellScript, aws:runDocument (an SSM document from the hub, or a file)
 * and aws:downloadContent (an SSM document from the hub). Any other plugin fails its step with a clear error.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  outputCaps,
  type CommandExecution,
  type CommandExecutor,
  type ExecutionResult,
  type ExecutionStatus,
} from './executor.js';
import { runShellScript } from './shell-executor.js';

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

/** What a document run needs besides the document. */
export interface DocumentRunOptions {
  /** The content of an SSM document the hub has (GetDocument), for aws:runDocument and aws:downloadContent. */
  fetchDocument(name: string, version: string | undefined): Promise<string>;
  /** Where each run's working directory goes; default the OS temp directory. */
  scratchRoot?: string;
}

/** The plugins this agent runs. */
export const supportedPlugins = ['aws:runShellScript', 'aws:runDocument', 'aws:downloadContent'] as const;

const platformType = 'Linux';
const maxNesting = 3;
const defaultStepTimeoutSeconds = 3600;
const maxStepTimeoutSeconds = 172_800;

interface Step {
  name: string;
  action: string;
  inputs: unknown;
  precondition: unknown;
  onFailure: unknown;
}

type Value = string | string[] | boolean | number | Record<string, unknown> | unknown[];

class DocumentError extends Error {}

/** A scalar input as text ('' when absent, JSON for anything structured). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** The document's steps: `mainSteps`, or one per `runtimeConfig` plugin property (schema 1.2). */
function stepsOf(body: Record<string, unknown>): Step[] {
  if (Array.isArray(body['mainSteps'])) {
    return (body['mainSteps'] as Record<string, unknown>[]).map((step, index) => ({
      name: typeof step['name'] === 'string' ? step['name'] : `step${index + 1}`,
      action: textOf(step['action']),
      inputs: step['inputs'] ?? {},
      precondition: step['precondition'],
      onFailure: step['onFailure'],
    }));
  }
  const runtime = body['runtimeConfig'];
  if (typeof runtime === 'object' && runtime !== null) {
    return Object.entries(runtime as Record<string, unknown>).flatMap(([action, config]) => {
      const properties = (config as { properties?: unknown } | null)?.properties;
      const list: unknown[] = Array.isArray(properties) ? properties : [properties ?? {}];
      return list.map((inputs) => ({
        name: action,
        action,
        inputs,
        precondition: undefined,
        onFailure: undefined,
      }));
    });
  }
  throw new DocumentError('The document has neither mainSteps nor runtimeConfig.');
}

/** The value of each declared parameter: the one given, else the default; allowedValues enforced. */
function resolveParameters(
  body: Record<string, unknown>,
  given: Readonly<Record<string, readonly string[]>>,
): Map<string, Value> {
  const declared = (body['parameters'] ?? {}) as Record<string, Record<string, unknown>>;
  const values = new Map<string, Value>();
  for (const [name, declaration] of Object.entries(declared)) {
    const type = declaration['type'];
    const sent = given[name];
    let value: Value | undefined;
    if (sent !== undefined) value = type === 'StringList' || type === 'MapList' ? [...sent] : (sent[0] ?? '');
    else if (declaration['default'] !== undefined) value = declaration['default'] as Value;
    if (value === undefined) throw new DocumentError(`Parameter ${name} is required and has no value.`);
    const allowed = declaration['allowedValues'];
    if (Array.isArray(allowed)) {
      const bad = (Array.isArray(value) ? value : [value]).find((v) => !allowed.includes(v));
      if (bad !== undefined)
        throw new DocumentError(`Parameter ${name}: ${textOf(bad)} is not one of ${allowed.join(', ')}.`);
    }
    values.set(name, value);
  }
  return values;
}

const wholeReference = /^\{\{\s*([\w.-]+)\s*\}\}$/;
const innerReference = /\{\{\s*([\w.-]+)\s*\}\}/g;

const asText = (value: Value): string =>
  Array.isArray(value)
    ? value.map(String).join('\n')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** `input` with every `{{ name }}` of a declared parameter replaced (a whole-string reference keeps the type). */
function substitute(input: unknown, values: ReadonlyMap<string, Value>): unknown {
  if (typeof input === 'string') {
    const whole = wholeReference.exec(input)?.[1];
    if (whole !== undefined && values.has(whole)) return values.get(whole);
    return input.replace(innerReference, (match, name: string) => {
      const value = values.get(name);
      return value === undefined ? match : asText(value);
    });
  }
  if (Array.isArray(input)) {
    return (input as unknown[]).flatMap((item): unknown[] => {
      const value = substitute(item, values);
      // ["{{ commands }}"] with a StringList: the list's lines in place of the reference.
      return typeof item === 'string' && Array.isArray(value) ? value : [value];
    });
  }
  if (typeof input === 'object' && input !== null) {
    return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, substitute(v, values)]));
  }
  return input;
}

/** Whether a step's precondition holds here; only `StringEquals` on `platformType` is defined for Command documents. */
function preconditionHolds(step: Step): boolean {
  if (step.precondition === undefined) return true;
  const equals = (step.precondition as { StringEquals?: unknown }).StringEquals;
  if (!Array.isArray(equals) || equals.length !== 2 || !equals.includes('platformType')) {
    throw new DocumentError(
      `Step ${step.name}: precondition ${JSON.stringify(step.precondition)} is not supported (use {"StringEquals": ["platformType", "Linux"]}).`,
    );
  }
  const other: unknown = equals[0] === 'platformType' ? equals[1] : equals[0];
  return other === platformType;
}

const lines = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split('\n') : [];

function secondsOf(value: unknown, fallback: number): number {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, maxStepTimeoutSeconds) : fallback;
}

function objectOf(value: unknown, what: string): Record<string, unknown> {
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    try {
      value = JSON.parse(value);
    } catch {
      throw new DocumentError(`${what} is not a JSON object.`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DocumentError(`${what} is not a JSON object.`);
  return value as Record<string, unknown>;
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
    execution: { executionTimeoutSeconds: number; signal: AbortSignal },
    depth: number,
  ): Promise<DocumentResult> {
    let steps: Step[];
    let values: Map<string, Value>;
    try {
      const body = JSON.parse(content) as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new DocumentError('The document is not a JSON object.');
      steps = stepsOf(body as Record<string, unknown>);
      values = resolveParameters(body as Record<string, unknown>, parameters);
    } catch (error) {
      const message =
        error instanceof SyntaxError
          ? `The document is not valid JSON: ${error.message}`
          : String((error as Error).message);
      return summarize([], message);
    }
    const plugins: PluginResult[] = [];
    let stopped = false;
    for (const step of steps) {
      const startedAt = new Date();
      const done = (
        result: Omit<PluginResult, 'name' | 'action' | 'startedAt' | 'endedAt'>,
      ): PluginResult => ({
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
      let result: PluginResult;
      try {
        if (!preconditionHolds(step)) {
          result = done({
            status: 'Skipped',
            responseCode: 0,
            standardOutput: `Step execution skipped due to unsatisfied preconditions: platformType is ${platformType}.`,
            standardError: '',
          });
        } else {
          const inputs = substitute(step.inputs, values);
          result = done(await this.runStep(directory, step, inputs, execution, depth));
        }
      } catch (error) {
        result = done({
          status: 'Failed',
          responseCode: 1,
          standardOutput: '',
          standardError: error instanceof Error ? error.message : String(error),
        });
      }
      plugins.push(result);
      if (result.status === 'Failed' || result.status === 'TimedOut') {
        if (step.onFailure === 'exit') stopped = true;
      }
      if (step.onFailure === 'successAndExit' && result.status === 'Failed') stopped = true;
    }
    return summarize(plugins, undefined);
  }

  private async runStep(
    directory: string,
    step: Step,
    inputs: unknown,
    execution: { executionTimeoutSeconds: number; signal: AbortSignal },
    depth: number,
  ): Promise<Omit<PluginResult, 'name' | 'action' | 'startedAt' | 'endedAt'>> {
    const input = objectOf(inputs ?? {}, `Step ${step.name}: inputs`);
    switch (step.action) {
      case 'aws:runShellScript': {
        const timeout = Math.min(
          secondsOf(input['timeoutSeconds'], defaultStepTimeoutSeconds),
          execution.executionTimeoutSeconds,
        );
        const workingDirectory =
          typeof input['workingDirectory'] === 'string' ? input['workingDirectory'] : '';
        return runShellScript({
          commands: lines(input['runCommand']),
          workingDirectory: workingDirectory === '' ? directory : path.resolve(directory, workingDirectory),
          timeoutSeconds: timeout,
          signal: execution.signal,
        });
      }
      case 'aws:runDocument': {
        if (depth >= maxNesting)
          throw new DocumentError(`Step ${step.name}: documents nest at most ${maxNesting} deep.`);
        const documentPath = textOf(input['documentPath']);
        if (documentPath === '') throw new DocumentError(`Step ${step.name}: documentPath is required.`);
        const documentType = input['documentType'] ?? 'SSMDocument';
        let content: string;
        if (documentType === 'SSMDocument') {
          const [name, version] =
            documentPath.split(':').length > 1 && !documentPath.startsWith('arn:')
              ? documentPath.split(':')
              : [documentPath, undefined];
          content = await this.fetch(step, name ?? documentPath, version);
        } else if (documentType === 'LocalPath') {
          content = await readFile(path.resolve(directory, documentPath), 'utf8').catch(() => {
            throw new DocumentError(`Step ${step.name}: no document at ${documentPath}.`);
          });
        } else {
          throw new DocumentError(
            `Step ${step.name}: documentType ${textOf(documentType)} is not SSMDocument or LocalPath.`,
          );
        }
        const nestedParameters = Object.fromEntries(
          Object.entries(
            objectOf(input['documentParameters'] ?? {}, `Step ${step.name}: documentParameters`),
          ).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]]),
        );
        const nested = await this.runIn(directory, content, nestedParameters, execution, depth + 1);
        return {
          status: nested.status,
          responseCode: nested.responseCode,
          standardOutput: nested.standardOutput,
          standardError: nested.standardError,
        };
      }
      case 'aws:downloadContent': {
        const sourceType = input['sourceType'];
        if (sourceType !== 'SSMDocument') {
          throw new DocumentError(
            `Step ${step.name}: sourceType ${String(sourceType)} is not supported by this agent (it downloads SSMDocument sources from the hub).`,
          );
        }
        const source = objectOf(input['sourceInfo'] ?? {}, `Step ${step.name}: sourceInfo`);
        const name = textOf(source['name']);
        if (name === '') throw new DocumentError(`Step ${step.name}: sourceInfo needs the document name.`);
        const version = source['version'] === undefined ? undefined : textOf(source['version']);
        const content = await this.fetch(step, name, version);
        const destination =
          typeof input['destinationPath'] === 'string' && input['destinationPath'] !== ''
            ? path.resolve(directory, input['destinationPath'])
            : directory;
        const file = path.join(destination, `${name.split('/').pop() ?? name}.json`);
        await mkdir(destination, { recursive: true });
        await writeFile(file, content);
        return {
          status: 'Success',
          responseCode: 0,
          standardOutput: `Content downloaded to ${file}\n`,
          standardError: '',
        };
      }
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

/** The invocation's result from its steps: outputs concatenated; Failed when a step failed or the document could not run. */
function summarize(plugins: readonly PluginResult[], documentError: string | undefined): DocumentResult {
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
