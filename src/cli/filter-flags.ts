/** `findings list` flags → AwsSecurityFindingFilters and SortCriteria, checked locally with the server's schema. */
import { readFileSync } from 'node:fs';
import {
  filterKeySpecs,
  filterKeys,
  findingFiltersSchema,
  type FilterKey,
  type FindingFilters,
} from '../findings/filters/index.js';

/** A flag the user got wrong; the message says which and how to write it. */
export class FilterFlagError extends Error {
  override readonly name = 'FilterFlagError';
}

/** The filter flags of `findings list`. */
export interface FilterFlags {
  filter?: string[];
  severity?: string[];
  workflow?: string[];
  recordState?: string;
  productName?: string;
  resourceId?: string;
  typePrefix?: string;
  titleContains?: string;
  filtersJson?: string;
}

/** One SortCriteria entry. */
export interface SortFlag {
  Field: FilterKey;
  SortOrder: 'asc' | 'desc';
}

type FilterObject = Record<string, unknown>;

const stringComparisons = ['EQUALS', 'PREFIX', 'NOT_EQUALS', 'PREFIX_NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS'];
const mapComparisons = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS'];
const numberBounds = { gte: 'Gte', lte: 'Lte', eq: 'Eq', gt: 'Gt', lt: 'Lt' } as const;
const severityLabels = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const workflowStatuses = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'];
const recordStates = ['ACTIVE', 'ARCHIVED'];

const keysByLowerName = new Map(filterKeys.map((key) => [key.toLowerCase(), key]));

/** Finds a filter key by name, ignoring case. */
export function lookupFilterKey(name: string): FilterKey {
  const key = keysByLowerName.get(name.toLowerCase());
  if (key !== undefined) return key;
  const near = filterKeys.filter((k) => k.toLowerCase().includes(name.toLowerCase())).slice(0, 6);
  throw new FilterFlagError(
    `unknown filter key ${JSON.stringify(name)}${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}`,
  );
}

/**
 * Parses one `--filter KEY=COMPARISON:VALUE`. By the key's type: string `Title=CONTAINS:root`; number
 * `SeverityNormalized=gte:70` (bounds joined with `,`: `gte:40,lt:70`); date `UpdatedAt=within:7d`,
 * `older_than:30d`, `start:TS`, `end:TS` (joined with `,`); map `ResourceTags=EQUALS:env=prod`; ip
 * `NetworkSourceIpV4=10.0.0.0/8` (or `cidr:…`); boolean `Sample=true`; keyword `Keyword=text`.
 */
export function parseFilterFlag(expression: string): { key: FilterKey; filter: FilterObject } {
  const equals = expression.indexOf('=');
  if (equals <= 0) {
    throw new FilterFlagError(
      `--filter ${JSON.stringify(expression)}: expected KEY=COMPARISON:VALUE, e.g. SeverityLabel=EQUALS:CRITICAL`,
    );
  }
  const key = lookupFilterKey(expression.slice(0, equals).trim());
  const text = expression.slice(equals + 1);
  const problem = (detail: string): FilterFlagError =>
    new FilterFlagError(`--filter ${JSON.stringify(expression)}: ${detail}`);
  const type = filterKeySpecs[key].type;
  switch (type) {
    case 'string': {
      const [comparison, value] = splitComparison(text, stringComparisons, problem, `${key}=EQUALS:value`);
      return { key, filter: { Value: value, Comparison: comparison } };
    }
    case 'map': {
      const [comparison, pair] = splitComparison(text, mapComparisons, problem, `${key}=EQUALS:name=value`);
      const at = pair.indexOf('=');
      if (at <= 0) throw problem(`a map filter's value is MAPKEY=VALUE, e.g. ${key}=EQUALS:env=prod`);
      return { key, filter: { Key: pair.slice(0, at), Value: pair.slice(at + 1), Comparison: comparison } };
    }
    case 'number': {
      const filter: FilterObject = {};
      for (const part of text.split(',')) {
        const at = part.indexOf(':');
        const op = part.slice(0, Math.max(0, at)).trim().toLowerCase();
        const bound = numberBounds[op as keyof typeof numberBounds] as string | undefined;
        const value = Number(part.slice(at + 1).trim());
        if (at < 0 || bound === undefined)
          throw problem(
            `a number filter is OP:NUMBER with OP one of gte, lte, eq, gt, lt (e.g. ${key}=gte:70)`,
          );
        if (part.slice(at + 1).trim() === '' || !Number.isFinite(value))
          throw problem(`${JSON.stringify(part.slice(at + 1))} is not a number`);
        filter[bound] = value;
      }
      return { key, filter };
    }
    case 'date':
      return { key, filter: parseDateFilter(key, text, problem) };
    case 'ip': {
      const cidr = /^cidr:/i.test(text) ? text.slice(5) : text;
      if (cidr === '') throw problem(`an ip filter is a CIDR block, e.g. ${key}=10.0.0.0/8`);
      return { key, filter: { Cidr: cidr } };
    }
    case 'boolean': {
      const value = text.replace(/^equals:/i, '').toLowerCase();
      if (value !== 'true' && value !== 'false') throw problem(`a boolean filter is true or false`);
      return { key, filter: { Value: value === 'true' } };
    }
    case 'keyword':
      if (text === '') throw problem('a keyword filter needs a value');
      return { key, filter: { Value: text } };
  }
}

