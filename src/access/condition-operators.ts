/**
 * The IAM condition operators: parsing an operator name (`ForAllValues:StringLikeIfExists`), checking its policy
 * values, and deciding it against the request context with IAM's rules for missing keys, negation and value sets.
 */
import { isIP } from 'node:net';
import { matchesWildcard, substituteVariables, type VariableLookup } from './wildcard.js';

/** The value family of an operator, which decides how policy values must look. */
export type ConditionFamily =
  'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

interface BaseOperator {
  family: ConditionFamily;
  /** Negated operators hold when the request value matches none of the policy values. */
  negated: boolean;
  /** How policy variables apply: not at all, replaced before comparing, or resolved inside a wildcard pattern. */
  variables: 'none' | 'substitute' | 'pattern';
  /** The positive comparison of one request value with one policy value. */
  test: (requestValue: string, policyValue: string, variables?: VariableLookup) => boolean;
}

const lower = (text: string): string => text.toLowerCase();

function number(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** A date as epoch milliseconds: ISO 8601 text or epoch seconds (as IAM accepts). */
export function parseConditionDate(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const value = Date.parse(text);
  return Number.isNaN(value) ? undefined : value;
}

function compareNumbers(op: (a: number, b: number) => boolean) {
  return (requestValue: string, policyValue: string): boolean => {
    const a = number(requestValue);
    const b = number(policyValue);
    return a !== undefined && b !== undefined && op(a, b);
  };
}

function compareDates(op: (a: number, b: number) => boolean) {
  return (requestValue: string, policyValue: string): boolean => {
    const a = parseConditionDate(requestValue);
    const b = parseConditionDate(policyValue);
    return a !== undefined && b !== undefined && op(a, b);
  };
}

/** An IPv4 or IPv6 network: address bytes and prefix length. */
interface Network {
  bytes: number[];
  prefix: number;
}

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

function ipv6Bytes(text: string): number[] | undefined {
  let address = text.replace(/%.*$/, '');
  let tail: number[] = [];
  const lastColon = address.lastIndexOf(':');
  if (address.slice(lastColon + 1).includes('.')) {
    const v4 = ipv4Bytes(address.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = v4;
    address = address.slice(0, lastColon + 1) + '0:0';
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined): string[] =>
    part === undefined || part === '' ? [] : part.split(':');
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    const value = parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The bytes of an IP address; IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) become IPv4. */
export function parseIpAddress(text: string): number[] | undefined {
  const trimmed = text.trim();
  const version = isIP(trimmed.replace(/%.*$/, ''));
  if (version === 4) return ipv4Bytes(trimmed);
  if (version !== 6) return undefined;
  const bytes = ipv6Bytes(trimmed);
  if (bytes === undefined) return undefined;
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

/** A CIDR block (`10.0.0.0/8`, `2001:db8::/32`) or a single address; undefined when malformed. */
export function parseNetwork(text: string): Network | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const bytes = parseIpAddress(address);
  if (bytes === undefined) return undefined;
  const bits = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: bits };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return undefined;
  return { bytes, prefix: Number(prefixText) };
}

function inNetwork(requestValue: string, policyValue: string): boolean {
  const address = parseIpAddress(requestValue);
  const network = parseNetwork(policyValue);
  if (address === undefined || network === undefined || address.length !== network.bytes.length) return false;
  let remaining = network.prefix;
  for (let i = 0; i < address.length && remaining > 0; i += 1) {
    const bits = Math.min(8, remaining);
    const mask = (0xff << (8 - bits)) & 0xff;
    if (((address[i] ?? 0) & mask) !== ((network.bytes[i] ?? 0) & mask)) return false;
    remaining -= bits;
  }
  return true;
}

/** The six colon-separated parts of an ARN (the last keeps its colons); undefined for a non-ARN. */
function arnParts(text: string): string[] | undefined {
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** ArnEquals and ArnLike: each part matched on its own, wildcards never crossing a colon of the first five. */
function arnLike(requestValue: string, policyValue: string): boolean {
  const request = arnParts(requestValue);
  const policy = arnParts(policyValue);
  if (request === undefined || policy === undefined) return false;
  return policy.every((pattern, i) => matchesWildcard(pattern, request[i] ?? '', false));
}

const equals = (a: string, b: string): boolean => a === b;
const equalsIgnoreCase = (a: string, b: string): boolean => lower(a) === lower(b);
const like = (a: string, b: string, variables?: VariableLookup): boolean =>
  matchesWildcard(b, a, false, variables);

const baseOperators = new Map<string, BaseOperator>(
  Object.entries({
    StringEquals: { family: 'String', negated: false, variables: 'substitute', test: equals },
    StringNotEquals: { family: 'String', negated: true, variables: 'substitute', test: equals },
    StringEqualsIgnoreCase: {
      family: 'String',
      negated: false,
      variables: 'substitute',
      test: equalsIgnoreCase,
    },
    StringNotEqualsIgnoreCase: {
      family: 'String',
      negated: true,
      variables: 'substitute',
      test: equalsIgnoreCase,
    },
    StringLike: { family: 'String', negated: false, variables: 'pattern', test: like },
    StringNotLike: { family: 'String', negated: true, variables: 'pattern', test: like },
    NumericEquals: {
      family: 'Numeric',
      negated: false,
      variables: 'none',
      test: compareNumbers((a, b) => a === b),
    },
    NumericNotEquals: {
      family: 'Numeric',
      negated: true,
      variables: 'none',
      test: compareNumbers((a, b) => a === b),
    },
    NumericLessThan: {
      family: 'Numeric',
      negated: false,
      variables: 'none',
      test: compareNumbers((a, b) => a < b),
    },
    NumericLessThanEquals: {
      family: 'Numeric',
      negated: false,
      variables: 'none',
      test: compareNumbers((a, b) => a <= b),
    },
    NumericGreaterThan: {
      family: 'Numeric',
      negated: false,
      variables: 'none',
      test: compareNumbers((a, b) => a > b),
    },
    NumericGreaterThanEquals: {
      family: 'Numeric',
      negated: false,
      variables: 'none',
      test: compareNumbers((a, b) => a >= b),
    },
    DateEquals: { family: 'Date', negated: false, variables: 'none', test: compareDates((a, b) => a === b) },
    DateNotEquals: {
      family: 'Date',
      negated: true,
      variables: 'none',
      test: compareDates((a, b) => a === b),
    },
    DateLessThan: { family: 'Date', negated: false, variables: 'none', test: compareDates((a, b) => a < b) },
    DateLessThanEquals: {
      family: 'Date',
      negated: false,
      variables: 'none',
      test: compareDates((a, b) => a <= b),
    },
    DateGreaterThan: {
      family: 'Date',
      negated: false,
      variables: 'none',
      test: compareDates((a, b) => a > b),
    },
    DateGreaterThanEquals: {
      family: 'Date',
      negated: false,
      variables: 'none',
      test: compareDates((a, b) => a >= b),
    },
    Bool: { family: 'Bool', negated: false, variables: 'none', test: equalsIgnoreCase },
    BinaryEquals: { family: 'Binary', negated: false, variables: 'none', test: equals },
    IpAddress: { family: 'IpAddress', negated: false, variables: 'none', test: inNetwork },
    NotIpAddress: { family: 'IpAddress', negated: true, variables: 'none', test: inNetwork },
    ArnEquals: { family: 'Arn', negated: false, variables: 'substitute', test: arnLike },
    ArnNotEquals: { family: 'Arn', negated: true, variables: 'substitute', test: arnLike },
    ArnLike: { family: 'Arn', negated: false, variables: 'substitute', test: arnLike },
    ArnNotLike: { family: 'Arn', negated: true, variables: 'substitute', test: arnLike },
    Null: { family: 'Null', negated: false, variables: 'none', test: equalsIgnoreCase },
  }),
);

/** A parsed condition operator. */
export interface ConditionOperator {
  name: string;
  base: string;
  family: ConditionFamily;
  negated: boolean;
  ifExists: boolean;
  qualifier: 'ForAnyValue' | 'ForAllValues' | undefined;
}

/** Parses an operator name; a string saying what is wrong when it is not one IAM knows. */
export function parseConditionOperator(name: string): ConditionOperator | string {
  let rest = name;
  let qualifier: ConditionOperator['qualifier'];
  const colon = rest.indexOf(':');
  if (colon !== -1) {
    const prefix = rest.slice(0, colon);
    if (prefix !== 'ForAnyValue' && prefix !== 'ForAllValues') {
      return `unknown set qualifier "${prefix}" (use ForAnyValue or ForAllValues)`;
    }
    qualifier = prefix;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith('IfExists');
  const baseName = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const base = baseOperators.get(baseName);
  if (base === undefined) return `unknown condition operator "${name}"`;
  if (base.family === 'Null' && (ifExists || qualifier !== undefined)) {
    return `the Null operator takes neither IfExists nor a set qualifier ("${name}")`;
  }
  return { name, base: baseName, family: base.family, negated: base.negated, ifExists, qualifier };
}

/** Why a policy value cannot be used with an operator of `family`, or undefined when it can. */
export function checkConditionValue(family: ConditionFamily, value: string): string | undefined {
  switch (family) {
    case 'Numeric':
      return number(value) === undefined ? `"${value}" is not a number` : undefined;
    case 'Date':
      return parseConditionDate(value) === undefined
        ? `"${value}" is not a date (ISO 8601 or epoch seconds)`
        : undefined;
    case 'Bool':
    case 'Null':
      return /^(true|false)$/i.test(value) ? undefined : `"${value}" must be "true" or "false"`;
    case 'IpAddress':
      return parseNetwork(value) === undefined
        ? `"${value}" is not an IPv4 or IPv6 address or CIDR block`
        : undefined;
    case 'String':
    case 'Binary':
    case 'Arn':
      return undefined;
  }
}

/**
 * Decides one operator for one condition key. `requestValues` is undefined (or empty) when the request has no
 * such key; `policyValues` are ORed (for negated operators: the request value must match none of them).
 */
export function evaluateConditionOperator(
  operator: ConditionOperator,
  requestValues: readonly string[] | undefined,
  policyValues: readonly string[],
  variables?: VariableLookup,
): boolean {
  const base = baseOperators.get(operator.base);
  if (base === undefined) return false;
  const present = requestValues !== undefined && requestValues.length > 0;
  if (base.family === 'Null') {
    return policyValues.some((value) => (lower(value) === 'true') === !present);
  }
  if (!present) {
    if (operator.ifExists) return true;
    if (operator.qualifier === 'ForAllValues') return true;
    if (operator.qualifier === 'ForAnyValue') return false;
    return base.negated;
  }
  const resolved =
    base.variables === 'substitute'
      ? policyValues.flatMap((value) => substituteVariables(value, variables) ?? [])
      : policyValues;
  const patternVariables = base.variables === 'pattern' ? variables : undefined;
  const matchesAny = (requestValue: string): boolean =>
    resolved.some((policyValue) => base.test(requestValue, policyValue, patternVariables));
  const holds = (requestValue: string): boolean =>
    base.negated ? !matchesAny(requestValue) : matchesAny(requestValue);
  switch (operator.qualifier) {
    case 'ForAllValues':
      return requestValues.every(holds);
    case 'ForAnyValue':
      return requestValues.some(holds);
    case undefined:
      return base.negated ? requestValues.every(holds) : requestValues.some(holds);
  }
}
