/**
 * Pending-reboot bookkeeping between runs (§6.7): what NoReboot Installs installed stays
 * InstalledPendingReboot until the node no longer asks for a reboot; RebootIfNeeded Installs request one.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../identity-store.js';
import { isoSeconds } from './dpkg-status.js';
import { rebootRequired, type Rebooter } from './patch-install.js';
import type { PatchScan } from './patch-scan.js';

/** What the agent keeps in `patch-state.json` between runs. */
export interface PendingRebootState {
  lastNoRebootInstallOperationTime?: string;
  /** Titles installed by NoReboot Installs and not yet rebooted. */
  pending: string[];
}

/** The kept state; empty without a state directory or a readable file. */
export async function loadPendingState(stateDir: string | undefined): Promise<PendingRebootState> {
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

/** Keeps `state` for the next run (nothing without a state directory). */
export async function savePendingState(
  stateDir: string | undefined,
  state: PendingRebootState,
): Promise<void> {
  if (stateDir === undefined) return;
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(path.join(stateDir, 'patch-state.json'), `${JSON.stringify(state)}\n`, 0o600);
}

/** What an Install did that decides about a reboot. */
export interface InstallRebootInput {
  root: string;
  rebooter: Rebooter;
  rebootOption: 'RebootIfNeeded' | 'NoReboot';
  /** Titles of the packages this run installed. */
  installedThisRun: ReadonlySet<string>;
  start: Date;
}

/**
 * After an Install: RebootIfNeeded requests a reboot when packages were installed or the root asks for one
 * (and clears what is pending); NoReboot records what it installed as pending while the root asks for a reboot.
 * Returns whether a reboot was requested.
 */
export async function settleInstallReboot(
  input: InstallRebootInput,
  state: PendingRebootState,
): Promise<boolean> {
  const { installedThisRun } = input;
  const needsReboot = await rebootRequired(input.root);
  if (input.rebootOption === 'RebootIfNeeded') {
    let requested = false;
    if (installedThisRun.size > 0 || needsReboot) {
      await input.rebooter.requestReboot(
        installedThisRun.size > 0 ? `${installedThisRun.size} package(s) installed` : 'a reboot is pending',
      );
      requested = true;
    }
    state.pending = [];
    delete state.lastNoRebootInstallOperationTime;
    return requested;
  }
  if (needsReboot && installedThisRun.size > 0) {
    state.pending = [...new Set([...state.pending, ...installedThisRun])];
    state.lastNoRebootInstallOperationTime = isoSeconds(input.start);
  }
  return false;
}

/**
 * Marks what NoReboot Installs left pending as InstalledPendingReboot while the root still asks for a reboot;
 * once it no longer does, forgets them.
 */
export async function markPendingReboot(
  root: string,
  scan: PatchScan,
  state: PendingRebootState,
): Promise<PatchScan> {
  if (state.pending.length === 0) return scan;
  if (!(await rebootRequired(root))) {
    state.pending = [];
    delete state.lastNoRebootInstallOperationTime;
    return scan;
  }
  const pending = new Set(state.pending);
  return {
    ...scan,
    rows: scan.rows.map((row) =>
      pending.has(row.title) && (row.state === 'Installed' || row.state === 'InstalledOther')
        ? { ...row, state: 'InstalledPendingReboot' }
        : row,
    ),
  };
}
