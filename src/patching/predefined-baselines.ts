/** The AWS-owned (predefined) patch baselines, one default per OS and Region (§5.4), addressed by their ARN. */
import { createHash } from 'node:crypto';
import type { OperatingSystem, PatchBaseline, PatchFilter, PatchRule } from './patching-model.js';

/** Owner account and baseline id per OS of the Regions whose real ids are known (as AWS publishes them). */
const knownRegions = new Map<string, { owner: string; ids: Record<OperatingSystem, string> }>(
  Object.entries({
    'us-east-1': {
      owner: '075727635805',
      ids: {
        ALMA_LINUX: 'pb-0cb0c4966f86b059b',
        AMAZON_LINUX: 'pb-0c10e657807c7a700',
        AMAZON_LINUX_2: 'pb-0be8c61cde3be63f3',
        AMAZON_LINUX_2022: 'pb-0028ca011460d5eaf',
        AMAZON_LINUX_2023: 'pb-05c9c9bf778d4c4d0',
        CENTOS: 'pb-03e3f588eec25344c',
        DEBIAN: 'pb-09a5f8eb62bde80b1',
        MACOS: 'pb-0ee4f94581368c0d4',
        ORACLE_LINUX: 'pb-06bff38e95fe85c02',
        RASPBIAN: 'pb-0ec16280999c5c75e',
        REDHAT_ENTERPRISE_LINUX: 'pb-0cbb3a633de00f07c',
        ROCKY_LINUX: 'pb-03ec98bc512aa3ac0',
        SUSE: 'pb-07d8884178197b66b',
        UBUNTU: 'pb-0c7e89f711c3095f4',
        WINDOWS: 'pb-09ca3fb51f0412ec3',
      },
    },
    'us-east-2': {
      owner: '733109147000',
      ids: {
        ALMA_LINUX: 'pb-0c512885f94eceb9e',
        AMAZON_LINUX: 'pb-0e392de35e7c563b7',
        AMAZON_LINUX_2: 'pb-07e6d4e9bc703f2e3',
        AMAZON_LINUX_2022: 'pb-0d02b7674ff76a48d',
        AMAZON_LINUX_2023: 'pb-0366438d3e092e1d3',
        CENTOS: 'pb-0574b43a65ea646ed',
        DEBIAN: 'pb-0d215380aec1af2f0',
        MACOS: 'pb-0f9cdff0b6da47181',
        ORACLE_LINUX: 'pb-0bf2738c5e3b55542',
        RASPBIAN: 'pb-07335117835e9e63a',
        REDHAT_ENTERPRISE_LINUX: 'pb-0e9c1ce8d831d57e0',
        ROCKY_LINUX: 'pb-056dd3ed0db4e2121',
        SUSE: 'pb-0123fdb36e334a3b2',
        UBUNTU: 'pb-052a2e04b3b354d69',
        WINDOWS: 'pb-020d361a05defe4ed',
      },
    },
    'us-west-1': {
      owner: '433649990780',
      ids: {
        ALMA_LINUX: 'pb-086d6e5e9e5cf0d32',
        AMAZON_LINUX: 'pb-0edd08deb5347dc49',
        AMAZON_LINUX_2: 'pb-0e4cc5d92727f4519',
        AMAZON_LINUX_2022: 'pb-0c6ef1aabdce454cc',
        AMAZON_LINUX_2023: 'pb-07fe60f697a9f1c16',
        CENTOS: 'pb-0f335e348e8d4dc66',
        DEBIAN: 'pb-0a85f38d043386817',
        MACOS: 'pb-0481ed3be0d03d000',
        ORACLE_LINUX: 'pb-0ea849422dcaab12b',
        RASPBIAN: 'pb-04013cab8cbdd1e8f',
        REDHAT_ENTERPRISE_LINUX: 'pb-0d463958ce0dba28f',
        ROCKY_LINUX: 'pb-06f7583ffd7568a5a',
        SUSE: 'pb-0836cd3c7212a0d69',
        UBUNTU: 'pb-0ceaff147dad553bb',
        WINDOWS: 'pb-0a1b04c1854b2a92a',
      },
    },
    'us-west-2': {
      owner: '280605243866',
      ids: {
        ALMA_LINUX: 'pb-07dbd9f0b517b769e',
        AMAZON_LINUX: 'pb-0d5ff2de2fa3fa0ff',
        AMAZON_LINUX_2: 'pb-0e930e75b392d70da',
        AMAZON_LINUX_2022: 'pb-037a9df9b290208cf',
        AMAZON_LINUX_2023: 'pb-0a624803d647da0ab',
        CENTOS: 'pb-0b641de5f3a9f3b2f',
        DEBIAN: 'pb-04d1ad3cad30d44ff',
        MACOS: 'pb-03dbdd88b851b829c',
        ORACLE_LINUX: 'pb-06ac4861e0c6d047f',
        RASPBIAN: 'pb-0bcede5146d0adbd4',
        REDHAT_ENTERPRISE_LINUX: 'pb-054123d940f3d2056',
        ROCKY_LINUX: 'pb-0b12e36f68dafa2ba',
        SUSE: 'pb-0aee740f9a480ec2e',
        UBUNTU: 'pb-0dcda0730ce35c5e6',
        WINDOWS: 'pb-04fb4ae6142167966',
      },
    },
  }),
);

