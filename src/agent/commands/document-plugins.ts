/**
 * The plugins a Command document step can run on this agent: aws:runShellScript, aws:runDocument (an SSM
 * document from the hub, or a file) and aws:downloadContent (an SSM document from the hub).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentResult, StepOutcome } from './document-result.js';
import { DocumentError, objectOf, textOf, type Step } from './document-steps.js';
import { runShellScript } from './shell-executor.js';

/** The plugins this agent runs. */
export const supportedPlugins = ['aws:runShellScript', 'aws:runDocument', 'aws:downloadContent'] as const;

const maxNesting = 3;
const defaultStepTimeoutSeconds = 3600;
const maxStepTimeoutSeconds = 172_800;

/** What a plugin runs with: the step, its substituted inputs, the run's directory and limits. */
export interface PluginContext {
  /** The run's working directory (relative paths resolve against it). */
  directory: string;
  step: Step;
  input: Record<string, unknown>;
  execution: { executionTimeoutSeconds: number; signal: AbortSignal };
  /** The content of an SSM document the hub has; a failure is a DocumentError naming the step. */
  fetchDocument(name: string, version: string | undefined): Promise<string>;
}

const lines = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split('\n') : [];

function secondsOf(value: unknown, fallback: number): number {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, maxStepTimeoutSeconds) : fallback;
}

/** aws:runShellScript: `runCommand` lines in `workingDirectory`, bounded by the step's and the run's timeout. */
export function runShellScriptPlugin({ directory, input, execution }: PluginContext): Promise<StepOutcome> {
  const timeout = Math.min(
    secondsOf(input['timeoutSeconds'], defaultStepTimeoutSeconds),
    execution.executionTimeoutSeconds,
  );
  const workingDirectory = typeof input['workingDirectory'] === 'string' ? input['workingDirectory'] : '';
  return runShellScript({
    commands: lines(input['runCommand']),
    workingDirectory: workingDirectory === '' ? directory : path.resolve(directory, workingDirectory),
    timeoutSeconds: timeout,
    signal: execution.signal,
  });
}

/** The content aws:runDocument runs: an SSM document (`name[:version]`) from the hub, or a local file. */
async function nestedDocumentContent(context: PluginContext, documentPath: string): Promise<string> {
  const { step, input } = context;
  const documentType = input['documentType'] ?? 'SSMDocument';
  if (documentType === 'SSMDocument') {
    const [name, version] =
      documentPath.split(':').length > 1 && !documentPath.startsWith('arn:')
        ? documentPath.split(':')
        : [documentPath, undefined];
    return context.fetchDocument(name ?? documentPath, version);
  }
  if (documentType === 'LocalPath') {
    return readFile(path.resolve(context.directory, documentPath), 'utf8').catch(() => {
      throw new DocumentError(`Step ${step.name}: no document at ${documentPath}.`);
    });
  }
  throw new DocumentError(
    `Step ${step.name}: documentType ${textOf(documentType)} is not SSMDocument or LocalPath.`,
  );
}

/**
 * aws:runDocument: runs another document (at most `maxNesting` deep) with `documentParameters`, through
 * `runNested`; the step ends as the nested run did.
 */
export async function runDocumentPlugin(
  context: PluginContext,
  depth: number,
  runNested: (content: string, parameters: Record<string, string[]>) => Promise<DocumentResult>,
): Promise<StepOutcome> {
  const { step, input } = context;
  if (depth >= maxNesting)
    throw new DocumentError(`Step ${step.name}: documents nest at most ${maxNesting} deep.`);
  const documentPath = textOf(input['documentPath']);
  if (documentPath === '') throw new DocumentError(`Step ${step.name}: documentPath is required.`);
  const content = await nestedDocumentContent(context, documentPath);
  const nestedParameters = Object.fromEntries(
    Object.entries(objectOf(input['documentParameters'] ?? {}, `Step ${step.name}: documentParameters`)).map(
      ([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]],
    ),
  );
  const nested = await runNested(content, nestedParameters);
  return {
    status: nested.status,
    responseCode: nested.responseCode,
    standardOutput: nested.standardOutput,
    standardError: nested.standardError,
  };
}

/** aws:downloadContent: writes an SSM document from the hub to `destinationPath` as `<name>.json`. */
export async function downloadContentPlugin(context: PluginContext): Promise<StepOutcome> {
  const { step, input, directory } = context;
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
  const content = await context.fetchDocument(name, version);
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
