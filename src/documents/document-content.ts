/**
 * SSM document content: parsing (JSON; YAML is refused, see `parseDocumentContent`) and validation of Command
 * documents (schemaVersion 1.2, 2.0, 2.2) and the lighter shape checks of the other types.
 */
import { createHash } from 'node:crypto';
import { jsonNestingExceeds, maxJsonDepth } from '../kernel/index.js';
import { DocumentContentError, invalidContent as invalid } from './document-content-error.js';
import { checkParameterReferences, parseParameters } from './document-parameters.js';
import type { DocumentFormat, DocumentParameter, DocumentType, PlatformType } from './documents-model.js';

export { DocumentContentError } from './document-content-error.js';
export { checkParameterValue, checkParameters } from './document-parameters.js';

/** Content larger than this is refused (64 KB, ssm-api.md §11). */
export const maxDocumentContentBytes = 64 * 1024;

/** What the service keeps of valid content. */
export interface ParsedDocument {
  schemaVersion: string;
  description: string | undefined;
  parameters: DocumentParameter[];
  platformTypes: PlatformType[];
  /** The parsed content, for parameter validation and (later) execution. */
  body: Record<string, unknown>;
}

/** SHA-256 hex of the content as stored (DocumentDescription.Hash, HashType Sha256). */
export function documentHash(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/**
 * Parses and validates `content` of `type` in `format`. YAML is refused: no YAML parser ships with Bulwark and a
 * partial one would accept documents AWS reads differently; clients can send the same document as JSON.
 */
export function parseDocumentContent(
  content: string,
  format: DocumentFormat,
  type: DocumentType,
): ParsedDocument {
  if (Buffer.byteLength(content, 'utf8') > maxDocumentContentBytes) {
    throw new DocumentContentError('MaxDocumentSizeExceeded', 'The document content exceeds 64 KB.');
  }
  if (format === 'YAML') {
    return invalid(
      'YAML documents are not supported by this server: send the document as JSON (DocumentFormat JSON).',
    );
  }
  if (format === 'TEXT')
    return invalid('DocumentFormat TEXT is only valid for ApplicationConfiguration documents.');
  if (jsonNestingExceeds(content, maxJsonDepth)) {
    return invalid(`The document content nests deeper than ${maxJsonDepth} levels.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(content);
  } catch (error) {
    return invalid(`The document content is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid('The document content must be a JSON object.');
  }
  return validateDocument(body as Record<string, unknown>, type);
}

const commandSchemaVersions = ['1.2', '2.0', '2.2'];
const schemaVersionsByType: Partial<Record<DocumentType, readonly string[]>> = {
  Command: commandSchemaVersions,
  Policy: ['2.0', '2.2'],
  Automation: ['0.3'],
  Session: ['1.0'],
  Package: ['2.0'],
};

function validateDocument(body: Record<string, unknown>, type: DocumentType): ParsedDocument {
  const schemaVersion = body['schemaVersion'];
  if (typeof schemaVersion !== 'string') return invalid('schemaVersion is required and must be a string.');
  const allowed = schemaVersionsByType[type];
  if (allowed !== undefined && !allowed.includes(schemaVersion)) {
    throw new DocumentContentError(
      'InvalidDocumentSchemaVersion',
      `schemaVersion ${schemaVersion} is not supported for ${type} documents (supported: ${allowed.join(', ')}).`,
    );
  }
  const description = body['description'];
  if (description !== undefined && typeof description !== 'string') invalid('description must be a string.');
  const parameters = parseParameters(body['parameters']);
  let platformTypes: PlatformType[] = ['Windows', 'Linux', 'MacOS'];
  if (type === 'Command' || type === 'Policy') {
    platformTypes =
      schemaVersion === '1.2' ? validateRuntimeConfig(body, parameters) : validateMainSteps(body, parameters);
  } else if (type === 'Automation' && !Array.isArray(body['mainSteps'])) {
    invalid('Automation documents need mainSteps.');
  }
  return {
    schemaVersion,
    description: description as string | undefined,
    parameters,
    platformTypes,
    body,
  };
}

/** The plugins of schemaVersion 2.x documents and the platforms they run on. */
const actionPlatforms = new Map<string, readonly PlatformType[]>(
  Object.entries({
    'aws:runShellScript': ['Linux', 'MacOS'],
    'aws:runPowerShellScript': ['Windows'],
    'aws:runDocument': ['Windows', 'Linux', 'MacOS'],
    'aws:softwareInventory': ['Windows', 'Linux', 'MacOS'],
    'aws:configurePackage': ['Windows', 'Linux', 'MacOS'],
    'aws:downloadContent': ['Windows', 'Linux', 'MacOS'],
    'aws:refreshAssociation': ['Windows', 'Linux', 'MacOS'],
    'aws:updateSsmAgent': ['Windows', 'Linux', 'MacOS'],
    'aws:runDockerAction': ['Windows', 'Linux'],
    'aws:configureDocker': ['Windows', 'Linux'],
    'aws:cloudWatch': ['Windows'],
    'aws:domainJoin': ['Windows', 'Linux'],
    'aws:psModule': ['Windows'],
    'aws:applications': ['Windows'],
  }),
);

function validateMainSteps(body: Record<string, unknown>, parameters: DocumentParameter[]): PlatformType[] {
  const steps = body['mainSteps'];
  if (!Array.isArray(steps) || steps.length === 0) return invalid('mainSteps must be a non-empty list.');
  const names = new Set<string>();
  const platforms = new Set<PlatformType>();
  steps.forEach((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      invalid(`mainSteps[${index}] must be an object.`);
    const step = raw as Record<string, unknown>;
    const action = step['action'];
    const name = step['name'];
    if (typeof action !== 'string' || actionPlatforms.get(action) === undefined) {
      invalid(`mainSteps[${index}].action ${String(action)} is not a supported plugin.`);
    }
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_\-.]{1,100}$/.test(name)) {
      invalid(`mainSteps[${index}].name is required and must match [a-zA-Z0-9_\\-.]{1,100}.`);
    }
    if (names.has(name as string))
      invalid(`mainSteps[${index}].name ${String(name)} is used by another step.`);
    names.add(name as string);
    const inputs = step['inputs'];
    if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
      invalid(`mainSteps[${index}].inputs must be an object.`);
    }
    validateInputs(action as string, inputs as Record<string, unknown>, `mainSteps[${index}]`);
    const precondition = preconditionPlatform(step['precondition'], index);
    for (const platform of actionPlatforms.get(action as string) ?? []) {
      if (precondition === undefined || precondition === platform) platforms.add(platform);
    }
  });
  checkParameterReferences(steps, parameters);
  return (['Windows', 'Linux', 'MacOS'] as const).filter((p) => platforms.has(p));
}

