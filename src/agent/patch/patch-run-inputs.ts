/**
 * What an AWS-RunPatchBaseline run reads before it scans: the override baseline and InstallOverrideList, the
 * baseline snapshot from the hub, and fresh package metadata.
 */
import type { HubClient } from '../hub-client.js';
import {
  fetchText,
  overrideBaselineFor,
  parseInstallOverrideList,
  parseSnapshotDocument,
  type BaselineSnapshot,
  type InstallOverrideEntry,
} from './baseline-snapshot.js';
import type { PackageFamily } from './host-scan.js';
import {
  refreshAptMetadata,
  refreshRpmMetadata,
  type CommandResult,
  type CommandRunner,
} from './patch-install.js';
import { messageOf, patchExitCodes, PatchRunFailure } from './patch-run-failure.js';
import type { OperatingSystem } from '../../patching/index.js';

/** The BaselineOverride parameter's baseline for `operatingSystem`; undefined when the parameter is empty. */
export async function fetchBaselineOverride(
  location: string,
  operatingSystem: OperatingSystem,
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown> | undefined> {
  if (location === '') return undefined;
  try {
    return overrideBaselineFor(await fetchText(location, signal), operatingSystem);
  } catch (error) {
    throw new PatchRunFailure(patchExitCodes.baselineOverrideError, `BaselineOverride: ${messageOf(error)}`);
  }
}

/** The InstallOverrideList parameter's entries; undefined when the parameter is empty. */
export async function fetchInstallOverrideList(
  location: string,
  signal: AbortSignal | undefined,
): Promise<InstallOverrideEntry[] | undefined> {
  if (location === '') return undefined;
  try {
    return parseInstallOverrideList(await fetchText(location, signal));
  } catch (error) {
    throw new PatchRunFailure(
      patchExitCodes.installOverrideListError,
      `InstallOverrideList: ${messageOf(error)}`,
    );
  }
}

/** Fetches and decodes the snapshot (with the override baseline for this OS, when one is given). */
export async function fetchSnapshot(
  hub: Pick<HubClient, 'call' | 'identity'>,
  snapshotId: string,
  override: Record<string, unknown> | undefined,
  signal: AbortSignal | undefined,
): Promise<BaselineSnapshot> {
  let response: Record<string, unknown>;
  try {
    response = await hub.call('GetDeployablePatchSnapshotForInstance', {
      InstanceId: hub.identity.instanceId,
      SnapshotId: snapshotId,
      ...(override === undefined ? {} : { BaselineOverride: override }),
    });
  } catch (error) {
    throw new PatchRunFailure(
      override === undefined ? patchExitCodes.snapshotError : patchExitCodes.baselineOverrideError,
      `GetDeployablePatchSnapshotForInstance failed: ${messageOf(error)}`,
    );
  }
  try {
    const url = response['SnapshotDownloadUrl'];
    if (typeof url !== 'string') throw new Error('no SnapshotDownloadUrl');
    const snapshot = parseSnapshotDocument(await fetchText(url, signal));
    const product = response['Product'];
    return typeof product === 'string' && product !== '' ? { ...snapshot, product } : snapshot;
  } catch (error) {
    throw new PatchRunFailure(patchExitCodes.invalidSnapshot, `invalid snapshot: ${messageOf(error)}`);
  }
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

/** Refreshes the package metadata under `root`; a failed refresh fails the run (stale metadata understates). */
export async function refreshPackageMetadata(
  root: string,
  family: PackageFamily,
  run: CommandRunner,
  signal: AbortSignal | undefined,
): Promise<void> {
  const refreshed =
    family === 'apt'
      ? await refreshAptMetadata(root, run, signal)
      : await refreshRpmMetadata(root, run, signal);
  if (refreshFailed(refreshed))
    throw new PatchRunFailure(
      patchExitCodes.failure,
      `${family === 'apt' ? 'apt-get update' : 'dnf makecache'} exited ${refreshed.code}: the package ` +
        `metadata could not be refreshed, so no compliance is reported\n${refreshed.stderr.trim().slice(-1000)}`,
    );
}
