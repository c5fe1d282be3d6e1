/**
 * AWS-RunPatchBaseline on this node (§7.1, §7.4): snapshot → scan → (Install: exact versions, rescan,
 * reboot handling) → one PutInventory with AWS:PatchSummary and AWS:ComplianceItem.
 */
import { randomUUID } from 'node:crypto';
import type { HubClient } from '../hub-client.js';
import type { InstallOverrideEntry } from './baseline-snapshot.js';
import { isoSeconds } from './dpkg-status.js';
import {
  evaluateHostPackages,
  packageFamilyOf,
  PackageMetadataUnavailable,
  readHostPackages,
  rootPlatformOf,
  type PackageFamily,
} from './host-scan.js';
import { spawnRunner, type CommandRunner, type Rebooter } from './patch-install.js';
import { installPatches } from './patch-install-step.js';
import {
  patchInventoryRequest,
  patchSummaryOf,
  type PatchInventoryRequest,
  type PatchSummary,
} from './patch-report.js';
import { messageOf, patchExitCodes, PatchRunFailure } from './patch-run-failure.js';
import {
  fetchBaselineOverride,
  fetchInstallOverrideList,
  fetchSnapshot,
  refreshPackageMetadata,
} from './patch-run-inputs.js';
import type { PatchRow, PatchScan } from './patch-scan.js';
import {
  loadPendingState,
  markPendingReboot,
  savePendingState,
  settleInstallReboot,
} from './pending-reboot.js';

export { patchExitCodes } from './patch-run-failure.js';

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

/** One run's settings, derived from the parameters, and its output. */
interface PatchRun {
  params: RunPatchBaselineParams;
  deps: RunPatchBaselineDeps;
  run: CommandRunner;
  start: Date;
  rebootOption: 'RebootIfNeeded' | 'NoReboot';
  snapshotId: string;
  /** The InstallOverrideList location of an Install; '' otherwise. */
  installOverrideList: string;
  say: (message: string) => void;
}

/** The baseline a run applies to which packages, with the InstallOverrideList's entries. */
interface PreparedRun {
  family: PackageFamily;
  snapshot: Awaited<ReturnType<typeof fetchSnapshot>>;
  product: string;
  overrideEntries: InstallOverrideEntry[] | undefined;
}

/** Checks the parameters against the node, fetches the overrides and the snapshot, refreshes package metadata. */
async function prepareRun(r: PatchRun): Promise<PreparedRun> {
  const { params, deps } = r;
  const baselineOverride = params.BaselineOverride ?? '';
  if (r.installOverrideList !== '' && baselineOverride !== '')
    throw new PatchRunFailure(
      patchExitCodes.overrideConflict,
      'BaselineOverride cannot be combined with InstallOverrideList',
    );
  const platform = await rootPlatformOf(deps.root);
  if (platform === undefined)
    throw new PatchRunFailure(patchExitCodes.failure, `unsupported platform under ${deps.root}`);
  const family = await packageFamilyOf(deps.root);
  const override = await fetchBaselineOverride(baselineOverride, platform.operatingSystem, deps.signal);
  const overrideEntries = await fetchInstallOverrideList(r.installOverrideList, deps.signal);
  const snapshot = await fetchSnapshot(deps.hub, r.snapshotId, override, deps.signal);
  const product = snapshot.product || platform.product;
  r.say(
    `baseline ${snapshot.baselineId} (${snapshot.rules.operatingSystem}), patch group '${snapshot.patchGroup}', product ${product}`,
  );
  if (deps.refreshMetadata ?? true) await refreshPackageMetadata(deps.root, family, r.run, deps.signal);
  return { family, snapshot, product, overrideEntries };
}

/** Scans, installs (Install), settles reboots and pending reboots, and reports the summary. */
async function patchAndReport(r: PatchRun): Promise<Omit<RunPatchBaselineResult, 'output'>> {
  const { params, deps } = r;
  const { family, snapshot, product, overrideEntries } = await prepareRun(r);
  const scanStarted = performance.now();
  const data = await readHostPackages(deps.root, family).catch((error: unknown) => {
    if (error instanceof PackageMetadataUnavailable)
      throw new PatchRunFailure(patchExitCodes.failure, `${error.message}: no compliance is reported`);
    throw error;
  });
  let scan: PatchScan = await evaluateHostPackages(deps.root, data, snapshot.rules, product, r.start);
  deps.onScanTimed?.(performance.now() - scanStarted);

  const pendingState = await loadPendingState(deps.stateDir);
  let rebootRequested = false;
  let failed = false;
  if (params.Operation === 'Install') {
    const outcome = await installPatches({
      root: deps.root,
      data,
      scan,
      overrideEntries,
      rules: snapshot.rules,
      product,
      start: r.start,
      run: r.run,
      signal: deps.signal,
      say: r.say,
    });
    ({ scan, failed } = outcome);
    rebootRequested = await settleInstallReboot(
      { ...outcome, root: deps.root, rebooter: deps.rebooter, rebootOption: r.rebootOption, start: r.start },
      pendingState,
    );
  }
  if (!rebootRequested) scan = await markPendingReboot(deps.root, scan, pendingState);
  await savePendingState(deps.stateDir, pendingState);

  const summary = patchSummaryOf(scan, {
    BaselineId: snapshot.baselineId,
    PatchGroup: snapshot.patchGroup,
    SnapshotId: r.snapshotId,
    OperationType: params.Operation,
    OperationStartTime: isoSeconds(r.start),
    RebootOption: r.rebootOption,
    ...(r.installOverrideList === '' ? {} : { InstallOverrideList: r.installOverrideList }),
    ...(pendingState.lastNoRebootInstallOperationTime === undefined
      ? {}
      : { LastNoRebootInstallOperationTime: pendingState.lastNoRebootInstallOperationTime }),
    end: deps.now(),
  });
  r.say(
    `${params.Operation}: installed ${summary.InstalledCount}, installed other ${summary.InstalledOtherCount}, ` +
      `pending reboot ${summary.InstalledPendingRebootCount}, rejected ${summary.InstalledRejectedCount}, ` +
      `missing ${summary.MissingCount}, failed ${summary.FailedCount}, not applicable ${summary.NotApplicableCount}`,
  );
  const outcome = { summary, rows: scan.rows, rebootRequested };
  try {
    await deps.report(patchInventoryRequest(deps.hub.identity.instanceId, summary, scan));
  } catch (error) {
    r.say(`the report could not be kept for the hub: ${messageOf(error)}`);
    return { exitCode: patchExitCodes.putInventoryError, ...outcome };
  }
  return { exitCode: failed ? patchExitCodes.failure : patchExitCodes.success, ...outcome };
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
  const run: PatchRun = {
    params,
    deps,
    run: deps.run ?? spawnRunner,
    start: deps.now(),
    rebootOption: params.RebootOption ?? 'RebootIfNeeded',
    snapshotId:
      params.SnapshotId !== undefined && params.SnapshotId !== '' ? params.SnapshotId : randomUUID(),
    installOverrideList: params.Operation === 'Install' ? (params.InstallOverrideList ?? '') : '',
    say,
  };
  try {
    const { exitCode, ...outcome } = await patchAndReport(run);
    return { exitCode, output: lines.join('\n'), ...outcome };
  } catch (error) {
    if (error instanceof PatchRunFailure) {
      say(error.message);
      return { exitCode: error.exitCode, output: lines.join('\n') };
    }
    say(messageOf(error));
    return { exitCode: patchExitCodes.failure, output: lines.join('\n') };
  }
}
