/** Patch Manager's domain: operating systems, baselines, approval rules and patch groups (no wire shapes here). */

/** Every `OperatingSystem` value of the SSM model. */
export const operatingSystems = [
  'WINDOWS',
  'AMAZON_LINUX',
  'AMAZON_LINUX_2',
  'AMAZON_LINUX_2022',
  'AMAZON_LINUX_2023',
  'UBUNTU',
  'DEBIAN',
  'RASPBIAN',
  'REDHAT_ENTERPRISE_LINUX',
  'CENTOS',
  'ORACLE_LINUX',
  'ROCKY_LINUX',
  'ALMA_LINUX',
  'SUSE',
  'MACOS',
] as const;

/** An operating system a baseline applies to. */
export type OperatingSystem = (typeof operatingSystems)[number];

/** Compliance levels, most severe first. */
export const complianceLevels = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
  'UNSPECIFIED',
] as const;

/** The severity a baseline assigns to the patches it approves. */
export type ComplianceLevel = (typeof complianceLevels)[number];

/** What happens to a rejected package another package depends on. */
export type RejectedPatchesAction = 'ALLOW_AS_DEPENDENCY' | 'BLOCK';

/** Every `PatchFilterKey` of the SSM model (baselines use a per-OS subset, see `baselineFilterKeys`). */
export const patchFilterKeys = [
  'ARCH',
  'ADVISORY_ID',
  'BUGZILLA_ID',
  'PATCH_SET',
  'PRODUCT',
  'PRODUCT_FAMILY',
  'CLASSIFICATION',
  'CVE_ID',
  'EPOCH',
  'MSRC_SEVERITY',
  'NAME',
  'PATCH_ID',
  'SECTION',
  'PRIORITY',
  'REPOSITORY',
  'RELEASE',
  'SEVERITY',
  'SECURITY',
  'VERSION',
] as const;

/** A patch filter key. */
export type PatchFilterKey = (typeof patchFilterKeys)[number];

/** One filter of a group: the patch matches when its value for `key` is one of `values` (or a value is `*`). */
export interface PatchFilter {
  key: PatchFilterKey;
  values: string[];
}

/** An approval rule: a filter group, a delay (or cut-off date) and the compliance level of what it approves. */
export interface PatchRule {
  filters: PatchFilter[];
  complianceLevel: ComplianceLevel;
  /** Approve patches this many days after release (0–360). */
  approveAfterDays?: number;
  /** Approve patches released on or before this UTC day (`YYYY-MM-DD`). */
  approveUntilDate?: string;
  enableNonSecurity: boolean;
}

/** An alternative package repository for some products (Linux only). */
export interface PatchSource {
  name: string;
  products: string[];
  configuration: string;
}

/** Everything a baseline says about which patches to approve: what the agent evaluates. */
export interface BaselineRules {
  operatingSystem: OperatingSystem;
  globalFilters: PatchFilter[];
  approvalRules: PatchRule[];
  approvedPatches: string[];
  approvedPatchesComplianceLevel: ComplianceLevel;
  approvedPatchesEnableNonSecurity: boolean;
  rejectedPatches: string[];
  rejectedPatchesAction: RejectedPatchesAction;
  sources: PatchSource[];
  /** Windows only; kept as given. */
  availableSecurityUpdatesComplianceStatus?: 'COMPLIANT' | 'NON_COMPLIANT';
}

/** A baseline's user-editable definition. */
export interface BaselineDefinition extends BaselineRules {
  name: string;
  description?: string;
}

/** A stored or predefined patch baseline. */
export interface PatchBaseline extends BaselineDefinition {
  /** `pb-` + 17 hex for custom baselines; the full ARN for AWS-owned ones. */
  baselineId: string;
  /** The owning account (an AWS account for predefined baselines). */
  ownerAccountId: string;
  awsOwned: boolean;
  createdAt: Date;
  modifiedAt: Date;
}

/** A patch group → baseline registration (one baseline per group per OS). */
export interface PatchGroupRegistration {
  patchGroup: string;
  operatingSystem: OperatingSystem;
  baselineId: string;
}

/** The account's custom default baseline of one OS (absent = the predefined one). */
export interface DefaultBaselineRegistration {
  operatingSystem: OperatingSystem;
  baselineId: string;
}

/** The OS families whose patches come from apt (no release dates; the security archive decides "security"). */
export const aptOperatingSystems: readonly OperatingSystem[] = ['UBUNTU', 'DEBIAN', 'RASPBIAN'];

/** Whether `os` patches with apt/dpkg. */
export function isAptFamily(os: OperatingSystem): boolean {
  return aptOperatingSystems.includes(os);
}

