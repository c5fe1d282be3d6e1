import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AsffDocument } from './filter-keys.js';
import { findingFiltersSchema } from './filter-schema.js';
import type { FindingFilters, StringFilter } from './filter-value-schemas.js';
import { compileFilters, matchesFilters } from './match-filters.js';
import { asffSamplesDir } from '../../../test/support/samples-dir.js';

const now = new Date('2024-06-15T12:00:00Z');
const samplesDir = asffSamplesDir;

function samples(file: string): AsffDocument[] {
  return JSON.parse(readFileSync(`${samplesDir}/${file}`, 'utf8')) as AsffDocument[];
}

const s = (Comparison: StringFilter['Comparison'], Value: string): StringFilter => ({ Value, Comparison });

const finding: AsffDocument = {
  Id: 'finding-1',
  ProductArn: 'arn:aws:securityhub:us-east-1::product/bulwark/agent',
  Title: 'Security Hub found an open port',
  Description: 'Port 22 is reachable',
  Types: ['Software and Configuration Checks/Vulnerabilities/CVE', 'Effects/Data Exposure'],
  CreatedAt: '2024-06-10T00:00:00Z',
  UpdatedAt: '2024-06-15T04:00:00-07:00',
  FirstObservedAt: 'yesterday',
  Severity: { Label: 'HIGH', Normalized: 70 },
  Confidence: 50,
  ProductFields: { 'scanner/version': '1.2.3', Team: 'blue' },
  Network: { SourceIpV4: '198.51.100.7', SourceIpV6: '2001:db8:1::7' },
  Resources: [
    {
      Type: 'AwsEc2Instance',
      Id: 'arn:aws:ec2:us-east-1:111122223333:instance/i-1',
      Tags: { env: 'prod', owner: 'alice' },
      Details: { AwsEc2Instance: { IpV4Addresses: ['10.0.0.5', '172.16.0.9'], IpV6Addresses: ['fd00::5'] } },
    },
    { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::logs', Tags: { env: 'dev' } },
  ],
  Workflow: { Status: 'NEW' },
  RecordState: 'ACTIVE',
};

const cases: readonly [string, FindingFilters, boolean][] = [
  ['no filters', {}, true],
  ['an empty list', { Title: [] }, true],
  // String comparisons.
  ['EQUALS', { RecordState: [s('EQUALS', 'ACTIVE')] }, true],
  ['EQUALS is case-sensitive', { Title: [s('EQUALS', 'security hub found an open port')] }, false],
  ['CONTAINS is case-sensitive', { Title: [s('CONTAINS', 'security hub')] }, false],
  ['CONTAINS', { Title: [s('CONTAINS', 'Security Hub')] }, true],
  ['PREFIX', { Title: [s('PREFIX', 'Security')] }, true],
  ['PREFIX on the wrong start', { Title: [s('PREFIX', 'Hub')] }, false],
  ['NOT_EQUALS', { RecordState: [s('NOT_EQUALS', 'ARCHIVED')] }, true],
  ['NOT_EQUALS the value', { RecordState: [s('NOT_EQUALS', 'ACTIVE')] }, false],
  ['PREFIX_NOT_EQUALS', { Title: [s('PREFIX_NOT_EQUALS', 'Security')] }, false],
  ['NOT_CONTAINS', { Title: [s('NOT_CONTAINS', 'closed')] }, true],
  ['NOT_CONTAINS hit', { Title: [s('NOT_CONTAINS', 'open')] }, false],
  // OR within a key, AND across keys.
  ['positives are ORed', { WorkflowStatus: [s('EQUALS', 'NOTIFIED'), s('EQUALS', 'NEW')] }, true],
  ['positives ORed, none match', { WorkflowStatus: [s('EQUALS', 'NOTIFIED'), s('PREFIX', 'RES')] }, false],
  ['EQUALS OR PREFIX', { SeverityLabel: [s('EQUALS', 'CRITICAL'), s('PREFIX', 'HI')] }, true],
  [
    'negatives are ANDed (both pass)',
    { SeverityLabel: [s('NOT_EQUALS', 'LOW'), s('NOT_EQUALS', 'MEDIUM')] },
    true,
  ],
  [
    'negatives are ANDed (one fails)',
    { SeverityLabel: [s('NOT_EQUALS', 'LOW'), s('NOT_EQUALS', 'HIGH')] },
    false,
  ],
  [
    'PREFIX then NOT_EQUALS removes',
    { Title: [s('PREFIX', 'Security'), s('NOT_EQUALS', 'Security Hub found an open port')] },
    false,
  ],
  [
    'PREFIX then NOT_EQUALS keeps',
    { Title: [s('PREFIX', 'Security'), s('NOT_EQUALS', 'Security Hub')] },
    true,
  ],
  [
    'PREFIX then PREFIX_NOT_EQUALS',
    { Title: [s('PREFIX', 'Sec'), s('PREFIX_NOT_EQUALS', 'Security Hub')] },
    false,
  ],
  [
    'keys are ANDed (both match)',
    { RecordState: [s('EQUALS', 'ACTIVE')], SeverityLabel: [s('EQUALS', 'HIGH')] },
    true,
  ],
  [
    'keys are ANDed (one fails)',
    { RecordState: [s('EQUALS', 'ACTIVE')], SeverityLabel: [s('EQUALS', 'LOW')] },
    false,
  ],
  // Multi-valued paths.
  ['positive on any element', { Type: [s('PREFIX', 'Effects/')] }, true],
  ['positive on no element', { Type: [s('PREFIX', 'TTPs/')] }, false],
  ['negative when one element is excluded', { Type: [s('PREFIX_NOT_EQUALS', 'Effects/')] }, false],
  ['negative when no element is excluded', { Type: [s('PREFIX_NOT_EQUALS', 'TTPs/')] }, true],
  ['ResourceType any', { ResourceType: [s('EQUALS', 'AwsS3Bucket')] }, true],
  ['ResourceType NOT_EQUALS one of two', { ResourceType: [s('NOT_EQUALS', 'AwsS3Bucket')] }, false],
  ['ResourceId CONTAINS', { ResourceId: [s('CONTAINS', 'i-1')] }, true],
  // Missing fields.
  ['missing field fails EQUALS', { NoteText: [s('EQUALS', 'x')] }, false],
  ['missing field fails PREFIX', { ProductName: [s('PREFIX', 'x')] }, false],
  ['missing field passes NOT_EQUALS', { NoteText: [s('NOT_EQUALS', 'x')] }, true],
  ['missing field passes NOT_CONTAINS', { MalwareName: [s('NOT_CONTAINS', 'x')] }, true],
  ['missing field passes PREFIX_NOT_EQUALS', { VerificationState: [s('PREFIX_NOT_EQUALS', 'FALSE')] }, true],
  // Numbers.
  ['Eq', { SeverityNormalized: [{ Eq: 70 }] }, true],
  ['Gte/Lte range', { SeverityNormalized: [{ Gte: 70, Lte: 89 }] }, true],
  ['Gt excludes equal', { SeverityNormalized: [{ Gt: 70 }] }, false],
  ['Lt excludes equal', { SeverityNormalized: [{ Lt: 70 }] }, false],
  ['conditions in one object ANDed', { Confidence: [{ Gte: 10, Lt: 50 }] }, false],
  ['objects ORed', { Confidence: [{ Gte: 90 }, { Lte: 50 }] }, true],
  ['missing number fails', { Criticality: [{ Gte: 0 }] }, false],
  // Dates (now = 2024-06-15T12:00:00Z).
  [
    'Start/End inclusive at Start',
    { CreatedAt: [{ Start: '2024-06-10T00:00:00Z', End: '2024-06-11T00:00:00Z' }] },
    true,
  ],
  [
    'Start/End inclusive at End',
    { CreatedAt: [{ Start: '2024-06-01T00:00:00Z', End: '2024-06-10T00:00:00.000Z' }] },
    true,
  ],
  ['Start/End outside', { CreatedAt: [{ Start: '2024-06-10T00:00:00.001Z' }] }, false],
  [
    'compared as instants across offsets',
    { UpdatedAt: [{ Start: '2024-06-15T11:00:00Z', End: '2024-06-15T11:00:00Z' }] },
    true,
  ],
  ['offset on the filter side', { CreatedAt: [{ End: '2024-06-09T19:00:00-05:00' }] }, true],
  ['only End, before', { CreatedAt: [{ End: '2024-06-09T23:59:59.999Z' }] }, false],
  [
    'date objects ORed',
    { CreatedAt: [{ End: '2020-01-01T00:00:00Z' }, { Start: '2024-01-01T00:00:00Z' }] },
    true,
  ],
  ['WITHIN 7 days', { CreatedAt: [{ DateRange: { Value: 7, Unit: 'DAYS' } }] }, true],
  [
    'WITHIN 5 days (5.5 days ago)',
    { CreatedAt: [{ DateRange: { Value: 5, Unit: 'DAYS', Comparison: 'WITHIN' } }] },
    false,
  ],
  [
    'OLDER_THAN 5 days',
    { CreatedAt: [{ DateRange: { Value: 5, Unit: 'DAYS', Comparison: 'OLDER_THAN' } }] },
    true,
  ],
  [
    'OLDER_THAN 6 days',
    { CreatedAt: [{ DateRange: { Value: 6, Unit: 'DAYS', Comparison: 'OLDER_THAN' } }] },
    false,
  ],
  ['unparsable stored date never matches', { FirstObservedAt: [{ End: '2099-01-01T00:00:00Z' }] }, false],
  [
    'unparsable stored date never matches OLDER_THAN',
    { FirstObservedAt: [{ DateRange: { Value: 0, Unit: 'DAYS', Comparison: 'OLDER_THAN' } }] },
    false,
  ],
  ['missing date fails', { NoteUpdatedAt: [{ DateRange: { Value: 365, Unit: 'DAYS' } }] }, false],
  // Maps.
  [
    'ResourceTags EQUALS on the second resource',
    { ResourceTags: [{ Key: 'env', Value: 'dev', Comparison: 'EQUALS' }] },
    true,
  ],
  [
    'ResourceTags NOT_EQUALS excluded on one resource',
    { ResourceTags: [{ Key: 'env', Value: 'dev', Comparison: 'NOT_EQUALS' }] },
    false,
  ],
  [
    'ResourceTags NOT_EQUALS on no resource',
    { ResourceTags: [{ Key: 'env', Value: 'test', Comparison: 'NOT_EQUALS' }] },
    true,
  ],
  ['ResourceTags CONTAINS', { ResourceTags: [{ Key: 'owner', Value: 'lic', Comparison: 'CONTAINS' }] }, true],
  [
    'ResourceTags NOT_CONTAINS',
    { ResourceTags: [{ Key: 'owner', Value: 'lic', Comparison: 'NOT_CONTAINS' }] },
    false,
  ],
  [
    'map positives ORed',
    {
      ResourceTags: [
        { Key: 'env', Value: 'qa', Comparison: 'EQUALS' },
        { Key: 'owner', Value: 'alice', Comparison: 'EQUALS' },
      ],
    },
    true,
  ],
  [
    'map negatives ANDed',
    {
      ResourceTags: [
        { Key: 'env', Value: 'qa', Comparison: 'NOT_EQUALS' },
        { Key: 'owner', Value: 'alice', Comparison: 'NOT_EQUALS' },
      ],
    },
    false,
  ],
  [
    'map positive AND negative',
    {
      ProductFields: [
        { Key: 'Team', Value: 'blue', Comparison: 'EQUALS' },
        { Key: 'scanner/version', Value: '9.', Comparison: 'NOT_CONTAINS' },
      ],
    },
    true,
  ],
  [
    'missing map key fails positive',
    { ProductFields: [{ Key: 'team', Value: 'blue', Comparison: 'EQUALS' }] },
    false,
  ],
  [
    'missing map key passes negative',
    { ProductFields: [{ Key: 'team', Value: 'blue', Comparison: 'NOT_EQUALS' }] },
    true,
  ],
  [
    'missing map fails positive',
    { UserDefinedFields: [{ Key: 'a', Value: 'b', Comparison: 'EQUALS' }] },
    false,
  ],
  [
    'inherited properties are not map keys',
    { ProductFields: [{ Key: 'constructor', Value: 'f', Comparison: 'CONTAINS' }] },
    false,
  ],
  // IPs.
  ['IPv4 in CIDR', { NetworkSourceIpV4: [{ Cidr: '198.51.100.0/24' }] }, true],
  ['IPv4 outside CIDR', { NetworkSourceIpV4: [{ Cidr: '198.51.101.0/24' }] }, false],
  ['IP CIDRs ORed', { NetworkSourceIpV4: [{ Cidr: '10.0.0.0/8' }, { Cidr: '198.51.100.7/32' }] }, true],
  ['IPv6 in CIDR', { NetworkSourceIpV6: [{ Cidr: '2001:db8::/32' }] }, true],
  ['IPv6 outside CIDR', { NetworkSourceIpV6: [{ Cidr: '2001:db8:2::/48' }] }, false],
  [
    'any address of IpV4Addresses[]',
    { ResourceAwsEc2InstanceIpV4Addresses: [{ Cidr: '172.16.0.0/12' }] },
    true,
  ],
  [
    'no address of IpV4Addresses[]',
    { ResourceAwsEc2InstanceIpV4Addresses: [{ Cidr: '192.168.0.0/16' }] },
    false,
  ],
  ['IpV6Addresses[] in a ULA', { ResourceAwsEc2InstanceIpV6Addresses: [{ Cidr: 'fc00::/7' }] }, true],
  ['missing IP fails', { NetworkDestinationIpV4: [{ Cidr: '0.0.0.0/0' }] }, false],
  // Boolean and keyword.
  ['missing Sample is false', { Sample: [{ Value: false }] }, true],
  ['missing Sample is not true', { Sample: [{ Value: true }] }, false],
  ['Keyword in Title', { Keyword: [{ Value: 'open port' }] }, true],
  ['Keyword in Description', { Keyword: [{ Value: 'reachable' }] }, true],
  ['Keyword in a ProductFields value', { Keyword: [{ Value: '1.2.3' }] }, true],
  ['Keyword not in a ProductFields key', { Keyword: [{ Value: 'scanner' }] }, false],
  ['Keywords ORed', { Keyword: [{ Value: 'nothing' }, { Value: 'blue' }] }, true],
];

describe('matchesFilters', () => {
  for (const [what, filters, expected] of cases) {
    it(`${what} → ${expected}`, () => {
      findingFiltersSchema.parse(filters);
      assert.equal(matchesFilters(finding, filters, now), expected);
    });
  }

  it('Sample true matches a sample finding', () => {
    assert.equal(matchesFilters({ ...finding, Sample: true }, { Sample: [{ Value: true }] }, now), true);
    assert.equal(matchesFilters({ ...finding, Sample: true }, { Sample: [{ Value: false }] }, now), false);
  });

  it('WITHIN includes the boundary instant and OLDER_THAN excludes it', () => {
    const doc = { ...finding, UpdatedAt: '2024-06-14T12:00:00Z' };
    assert.equal(matchesFilters(doc, { UpdatedAt: [{ DateRange: { Value: 1, Unit: 'DAYS' } }] }, now), true);
    assert.equal(
      matchesFilters(
        doc,
        { UpdatedAt: [{ DateRange: { Value: 1, Unit: 'DAYS', Comparison: 'OLDER_THAN' } }] },
        now,
      ),
      false,
    );
  });

  it('resolves relative ranges against the given now', () => {
    const filters: FindingFilters = { CreatedAt: [{ DateRange: { Value: 1, Unit: 'DAYS' } }] };
    assert.equal(matchesFilters(finding, filters, new Date('2024-06-10T12:00:00Z')), true);
    assert.equal(matchesFilters(finding, filters, now), false);
  });

  it('a compiled predicate can be reused across findings', () => {
    const predicate = compileFilters({ SeverityLabel: [s('EQUALS', 'HIGH'), s('EQUALS', 'CRITICAL')] }, now);
    const labels = ['LOW', 'HIGH', 'CRITICAL', 'MEDIUM'].map((Label) =>
      predicate({ ...finding, Severity: { Label } }),
    );
    assert.deepEqual(labels, [false, true, true, false]);
  });
});

describe('matchesFilters on published findings', () => {
  const all = [
    ...samples('aws-docs-securityhub-user-guide.json'),
    ...samples('aws-docs-inspector-user-guide.json'),
    ...samples('ocsf-examples-securityhub.json'),
    ...samples('trivy-asff.json'),
    ...samples('prowler-asff.json'),
  ];
  const ids = (filters: FindingFilters) =>
    all.filter(compileFilters(findingFiltersSchema.parse(filters), now)).map((doc) => doc['Id']);

  it('loads the 13 samples', () => {
    assert.equal(all.length, 13);
  });

  it('finds failed controls of a standard by AssociatedStandards[]', () => {
    const consolidated =
      'arn:aws:securityhub:us-east-2:123456789012:security-control/CloudTrail.2/finding/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
    const pci =
      'arn:aws:securityhub:us-east-2:111111111111:subscription/pci-dss/v/3.2.1/PCI.Config.1/finding/7d619054-6f0d-456b-aa75-23b20f74fae6';
    const failedIn = (standard: string) =>
      ids({
        ComplianceStatus: [s('EQUALS', 'FAILED')],
        ComplianceAssociatedStandardsId: [s('EQUALS', standard)],
      });
    assert.deepEqual(failedIn('standards/pci-dss/v/3.2.1'), [consolidated, pci]);
    assert.deepEqual(failedIn('standards/cis-aws-foundations-benchmark/v/1.4.0'), [consolidated]);
    assert.deepEqual(ids({ ComplianceSecurityControlId: [s('EQUALS', 'Config.1')] }), [pci]);
  });

  it('finds exploitable vulnerabilities with a fix', () => {
    assert.deepEqual(
      ids({
        VulnerabilitiesExploitAvailable: [s('EQUALS', 'YES')],
        VulnerabilitiesFixAvailable: [s('EQUALS', 'YES')],
        SeverityLabel: [s('NOT_EQUALS', 'LOW'), s('NOT_EQUALS', 'INFORMATIONAL')],
      }),
      ['arn:aws:inspector2:us-east-2:111111111111:finding/faa0d54609b94871badcc83ac7c2add5'],
    );
  });

  it('reads Trivy timestamps with -07:00 offsets as instants', () => {
    assert.deepEqual(ids({ UpdatedAt: [{ Start: '2022-08-11T05:29:18Z', End: '2022-08-11T05:29:19Z' }] }), [
      'alpine:3.10 (alpine 3.10.9)/CVE-2021-36159',
    ]);
  });

  it('filters ResourceDetailsOther and ResourceType', () => {
    assert.deepEqual(
      ids({
        ResourceType: [s('EQUALS', 'Container')],
        ResourceDetailsOther: [{ Key: 'PkgName', Value: 'apk-tools', Comparison: 'EQUALS' }],
      }),
      ['alpine:3.10 (alpine 3.10.9)/CVE-2021-36159'],
    );
  });

  it('a managed-insight style filter keeps active, unresolved findings', () => {
    const active = ids({
      RecordState: [s('EQUALS', 'ACTIVE')],
      WorkflowStatus: [s('EQUALS', 'NEW'), s('EQUALS', 'NOTIFIED')],
    });
    assert.ok(active.length > 0);
    for (const id of active) {
      const doc = all.find((d) => d['Id'] === id);
      assert.equal(doc?.['RecordState'], 'ACTIVE');
    }
  });

  it('excludes by Type prefix across every finding', () => {
    const kept = ids({ Type: [s('PREFIX_NOT_EQUALS', 'Software and Configuration Checks/')] });
    const expected = all
      .filter(
        (doc) =>
          !(doc['Types'] as string[] | undefined)?.some((t) =>
            t.startsWith('Software and Configuration Checks/'),
          ),
      )
      .map((doc) => doc['Id']);
    assert.deepEqual(kept, expected);
    assert.ok(kept.length > 0 && kept.length < all.length);
  });
});
