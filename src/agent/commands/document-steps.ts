/**
 * What an SSM Command document says: its steps (schema 1.2 `runtimeConfig` or 2.x `mainSteps`), its parameters
 * with defaults and allowedValues, `{{ parameter }}` substitution and step preconditions.
 */

/** The platform this agent runs on, as step preconditions test it. */
export const platformType = 'Linux';

/** One step of a document: the plugin (`action`) and its inputs. */
export interface Step {
  name: string;
  action: string;
  inputs: unknown;
  precondition: unknown;
  onFailure: unknown;
}

/** A parameter value: text, a StringList, or a structured default. */
export type Value = string | string[] | boolean | number | Record<string, unknown> | unknown[];

/** A problem with the document or a step's inputs; fails the run or the step with its message. */
export class DocumentError extends Error {}

/** A scalar input as text ('' when absent, JSON for anything structured). */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** The document's steps: `mainSteps`, or one per `runtimeConfig` plugin property (schema 1.2). */
export function stepsOf(body: Record<string, unknown>): Step[] {
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
export function resolveParameters(
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
export function substitute(input: unknown, values: ReadonlyMap<string, Value>): unknown {
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
export function preconditionHolds(step: Step): boolean {
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

/** `value` (an object or its JSON text; '' is {}) as an object, else a DocumentError naming `what`. */
export function objectOf(value: unknown, what: string): Record<string, unknown> {
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
