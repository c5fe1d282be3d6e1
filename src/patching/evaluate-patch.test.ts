import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePatch, matchesPatchName, packageSpellings, type PatchCandidate } from './evaluate-patch.js';
import type { BaselineRules, PatchRule } from './patching-model.js';
import { predefinedBaseline, predefinedBaselineId, predefinedBaselines } from './predefined-baselines.js';
import { resolveBaselineForInstance } from './resolve-baseline.js';

const now = new Date('2025-11-20T12:00:00Z');

function rules(os: BaselineRules['operatingSystem'], overrides: Partial<BaselineRules> = {}): BaselineRules {
  return {
    operatingSystem: os,
    globalFilters: [],
    approvalRules: [],
    approvedPatches: [],
    approvedPatchesComplianceLevel: 'UNSPECIFIED',
    approvedPatchesEnableNonSecurity: false,
    rejectedPatches: [],
    rejectedPatchesAction: 'ALLOW_AS_DEPENDENCY',
    sources: [],
    ...overrides,
  };
}

const securityRule = (extra: Partial<PatchRule> = {}): PatchRule => ({
  filters: [
    { key: 'CLASSIFICATION', values: ['Security'] },
    { key: 'SEVERITY', values: ['Critical', 'Important'] },
  ],
  complianceLevel: 'CRITICAL',
  approveAfterDays: 7,
  enableNonSecurity: false,
  ...extra,
});

const openssl: PatchCandidate = {
  name: 'openssl',
  arch: 'x86_64',
  epoch: '1',
  version: '3.0.7',
  release: '27.el9',
  product: 'RedhatEnterpriseLinux9.3',
  classification: 'Security',
  severity: 'Important',
  releaseDate: new Date('2025-11-09T18:00:00Z'),
  advisoryIds: ['RHSA-2025:1234'],
  bugzillaIds: ['2230000'],
  cveIds: ['CVE-2025-0001'],
};

const aptCurl: PatchCandidate = {
  name: 'curl',
  arch: 'amd64',
  version: '7.81.0-1ubuntu1.16',
  product: 'Ubuntu22.04',
  priority: 'optional',
  section: 'web',
  security: true,
};

