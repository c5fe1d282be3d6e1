/**
 * Decides each package's patch state against a baseline (§7.2 apt, §7.3 rpm) with `evaluatePatch` from the
 * patching capability: Missing / Installed / InstalledOther / InstalledRejected rows, NotApplicable counted.
 */
import {
  complianceLevels,
  evaluatePatch,
  type BaselineRules,
  type ComplianceLevel,
  type PatchCandidate,
  type PatchDecision,
} from '../../patching/index.js';
import type { AptAvailability, AvailableDeb } from './apt-source.js';
import { compareDebianVersions } from './debian-version.js';
import type { InstalledDeb } from './dpkg-status.js';
import type { InstalledRpm, RpmPackage, UpdateNotice } from './rpm-source.js';
import { compareRpmEvr } from './rpm-version.js';

/** The inventory `PatchState` values (§6.1). */
export type PatchState =
  | 'Installed'
  | 'InstalledOther'
  | 'InstalledPendingReboot'
  | 'InstalledRejected'
  | 'Missing'
  | 'Failed'
  | 'NotApplicable';

/** One package's outcome: an uploaded compliance row. */
export interface PatchRow {
  /** `name.arch`. */
  id: string;
  /** apt `name.arch:version`; rpm `name.arch:epoch:version-release` (target version for Missing/Failed). */
  title: string;
  name: string;
  arch: string;
  /** The installed version (apt version; rpm `epoch:version-release`); absent when not installed. */
  installedVersion?: string;
  /** The version the baseline wants (apt version; rpm `epoch:version-release`), for Missing/Failed/installs. */
  targetVersion?: string;
  /** `Security` (apt: the version is in a security archive; rpm: the notice type) or empty. */
  classification: string;
  /** Vendor severity: apt Priority, rpm notice severity. */
  patchSeverity: string;
  /** The baseline's compliance level for the version (UNSPECIFIED when not approved). */
  complianceLevel: ComplianceLevel;
  state: PatchState;
  /** `YYYY-MM-DDTHH:MM:SSZ` for installed packages, empty for Missing/Failed. */
  installedTime: string;
  /** CVEs fixed between the installed and the target version (rpm Missing/Failed only). */
  cveIds: string[];
}

/** The outcome of a scan: uploaded rows and the NotApplicable count (not uploaded). */
export interface PatchScan {
  rows: PatchRow[];
  notApplicableCount: number;
}

/** Whether a patch state makes its row NON_COMPLIANT (§6.1). */
export function isNonCompliantState(state: PatchState): boolean {
  return (
    state === 'InstalledPendingReboot' ||
    state === 'InstalledRejected' ||
    state === 'Missing' ||
    state === 'Failed'
  );
}

const levelRank = (level: ComplianceLevel): number =>
  complianceLevels.length - complianceLevels.indexOf(level);

/** Whether a baseline can approve a non-security version at all (else such versions need no evaluation). */
function approvesNonSecurity(baseline: BaselineRules): boolean {
  return (
    baseline.approvalRules.some((rule) => rule.enableNonSecurity) ||
    (baseline.approvedPatchesEnableNonSecurity && baseline.approvedPatches.length > 0)
  );
}

/** What the apt scan works from. */
export interface AptScanInput {
  baseline: BaselineRules;
  /** The node's PRODUCT, e.g. `Debian12`. */
  product: string;
  installed: readonly InstalledDeb[];
  available: AptAvailability;
  /** Install times by `name:arch` (see dpkgInstalledTime). */
  installedTimes?: ReadonlyMap<string, string>;
  now: Date;
}

/** dpkg's native architecture: the arch of the installed `dpkg` package (else the first non-`all` one). */
export function nativeDebArch(installed: readonly InstalledDeb[]): string {
  return (
    installed.find((pkg) => pkg.name === 'dpkg')?.arch ??
    installed.find((pkg) => pkg.arch !== 'all')?.arch ??
    'amd64'
  );
}

/** `all` packages live in the native arch's namespace, as apt sees them. */
const archKey = (arch: string, native: string): string => (arch === 'all' ? native : arch);

