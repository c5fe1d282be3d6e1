/**
 * AWS-RunPatchBaseline on this node (§7.1, §7.4): snapshot → scan → (Install: exact versions, rescan,
 * reboot handling) → one PutInventory with AWS:PatchSummary and AWS:ComplianceItem.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { matchesPatchName } from '../../patching/index.js';
import type { HubClient } from '../hub-client.js';
import { writeFileAtomic } from '../identity-store.js';
import {
  fetchText,
  overrideBaselineFor,
  parseInstallOverrideList,
  parseSnapshotDocument,
  type BaselineSnapshot,
} from './baseline-snapshot.js';
import { isoSeconds } from './dpkg-status.js';
import {
  evaluateHostPackages,
  installedVersions,
  newestAvailableVersion,
  packageFamilyOf,
  PackageMetadataUnavailable,
  readHostPackages,
  rootPlatformOf,
} from './host-scan.js';
import {
  installAptTargets,
  installRpmTargets,
  rebootRequired,
  refreshAptMetadata,
  refreshRpmMetadata,
  spawnRunner,
  type CommandResult,
  type CommandRunner,
  type InstallTarget,
  type Rebooter,
} from './patch-install.js';
import {
  patchInventoryRequest,
  patchSummaryOf,
  type PatchInventoryRequest,
  type PatchSummary,
} from './patch-report.js';
import type { PatchRow, PatchScan } from './patch-scan.js';

/** The document's parameters (§7.4). */
export interface RunPatchBaselineParams {
  Operation: 'Scan' | 'Install';
  RebootOption?: 'RebootIfNeeded' | 'NoReboot';
  /** URL (https, data, file) or path of the YAML `patches: [{id, title}]` list; Install only. */
  InstallOverrideList?: string;
  /** URL (https, data, file) or path of a JSON list of baselines (one per OS). */
  BaselineOverride?: string;
  /** Same id ⇒ same baseline snapshot; a fresh UUID when empty. */
  SnapshotId?: string;
}

/** What a run needs from the agent. */
export interface RunPatchBaselineDeps {
  /** Signed calls to the hub as this instance (only `identity.instanceId` and `call` are used). */
  hub: Pick<HubClient, 'call' | 'identity'>;
  /** The system to patch: `/`, or a chroot. */
  root: string;
  now: () => Date;
  rebooter: Rebooter;
  /** Keeps pending-reboot bookkeeping between runs (§6.7); none = per run only. */
  stateDir?: string;
  /**
   * Where the run's report (one PutInventory request) goes: the agent's spool, which keeps it until the hub
   * acknowledged it. Resolves once the report is durably kept; a rejection fails the run (exit 149).
   */
  report: (request: PatchInventoryRequest) => Promise<void>;
  /**
   * Refresh package metadata first (`apt-get update`, `dnf makecache --refresh`), as AWS-RunPatchBaseline
   * does for Scan and Install; default true. A failed refresh fails the run: stale metadata would understate
   * what is missing.
   */
  refreshMetadata?: boolean;
  run?: CommandRunner;
  signal?: AbortSignal;
  log?: (message: string) => void;
  /** Timing of the scan part (benchmarks). */
  onScanTimed?: (milliseconds: number) => void;
}

/** The outcome: the payload's exit code (§7.4), a human summary, the uploaded summary when there is one. */
export interface RunPatchBaselineResult {
  exitCode: number;
  output: string;
  summary?: PatchSummary;
  rows?: PatchRow[];
  rebootRequested?: boolean;
}

/** Exit codes of AWS's payload that this engine produces. */
export const patchExitCodes = {
  success: 0,
  failure: 1,
  snapshotError: 143,
  putInventoryError: 149,
  invalidSnapshot: 150,
  baselineOverrideError: 160,
  installOverrideListError: 165,
  overrideConflict: 167,
} as const;

interface PendingRebootState {
  lastNoRebootInstallOperationTime?: string;
  /** Titles installed by NoReboot Installs and not yet rebooted. */
  pending: string[];
}