describe('evaluatePatch', () => {
  const cases: {
    name: string;
    baseline: BaselineRules;
    candidate: PatchCandidate;
    at?: Date;
    approved: boolean;
    level: string;
    reason: string;
  }[] = [
    {
      name: 'ApproveAfterDays: released 11-09T18:00, 7 days → approved after 11-16T18:00',
      baseline: rules('REDHAT_ENTERPRISE_LINUX', { approvalRules: [securityRule()] }),
      candidate: openssl,
      at: new Date('2025-11-16T18:00:00Z'),
      approved: true,
      level: 'CRITICAL',
      reason: 'APPROVAL_RULE',
    },
    {
      name: 'ApproveAfterDays: one second early → not yet',
      baseline: rules('REDHAT_ENTERPRISE_LINUX', { approvalRules: [securityRule()] }),
      candidate: openssl,
      at: new Date('2025-11-16T17:59:59Z'),
      approved: false,
      level: 'UNSPECIFIED',
      reason: 'NOT_YET_APPROVED',
    },
    {
      name: 'ApproveUntilDate includes the whole UTC day',
      baseline: rules('REDHAT_ENTERPRISE_LINUX', {
        approvalRules: [
          {
            filters: securityRule().filters,
            complianceLevel: 'HIGH',
            approveUntilDate: '2025-11-09',
            enableNonSecurity: false,
          },
        ],
      }),
      candidate: openssl,
      approved: true,
      level: 'HIGH',
      reason: 'APPROVAL_RULE',
    },
    {
      name: 'ApproveUntilDate the day before the release → not approved',
      baseline: rules('REDHAT_ENTERPRISE_LINUX', {
        approvalRules: [
          { filters: [], complianceLevel: 'LOW', approveUntilDate: '2025-11-08', enableNonSecurity: false },
        ],
      }),
      candidate: openssl,
      approved: false,
      level: 'UNSPECIFIED',
      reason: 'NOT_YET_APPROVED',
    },
    {
      name: 'severity filter mismatch → no rule',
      baseline: rules('REDHAT_ENTERPRISE_LINUX', { approvalRules: [securityRule()] }),
      candidate: { ...openssl, severity: 'Low' },
      approved: false,
      level: 'UNSPECIFIED',
      reason: 'NO_MATCHING_RULE',
    },
    {
      name: 'Amazon Linux Medium matches a Moderate filter',
      baseline: rules('AMAZON_LINUX_2023', {
        approvalRules: [securityRule({ filters: [{ key: 'SEVERITY', values: ['Moderate'] }] })],
      }),
      candidate: { ...openssl, severity: 'Medium' },
      approved: true,
      level: 'CRITICAL',
      reason: 'APPROVAL_RULE',
    },
    {
      name: 'rpm without notice metadata needs EnableNonSecurity',
      baseline: rules('ROCKY_LINUX', { approvalRules: [securityRule({ filters: [] })] }),
      candidate: { ...openssl, classification: '', severity: '' },
      approved: false,
      level: 'UNSPECIFIED',
      reason: 'NON_SECURITY',
    },
    {
      name: 'rpm without notice metadata, EnableNonSecurity → approved',
      baseline: rules('ROCKY_LINUX', {
        approvalRules: [securityRule({ filters: [], enableNonSecurity: true, complianceLevel: 'MEDIUM' })],
      }),
      candidate: { ...openssl, classification: '', severity: '' },
      approved: true,
      level: 'MEDIUM',
      reason: 'APPROVAL_RULE',
    },
    {
      name: 'highest compliance level of all matching rules',
      baseline: rules('ALMA_LINUX', {
        approvalRules: [
          securityRule({ filters: [], complianceLevel: 'LOW' }),
          securityRule({ complianceLevel: 'HIGH' }),
        ],
        approvedPatches: ['openssl'],
        approvedPatchesComplianceLevel: 'MEDIUM',
      }),
      candidate: openssl,
      approved: true,
      level: 'HIGH',
      reason: 'APPROVED_PATCHES',
    },
    {
      name: 'GlobalFilters exclude what rules would approve',
      baseline: rules('REDHAT_ENTERPRISE_LINUX', {
        globalFilters: [{ key: 'PRODUCT', values: ['RedhatEnterpriseLinux8.9'] }],
        approvalRules: [securityRule()],
      }),
      candidate: openssl,
      approved: false,
      level: 'UNSPECIFIED',
      reason: 'GLOBAL_FILTERS',
    },
    {
      name: 'ApprovedPatches by advisory id, even outside GlobalFilters',
      baseline: rules('REDHAT_ENTERPRISE_LINUX', {
        globalFilters: [{ key: 'PRODUCT', values: ['RedhatEnterpriseLinux8.9'] }],
        approvedPatches: ['RHSA-2025:1234'],
        approvedPatchesComplianceLevel: 'CRITICAL',
      }),
      candidate: openssl,
      approved: true,
      level: 'CRITICAL',
      reason: 'APPROVED_PATCHES',
    },
    {
      name: 'ApprovedPatches by CVE and by Bugzilla id',
      baseline: rules('ORACLE_LINUX', { approvedPatches: ['cve-2025-0001', '2230000'] }),
      candidate: openssl,
      approved: true,
      level: 'UNSPECIFIED',
      reason: 'APPROVED_PATCHES',
    },
    {
      name: 'ApprovedPatches by full NEVRA',
      baseline: rules('CENTOS', { approvedPatches: ['openssl-3.0.7-27.el9.x86_64'] }),
      candidate: openssl,
      approved: true,
      level: 'UNSPECIFIED',
      reason: 'APPROVED_PATCHES',
    },
    {
      name: 'RejectedPatches wildcard beats ApprovedPatches',
      baseline: rules('REDHAT_ENTERPRISE_LINUX', {
        approvedPatches: ['openssl'],
        rejectedPatches: ['openssl-*.x86_64'],
        rejectedPatchesAction: 'BLOCK',
      }),
      candidate: openssl,
      approved: false,
      level: 'UNSPECIFIED',
      reason: 'REJECTED',
    },
    {
      name: 'RejectedPatches does not match advisory ids',
      baseline: rules('REDHAT_ENTERPRISE_LINUX', {
        approvalRules: [securityRule()],
        rejectedPatches: ['RHSA-2025:1234'],
      }),
      candidate: openssl,
      approved: true,
      level: 'CRITICAL',
      reason: 'APPROVAL_RULE',
    },
    {
      name: 'apt: dates are ignored, security version approved',
      baseline: rules('UBUNTU', {
        approvalRules: [
          {
            filters: [{ key: 'PRIORITY', values: ['Optional'] }],
            complianceLevel: 'CRITICAL',
            approveAfterDays: 360,
            enableNonSecurity: false,
          },
        ],
      }),
      candidate: aptCurl,
      approved: true,
      level: 'CRITICAL',
      reason: 'APPROVAL_RULE',
    },
    {
      name: 'apt: non-security version needs EnableNonSecurity',
      baseline: rules('DEBIAN', {
        approvalRules: [{ filters: [], complianceLevel: 'HIGH', enableNonSecurity: false }],
      }),
      candidate: { ...aptCurl, security: false },
      approved: false,
      level: 'UNSPECIFIED',
      reason: 'NON_SECURITY',
    },
    {
      name: 'apt: SECTION filter',
      baseline: rules('DEBIAN', {
        approvalRules: [
          {
            filters: [{ key: 'SECTION', values: ['admin'] }],
            complianceLevel: 'HIGH',
            enableNonSecurity: true,
          },
        ],
      }),
      candidate: aptCurl,
      approved: false,
      level: 'UNSPECIFIED',
      reason: 'NO_MATCHING_RULE',
    },
    {
      name: 'apt: approved list gated by ApprovedPatchesEnableNonSecurity',
      baseline: rules('UBUNTU', { approvedPatches: ['curl'] }),
      candidate: { ...aptCurl, security: false },
      approved: false,
      level: 'UNSPECIFIED',
      reason: 'NON_SECURITY',
    },
    {
      name: 'apt: approved list with ApprovedPatchesEnableNonSecurity',
      baseline: rules('UBUNTU', {
        approvedPatches: ['CURL'],
        approvedPatchesEnableNonSecurity: true,
        approvedPatchesComplianceLevel: 'LOW',
      }),
      candidate: { ...aptCurl, security: false },
      approved: true,
      level: 'LOW',
      reason: 'APPROVED_PATCHES',
    },
    {
      name: 'apt: rejected package name',
      baseline: rules('UBUNTU', {
        approvalRules: [{ filters: [], complianceLevel: 'HIGH', enableNonSecurity: true }],
        rejectedPatches: ['curl'],
      }),
      candidate: aptCurl,
      approved: false,
      level: 'UNSPECIFIED',
      reason: 'REJECTED',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const decision = evaluatePatch(c.baseline, c.candidate, c.at ?? now);
      assert.deepEqual(
        { approved: decision.approved, level: decision.complianceLevel, reason: decision.reason },
        { approved: c.approved, level: c.level, reason: c.reason },
      );
    });
  }

  it('reports rejected for the agent', () => {
    const decision = evaluatePatch(rules('UBUNTU', { rejectedPatches: ['curl'] }), aptCurl, now);
    assert.equal(decision.rejected, true);
  });
});

