/** Whether a baseline approves one package version, and at which compliance level (§5, §7.1–7.3): pure. */
import {
  higherComplianceLevel,
  isAptFamily,
  type BaselineRules,
  type ComplianceLevel,
  type PatchFilter,
  type PatchFilterKey,
  type PatchRule,
} from './patching-model.js';

/** One candidate package version as the agent sees it on the node. */
export interface PatchCandidate {
  /** Package name, e.g. `openssl`. */
  name: string;
  /** dpkg arch (`amd64`, `all`) or rpm arch (`x86_64`, `noarch`). */
  arch?: string;
  /** rpm epoch (absent = `0`). */
  epoch?: string;
  /** Upstream version (apt: the full Debian version string). */
  version?: string;
  /** rpm release. */
  release?: string;
  /** The node's product (PRODUCT filter), e.g. `Ubuntu22.04`. */
  product?: string;
  /** rpm: updateinfo notice type, capitalized (`Security`, `Bugfix`, …); empty = no notice. */
  classification?: string;
  /** rpm: notice severity (`Critical`, `Important`, …). */
  severity?: string;
  /** apt: the version's Priority (`required`, `important`, `standard`, `optional`, `extra`). */
  priority?: string;
  /** apt: the version's Section (`admin`, `libs`, `universe/net`, …). */
  section?: string;
  /** apt: whether the version is published in a trusted security archive. Ignored for rpm (notice metadata decides). */
  security?: boolean;
  /** rpm: when the notice was released or last updated (absent = long ago: approved as soon as a rule matches). */
  releaseDate?: Date;
  /** rpm: advisory ids (`RHSA-2024:1234`, `ALAS-2023-100`) of the notices shipping this version. */
  advisoryIds?: string[];
  /** rpm: Bugzilla ids of those notices. */
  bugzillaIds?: string[];
  /** rpm: CVE ids fixed by those notices. */
  cveIds?: string[];
}

/** Why a patch is or is not approved. */
export type PatchDecisionReason =
  /** On RejectedPatches: never approved (rejected wins over approved). */
  | 'REJECTED'
  /** On ApprovedPatches. */
  | 'APPROVED_PATCHES'
  /** Some approval rule approves it. */
  | 'APPROVAL_RULE'
  /** On ApprovedPatches or matched by a rule, but a non-security version and non-security is not enabled. */
  | 'NON_SECURITY'
  /** A rule matches, but its ApproveAfterDays / ApproveUntilDate has not been reached. */
  | 'NOT_YET_APPROVED'
  /** Excluded by GlobalFilters (and not on ApprovedPatches). */
  | 'GLOBAL_FILTERS'
  /** No rule's filter group matches. */
  | 'NO_MATCHING_RULE';

/** The verdict on one candidate. */
export interface PatchDecision {
  approved: boolean;
  /** The highest ComplianceLevel of what approved it; UNSPECIFIED when not approved. */
  complianceLevel: ComplianceLevel;
  reason: PatchDecisionReason;
  /** Whether RejectedPatches matches (the agent uses it with RejectedPatchesAction for InstalledRejected). */
  rejected: boolean;
}

const dayMs = 86_400_000;

