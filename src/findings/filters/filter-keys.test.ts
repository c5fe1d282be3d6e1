import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import {
  filterKeys,
  filterKeySpecs,
  filterKeysOfType,
  groupByAttributes,
  isFilterKey,
  isGroupByAttribute,
  valuesForGroupBy,
  type AsffDocument,
  type FilterKey,
} from './filter-keys.js';
import { asffSamplesDir } from '../../../test/support/samples-dir.js';

const samplesDir = asffSamplesDir;

function sample(file: string, index: number): AsffDocument {
  const findings = JSON.parse(readFileSync(`${samplesDir}/${file}`, 'utf8')) as AsffDocument[];
  const finding = findings[index];
  assert.ok(finding, `${file}[${index}] exists`);
  return finding;
}

const ec2Finding: AsffDocument = {
  Id: 'f-1',
  Types: ['Effects/Data Exposure', 'TTPs/Discovery', 'Effects/Data Exposure'],
  Severity: { Label: 'HIGH', Normalized: 70, Product: 7.5 },
  Malware: [
    { Name: 'EvilCorp', Type: 'WORM' },
    { Name: 'Other', State: 'REMOVED' },
  ],
  ThreatIntelIndicators: [{ Value: 'a.example', LastObservedAt: '2024-01-01T00:00:00Z' }],
  Network: { SourceIpV4: '10.0.0.5', SourcePort: 443 },
  Resources: [
    {
      Type: 'AwsEc2Instance',
      Id: 'i-1',
      Tags: { env: 'prod' },
      Owner: { Account: { Id: '111122223333' }, Org: { Id: 'o-1' } },
      Details: {
        AwsEc2Instance: { IpV4Addresses: ['10.0.0.5', '10.0.0.6'], ImageId: 'ami-1' },
        Other: { k: 'v' },
      },
    },
    {
      Type: 'AwsS3Bucket',
      Id: 'bucket-1',
      Tags: { env: 'dev' },
      Details: { AwsEc2Instance: { IpV4Addresses: ['10.1.0.1'] } },
    },
    { Type: 'AwsS3Bucket', Id: 'bucket-2' },
  ],
  Compliance: {
    Status: 'FAILED',
    AssociatedStandards: [{ StandardsId: 'standards/a' }, { StandardsId: 'standards/b' }],
    SecurityControlParameters: [
      { Name: 'maxDays', Value: ['90', '30'] },
      { Name: 'ports', Value: ['22'] },
    ],
  },
  Vulnerabilities: [
    { Id: 'CVE-1', FixAvailable: 'YES' },
    { Id: 'CVE-2', FixAvailable: 'NO' },
  ],
  FindingProviderFields: { Types: ['x/y'], RelatedFindings: [{ Id: 'r1', ProductArn: 'arn:p' }] },
  Note: null,
};

describe('filter key table', () => {
  it('has the 107 keys of AwsSecurityFindingFilters with the model counts per type', () => {
    assert.equal(filterKeys.length, 107);
    const counts = Object.fromEntries(
      (['string', 'number', 'date', 'map', 'ip', 'boolean', 'keyword'] as const).map((type) => [
        type,
        filterKeysOfType(type).length,
      ]),
    );
    assert.deepEqual(counts, { string: 74, number: 10, date: 11, map: 4, ip: 6, boolean: 1, keyword: 1 });
  });

  const sdkModels = `${process.cwd()}/node_modules/@aws-sdk/client-securityhub/dist-types/models/models_2.d.ts`;
  it(
    'agrees with the AWS SDK model on every key and its filter type',
    { skip: !existsSync(sdkModels) },
    () => {
      const text = readFileSync(sdkModels, 'utf8');
      const start = text.indexOf('export interface AwsSecurityFindingFilters {');
      const body = text.slice(start, text.indexOf('\n}', start));
      const sdkKeys = new Map<string, string>();
      for (const match of body.matchAll(/^\s+(\w+)\?: (\w+)Filter\[\]/gm)) {
        sdkKeys.set(match[1] ?? '', (match[2] ?? '').toLowerCase());
      }
      assert.equal(sdkKeys.size, 107);
      for (const [key, type] of sdkKeys) {
        assert.ok(isFilterKey(key), `${key} is in the table`);
        assert.equal(filterKeySpecs[key].type, type, key);
      }
    },
  );

  it('recognises keys and rejects other names', () => {
    assert.equal(isFilterKey('ResourceTags'), true);
    assert.equal(isFilterKey('toString'), false);
    assert.equal(isFilterKey('resourceTags'), false);
  });
});

