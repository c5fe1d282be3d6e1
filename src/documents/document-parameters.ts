/**
 * Document parameters: reading a document's `parameters` declaration, checking that step inputs only reference
 * declared parameters, and validating the values a caller runs a document with.
 */
import { invalidContent as invalid } from './document-content-error.js';
import type { DocumentParameter, ParameterType } from './documents-model.js';

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

export function parseParameters(raw: unknown): DocumentParameter[] {
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

/** `{{ name }}` in step inputs must name a declared parameter (`{{ssm:…}}` parameter-store references excepted). */
export function checkParameterReferences(value: unknown, parameters: DocumentParameter[]): void {
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