/** Evaluates installed Debian packages and the available versions (§7.2). */
export function scanAptPatches(input: AptScanInput): PatchScan {
  const { baseline, product, now } = input;
  const native = nativeDebArch(input.installed);
  const nonSecurity = approvesNonSecurity(baseline);
  const candidateOf = (
    pkg: { name: string; arch: string; version: string; section: string; priority: string },
    security: boolean,
  ): PatchCandidate => ({
    name: pkg.name,
    arch: pkg.arch,
    version: pkg.version,
    product,
    priority: pkg.priority,
    section: pkg.section,
    security,
  });

  const rows: PatchRow[] = [];
  const installedKeys = new Set<string>();
  for (const pkg of input.installed) {
    const key = archKey(pkg.arch, native);
    installedKeys.add(`${pkg.name}:${key}`);
    const versions = (input.available.get(pkg.name) ?? []).filter(
      (version) => archKey(version.arch, native) === key,
    );
    const installedSecurity = versions.some((v) => v.version === pkg.version && v.security);
    const installedDecision = evaluatePatch(baseline, candidateOf(pkg, installedSecurity), now);
    let target: { version: AvailableDeb; decision: PatchDecision } | undefined;
    for (const version of versions) {
      if (compareDebianVersions(version.version, pkg.version) <= 0) continue;
      const decision = evaluatePatch(baseline, candidateOf(version, version.security), now);
      if (!decision.approved) continue;
      if (target === undefined || compareDebianVersions(version.version, target.version.version) > 0)
        target = { version, decision };
    }
    const id = `${pkg.name}.${pkg.arch}`;
    const installedTime = input.installedTimes?.get(`${pkg.name}:${pkg.arch}`) ?? '';
    if (target !== undefined) {
      rows.push({
        id,
        title: `${id}:${target.version.version}`,
        name: pkg.name,
        arch: pkg.arch,
        installedVersion: pkg.version,
        targetVersion: target.version.version,
        classification: target.version.security ? 'Security' : '',
        patchSeverity: target.version.priority,
        complianceLevel: target.decision.complianceLevel,
        state: 'Missing',
        installedTime: '',
        cveIds: [],
      });
      continue;
    }
    const state: PatchState = installedDecision.approved
      ? 'Installed'
      : installedDecision.rejected && baseline.rejectedPatchesAction === 'BLOCK'
        ? 'InstalledRejected'
        : 'InstalledOther';
    rows.push({
      id,
      title: `${id}:${pkg.version}`,
      name: pkg.name,
      arch: pkg.arch,
      installedVersion: pkg.version,
      classification: installedSecurity ? 'Security' : '',
      patchSeverity: pkg.priority,
      complianceLevel: installedDecision.approved ? installedDecision.complianceLevel : 'UNSPECIFIED',
      state,
      installedTime,
      cveIds: [],
    });
  }

  let notApplicableCount = 0;
  for (const [name, versions] of input.available) {
    const approvedKeys = new Set<string>();
    for (const version of versions) {
      const key = `${name}:${archKey(version.arch, native)}`;
      if (installedKeys.has(key) || approvedKeys.has(key)) continue;
      if (!version.security && !nonSecurity) continue;
      if (evaluatePatch(baseline, candidateOf(version, version.security), now).approved)
        approvedKeys.add(key);
    }
    notApplicableCount += approvedKeys.size;
  }
  return { rows: rows.sort((a, b) => a.id.localeCompare(b.id)), notApplicableCount };
}

/** What the rpm scan works from. */
export interface RpmScanInput {
  baseline: BaselineRules;
  product: string;
  installed: readonly InstalledRpm[];
  notices: readonly UpdateNotice[];
  now: Date;
}

/** `epoch:version-release`. */
export const rpmEvrString = (pkg: RpmPackage): string => `${pkg.epoch ?? '0'}:${pkg.version}-${pkg.release}`;

interface RpmPair {
  pkg: RpmPackage;
  notice?: UpdateNotice;
}

function rpmCandidate(pair: RpmPair, product: string): PatchCandidate {
  const { pkg, notice } = pair;
  return {
    name: pkg.name,
    arch: pkg.arch,
    epoch: pkg.epoch ?? '0',
    version: pkg.version,
    release: pkg.release,
    product,
    ...(notice === undefined
      ? {}
      : {
          classification: notice.classification,
          severity: notice.severity,
          releaseDate: notice.updated ?? notice.issued,
          advisoryIds: notice.id === '' ? [] : [notice.id],
          bugzillaIds: notice.bugzillaIds,
          cveIds: notice.cveIds,
        }),
  };
}