async function loadPendingState(stateDir: string | undefined): Promise<PendingRebootState> {
  if (stateDir === undefined) return { pending: [] };
  try {
    const parsed = JSON.parse(
      await readFile(path.join(stateDir, 'patch-state.json'), 'utf8'),
    ) as PendingRebootState;
    return {
      pending: Array.isArray(parsed.pending) ? parsed.pending : [],
      ...(typeof parsed.lastNoRebootInstallOperationTime === 'string'
        ? { lastNoRebootInstallOperationTime: parsed.lastNoRebootInstallOperationTime }
        : {}),
    };
  } catch {
    return { pending: [] };
  }
}

async function savePendingState(stateDir: string | undefined, state: PendingRebootState): Promise<void> {
  if (stateDir === undefined) return;
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(path.join(stateDir, 'patch-state.json'), `${JSON.stringify(state)}\n`, 0o600);
}

class RunFailure extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Fetches and decodes the snapshot (with the override baseline for this OS, when one is given). */
async function fetchSnapshot(
  deps: RunPatchBaselineDeps,
  snapshotId: string,
  override: Record<string, unknown> | undefined,
): Promise<BaselineSnapshot> {
  let response: Record<string, unknown>;
  try {
    response = await deps.hub.call('GetDeployablePatchSnapshotForInstance', {
      InstanceId: deps.hub.identity.instanceId,
      SnapshotId: snapshotId,
      ...(override === undefined ? {} : { BaselineOverride: override }),
    });
  } catch (error) {
    throw new RunFailure(
      override === undefined ? patchExitCodes.snapshotError : patchExitCodes.baselineOverrideError,
      `GetDeployablePatchSnapshotForInstance failed: ${messageOf(error)}`,
    );
  }
  try {
    const url = response['SnapshotDownloadUrl'];
    if (typeof url !== 'string') throw new Error('no SnapshotDownloadUrl');
    const snapshot = parseSnapshotDocument(await fetchText(url, deps.signal));
    const product = response['Product'];
    return typeof product === 'string' && product !== '' ? { ...snapshot, product } : snapshot;
  } catch (error) {
    throw new RunFailure(patchExitCodes.invalidSnapshot, `invalid snapshot: ${messageOf(error)}`);
  }
}

/** Install targets from an InstallOverrideList: ids (globs) against installed `name.arch`, title = exact version. */
function overrideTargets(
  entries: ReturnType<typeof parseInstallOverrideList>,
  installed: ReturnType<typeof installedVersions>,
  newest: (name: string, arch: string) => string | undefined,
): InstallTarget[] {
  const targets = new Map<string, InstallTarget>();
  for (const entry of entries) {
    for (const [id, pkg] of installed) {
      if (!matchesPatchName(entry.id, [id])) continue;
      const fromTitle =
        entry.title !== undefined && entry.title.startsWith(`${id}:`)
          ? entry.title.slice(id.length + 1)
          : undefined;
      const version = fromTitle ?? newest(pkg.name, pkg.arch);
      if (version !== undefined && version !== pkg.version)
        targets.set(id, { name: pkg.name, arch: pkg.arch, version });
    }
  }
  return [...targets.values()];
}

/**
 * Whether a metadata refresh failed: a non-zero exit, or apt-get update's exit 0 with indexes it could not
 * fetch (`W: Failed to fetch …`, "Some index files failed to download"), which leaves old or no lists behind.
 */
export function refreshFailed(result: CommandResult): boolean {
  return (
    result.code !== 0 || /^(W: Failed to fetch|E: )|Some index files failed to download/m.test(result.stderr)
  );
}