describe('patch name formats (§5.3)', () => {
  const rpm = packageSpellings(openssl, false);
  const apt = packageSpellings(aptCurl, true);
  const cases: [string, readonly string[], boolean][] = [
    ['openssl', rpm, true],
    ['openssl.x86_64', rpm, true],
    ['openssl-3.0.7-27.el9.x86_64', rpm, true],
    ['1:openssl-3.0.7-27.el9.x86_64', rpm, true],
    ['openssl-1:3.0.7-27.el9', rpm, true],
    ['openssl.x86_64:1:3.0.7-27.el9', rpm, true],
    ['openssl-*.x86_64', rpm, true],
    ['openssl-*.i686', rpm, false],
    ['open?sl', rpm, true],
    ['openssl-libs', rpm, false],
    ['curl', apt, true],
    ['curl.amd64', apt, true],
    ['curl.amd64:7.81.0-1ubuntu1.16', apt, true],
    ['cur[lx]', apt, true],
    ['libcurl4', apt, false],
  ];
  for (const [pattern, spellings, expected] of cases) {
    it(`${pattern} → ${String(expected)}`, () =>
      assert.equal(matchesPatchName(pattern, spellings), expected));
  }
});

describe('predefined baselines (§5.4)', () => {
  it('uses the ARNs AWS publishes in us-east-1', () => {
    assert.equal(
      predefinedBaselineId('us-east-1', 'UBUNTU'),
      'arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0c7e89f711c3095f4',
    );
    assert.equal(
      predefinedBaselineId('us-east-1', 'REDHAT_ENTERPRISE_LINUX'),
      'arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0cbb3a633de00f07c',
    );
    assert.match(
      predefinedBaselineId('eu-west-3', 'DEBIAN'),
      /^arn:aws:ssm:eu-west-3:\d{12}:patchbaseline\/pb-[0-9a-f]{17}$/,
    );
  });

  it('one per OS, every level UNSPECIFIED, names as AWS spells them', () => {
    const all = predefinedBaselines('us-east-1');
    assert.equal(new Set(all.map((b) => b.operatingSystem)).size, all.length);
    for (const baseline of all) {
      assert.equal(baseline.approvedPatchesComplianceLevel, 'UNSPECIFIED');
      for (const rule of baseline.approvalRules) assert.equal(rule.complianceLevel, 'UNSPECIFIED');
    }
    assert.equal(predefinedBaseline('us-east-1', 'UBUNTU').name, 'AWS-UbuntuDefaultPatchBaseline');
    assert.equal(
      predefinedBaseline('us-east-1', 'AMAZON_LINUX_2023').name,
      'AWS-AmazonLinux2023DefaultPatchBaseline',
    );
  });

  it('Ubuntu: security versions of any priority, immediately; non-security never', () => {
    const ubuntu = predefinedBaseline('us-east-1', 'UBUNTU');
    assert.equal(evaluatePatch(ubuntu, { ...aptCurl, priority: 'extra' }, now).approved, true);
    assert.equal(evaluatePatch(ubuntu, { ...aptCurl, security: false }, now).approved, false);
  });

  it('RHEL: Security Critical/Important and Bugfix after 7 days; Moderate security not', () => {
    const rhel = predefinedBaseline('us-east-1', 'REDHAT_ENTERPRISE_LINUX');
    assert.equal(evaluatePatch(rhel, openssl, now).approved, true);
    assert.equal(evaluatePatch(rhel, { ...openssl, severity: 'Moderate' }, now).approved, false);
    assert.equal(
      evaluatePatch(rhel, { ...openssl, classification: 'Bugfix', severity: 'None' }, now).approved,
      true,
    );
    assert.equal(
      evaluatePatch(rhel, { ...openssl, releaseDate: new Date('2025-11-19T00:00:00Z') }, now).reason,
      'NOT_YET_APPROVED',
    );
  });

  it('Oracle: Important/Moderate security', () => {
    const oracle = predefinedBaseline('us-east-1', 'ORACLE_LINUX');
    assert.equal(evaluatePatch(oracle, { ...openssl, severity: 'Moderate' }, now).approved, true);
    assert.equal(evaluatePatch(oracle, { ...openssl, severity: 'Critical' }, now).approved, false);
  });
});

