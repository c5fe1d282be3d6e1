/** The agent's patch engine (AWS-RunPatchBaseline semantics): apt/dpkg and dnf/rpm scanning, install, reporting. */
export { compareDebianVersions, parseDebianVersion } from './debian-version.js';
export { compareRpmEvr, compareRpmVersions, type RpmEvr } from './rpm-version.js';
export { parseDpkgStatus, readDpkgStatus, type InstalledDeb } from './dpkg-status.js';
export {
  isSecurityOrigin,
  listAptIndexes,
  parsePackagesIndex,
  parseReleaseFile,
  readAptAvailability,
  type AptAvailability,
  type AptOrigin,
  type AvailableDeb,
} from './apt-source.js';
export {
  parseRpmQa,
  parseUpdateInfo,
  parseUpdateInfoDate,
  readInstalledRpms,
  readUpdateNotices,
  type InstalledRpm,
  type UpdateNotice,
} from './rpm-source.js';
export {
  isNonCompliantState,
  scanAptPatches,
  scanRpmPatches,
  type PatchRow,
  type PatchScan,
  type PatchState,
} from './patch-scan.js';
export {
  countPatchStates,
  patchInventoryRequest,
  type PatchCounts,
  type PatchInventoryRequest,
  type PatchSummary,
} from './patch-report.js';
export {
  loggingRebooter,
  rebootRequired,
  spawnRunner,
  systemRebooter,
  type CommandRunner,
  type Rebooter,
} from './patch-install.js';
export {
  evaluateHostPackages,
  packageFamilyOf,
  PackageMetadataUnavailable,
  readHostPackages,
  rootPlatformOf,
} from './host-scan.js';
export { parseInstallOverrideList, parseSnapshotDocument } from './baseline-snapshot.js';
export {
  patchExitCodes,
  runPatchBaseline,
  type RunPatchBaselineDeps,
  type RunPatchBaselineParams,
  type RunPatchBaselineResult,
} from './run-patch-baseline.js';