/** Runs AWS-RunPatchBaseline's Linux step on `deps.root` and reports to the hub. */
export async function runPatchBaseline(
  params: RunPatchBaselineParams,
  deps: RunPatchBaselineDeps,
): Promise<RunPatchBaselineResult> {
  const lines: string[] = [];
  const say = (message: string): void => {
    lines.push(message);
    deps.log?.(message);
  };
  const run = deps.run ?? spawnRunner;
  const start = deps.now();
  const rebootOption = params.RebootOption ?? 'RebootIfNeeded';
  const snapshotId =
    params.SnapshotId !== undefined && params.SnapshotId !== '' ? params.SnapshotId : randomUUID();
  const installOverrideList = params.Operation === 'Install' ? (params.InstallOverrideList ?? '') : '';
  try {
    if (installOverrideList !== '' && (params.BaselineOverride ?? '') !== '')
      throw new RunFailure(
        patchExitCodes.overrideConflict,
        'BaselineOverride cannot be combined with InstallOverrideList',
      );
    const platform = await rootPlatformOf(deps.root);
    if (platform === undefined)
      throw new RunFailure(patchExitCodes.failure, `unsupported platform under ${deps.root}`);
    const family = await packageFamilyOf(deps.root);

    let override: Record<string, unknown> | undefined;
    if ((params.BaselineOverride ?? '') !== '') {
      try {
        override = overrideBaselineFor(
          await fetchText(params.BaselineOverride ?? '', deps.signal),
          platform.operatingSystem,
        );
      } catch (error) {
        throw new RunFailure(patchExitCodes.baselineOverrideError, `BaselineOverride: ${messageOf(error)}`);
      }
    }
    let overrideEntries: ReturnType<typeof parseInstallOverrideList> | undefined;
    if (installOverrideList !== '') {
      try {
        overrideEntries = parseInstallOverrideList(await fetchText(installOverrideList, deps.signal));
      } catch (error) {
        throw new RunFailure(
          patchExitCodes.installOverrideListError,
          `InstallOverrideList: ${messageOf(error)}`,
        );
      }
    }
    const snapshot = await fetchSnapshot(deps, snapshotId, override);
    const product = snapshot.product || platform.product;
    say(
      `baseline ${snapshot.baselineId} (${snapshot.rules.operatingSystem}), patch group '${snapshot.patchGroup}', product ${product}`,
    );

    if (deps.refreshMetadata ?? true) {
      const refreshed =
        family === 'apt'
          ? await refreshAptMetadata(deps.root, run, deps.signal)
          : await refreshRpmMetadata(deps.root, run, deps.signal);
      if (refreshFailed(refreshed))
        throw new RunFailure(
          patchExitCodes.failure,
          `${family === 'apt' ? 'apt-get update' : 'dnf makecache'} exited ${refreshed.code}: the package ` +
            `metadata could not be refreshed, so no compliance is reported\n${refreshed.stderr.trim().slice(-1000)}`,
        );
    }

    const scanStarted = performance.now();
    const data = await readHostPackages(deps.root, family).catch((error: unknown) => {
      if (error instanceof PackageMetadataUnavailable)
        throw new RunFailure(patchExitCodes.failure, `${error.message}: no compliance is reported`);
      throw error;
    });
    let scan: PatchScan = await evaluateHostPackages(deps.root, data, snapshot.rules, product, start);
    deps.onScanTimed?.(performance.now() - scanStarted);

    const pendingState = await loadPendingState(deps.stateDir);
    let rebootRequested = false;
    let failed = false;
    let installedThisRun = new Set<string>();
    if (params.Operation === 'Install') {
      const installed = installedVersions(data);
      const targets =
        overrideEntries !== undefined
          ? overrideTargets(overrideEntries, installed, (name, arch) =>
              newestAvailableVersion(data, name, arch),
            )
          : scan.rows
              .filter((row) => row.state === 'Missing' && row.targetVersion !== undefined)
              .map((row) => ({ name: row.name, arch: row.arch, version: row.targetVersion ?? '' }));
      if (targets.length > 0) {
        say(
          `installing ${targets.length} package(s): ${targets.map((t) => `${t.name}.${t.arch}=${t.version}`).join(' ')}`,
        );
        const result: CommandResult =
          data.family === 'apt'
            ? await installAptTargets(deps.root, targets, data.native, run, deps.signal)
            : await installRpmTargets(deps.root, targets, run, deps.signal);
        if (result.code !== 0) say(`installer exited ${result.code}: ${result.stderr.trim().slice(-2000)}`);
        const after = await readHostPackages(deps.root, family);
        scan = await evaluateHostPackages(deps.root, after, snapshot.rules, product, start);
        const now = installedVersions(after);
        const wanted = new Map(targets.map((target) => [`${target.name}.${target.arch}`, target]));
        installedThisRun = new Set();
        scan = {
          ...scan,
          rows: scan.rows.map((row) => {
            const target = wanted.get(row.id);
            if (target === undefined) return row;
            if (now.get(row.id)?.version === target.version) {
              installedThisRun.add(row.title);
              return row;
            }
            failed = true;
            return {
              ...row,
              state: 'Failed',
              title: `${row.id}:${target.version}`,
              targetVersion: target.version,
              installedTime: '',
            };
          }),
        };
      } else say('nothing to install');
      const needsReboot = await rebootRequired(deps.root);
      if (rebootOption === 'RebootIfNeeded') {
        if (installedThisRun.size > 0 || needsReboot) {
          await deps.rebooter.requestReboot(
            installedThisRun.size > 0
              ? `${installedThisRun.size} package(s) installed`
              : 'a reboot is pending',
          );
          rebootRequested = true;
        }
        pendingState.pending = [];
        delete pendingState.lastNoRebootInstallOperationTime;
      } else if (needsReboot && installedThisRun.size > 0) {
        pendingState.pending = [...new Set([...pendingState.pending, ...installedThisRun])];
        pendingState.lastNoRebootInstallOperationTime = isoSeconds(start);
      }
    }
    // Pending reboot: what NoReboot Installs put there stays pending while the root still asks for a reboot.
    if (!rebootRequested && pendingState.pending.length > 0) {
      if (await rebootRequired(deps.root)) {
        const pending = new Set(pendingState.pending);
        scan = {
          ...scan,
          rows: scan.rows.map((row) =>
            pending.has(row.title) && (row.state === 'Installed' || row.state === 'InstalledOther')
              ? { ...row, state: 'InstalledPendingReboot' }
              : row,
          ),
        };
      } else {
        pendingState.pending = [];
        delete pendingState.lastNoRebootInstallOperationTime;
      }
    }
    await savePendingState(deps.stateDir, pendingState);

    const summary = patchSummaryOf(scan, {
      BaselineId: snapshot.baselineId,
      PatchGroup: snapshot.patchGroup,
      SnapshotId: snapshotId,
      OperationType: params.Operation,
      OperationStartTime: isoSeconds(start),
      RebootOption: rebootOption,
      ...(installOverrideList === '' ? {} : { InstallOverrideList: installOverrideList }),
      ...(pendingState.lastNoRebootInstallOperationTime === undefined
        ? {}
        : { LastNoRebootInstallOperationTime: pendingState.lastNoRebootInstallOperationTime }),
      end: deps.now(),
    });
    say(
      `${params.Operation}: installed ${summary.InstalledCount}, installed other ${summary.InstalledOtherCount}, ` +
        `pending reboot ${summary.InstalledPendingRebootCount}, rejected ${summary.InstalledRejectedCount}, ` +
        `missing ${summary.MissingCount}, failed ${summary.FailedCount}, not applicable ${summary.NotApplicableCount}`,
    );
    try {
      await deps.report(patchInventoryRequest(deps.hub.identity.instanceId, summary, scan));
    } catch (error) {
      say(`the report could not be kept for the hub: ${messageOf(error)}`);
      return {
        exitCode: patchExitCodes.putInventoryError,
        output: lines.join('\n'),
        summary,
        rows: scan.rows,
        rebootRequested,
      };
    }
    return {
      exitCode: failed ? patchExitCodes.failure : patchExitCodes.success,
      output: lines.join('\n'),
      summary,
      rows: scan.rows,
      rebootRequested,
    };
  } catch (error) {
    if (error instanceof RunFailure) {
      say(error.message);
      return { exitCode: error.exitCode, output: lines.join('\n') };
    }
    say(messageOf(error));
    return { exitCode: patchExitCodes.failure, output: lines.join('\n') };
  }
}
