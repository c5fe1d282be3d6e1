/**
 * SSM document content: parsing (JSON; YAML is refused, see `parseDocumentContent`) and validation of Command
 * documents (schemaVersion 1.2, 2.0, 2.2) and the lighter shape checks of the other types.
 */
import { createHash } from 'node:crypto';
import { jsonNestingExceeds, maxJsonDepth } from '../kernel/index.js';
import type {
  DocumentFormat,
  DocumentParameter,
  DocumentType,
  ParameterType,
  PlatformType,
} from './model.js';

/** Content larger than this is refused (64 KB, ssm-api.md §11). */
export const maxDocumentContentBytes = 64 * 1024;

/** Why content was refused, and as which SSM exception. */
export class DocumentContentError extends Error {
  override readonly name = 'DocumentContentError';
  constructor(
    readonly exceptionName:
      'InvalidDocumentContent' | 'InvalidDocumentSchemaVersion' | 'MaxDocumentSizeExceeded',
    message: string,
  ) {
    super(message);
  }
}

/** What the service keeps of valid content. */
export interface ParsedDocument {
  schemaVersion: string;
  description: string | undefined;
  parameters: DocumentParameter[];
  platformTypes: PlatformType[];
  /** The parsed content, for parameter validation and (later) execution. */
  body: Record<string, unknown>;
}

const invalid = (message: string): never => {
  throw new DocumentContentError('InvalidDocumentContent', message);
};

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

const parameterTypes: readonly ParameterType[] = [
  'String',
  'StringList',
  'Boolean',
  'Integer',
  'MapList',
  'StringMap',
];
const parameterKeys = new Set([
  'type',
  'description',
  'default',
  'allowedValues',
  'allowedPattern',
  'displayType',
  'minItems',
  'maxItems',
  'minChars',
  'maxChars',
]);

function parseParameters(raw: unknown): DocumentParameter[] {
  if (raw === undefined) return [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return invalid('parameters must be an object.');
  const parameters: DocumentParameter[] = [];
  for (const [name, definition] of Object.entries(raw)) {
    if (!/^[a-zA-Z0-9_]{1,50}$/.test(name)) invalid(`Parameter name ${name} must match [a-zA-Z0-9_]{1,50}.`);
    if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
      return invalid(`Parameter ${name} must be an object.`);
    }
    const def = definition as Record<string, unknown>;
    for (const key of Object.keys(def)) {
      if (!parameterKeys.has(key)) invalid(`Parameter ${name} has an unknown attribute ${key}.`);
    }
    const type = parameterTypes.find((t) => t === def['type']);
    if (type === undefined) {
      return invalid(`Parameter ${name} type must be one of ${parameterTypes.join(', ')}.`);
    }
    const allowedValues = def['allowedValues'];
    if (
      allowedValues !== undefined &&
      (!Array.isArray(allowedValues) || allowedValues.some((v) => typeof v !== 'string'))
    ) {
      invalid(`Parameter ${name} allowedValues must be a list of strings.`);
    }
    const allowedPattern = def['allowedPattern'];
    if (allowedPattern !== undefined) {
      if (typeof allowedPattern !== 'string') invalid(`Parameter ${name} allowedPattern must be a string.`);
      try {
        new RegExp(allowedPattern as string);
      } catch {
        invalid(`Parameter ${name} allowedPattern is not a valid regular expression.`);
      }
    }
    if (def['description'] !== undefined && typeof def['description'] !== 'string') {
      invalid(`Parameter ${name} description must be a string.`);
    }
    const parameter: DocumentParameter = {
      name,
      type,
      ...(typeof def['description'] === 'string' ? { description: def['description'] } : {}),
      ...('default' in def ? { defaultValue: def['default'] } : {}),
      ...(allowedValues !== undefined ? { allowedValues: allowedValues as string[] } : {}),
      ...(typeof allowedPattern === 'string' ? { allowedPattern } : {}),
    };
    if (parameter.defaultValue !== undefined) {
      const problem = checkParameterValue(parameter, parameter.defaultValue, true);
      if (problem !== undefined) invalid(`Parameter ${name} default: ${problem}`);
    }
    parameters.push(parameter);
  }
  return parameters;
}

/**
 * Why `value` is not acceptable for `parameter` (undefined when it is). Defaults are typed JSON; runtime values
 * arrive as the wire's list of strings (`fromWire`).
 */