describe('accessors', () => {
  const cases: readonly [FilterKey, unknown[]][] = [
    ['Id', ['f-1']],
    ['Title', []],
    ['NoteText', []],
    ['Type', ['Effects/Data Exposure', 'TTPs/Discovery', 'Effects/Data Exposure']],
    ['SeverityLabel', ['HIGH']],
    ['SeverityProduct', [7.5]],
    ['MalwareName', ['EvilCorp', 'Other']],
    ['MalwareState', ['REMOVED']],
    ['ThreatIntelIndicatorLastObservedAt', ['2024-01-01T00:00:00Z']],
    ['NetworkSourceIpV4', ['10.0.0.5']],
    ['NetworkSourcePort', [443]],
    ['ResourceId', ['i-1', 'bucket-1', 'bucket-2']],
    ['ResourceTags', [{ env: 'prod' }, { env: 'dev' }]],
    ['ResourceDetailsOther', [{ k: 'v' }]],
    ['ResourceOwnerAccountId', ['111122223333']],
    ['ResourceOwnerOrgId', ['o-1']],
    ['ResourceAwsEc2InstanceIpV4Addresses', ['10.0.0.5', '10.0.0.6', '10.1.0.1']],
    ['ResourceAwsEc2InstanceImageId', ['ami-1']],
    ['ComplianceAssociatedStandardsId', ['standards/a', 'standards/b']],
    ['ComplianceSecurityControlParametersName', ['maxDays', 'ports']],
    ['ComplianceSecurityControlParametersValue', ['90', '30', '22']],
    ['VulnerabilitiesFixAvailable', ['YES', 'NO']],
    ['FindingProviderFieldsTypes', ['x/y']],
    ['FindingProviderFieldsRelatedFindingsProductArn', ['arn:p']],
    ['Sample', []],
  ];
  for (const [key, expected] of cases) {
    it(`${key} reads ${filterKeySpecs[key].path}`, () => {
      assert.deepEqual(filterKeySpecs[key].values(ec2Finding), expected);
    });
  }

  it('ignores shapes that do not fit the path instead of throwing', () => {
    const odd: AsffDocument = { Types: 'not-a-list', Resources: { Id: 'x' }, Severity: 'HIGH' };
    assert.deepEqual(filterKeySpecs.Type.values(odd), []);
    assert.deepEqual(filterKeySpecs.ResourceId.values(odd), []);
    assert.deepEqual(filterKeySpecs.SeverityLabel.values(odd), []);
  });

  it('Keyword reads Title, Description and ProductFields values', () => {
    const doc: AsffDocument = { Title: 't', Description: 'd', ProductFields: { a: 'x', b: 'y' } };
    assert.deepEqual(filterKeySpecs.Keyword.values(doc), ['t', 'd', 'x', 'y']);
  });
});

describe('valuesForGroupBy', () => {
  it('counts every element of a multi-valued attribute once per finding', () => {
    assert.deepEqual(valuesForGroupBy(ec2Finding, 'Type'), ['Effects/Data Exposure', 'TTPs/Discovery']);
    assert.deepEqual(valuesForGroupBy(ec2Finding, 'ResourceType'), ['AwsEc2Instance', 'AwsS3Bucket']);
    assert.deepEqual(valuesForGroupBy(ec2Finding, 'ResourceId'), ['i-1', 'bucket-1', 'bucket-2']);
  });

  it('returns nothing when the finding lacks the attribute', () => {
    assert.deepEqual(valuesForGroupBy(ec2Finding, 'ProductName'), []);
  });

  it('accepts only string-typed keys', () => {
    assert.ok(groupByAttributes.includes('ResourceAwsIamAccessKeyPrincipalName'));
    assert.equal(groupByAttributes.length, 74);
    assert.equal(isGroupByAttribute('SeverityLabel'), true);
    assert.equal(isGroupByAttribute('Confidence'), false);
    for (const attribute of ['Confidence', 'ResourceTags', 'CreatedAt', 'Nope']) {
      assert.throws(() => valuesForGroupBy(ec2Finding, attribute), { kind: 'InvalidInput' });
    }
  });

  it('reads the published samples', () => {
    const consolidated = sample('aws-docs-securityhub-user-guide.json', 2);
    assert.deepEqual(valuesForGroupBy(consolidated, 'ComplianceAssociatedStandardsId'), [
      'standards/aws-foundational-security-best-practices/v/1.0.0',
      'standards/pci-dss/v/3.2.1',
      'ruleset/cis-aws-foundations-benchmark/v/1.2.0',
      'standards/cis-aws-foundations-benchmark/v/1.4.0',
      'standards/service-managed-aws-control-tower/v/1.0.0',
    ]);
    assert.deepEqual(valuesForGroupBy(consolidated, 'ResourceType'), ['AwsCloudTrailTrail']);
    const prowler = sample('prowler-asff.json', 0);
    assert.deepEqual(valuesForGroupBy(prowler, 'ResourceId'), ['AWS::::Account:123456789012']);
    assert.deepEqual(valuesForGroupBy(prowler, 'SeverityLabel'), ['HIGH']);
    const inspector = sample('ocsf-examples-securityhub.json', 1);
    assert.deepEqual(valuesForGroupBy(inspector, 'VulnerabilitiesExploitAvailable'), ['YES']);
  });
});