/** Evaluates installed rpms against the updateinfo notices (§7.3): one evaluation per (version, notice) pair. */
export function scanRpmPatches(input: RpmScanInput): PatchScan {
  const { baseline, product, now } = input;
  const pairsByKey = new Map<string, RpmPair[]>();
  for (const notice of input.notices) {
    for (const pkg of notice.packages) {
      const key = `${pkg.name}.${pkg.arch}`;
      const list = pairsByKey.get(key);
      if (list === undefined) pairsByKey.set(key, [{ pkg, notice }]);
      else list.push({ pkg, notice });
    }
  }
  const rows: PatchRow[] = [];
  const installedKeys = new Set<string>();
  for (const pkg of input.installed) {
    const id = `${pkg.name}.${pkg.arch}`;
    installedKeys.add(id);
    const pairs = pairsByKey.get(id) ?? [];
    const atInstalled = pairs.filter((pair) => compareRpmEvr(pair.pkg, pkg) === 0);
    const installedPairs: RpmPair[] = atInstalled.length > 0 ? atInstalled : [{ pkg }];
    const installedDecisions = installedPairs.map((pair) => ({
      pair,
      decision: evaluatePatch(baseline, rpmCandidate(pair, product), now),
    }));
    const installedApproved = installedDecisions.filter((entry) => entry.decision.approved);
    const rejected = installedDecisions.some((entry) => entry.decision.rejected);

    let target: { pair: RpmPair; decision: PatchDecision } | undefined;
    for (const pair of pairs) {
      if (compareRpmEvr(pair.pkg, pkg) <= 0) continue;
      const decision = evaluatePatch(baseline, rpmCandidate(pair, product), now);
      if (!decision.approved) continue;
      const order = target === undefined ? 1 : compareRpmEvr(pair.pkg, target.pair.pkg);
      if (
        target === undefined ||
        order > 0 ||
        (order === 0 && levelRank(decision.complianceLevel) > levelRank(target.decision.complianceLevel))
      )
        target = { pair, decision };
    }
    const installedVersion = rpmEvrString(pkg);
    if (rejected && baseline.rejectedPatchesAction === 'BLOCK') {
      rows.push(
        installedRow(
          pkg,
          installedVersion,
          installedDecisions[0]?.pair.notice,
          'InstalledRejected',
          'UNSPECIFIED',
        ),
      );
      continue;
    }
    if (target !== undefined) {
      const wanted = target.pair.pkg;
      const cves = new Set<string>();
      for (const pair of pairs) {
        if (compareRpmEvr(pair.pkg, pkg) > 0 && compareRpmEvr(pair.pkg, wanted) <= 0)
          for (const cve of pair.notice?.cveIds ?? []) cves.add(cve);
      }
      const targetVersion = rpmEvrString(wanted);
      rows.push({
        id,
        title: `${id}:${targetVersion}`,
        name: pkg.name,
        arch: pkg.arch,
        installedVersion,
        targetVersion,
        classification: target.pair.notice?.classification ?? '',
        patchSeverity: target.pair.notice?.severity ?? '',
        complianceLevel: target.decision.complianceLevel,
        state: 'Missing',
        installedTime: '',
        cveIds: [...cves].sort(),
      });
      continue;
    }
    if (installedApproved.length > 0) {
      const best = installedApproved.reduce((a, b) =>
        levelRank(b.decision.complianceLevel) > levelRank(a.decision.complianceLevel) ? b : a,
      );
      rows.push(
        installedRow(pkg, installedVersion, best.pair.notice, 'Installed', best.decision.complianceLevel),
      );
    } else {
      rows.push(
        installedRow(pkg, installedVersion, installedPairs[0]?.notice, 'InstalledOther', 'UNSPECIFIED'),
      );
    }
  }

  let notApplicableCount = 0;
  for (const [key, pairs] of pairsByKey) {
    if (installedKeys.has(key)) continue;
    if (pairs.some((pair) => evaluatePatch(baseline, rpmCandidate(pair, product), now).approved))
      notApplicableCount += 1;
  }
  return { rows: rows.sort((a, b) => a.id.localeCompare(b.id)), notApplicableCount };
}

function installedRow(
  pkg: InstalledRpm,
  installedVersion: string,
  notice: UpdateNotice | undefined,
  state: PatchState,
  complianceLevel: ComplianceLevel,
): PatchRow {
  const id = `${pkg.name}.${pkg.arch}`;
  return {
    id,
    title: `${id}:${installedVersion}`,
    name: pkg.name,
    arch: pkg.arch,
    installedVersion,
    classification: notice?.classification ?? '',
    patchSeverity: notice?.severity ?? '',
    complianceLevel,
    state,
    installedTime: pkg.installedTime,
    cveIds: [],
  };
}