export function checkParameterValue(
  parameter: DocumentParameter,
  value: unknown,
  isDefault = false,
): string | undefined {
  const values = isDefault ? defaultAsStrings(parameter, value) : (value as string[]);
  if (values === undefined) return `must be a ${parameter.type}`;
  switch (parameter.type) {
    case 'String':
      if (!isDefault && values.length !== 1) return 'must be a single value';
      break;
    case 'Boolean':
      if (values.length !== 1 || !/^(true|false)$/i.test(values[0] ?? '')) return 'must be true or false';
      break;
    case 'Integer':
      if (values.length !== 1 || !/^-?\d+$/.test(values[0] ?? '')) return 'must be an integer';
      break;
    case 'MapList':
    case 'StringMap':
      for (const item of values) {
        if (isDefault) break;
        try {
          const parsed: unknown = JSON.parse(item);
          if (typeof parsed !== 'object' || parsed === null) return `must be a ${parameter.type} (JSON)`;
        } catch {
          return `must be a ${parameter.type} (JSON)`;
        }
      }
      return undefined;
    case 'StringList':
      break;
  }
  for (const item of values) {
    if (parameter.allowedValues !== undefined && !parameter.allowedValues.includes(item)) {
      return `value '${item}' is not one of the allowed values [${parameter.allowedValues.join(', ')}]`;
    }
    // An empty default is how AWS documents say "optional" even with a pattern (e.g. AWS-RunPatchBaseline SnapshotId).
    if (parameter.allowedPattern !== undefined && !(isDefault && item === '')) {
      if (!new RegExp(parameter.allowedPattern).test(item)) {
        return `value '${item}' does not match the allowed pattern ${parameter.allowedPattern}`;
      }
    }
  }
  return undefined;
}

function defaultAsStrings(parameter: DocumentParameter, value: unknown): string[] | undefined {
  switch (parameter.type) {
    case 'String':
      return typeof value === 'string' ? [value] : undefined;
    case 'StringList':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
    case 'Boolean':
      return typeof value === 'boolean' ? [String(value)] : typeof value === 'string' ? [value] : undefined;
    case 'Integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? [String(value)]
        : typeof value === 'string'
          ? [value]
          : undefined;
    case 'MapList':
      return Array.isArray(value) ? [] : undefined;
    case 'StringMap':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? [] : undefined;
  }
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

/** `{{ name }}` in step inputs must name a declared parameter (`{{ssm:…}}` parameter-store references excepted). */
function checkParameterReferences(value: unknown, parameters: DocumentParameter[]): void {
  const declared = new Set(parameters.map((p) => p.name));
  // An explicit stack: content nested thousands deep must not exhaust the call stack.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node === 'string') {
      for (const match of node.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)) {
        const reference = match[1] ?? '';
        if (
          reference.startsWith('ssm:') ||
          reference.startsWith('global:') ||
          reference.startsWith('automation:')
        )
          continue;
        if (!declared.has(reference))
          invalid(`The document references undeclared parameter {{ ${reference} }}.`);
      }
    } else if (Array.isArray(node)) {
      pending.push(...(node as unknown[]).slice().reverse());
    } else if (typeof node === 'object' && node !== null) {
      pending.push(...(Object.values(node) as unknown[]).reverse());
    }
  }
}

/**
 * Checks runtime `values` (the wire's name → list of strings) against the document's parameters: no unknown
 * names, every parameter without a default present, each value valid. Returns the first problem.
 */
export function checkParameters(
  parameters: readonly DocumentParameter[],
  values: Readonly<Record<string, readonly string[]>>,
): string | undefined {
  // Own names only: a parameter called `constructor` must not find Object.prototype's.
  const given = new Map(Object.entries(values));
  for (const name of given.keys()) {
    if (!parameters.some((p) => p.name === name)) return `Parameter ${name} is not defined by the document.`;
  }
  for (const parameter of parameters) {
    const value = given.get(parameter.name);
    if (value === undefined) {
      if (parameter.defaultValue === undefined) return `Parameter ${parameter.name} is required.`;
      continue;
    }
    const problem = checkParameterValue(parameter, value);
    if (problem !== undefined) return `Parameter ${parameter.name} ${problem}.`;
  }
  return undefined;
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
