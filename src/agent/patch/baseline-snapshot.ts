/** The baseline an agent run uses: the hub's deployable snapshot (§5.7), optionally for a BaselineOverride. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  complianceLevels,
  operatingSystems,
  type BaselineRules,
  type ComplianceLevel,
  type OperatingSystem,
  type PatchFilter,
  type PatchFilterKey,
} from '../../patching/index.js';

/** A decoded snapshot document. */
export interface BaselineSnapshot {
  baselineId: string;
  baselineName: string;
  patchGroup: string;
  product: string;
  rules: BaselineRules;
}

/** The text behind a `data:`, `https:`/`http:`, `file:` URL or a local path; `s3://` is not supported. */
export async function fetchText(location: string, signal?: AbortSignal): Promise<string> {
  if (location.startsWith('data:') || location.startsWith('https://') || location.startsWith('http://')) {
    const response = await fetch(location, signal === undefined ? {} : { signal });
    if (!response.ok) throw new Error(`GET ${location.slice(0, 100)} answered ${response.status}`);
    return response.text();
  }
  if (location.startsWith('file:')) return readFile(fileURLToPath(location), 'utf8');
  if (location.startsWith('/')) return readFile(location, 'utf8');
  throw new Error(`unsupported location '${location.slice(0, 100)}' (use https://, data:, file: or a path)`);
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null ? (value as Json) : {};
const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const stringOf = (value: unknown): string => (typeof value === 'string' ? value : '');
const level = (value: unknown): ComplianceLevel =>
  (complianceLevels as readonly unknown[]).includes(value) ? (value as ComplianceLevel) : 'UNSPECIFIED';

function filtersOf(value: unknown, keyName: string, valuesName: string): PatchFilter[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => {
    const object = asObject(entry);
    return { key: String(object[keyName]) as PatchFilterKey, values: asStrings(object[valuesName]) };
  });
}

/** Parses the snapshot document (camelCase, as AWS's payload reads it). */
export function parseSnapshotDocument(text: string): BaselineSnapshot {
  const document = asObject(JSON.parse(text));
  const baseline = asObject(document['patchBaseline']);
  const os = baseline['operatingSystem'];
  if (!(operatingSystems as readonly unknown[]).includes(os))
    throw new Error('snapshot has no valid operatingSystem');
  const rules = asObject(baseline['approvalRules'])['rules'];
  return {
    baselineId: stringOf(baseline['baselineId']),
    baselineName: stringOf(baseline['name']),
    patchGroup: typeof document['patchGroup'] === 'string' ? document['patchGroup'] : '',
    product: typeof document['product'] === 'string' ? document['product'] : '',
    rules: {
      operatingSystem: os as OperatingSystem,
      globalFilters: filtersOf(asObject(baseline['globalFilters'])['filters'], 'key', 'values'),
      approvalRules: (Array.isArray(rules) ? rules : []).map((entry) => {
        const rule = asObject(entry);
        const after = rule['approveAfterDays'];
        const until = rule['approveUntilDate'];
        return {
          filters: filtersOf(asObject(rule['filterGroup'])['filters'], 'key', 'values'),
          complianceLevel: level(rule['complianceLevel']),
          enableNonSecurity: rule['enableNonSecurity'] === true,
          ...(typeof after === 'number' ? { approveAfterDays: after } : {}),
          ...(typeof until === 'string' && until !== '' ? { approveUntilDate: until } : {}),
        };
      }),
      approvedPatches: asStrings(baseline['approvedPatches']),
      approvedPatchesComplianceLevel: level(baseline['approvedPatchesComplianceLevel']),
      approvedPatchesEnableNonSecurity: baseline['approvedPatchesEnableNonSecurity'] === true,
      rejectedPatches: asStrings(baseline['rejectedPatches']),
      rejectedPatchesAction: baseline['rejectedPatchesAction'] === 'BLOCK' ? 'BLOCK' : 'ALLOW_AS_DEPENDENCY',
      sources: (Array.isArray(baseline['sources']) ? baseline['sources'] : []).map((entry) => {
        const source = asObject(entry);
        return {
          name: stringOf(source['name']),
          products: asStrings(source['products']),
          configuration: stringOf(source['configuration']),
        };
      }),
    },
  };
}

/**
 * Picks the baseline for `operatingSystem` from a BaselineOverride document (a JSON list of baselines in the
 * GetPatchBaseline shape, or one such object); undefined when none is for that OS.
 */
export function overrideBaselineFor(text: string, operatingSystem: OperatingSystem): Json | undefined {
  const parsed: unknown = JSON.parse(text);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const match = list.map(asObject).find((baseline) => baseline['OperatingSystem'] === operatingSystem);
  if (match === undefined) return undefined;
  // GetDeployablePatchSnapshotForInstance takes the rule members only (no Name/Id/dates).
  const allowed = [
    'OperatingSystem',
    'GlobalFilters',
    'ApprovalRules',
    'ApprovedPatches',
    'ApprovedPatchesComplianceLevel',
    'ApprovedPatchesEnableNonSecurity',
    'RejectedPatches',
    'RejectedPatchesAction',
    'Sources',
    'AvailableSecurityUpdatesComplianceStatus',
  ];
  return Object.fromEntries(Object.entries(match).filter(([key]) => allowed.includes(key)));
}

/** One entry of an InstallOverrideList (`patches: [{id, title}]`). */
export interface InstallOverrideEntry {
  id: string;
  title?: string;
}

const unquote = (value: string): string => value.trim().replace(/^(['"])(.*)\1$/, '$2');

/** Reads the InstallOverrideList YAML (`patches:` then `- id: … / title: …` items), or the same as JSON. */
export function parseInstallOverrideList(text: string): InstallOverrideEntry[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const patches = asObject(JSON.parse(trimmed))['patches'];
    return (Array.isArray(patches) ? patches : []).flatMap((entry) => {
      const object = asObject(entry);
      const id = object['id'];
      if (typeof id !== 'string') return [];
      return [{ id, ...(typeof object['title'] === 'string' ? { title: object['title'] } : {}) }];
    });
  }
  const entries: InstallOverrideEntry[] = [];
  let current: { id?: string; title?: string } | undefined;
  const flush = (): void => {
    if (current?.id !== undefined)
      entries.push({ id: current.id, ...(current.title === undefined ? {} : { title: current.title }) });
    current = undefined;
  };
  for (const rawLine of trimmed.split('\n')) {
    const line = rawLine.replace(/\s+#.*$/, '');
    if (/^\s*patches\s*:\s*$/.test(line) || line.trim() === '') continue;
    let rest = line;
    const item = /^\s*-\s*(.*)$/.exec(line);
    if (item !== null) {
      flush();
      current = {};
      rest = item[1] ?? '';
    }
    const field = /^\s*(id|title)\s*:\s*(.*)$/.exec(rest);
    if (field === null) continue;
    current ??= {};
    if (field[1] === 'id') current.id = unquote(field[2] ?? '');
    else current.title = unquote(field[2] ?? '');
  }
  flush();
  return entries;
}