describe('resolveBaselineForInstance', () => {
  const registrations = {
    patchGroups: [
      { patchGroup: 'web', operatingSystem: 'UBUNTU' as const, baselineId: 'pb-0123456789abcdef0' },
    ],
    defaults: [{ operatingSystem: 'DEBIAN' as const, baselineId: 'pb-0fedcba9876543210' }],
  };
  const resolve = (os: 'UBUNTU' | 'DEBIAN' | 'ROCKY_LINUX', patchGroup: string | undefined) =>
    resolveBaselineForInstance({
      accountId: '111122223333',
      region: 'us-east-1',
      operatingSystem: os,
      patchGroup,
      registrations,
    });

  it('patch group baseline for the node OS', () => {
    assert.deepEqual(resolve('UBUNTU', 'web'), {
      baselineId: 'pb-0123456789abcdef0',
      baselineArn: 'arn:aws:ssm:us-east-1:111122223333:patchbaseline/pb-0123456789abcdef0',
      source: 'PATCH_GROUP',
    });
  });
  it('custom default when the group has no baseline for the OS', () => {
    assert.equal(resolve('DEBIAN', 'web').source, 'CUSTOM_DEFAULT');
  });
  it('predefined default otherwise', () => {
    assert.equal(resolve('UBUNTU', undefined).baselineId, predefinedBaselineId('us-east-1', 'UBUNTU'));
    assert.equal(resolve('ROCKY_LINUX', 'web').source, 'PREDEFINED_DEFAULT');
  });
});