const hasGlob = (pattern: string): boolean => /[*?[]/.test(pattern);

/** A shell-style glob (`*`, `?`, `[…]`) as a case-insensitive, anchored regular expression. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern.charAt(i);
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else source += char.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

/**
 * The spellings of a package version that ApprovedPatches / RejectedPatches entries are compared with (§5.3):
 * rpm `name`, `name.arch`, `name-version-release.arch`, `epoch:name-version-release.arch`, …; apt `name`,
 * `name.arch`, `name.arch:version`, ….
 */
export function packageSpellings(candidate: PatchCandidate, apt: boolean): string[] {
  const { name, arch, version, release } = candidate;
  const spellings = [name];
  if (arch !== undefined) spellings.push(`${name}.${arch}`);
  if (version === undefined) return spellings;
  if (apt) {
    spellings.push(version, `${name}-${version}`);
    if (arch !== undefined) spellings.push(`${arch}:${version}`, `${name}.${arch}:${version}`);
    return spellings;
  }
  const epoch = candidate.epoch ?? '0';
  const vr = release === undefined ? version : `${version}-${release}`;
  spellings.push(
    version,
    `${name}-${version}`,
    vr,
    `${epoch}:${vr}`,
    `${name}-${vr}`,
    `${name}-${epoch}:${vr}`,
  );
  if (arch !== undefined) {
    spellings.push(
      `${name}-${vr}.${arch}`,
      `${epoch}:${name}-${vr}.${arch}`,
      `${name}-${epoch}:${vr}.${arch}`,
      `${name}.${arch}:${epoch}:${vr}`,
    );
  }
  return spellings;
}

/** Whether one ApprovedPatches/RejectedPatches entry names this package version (case-insensitive; globs allowed). */
export function matchesPatchName(pattern: string, spellings: readonly string[]): boolean {
  if (hasGlob(pattern)) {
    const regexp = globToRegExp(pattern);
    return spellings.some((spelling) => regexp.test(spelling));
  }
  const wanted = pattern.toLowerCase();
  return spellings.some((spelling) => spelling.toLowerCase() === wanted);
}

/** Whether an ApprovedPatches entry names one of the candidate's advisory, Bugzilla or CVE ids (rpm only). */
function matchesNoticeId(pattern: string, candidate: PatchCandidate): boolean {
  const wanted = pattern.toLowerCase();
  return [
    ...(candidate.advisoryIds ?? []),
    ...(candidate.bugzillaIds ?? []),
    ...(candidate.cveIds ?? []),
  ].some((id) => id.toLowerCase() === wanted);
}

/** Amazon Linux calls `Moderate` `Medium`; both spellings match either. */
function normalizedValue(key: PatchFilterKey, value: string): string {
  const lower = value.trim().toLowerCase();
  return key === 'SEVERITY' && lower === 'medium' ? 'moderate' : lower;
}

function candidateValue(candidate: PatchCandidate, key: PatchFilterKey): string | undefined {
  switch (key) {
    case 'PRODUCT':
      return candidate.product;
    case 'CLASSIFICATION':
      return candidate.classification;
    case 'SEVERITY':
      return candidate.severity;
    case 'PRIORITY':
      return candidate.priority;
    case 'SECTION':
      return candidate.section;
    case 'ARCH':
      return candidate.arch;
    case 'NAME':
      return candidate.name;
    case 'EPOCH':
      return candidate.epoch;
    case 'VERSION':
      return candidate.version;
    case 'RELEASE':
      return candidate.release;
    case 'ADVISORY_ID':
    case 'BUGZILLA_ID':
    case 'PATCH_SET':
    case 'PRODUCT_FAMILY':
    case 'CVE_ID':
    case 'MSRC_SEVERITY':
    case 'PATCH_ID':
    case 'REPOSITORY':
    case 'SECURITY':
      return undefined;
  }
}

/** One filter: `*` matches everything; otherwise a case-insensitive equal value (an absent value never matches). */
export function matchesFilter(filter: PatchFilter, candidate: PatchCandidate): boolean {
  if (filter.values.some((value) => value.trim() === '*')) return true;
  const actual = candidateValue(candidate, filter.key);
  if (actual === undefined || actual.trim() === '') return false;
  const normalized = normalizedValue(filter.key, actual);
  return filter.values.some((value) => normalizedValue(filter.key, value) === normalized);
}

/** A filter group matches when every filter in it matches (an empty group matches everything). */
export function matchesFilterGroup(filters: readonly PatchFilter[], candidate: PatchCandidate): boolean {
  return filters.every((filter) => matchesFilter(filter, candidate));
}

/**
 * Whether the version counts as a security update: apt — published in a security archive; rpm — it ships in an
 * updateinfo notice with both a classification and a severity (what AWS's payload checks).
 */
export function isSecurityCandidate(candidate: PatchCandidate, apt: boolean): boolean {
  if (apt) return candidate.security === true;
  return (candidate.classification ?? '').trim() !== '' && (candidate.severity ?? '').trim() !== '';
}

/** Whether a rule's delay has passed at `now` (rpm only; apt has no reliable release dates and ignores both). */
export function ruleDateReached(rule: PatchRule, releaseDate: Date | undefined, now: Date): boolean {
  const released = releaseDate?.getTime() ?? 0;
  if (rule.approveUntilDate !== undefined) {
    const until = Date.parse(`${rule.approveUntilDate}T00:00:00Z`);
    // The whole UTC day D is included.
    return Number.isNaN(until) ? false : released < until + dayMs;
  }
  if (rule.approveAfterDays !== undefined) return released + rule.approveAfterDays * dayMs <= now.getTime();
  return true;
}

/**
 * Evaluates one package version against a baseline at `now` with AWS's semantics: RejectedPatches wins; then a
 * version is approved by ApprovedPatches (even outside GlobalFilters) or by any approval rule whose filters all match
 * within GlobalFilters and whose ApproveAfterDays/ApproveUntilDate has passed (ignored on Debian/Ubuntu); a
 * non-security version needs EnableNonSecurity (ApprovedPatchesEnableNonSecurity for the list). The compliance level
 * is the highest among everything that approved it.
 */
export function evaluatePatch(baseline: BaselineRules, candidate: PatchCandidate, now: Date): PatchDecision {
  const apt = isAptFamily(baseline.operatingSystem);
  const spellings = packageSpellings(candidate, apt);
  const rejected = baseline.rejectedPatches.some((pattern) => matchesPatchName(pattern, spellings));
  if (rejected) return { approved: false, complianceLevel: 'UNSPECIFIED', reason: 'REJECTED', rejected };

  const security = isSecurityCandidate(candidate, apt);
  let level: ComplianceLevel | undefined;
  let reason: PatchDecisionReason = 'NO_MATCHING_RULE';
  let approvedBy: PatchDecisionReason | undefined;

  const listed = baseline.approvedPatches.some(
    (pattern) => matchesPatchName(pattern, spellings) || (!apt && matchesNoticeId(pattern, candidate)),
  );
  if (listed) {
    if (baseline.approvedPatchesEnableNonSecurity || security) {
      level = baseline.approvedPatchesComplianceLevel;
      approvedBy = 'APPROVED_PATCHES';
    } else reason = 'NON_SECURITY';
  }

  if (!matchesFilterGroup(baseline.globalFilters, candidate)) {
    if (approvedBy === undefined && reason === 'NO_MATCHING_RULE') reason = 'GLOBAL_FILTERS';
  } else {
    for (const rule of baseline.approvalRules) {
      if (!matchesFilterGroup(rule.filters, candidate)) continue;
      if (!rule.enableNonSecurity && !security) {
        if (reason === 'NO_MATCHING_RULE') reason = 'NON_SECURITY';
        continue;
      }
      if (!apt && !ruleDateReached(rule, candidate.releaseDate, now)) {
        if (reason === 'NO_MATCHING_RULE' || reason === 'NON_SECURITY') reason = 'NOT_YET_APPROVED';
        continue;
      }
      level = level === undefined ? rule.complianceLevel : higherComplianceLevel(level, rule.complianceLevel);
      approvedBy ??= 'APPROVAL_RULE';
    }
  }

  if (level === undefined || approvedBy === undefined)
    return { approved: false, complianceLevel: 'UNSPECIFIED', reason, rejected: false };
  return { approved: true, complianceLevel: level, reason: approvedBy, rejected: false };
}