function validateInputs(action: string, inputs: Record<string, unknown>, where: string): void {
  if (action === 'aws:runShellScript' || action === 'aws:runPowerShellScript') {
    const command = inputs['runCommand'];
    const ok =
      typeof command === 'string' ||
      (Array.isArray(command) && command.length > 0 && command.every((c) => typeof c === 'string'));
    if (!ok) invalid(`${where}.inputs.runCommand must be a string or a non-empty list of strings.`);
    for (const key of ['workingDirectory', 'timeoutSeconds']) {
      const value = inputs[key];
      if (value !== undefined && typeof value !== 'string' && typeof value !== 'number') {
        invalid(`${where}.inputs.${key} must be a string or a number.`);
      }
    }
  }
  if (action === 'aws:runDocument') {
    if (inputs['documentType'] !== 'SSMDocument' && inputs['documentType'] !== 'LocalPath') {
      invalid(`${where}.inputs.documentType must be SSMDocument or LocalPath.`);
    }
    if (typeof inputs['documentPath'] !== 'string') invalid(`${where}.inputs.documentPath must be a string.`);
  }
}

function preconditionPlatform(raw: unknown, index: number): PlatformType | undefined {
  if (raw === undefined) return undefined;
  const equals = (raw as Record<string, unknown> | null)?.['StringEquals'];
  if (!Array.isArray(equals) || equals.length !== 2 || equals[0] !== 'platformType') {
    return invalid(
      `mainSteps[${index}].precondition must be {"StringEquals": ["platformType", "<platform>"]}.`,
    );
  }
  const platform = (['Windows', 'Linux', 'MacOS'] as const).find((p) => p === equals[1]);
  if (platform === undefined)
    return invalid(`mainSteps[${index}].precondition platform must be Windows, Linux or MacOS.`);
  return platform;
}

function validateRuntimeConfig(
  body: Record<string, unknown>,
  parameters: DocumentParameter[],
): PlatformType[] {
  const config = body['runtimeConfig'];
  if (
    typeof config !== 'object' ||
    config === null ||
    Array.isArray(config) ||
    Object.keys(config).length === 0
  ) {
    return invalid('schemaVersion 1.2 documents need a non-empty runtimeConfig object.');
  }
  const platforms = new Set<PlatformType>();
  for (const [action, plugin] of Object.entries(config)) {
    const on = actionPlatforms.get(action);
    if (on === undefined) invalid(`runtimeConfig plugin ${action} is not supported.`);
    const properties = (plugin as Record<string, unknown> | null)?.['properties'];
    if (properties === undefined) invalid(`runtimeConfig.${action}.properties is required.`);
    for (const platform of on ?? []) platforms.add(platform);
  }
  checkParameterReferences(config, parameters);
  return (['Windows', 'Linux', 'MacOS'] as const).filter((p) => platforms.has(p));
}

/** Re-derives what a stored version's content declares (content was valid when stored). */
export function deriveDocumentFields(
  content: string,
  format: DocumentFormat,
  type: DocumentType = 'Command',
): Pick<ParsedDocument, 'schemaVersion' | 'description' | 'parameters' | 'platformTypes'> {
  try {
    const { schemaVersion, description, parameters, platformTypes } = parseDocumentContent(
      content,
      format,
      type,
    );
    return { schemaVersion, description, parameters, platformTypes };
  } catch {
    const body = JSON.parse(content) as Record<string, unknown>;
    const schemaVersion = body['schemaVersion'];
    return {
      schemaVersion: typeof schemaVersion === 'string' ? schemaVersion : '',
      description: undefined,
      parameters: [],
      platformTypes: [],
    };
  }
}