/** The owner account of predefined baselines in Regions without a published id (us-east-1's). */
export const defaultAwsOwnerAccountId = '075727635805';

interface PredefinedShape {
  name: string;
  description: string;
  globalFilters: PatchFilter[];
  approvalRules: PatchRule[];
}

const unspecified = 'UNSPECIFIED' as const;

/** apt baselines: every priority, security versions only, no wait (AWS stores 7 days but apt ignores it). */
function aptShape(name: string, label: string): PredefinedShape {
  return {
    name,
    description: `Default Patch Baseline for ${label} Provided by AWS.`,
    globalFilters: [{ key: 'PRODUCT', values: ['*'] }],
    approvalRules: [
      {
        filters: [{ key: 'PRIORITY', values: ['Required', 'Important', 'Standard', 'Optional', 'Extra'] }],
        complianceLevel: unspecified,
        approveAfterDays: 7,
        enableNonSecurity: false,
      },
    ],
  };
}

/** rpm baselines: Security of the given severities plus every Bugfix, 7 days after release. */
function rpmShape(
  name: string,
  label: string,
  severities: string[],
  extraClassification = 'Bugfix',
): PredefinedShape {
  return {
    name,
    description: `Default Patch Baseline for ${label} Provided by AWS.`,
    globalFilters: [],
    approvalRules: [
      {
        filters: [
          { key: 'PRODUCT', values: ['*'] },
          { key: 'CLASSIFICATION', values: ['Security'] },
          { key: 'SEVERITY', values: severities },
        ],
        complianceLevel: unspecified,
        approveAfterDays: 7,
        enableNonSecurity: false,
      },
      {
        filters: [
          { key: 'PRODUCT', values: ['*'] },
          { key: 'CLASSIFICATION', values: [extraClassification] },
        ],
        complianceLevel: unspecified,
        approveAfterDays: 7,
        enableNonSecurity: false,
      },
    ],
  };
}

