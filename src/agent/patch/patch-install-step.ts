/**
 * The Install operation of AWS-RunPatchBaseline: choose the exact versions to install (the scan's missing
 * patches, or an InstallOverrideList), install them, rescan, and mark the targets that did not land as Failed.
 */
import { matchesPatchName, type BaselineRules } from '../../patching/index.js';
import type { InstallOverrideEntry } from './baseline-snapshot.js';
import {
  evaluateHostPackages,
  installedVersions,
  newestAvailableVersion,
  readHostPackages,
  type HostPackageData,
} from './host-scan.js';
import {
  installAptTargets,
  installRpmTargets,
  type CommandResult,
  type CommandRunner,
  type InstallTarget,
} from './patch-install.js';
import type { PatchScan } from './patch-scan.js';

/** Install targets from an InstallOverrideList: ids (globs) against installed `name.arch`, title = exact version. */
function overrideTargets(entries: readonly InstallOverrideEntry[], data: HostPackageData): InstallTarget[] {
  const installed = installedVersions(data);
  const targets = new Map<string, InstallTarget>();
  for (const entry of entries) {
    for (const [id, pkg] of installed) {
      if (!matchesPatchName(entry.id, [id])) continue;
      const fromTitle =
        entry.title !== undefined && entry.title.startsWith(`${id}:`)
          ? entry.title.slice(id.length + 1)
          : undefined;
      const version = fromTitle ?? newestAvailableVersion(data, pkg.name, pkg.arch);
      if (version !== undefined && version !== pkg.version)
        targets.set(id, { name: pkg.name, arch: pkg.arch, version });
    }
  }
  return [...targets.values()];
}

/** The exact versions to install: the InstallOverrideList's when given, else every missing patch's target. */
function installTargets(
  scan: PatchScan,
  data: HostPackageData,
  overrideEntries: readonly InstallOverrideEntry[] | undefined,
): InstallTarget[] {
  if (overrideEntries !== undefined) return overrideTargets(overrideEntries, data);
  return scan.rows
    .filter((row) => row.state === 'Missing' && row.targetVersion !== undefined)
    .map((row) => ({ name: row.name, arch: row.arch, version: row.targetVersion ?? '' }));
}

/** What an Install starts from. */
export interface InstallInput {
  root: string;
  /** The host's packages as scanned before the install. */
  data: HostPackageData;
  scan: PatchScan;
  overrideEntries: readonly InstallOverrideEntry[] | undefined;
  rules: BaselineRules;
  product: string;
  start: Date;
  run: CommandRunner;
  signal: AbortSignal | undefined;
  say: (message: string) => void;
}

/** The scan after an Install, what it installed (titles) and whether any target did not land. */
export interface InstallOutcome {
  scan: PatchScan;
  installedThisRun: Set<string>;
  failed: boolean;
}

/** Installs the targets, rescans, and marks every target whose version is not installed afterwards as Failed. */
export async function installPatches(input: InstallInput): Promise<InstallOutcome> {
  const { root, data, say } = input;
  const targets = installTargets(input.scan, data, input.overrideEntries);
  if (targets.length === 0) {
    say('nothing to install');
    return { scan: input.scan, installedThisRun: new Set(), failed: false };
  }
  say(
    `installing ${targets.length} package(s): ${targets.map((t) => `${t.name}.${t.arch}=${t.version}`).join(' ')}`,
  );
  const result: CommandResult =
    data.family === 'apt'
      ? await installAptTargets(root, targets, data.native, input.run, input.signal)
      : await installRpmTargets(root, targets, input.run, input.signal);
  if (result.code !== 0) say(`installer exited ${result.code}: ${result.stderr.trim().slice(-2000)}`);
  const after = await readHostPackages(root, data.family);
  const scan = await evaluateHostPackages(root, after, input.rules, input.product, input.start);
  const now = installedVersions(after);
  const wanted = new Map(targets.map((target) => [`${target.name}.${target.arch}`, target]));
  const installedThisRun = new Set<string>();
  let failed = false;
  const rows = scan.rows.map((row) => {
    const target = wanted.get(row.id);
    if (target === undefined) return row;
    if (now.get(row.id)?.version === target.version) {
      installedThisRun.add(row.title);
      return row;
    }
    failed = true;
    return {
      ...row,
      state: 'Failed' as const,
      title: `${row.id}:${target.version}`,
      targetVersion: target.version,
      installedTime: '',
    };
  });
  return { scan: { ...scan, rows }, installedThisRun, failed };
}