/** The filter keys a baseline of `os` may use (§5.2). */
export function baselineFilterKeys(os: OperatingSystem): readonly PatchFilterKey[] {
  switch (os) {
    case 'UBUNTU':
    case 'DEBIAN':
    case 'RASPBIAN':
      return ['PRODUCT', 'PRIORITY', 'SECTION'];
    case 'WINDOWS':
      return ['PATCH_SET', 'PRODUCT', 'PRODUCT_FAMILY', 'CLASSIFICATION', 'MSRC_SEVERITY'];
    case 'MACOS':
      return ['PRODUCT', 'CLASSIFICATION'];
    case 'AMAZON_LINUX':
    case 'AMAZON_LINUX_2':
    case 'AMAZON_LINUX_2022':
    case 'AMAZON_LINUX_2023':
    case 'REDHAT_ENTERPRISE_LINUX':
    case 'CENTOS':
    case 'ORACLE_LINUX':
    case 'ROCKY_LINUX':
    case 'ALMA_LINUX':
    case 'SUSE':
      return ['PRODUCT', 'CLASSIFICATION', 'SEVERITY'];
  }
}

/** The more severe of two compliance levels. */
export function higherComplianceLevel(a: ComplianceLevel, b: ComplianceLevel): ComplianceLevel {
  return complianceLevels.indexOf(a) <= complianceLevels.indexOf(b) ? a : b;
}

/** A patch group's name may use letters, digits, spaces and `_.:/=+-@` (1–256 characters). */
export const patchGroupPattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/** The tag keys that put a managed node in a patch group, preferred first (§5.6). */
export const patchGroupTagKeys = ['Patch Group', 'PatchGroup'] as const;

/** A node's patch group from its tags: `Patch Group` wins over `PatchGroup`; undefined when neither is set. */
export function patchGroupOfTags(tags: Readonly<Record<string, string>>): string | undefined {
  for (const key of patchGroupTagKeys) {
    const value = tags[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The OS and patch `Product` of a node, from what its agent reports (PlatformName / PlatformVersion). */
export interface NodePlatform {
  operatingSystem: OperatingSystem;
  /** e.g. `Ubuntu22.04`, `RedhatEnterpriseLinux9.3`, `AmazonLinux2023` (PRODUCT filter values). */
  product: string;
}

/**
 * Maps an agent's PlatformName/PlatformVersion (as in DescribeInstanceInformation) to the baseline OS and
 * the PRODUCT value; undefined for platforms Patch Manager does not patch.
 */
export function nodePlatformOf(platformName: string, platformVersion: string): NodePlatform | undefined {
  const name = platformName.toLowerCase();
  const version = platformVersion.trim();
  const major = version.split('.')[0] ?? version;
  if (name.includes('ubuntu')) return { operatingSystem: 'UBUNTU', product: `Ubuntu${version}` };
  if (name.includes('raspbian') || name.includes('raspberry'))
    return { operatingSystem: 'RASPBIAN', product: `Raspbian${major}` };
  if (name.includes('debian')) return { operatingSystem: 'DEBIAN', product: `Debian${major}` };
  if (name.includes('red hat') || name.includes('redhat') || name === 'rhel')
    return { operatingSystem: 'REDHAT_ENTERPRISE_LINUX', product: `RedhatEnterpriseLinux${version}` };
  if (name.includes('rocky')) return { operatingSystem: 'ROCKY_LINUX', product: `RockyLinux${version}` };
  if (name.includes('alma')) return { operatingSystem: 'ALMA_LINUX', product: `AlmaLinux${version}` };
  if (name.includes('oracle')) return { operatingSystem: 'ORACLE_LINUX', product: `OracleLinux${version}` };
  if (name.includes('centos'))
    return name.includes('stream')
      ? { operatingSystem: 'CENTOS', product: `CentOSStream${major}` }
      : { operatingSystem: 'CENTOS', product: `CentOS${version}` };
  if (name.includes('amazon linux')) {
    if (major === '2') return { operatingSystem: 'AMAZON_LINUX_2', product: 'AmazonLinux2' };
    if (major === '2022') return { operatingSystem: 'AMAZON_LINUX_2022', product: 'AmazonLinux2022' };
    if (major === '2023') return { operatingSystem: 'AMAZON_LINUX_2023', product: 'AmazonLinux2023' };
    return { operatingSystem: 'AMAZON_LINUX', product: `AmazonLinux${version}` };
  }
  if (name.includes('suse') || name.includes('sles'))
    return { operatingSystem: 'SUSE', product: `Suse${version}` };
  if (name.includes('windows')) return { operatingSystem: 'WINDOWS', product: platformName };
  if (name.includes('mac')) return { operatingSystem: 'MACOS', product: `macOS${version}` };
  return undefined;
}