const shapes: Record<OperatingSystem, PredefinedShape> = {
  UBUNTU: aptShape('AWS-UbuntuDefaultPatchBaseline', 'Ubuntu'),
  DEBIAN: aptShape('AWS-DebianDefaultPatchBaseline', 'Debian'),
  RASPBIAN: aptShape('AWS-DefaultRaspbianPatchBaseline', 'Raspberry Pi OS'),
  REDHAT_ENTERPRISE_LINUX: rpmShape('AWS-RedHatDefaultPatchBaseline', 'Redhat Enterprise Linux', [
    'Critical',
    'Important',
  ]),
  ROCKY_LINUX: rpmShape('AWS-RockyLinuxDefaultPatchBaseline', 'Rocky Linux', ['Critical', 'Important']),
  ALMA_LINUX: rpmShape('AWS-AlmaLinuxDefaultPatchBaseline', 'AlmaLinux', ['Critical', 'Important']),
  ORACLE_LINUX: rpmShape('AWS-OracleLinuxDefaultPatchBaseline', 'Oracle Linux', ['Important', 'Moderate']),
  AMAZON_LINUX: rpmShape('AWS-AmazonLinuxDefaultPatchBaseline', 'Amazon Linux', ['Critical', 'Important']),
  AMAZON_LINUX_2: rpmShape('AWS-AmazonLinux2DefaultPatchBaseline', 'Amazon Linux 2', [
    'Critical',
    'Important',
  ]),
  AMAZON_LINUX_2022: rpmShape('AWS-AmazonLinux2022DefaultPatchBaseline', 'Amazon Linux 2022', [
    'Critical',
    'Important',
  ]),
  AMAZON_LINUX_2023: rpmShape('AWS-AmazonLinux2023DefaultPatchBaseline', 'Amazon Linux 2023', [
    'Critical',
    'Important',
  ]),
  SUSE: rpmShape('AWS-SuseDefaultPatchBaseline', 'Suse', ['Critical', 'Important'], 'Recommended'),
  CENTOS: {
    name: 'AWS-CentOSDefaultPatchBaseline',
    description: 'Default Patch Baseline for CentOS Provided by AWS.',
    globalFilters: [],
    approvalRules: [
      {
        filters: [{ key: 'PRODUCT', values: ['*'] }],
        complianceLevel: unspecified,
        approveAfterDays: 7,
        enableNonSecurity: true,
      },
    ],
  },
  WINDOWS: {
    name: 'AWS-DefaultPatchBaseline',
    description: 'Default Patch Baseline Provided by AWS.',
    globalFilters: [],
    approvalRules: [
      {
        filters: [
          { key: 'PRODUCT', values: ['*'] },
          { key: 'CLASSIFICATION', values: ['CriticalUpdates', 'SecurityUpdates'] },
          { key: 'MSRC_SEVERITY', values: ['Critical', 'Important'] },
        ],
        complianceLevel: unspecified,
        approveAfterDays: 7,
        enableNonSecurity: false,
      },
    ],
  },
  MACOS: {
    name: 'AWS-MacOSDefaultPatchBaseline',
    description: 'Default Patch Baseline for MacOS Provided by AWS.',
    globalFilters: [],
    approvalRules: [
      {
        filters: [
          { key: 'PRODUCT', values: ['*'] },
          { key: 'CLASSIFICATION', values: ['*'] },
        ],
        complianceLevel: unspecified,
        approveAfterDays: 7,
        enableNonSecurity: false,
      },
    ],
  },
};

/** When the predefined baselines were (nominally) created and last modified. */
const predefinedDate = new Date('2018-01-01T00:00:00Z');

/** The predefined baseline id (full ARN) of `os` in `region`. */
export function predefinedBaselineId(region: string, os: OperatingSystem): string {
  const known = knownRegions.get(region);
  if (known !== undefined) return `arn:aws:ssm:${region}:${known.owner}:patchbaseline/${known.ids[os]}`;
  // Regions without a published id get a stable synthetic one of the same shape.
  const hex = createHash('sha256').update(`${region}/${os}`).digest('hex').slice(0, 17);
  return `arn:aws:ssm:${region}:${defaultAwsOwnerAccountId}:patchbaseline/pb-${hex}`;
}

function ownerOf(region: string): string {
  return knownRegions.get(region)?.owner ?? defaultAwsOwnerAccountId;
}

/** The predefined baseline of `os` in `region`. */
export function predefinedBaseline(region: string, os: OperatingSystem): PatchBaseline {
  const shape = shapes[os];
  return {
    baselineId: predefinedBaselineId(region, os),
    ownerAccountId: ownerOf(region),
    awsOwned: true,
    name: shape.name,
    description: shape.description,
    operatingSystem: os,
    globalFilters: shape.globalFilters.map((filter) => ({ key: filter.key, values: [...filter.values] })),
    approvalRules: shape.approvalRules.map((rule) => ({
      ...rule,
      filters: rule.filters.map((filter) => ({ key: filter.key, values: [...filter.values] })),
    })),
    approvedPatches: [],
    approvedPatchesComplianceLevel: 'UNSPECIFIED',
    approvedPatchesEnableNonSecurity: false,
    rejectedPatches: [],
    rejectedPatchesAction: 'ALLOW_AS_DEPENDENCY',
    sources: [],
    createdAt: predefinedDate,
    modifiedAt: predefinedDate,
  };
}

/** Every predefined baseline of `region`. */
export function predefinedBaselines(region: string): PatchBaseline[] {
  return (Object.keys(shapes) as OperatingSystem[]).map((os) => predefinedBaseline(region, os));
}

/** The predefined baseline whose ARN is `baselineId` in `region`, if any (bare `pb-…` ids never match). */
export function findPredefinedBaseline(region: string, baselineId: string): PatchBaseline | undefined {
  if (!baselineId.startsWith('arn:')) return undefined;
  return predefinedBaselines(region).find((baseline) => baseline.baselineId === baselineId);
}