function splitComparison(
  text: string,
  allowed: readonly string[],
  problem: (detail: string) => FilterFlagError,
  example: string,
): [string, string] {
  const colon = text.indexOf(':');
  const comparison = colon < 0 ? '' : text.slice(0, colon).trim().toUpperCase().replaceAll('-', '_');
  if (!allowed.includes(comparison)) {
    throw problem(`expected COMPARISON:VALUE with COMPARISON one of ${allowed.join(', ')} (e.g. ${example})`);
  }
  return [comparison, text.slice(colon + 1)];
}

function parseDateFilter(
  key: FilterKey,
  text: string,
  problem: (detail: string) => FilterFlagError,
): FilterObject {
  const filter: FilterObject = {};
  for (const part of text.split(',')) {
    const at = part.indexOf(':');
    const op = at < 0 ? '' : part.slice(0, at).trim().toLowerCase().replaceAll('-', '_');
    const value = part.slice(at + 1).trim();
    if (op === 'within' || op === 'older_than') {
      const days = /^(\d+)\s*d?$/i.exec(value)?.[1];
      if (days === undefined) throw problem(`${op} takes a number of days, e.g. ${key}=${op}:7d`);
      filter['DateRange'] = {
        Value: Number(days),
        Unit: 'DAYS',
        ...(op === 'older_than' ? { Comparison: 'OLDER_THAN' } : {}),
      };
    } else if (op === 'start' || op === 'end') {
      if (value === '') throw problem(`${op} takes a timestamp, e.g. ${key}=${op}:2024-01-01T00:00:00Z`);
      filter[op === 'start' ? 'Start' : 'End'] = value;
    } else {
      throw problem(
        `a date filter is within:Nd, older_than:Nd, start:TIMESTAMP or end:TIMESTAMP (joined with ","), e.g. ${key}=within:7d`,
      );
    }
  }
  return filter;
}

/** Builds the filters from all flags (`--filters-json` first, then the rest appended) and validates them. */
export function buildFindingFilters(
  flags: FilterFlags,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): FindingFilters {
  const filters: Record<string, FilterObject[]> = {};
  if (flags.filtersJson !== undefined) {
    const source = flags.filtersJson.startsWith('file://')
      ? readFile(flags.filtersJson.slice('file://'.length))
      : flags.filtersJson.startsWith('@')
        ? readFile(flags.filtersJson.slice(1))
        : flags.filtersJson;
    let parsed: unknown;
    try {
      parsed = JSON.parse(source);
    } catch (error) {
      throw new FilterFlagError(
        `--filters-json: not JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new FilterFlagError('--filters-json: expected a JSON object of AwsSecurityFindingFilters');
    }
    for (const [key, value] of Object.entries(parsed)) {
      filters[key] = Array.isArray(value) ? [...(value as FilterObject[])] : (value as FilterObject[]);
    }
  }
  const add = (key: FilterKey, filter: FilterObject): void => {
    const list = filters[key];
    if (Array.isArray(list)) list.push(filter);
    else filters[key] = [filter];
  };
  for (const expression of flags.filter ?? []) {
    const { key, filter } = parseFilterFlag(expression);
    add(key, filter);
  }
  for (const label of flags.severity ?? []) {
    add('SeverityLabel', { Value: oneOf('--severity', label, severityLabels), Comparison: 'EQUALS' });
  }
  for (const status of flags.workflow ?? []) {
    add('WorkflowStatus', { Value: oneOf('--workflow', status, workflowStatuses), Comparison: 'EQUALS' });
  }
  if (flags.recordState !== undefined) {
    add('RecordState', {
      Value: oneOf('--record-state', flags.recordState, recordStates),
      Comparison: 'EQUALS',
    });
  }
  if (flags.productName !== undefined) add('ProductName', { Value: flags.productName, Comparison: 'EQUALS' });
  if (flags.resourceId !== undefined) add('ResourceId', { Value: flags.resourceId, Comparison: 'EQUALS' });
  if (flags.typePrefix !== undefined) add('Type', { Value: flags.typePrefix, Comparison: 'PREFIX' });
  if (flags.titleContains !== undefined) add('Title', { Value: flags.titleContains, Comparison: 'CONTAINS' });

  const result = findingFiltersSchema.safeParse(filters);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue === undefined ? '' : formatPath(issue.path);
    throw new FilterFlagError(
      `invalid filters${path === '' ? '' : ` at ${path}`}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}

function oneOf(flag: string, value: string, allowed: readonly string[]): string {
  const upper = value.trim().toUpperCase();
  if (!allowed.includes(upper))
    throw new FilterFlagError(`${flag} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
  return upper;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : `${out === '' ? '' : '.'}${String(segment)}`;
  }
  return out;
}

/** Parses `--sort Field[:asc|desc]` (ascending when the order is left out); the field must be sortable. */
export function parseSortFlag(expression: string): SortFlag {
  const colon = expression.lastIndexOf(':');
  const name = colon < 0 ? expression : expression.slice(0, colon);
  const order =
    colon < 0
      ? 'asc'
      : expression
          .slice(colon + 1)
          .trim()
          .toLowerCase();
  if (order !== 'asc' && order !== 'desc') {
    throw new FilterFlagError(
      `--sort ${JSON.stringify(expression)}: the order is asc or desc, e.g. UpdatedAt:desc`,
    );
  }
  const field = lookupFilterKey(name.trim());
  const type = filterKeySpecs[field].type;
  if (type !== 'string' && type !== 'number' && type !== 'date') {
    throw new FilterFlagError(
      `--sort ${JSON.stringify(expression)}: ${field} is a ${type} field and cannot be sorted on`,
    );
  }
  return { Field: field, SortOrder: order };
}
