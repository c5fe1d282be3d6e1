import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { asffFindingSchema } from './asff-schema.js';
import { validateFinding } from './validate-finding.js';
import { asffSamplesDir } from '../../../test/support/samples-dir.js';

type Json = Record<string, unknown>;

const samplesDir = asffSamplesDir;
const prefix = 'Finding does not adhere to Amazon Finding Format. ';

function loadSamples(): { name: string; finding: Json }[] {
  return readdirSync(samplesDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) =>
      (JSON.parse(readFileSync(path.join(samplesDir, file), 'utf8')) as Json[]).map((finding, index) => ({
        name: `${file}#${index}`,
        finding,
      })),
    );
}

/** A minimal finding that satisfies every rule; each failure case breaks exactly one. */
function buildFinding(): Json {
  return {
    SchemaVersion: '2018-10-08',
    Id: 'finding-1',
    ProductArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
    GeneratorId: 'generator-1',
    AwsAccountId: '123456789012',
    Types: ['Software and Configuration Checks/Vulnerabilities/CVE'],
    CreatedAt: '2024-01-25T16:12:37Z',
    UpdatedAt: '2024-01-25T16:12:37Z',
    Severity: { Label: 'HIGH' },
    Title: 'Title',
    Description: 'Description',
    Resources: [{ Type: 'Other', Id: 'resource-1' }],
  };
}

function resource0(finding: Json): Json {
  return (finding.Resources as Json[])[0] as Json;
}

function fieldMapOf(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`key${index}`, 'value']));
}

const longKey = 'k'.repeat(129);

/** [case, how to break the finding, expected message without the fixed prefix and final period]. */
const failures: [string, (finding: Json) => void, string][] = [
  ['missing Title', (f) => delete f.Title, "data should have required property 'Title'"],
  [
    'missing SchemaVersion',
    (f) => delete f.SchemaVersion,
    "data should have required property 'SchemaVersion'",
  ],
  ['missing Resources', (f) => delete f.Resources, "data should have required property 'Resources'"],
  [
    'missing Resource Id',
    (f) => delete resource0(f).Id,
    "data.Resources[0] should have required property 'Id'",
  ],
  [
    'wrong SchemaVersion',
    (f) => (f.SchemaVersion = '2018-10-09'),
    'data.SchemaVersion should be equal to constant',
  ],
  [
    'Title too long',
    (f) => (f.Title = 't'.repeat(257)),
    'data.Title should NOT be longer than 256 characters',
  ],
  [
    'Description too long',
    (f) => (f.Description = 'd'.repeat(1025)),
    'data.Description should NOT be longer than 1024 characters',
  ],
  [
    'Recommendation.Text too long (observed)',
    (f) => (f.Remediation = { Recommendation: { Text: 'x'.repeat(513) } }),
    'data.Remediation.Recommendation.Text should NOT be longer than 512 characters',
  ],
  [
    'Recommendation.Text empty (observed)',
    (f) => (f.Remediation = { Recommendation: { Text: '' } }),
    'data.Remediation.Recommendation.Text should NOT be shorter than 1 characters',
  ],
  [
    'Resource Type empty (observed)',
    (f) => (resource0(f).Type = ''),
    'data.Resources[0].Type should NOT be shorter than 1 characters',
  ],
  [
    'Resource Id empty (observed)',
    (f) => (resource0(f).Id = ''),
    'data.Resources[0].Id should NOT be shorter than 1 characters',
  ],
  ['Resource Type not a string', (f) => (resource0(f).Type = 5), 'data.Resources[0].Type should be string'],
  ['Title whitespace only', (f) => (f.Title = ' \t '), 'data.Title should match pattern ".*\\S.*"'],
  ['Title null', (f) => (f.Title = null), 'data.Title should be string'],
  [
    'AwsAccountId too short',
    (f) => (f.AwsAccountId = '000000'),
    'data.AwsAccountId should NOT be shorter than 12 characters',
  ],
  [
    'AwsAccountId too long',
    (f) => (f.AwsAccountId = '1234567890123'),
    'data.AwsAccountId should NOT be longer than 12 characters',
  ],
  [
    'ProductArn too short',
    (f) => (f.ProductArn = 'arn:aws:x'),
    'data.ProductArn should NOT be shorter than 12 characters',
  ],
  ['Id too long', (f) => (f.Id = 'i'.repeat(513)), 'data.Id should NOT be longer than 512 characters'],
  [
    'ProductName too long',
    (f) => (f.ProductName = 'p'.repeat(129)),
    'data.ProductName should NOT be longer than 128 characters',
  ],
  [
    'Region too long',
    (f) => (f.Region = 'r'.repeat(17)),
    'data.Region should NOT be longer than 16 characters',
  ],
  [
    'AwsAccountName too long',
    (f) => (f.AwsAccountName = 'a'.repeat(51)),
    'data.AwsAccountName should NOT be longer than 50 characters',
  ],
  [
    'bad Severity.Label',
    (f) => (f.Severity = { Label: 'SEVERE' }),
    'data.Severity.Label should be equal to one of the allowed values',
  ],
  [
    'Severity.Original too long',
    (f) => (f.Severity = { Label: 'LOW', Original: 'o'.repeat(65) }),
    'data.Severity.Original should NOT be longer than 64 characters',
  ],
  [
    'non-integer Severity.Normalized',
    (f) => (f.Severity = { Normalized: 40.5 }),
    'data.Severity.Normalized should be integer',
  ],
  [
    'Severity.Normalized as a string (the published consolidated sample)',
    (f) => (f.Severity = { Normalized: '40' }),
    'data.Severity.Normalized should be integer',
  ],
  [
    'Severity.Normalized above 100',
    (f) => (f.Severity = { Normalized: 101 }),
    'data.Severity.Normalized should be <= 100',
  ],
  [
    'Severity.Product not a number',
    (f) => (f.Severity = { Label: 'LOW', Product: '2' }),
    'data.Severity.Product should be number',
  ],
  ['Confidence 101', (f) => (f.Confidence = 101), 'data.Confidence should be <= 100'],
  ['Criticality -1', (f) => (f.Criticality = -1), 'data.Criticality should be >= 0'],
  ['Confidence not an integer', (f) => (f.Confidence = 50.5), 'data.Confidence should be integer'],
  [
    'CreatedAt with a space',
    (f) => (f.CreatedAt = '2024-01-25 16:12:37Z'),
    'data.CreatedAt should match format "date-time"',
  ],
  [
    'UpdatedAt without offset',
    (f) => (f.UpdatedAt = '2024-01-25T16:12:37'),
    'data.UpdatedAt should match format "date-time"',
  ],
  [
    'UpdatedAt on 30 February',
    (f) => (f.UpdatedAt = '2024-02-30T00:00:00Z'),
    'data.UpdatedAt should match format "date-time"',
  ],
  [
    'FirstObservedAt with 10 fractional digits',
    (f) => (f.FirstObservedAt = '2024-01-25T16:12:37.0123456789Z'),
    'data.FirstObservedAt should match format "date-time"',
  ],
  [
    'LastObservedAt beyond +18:00',
    (f) => (f.LastObservedAt = '2024-01-25T16:12:37+18:30'),
    'data.LastObservedAt should match format "date-time"',
  ],
  ['CreatedAt empty', (f) => (f.CreatedAt = ''), 'data.CreatedAt should match format "date-time"'],
  [
    '33 resources',
    (f) => (f.Resources = Array.from({ length: 33 }, (_, index) => ({ Type: 'Other', Id: `r-${index}` }))),
    'data.Resources should NOT have more than 32 items',
  ],
  ['no resources (observed)', (f) => (f.Resources = []), 'data.Resources should NOT have fewer than 1 items'],
  [
    '51 types',
    (f) => (f.Types = Array.from({ length: 51 }, (_, index) => `Effects/Data Exposure/${index}`)),
    'data.Types should NOT have more than 50 items',
  ],
  [
    'empty type (observed)',
    (f) => (f.Types = ['']),
    'data.Types[0] should match pattern "^([^/]+)(/[^/]+){0,2}$"',
  ],
  [
    'type with four parts',
    (f) => (f.Types = ['TTPs', 'TTPs/Discovery/Recon/Extra']),
    'data.Types[1] should match pattern "^([^/]+)(/[^/]+){0,2}$"',
  ],
  [
    'type with an empty part',
    (f) => (f.Types = ['TTPs//Recon']),
    'data.Types[0] should match pattern "^([^/]+)(/[^/]+){0,2}$"',
  ],
  ['whitespace-only type', (f) => (f.Types = ['  ']), 'data.Types[0] should match pattern ".*\\S.*"'],
  [
    'FindingProviderFields.Types bad shape',
    (f) => (f.FindingProviderFields = { Severity: { Label: 'LOW' }, Types: ['a/b/c/d'] }),
    'data.FindingProviderFields.Types[0] should match pattern "^([^/]+)(/[^/]+){0,2}$"',
  ],
  [
    'extra top-level property',
    (f) => (f.Severity_Label = 'HIGH'),
    'data should NOT have additional properties',
  ],
  [
    'no Severity, Types or FindingProviderFields (observed anyOf)',
    (f) => {
      delete f.Severity;
      delete f.Types;
    },
    "data should have required property 'FindingProviderFields', data should match some schema in anyOf",
  ],
  [
    'Types without Severity',
    (f) => delete f.Severity,
    "data should have required property 'FindingProviderFields', data should match some schema in anyOf",
  ],
  [
    'Severity without Label or Normalized',
    (f) => (f.Severity = { Original: '7.5', Product: 7.5 }),
    "data should have required property 'FindingProviderFields', data should match some schema in anyOf",
  ],
  [
    'FindingProviderFields without Types',
    (f) => {
      delete f.Types;
      f.FindingProviderFields = { Severity: { Label: 'LOW' } };
    },
    "data.FindingProviderFields should have required property 'Types', data should match some schema in anyOf",
  ],
  [
    'FindingProviderFields.Severity without Label',
    (f) => {
      delete f.Severity;
      f.FindingProviderFields = { Severity: { Original: 'Low' }, Types: ['TTPs'] };
    },
    "data.FindingProviderFields.Severity should have required property 'Label', data should match some schema in anyOf",
  ],
  [
    'ProductFields with 51 pairs',
    (f) => (f.ProductFields = fieldMapOf(51)),
    'data.ProductFields should NOT have more than 50 properties',
  ],
  [
    'ProductFields key too long',
    (f) => (f.ProductFields = { [longKey]: 'v' }),
    `data.ProductFields should NOT be longer than 128 characters, data.ProductFields property name '${longKey}' is invalid`,
  ],
  [
    'ProductFields value too long',
    (f) => (f.ProductFields = { 'aws/guardduty/count': 'v'.repeat(2049) }),
    "data.ProductFields['aws/guardduty/count'] should NOT be longer than 2048 characters",
  ],
  [
    'ProductFields value not a string',
    (f) => (f.ProductFields = { count: 1 }),
    "data.ProductFields['count'] should be string",
  ],
  [
    'UserDefinedFields with 51 pairs',
    (f) => (f.UserDefinedFields = fieldMapOf(51)),
    'data.UserDefinedFields should NOT have more than 50 properties',
  ],
  [
    'UserDefinedFields value too long',
    (f) => (f.UserDefinedFields = { reviewer: 'v'.repeat(1025) }),
    "data.UserDefinedFields['reviewer'] should NOT be longer than 1024 characters",
  ],
  [
    'six malware entries',
    (f) => (f.Malware = Array.from({ length: 6 }, () => ({ Name: 'm' }))),
    'data.Malware should NOT have more than 5 items',
  ],
  [
    'malware without Name',
    (f) => (f.Malware = [{ Path: '/tmp/m' }]),
    "data.Malware[0] should have required property 'Name'",
  ],
  [
    'bad malware Type',
    (f) => (f.Malware = [{ Name: 'm', Type: 'MEME' }]),
    'data.Malware[0].Type should be equal to one of the allowed values',
  ],
  [
    'bad Network.Direction',
    (f) => (f.Network = { Direction: 'UP' }),
    'data.Network.Direction should be equal to one of the allowed values',
  ],
  [
    'Network.Protocol too long',
    (f) => (f.Network = { Protocol: 'p'.repeat(17) }),
    'data.Network.Protocol should NOT be longer than 16 characters',
  ],
  ['Process.Pid not an integer', (f) => (f.Process = { Pid: 1.5 }), 'data.Process.Pid should be integer'],
  [
    'Process.Name too long',
    (f) => (f.Process = { Name: 'n'.repeat(65) }),
    'data.Process.Name should NOT be longer than 64 characters',
  ],
  ['no threats', (f) => (f.Threats = []), 'data.Threats should NOT have fewer than 1 items'],
  [
    'six threat intel indicators',
    (f) =>
      (f.ThreatIntelIndicators = Array.from({ length: 6 }, () => ({ Type: 'DOMAIN', Value: 'example.com' }))),
    'data.ThreatIntelIndicators should NOT have more than 5 items',
  ],
  [
    'threat intel Source too long',
    (f) => (f.ThreatIntelIndicators = [{ Source: 's'.repeat(65) }]),
    'data.ThreatIntelIndicators[0].Source should NOT be longer than 64 characters',
  ],
  [
    'no related findings',
    (f) => (f.RelatedFindings = []),
    'data.RelatedFindings should NOT have fewer than 1 items',
  ],
  [
    '11 related findings',
    (f) =>
      (f.RelatedFindings = Array.from({ length: 11 }, (_, index) => ({
        ProductArn: 'arn:aws:x:y',
        Id: `${index}`,
      }))),
    'data.RelatedFindings should NOT have more than 10 items',
  ],
  [
    'related finding without ProductArn',
    (f) => (f.RelatedFindings = [{ Id: 'other' }]),
    "data.RelatedFindings[0] should have required property 'ProductArn'",
  ],
  [
    'Note without UpdatedBy',
    (f) => (f.Note = { Text: 'n', UpdatedAt: '2024-01-25T16:12:37Z' }),
    "data.Note should have required property 'UpdatedBy'",
  ],
  [
    'Note.Text too long',
    (f) => (f.Note = { Text: 'n'.repeat(513), UpdatedBy: 'me', UpdatedAt: '2024-01-25T16:12:37Z' }),
    'data.Note.Text should NOT be longer than 512 characters',
  ],
  [
    'bad Compliance.Status',
    (f) => (f.Compliance = { Status: 'OK' }),
    'data.Compliance.Status should be equal to one of the allowed values',
  ],
  [
    '33 related requirements',
    (f) =>
      (f.Compliance = {
        Status: 'FAILED',
        RelatedRequirements: Array.from({ length: 33 }, (_, i) => `R ${i}`),
      }),
    'data.Compliance.RelatedRequirements should NOT have more than 32 items',
  ],
  [
    'status reason without ReasonCode',
    (f) => (f.Compliance = { StatusReasons: [{ Description: 'd' }] }),
    "data.Compliance.StatusReasons[0] should have required property 'ReasonCode'",
  ],
  [
    'bad Workflow.Status',
    (f) => (f.Workflow = { Status: 'OPEN' }),
    'data.Workflow.Status should be equal to one of the allowed values',
  ],
  [
    'bad WorkflowState',
    (f) => (f.WorkflowState = 'CLOSED'),
    'data.WorkflowState should be equal to one of the allowed values',
  ],
  [
    'bad RecordState',
    (f) => (f.RecordState = 'DELETED'),
    'data.RecordState should be equal to one of the allowed values',
  ],
  [
    'bad VerificationState',
    (f) => (f.VerificationState = 'MAYBE'),
    'data.VerificationState should be equal to one of the allowed values',
  ],
  ['Sample not a boolean', (f) => (f.Sample = 'yes'), 'data.Sample should be boolean'],
  [
    'bad Partition',
    (f) => (resource0(f).Partition = 'aws-eu'),
    'data.Resources[0].Partition should be equal to one of the allowed values',
  ],
  [
    'bad Provider',
    (f) => (resource0(f).Provider = 'GCP'),
    'data.Resources[0].Provider should be equal to one of the allowed values',
  ],
  [
    'Resource Region empty',
    (f) => (resource0(f).Region = ''),
    'data.Resources[0].Region should NOT be shorter than 1 characters',
  ],
  [
    'Resource Type too long',
    (f) => (resource0(f).Type = 't'.repeat(257)),
    'data.Resources[0].Type should NOT be longer than 256 characters',
  ],
  [
    'tag value too long',
    (f) => (resource0(f).Tags = { Name: 'v'.repeat(257) }),
    "data.Resources[0].Tags['Name'] should NOT be longer than 256 characters",
  ],
  [
    'AwsEc2Instance.IpV4Addresses not a list',
    (f) => (resource0(f).Details = { AwsEc2Instance: { IpV4Addresses: '10.0.0.1' } }),
    'data.Resources[0].Details.AwsEc2Instance.IpV4Addresses should be array',
  ],
  [
    'AwsEc2Instance.LaunchedAt not a timestamp',
    (f) => (resource0(f).Details = { AwsEc2Instance: { LaunchedAt: 'yesterday' } }),
    'data.Resources[0].Details.AwsEc2Instance.LaunchedAt should match format "date-time"',
  ],
  [
    'AwsIamAccessKey.UserName not a string',
    (f) => (resource0(f).Details = { AwsIamAccessKey: { UserName: 42 } }),
    'data.Resources[0].Details.AwsIamAccessKey.UserName should be string',
  ],
  [
    'Details.Other value not a string',
    (f) => (resource0(f).Details = { Other: { Score: 9.1 } }),
    "data.Resources[0].Details.Other['Score'] should be string",
  ],
  [
    'unknown Details key not an object',
    (f) => (resource0(f).Details = { AwsFooBar: 'x' }),
    "data.Resources[0].Details['AwsFooBar'] should be object",
  ],
  ['Details an array', (f) => (resource0(f).Details = []), 'data.Resources[0].Details should be object'],
  [
    'vulnerability without Id',
    (f) => (f.Vulnerabilities = [{ FixAvailable: 'YES' }]),
    "data.Vulnerabilities[0] should have required property 'Id'",
  ],
  [
    'bad vulnerability FixAvailable',
    (f) => (f.Vulnerabilities = [{ Id: 'CVE-1', FixAvailable: 'MAYBE' }]),
    'data.Vulnerabilities[0].FixAvailable should be equal to one of the allowed values',
  ],
  [
    'PatchSummary without Id',
    (f) => (f.PatchSummary = { MissingCount: 1 }),
    "data.PatchSummary should have required property 'Id'",
  ],
  [
    'FindingProviderFields.Confidence 101',
    (f) => (f.FindingProviderFields = { Confidence: 101 }),
    'data.FindingProviderFields.Confidence should be <= 100',
  ],
  [
    'eleven GeneratorDetails labels',
    (f) => (f.GeneratorDetails = { Labels: Array.from({ length: 11 }, (_, i) => `l${i}`) }),
    'data.GeneratorDetails.Labels should NOT have more than 10 items',
  ],
  [
    'Title of 257 astral characters',
    (f) => (f.Title = '🔒'.repeat(257)),
    'data.Title should NOT be longer than 256 characters',
  ],
];

describe('validateFinding: the published samples', () => {
  for (const { name, finding } of loadSamples()) {
    if (name === 'trivy-asff.json#0') {
      // Postee's fixture, verbatim: its AwsAccountId "000000" and empty resource Region are placeholders
      // that SOURCES.md says must be rewritten before import, and the service rejects them as they are.
      it(`${name} fails as published, and validates once account and region are rewritten`, () => {
        const copy = structuredClone(finding);
        assert.deepEqual(validateFinding(copy), {
          ok: false,
          message: `${prefix}data.AwsAccountId should NOT be shorter than 12 characters.`,
        });
        copy.AwsAccountId = '123456789012';
        assert.deepEqual(validateFinding(copy), {
          ok: false,
          message: `${prefix}data.Resources[0].Region should NOT be shorter than 1 characters.`,
        });
        resource0(copy).Region = 'eu-west-2';
        assert.equal(validateFinding(copy).ok, true);
        assert.equal(asffFindingSchema.safeParse(copy).success, true);
      });
      continue;
    }
    // Validated verbatim, including: prowler's Types "ens-op.acc.5.aws.iam.1" (the service checks only the
    // 1–3-part shape, not the namespace); GuardDuty's empty ProductFields values (stored by the service
    // itself, so map values may be empty); trivy #1's Normalized-only Severity (the anyOf accepts Label
    // or Normalized); and the output-only ProcessedAt / aws/securityhub/* fields of the OCSF samples
    // (valid ASFF; dropping them is the importer's job, not validation's).
    it(`${name} validates and is returned as the same object`, () => {
      const before = JSON.stringify(finding);
      const result = validateFinding(finding);
      assert.equal(result.ok, true, result.ok ? '' : result.message);
      assert.ok(result.ok);
      assert.equal(result.finding, finding);
      assert.equal(JSON.stringify(result.finding), before);
    });
    it(`${name} also passes the zod schema`, () => {
      const parsed = asffFindingSchema.safeParse(finding);
      assert.equal(parsed.success, true, parsed.error?.message);
    });
  }
});

describe('validateFinding: one broken constraint at a time', () => {
  it('accepts the base finding', () => {
    assert.equal(validateFinding(buildFinding()).ok, true);
  });

  for (const [name, breakIt, message] of failures) {
    it(`rejects ${name}`, () => {
      const finding = buildFinding();
      breakIt(finding);
      assert.deepEqual(validateFinding(finding), { ok: false, message: `${prefix}${message}.` });
    });
    it(`zod agrees: rejects ${name}`, () => {
      const finding = buildFinding();
      breakIt(finding);
      assert.equal(asffFindingSchema.safeParse(finding).success, false);
    });
  }

  it('rejects values that are not objects', () => {
    for (const raw of [null, [], 'finding', 42, undefined]) {
      assert.deepEqual(validateFinding(raw), { ok: false, message: `${prefix}data should be object.` });
    }
  });

  it('reports the first broken rule: required before additional properties before field values', () => {
    const finding = buildFinding();
    finding.Title = 't'.repeat(300);
    finding.Extra = true;
    assert.deepEqual(validateFinding(finding), {
      ok: false,
      message: `${prefix}data should NOT have additional properties.`,
    });
    delete finding.Description;
    assert.deepEqual(validateFinding(finding), {
      ok: false,
      message: `${prefix}data should have required property 'Description'.`,
    });
  });

  it('checks fields before the Severity/Types anyOf', () => {
    const finding = buildFinding();
    delete finding.Severity;
    finding.Title = '';
    assert.deepEqual(validateFinding(finding), {
      ok: false,
      message: `${prefix}data.Title should NOT be shorter than 1 characters.`,
    });
  });
});

describe('validateFinding: what it deliberately accepts', () => {
  const accepted: [string, (finding: Json) => void][] = [
    [
      'a type outside the five documented namespaces',
      (f) => (f.Types = ['ens-op.acc.5.aws.iam.1', 'Custom/Thing']),
    ],
    ['an empty Types list next to a Severity', (f) => (f.Types = [])],
    [
      'Severity and Types only in FindingProviderFields',
      (f) => {
        delete f.Severity;
        delete f.Types;
        f.FindingProviderFields = { Severity: { Label: 'LOW' }, Types: ['TTPs/Discovery'] };
      },
    ],
    ['Normalized without Label', (f) => (f.Severity = { Normalized: 0 })],
    [
      'unknown keys inside nested objects',
      (f) => {
        f.Severity = { Label: 'LOW', Reason: 'kept as sent' };
        resource0(f).Details = { AwsEc2Instance: { AmiAge: '30 days' }, AwsNewService: { Anything: [1, 2] } };
      },
    ],
    [
      'empty map values',
      (f) => {
        f.ProductFields = { 'remoteIpDetails/city': '' };
        resource0(f).Tags = { Team: '' };
      },
    ],
    [
      'timestamp forms of §1.5',
      (f) => {
        f.CreatedAt = '2019-01-31T23:00:00.123456789Z';
        f.UpdatedAt = '2024-01-04T15:25:10-1759';
        f.FirstObservedAt = '2024-01-04T15:25:10+17:59';
        f.LastObservedAt = '2022-08-05T22:29:18.549914-07:00';
        f.ProcessedAt = '2024-02-29T00:00:00+18:00';
      },
    ],
    [
      'exactly 32 resources, 50 types and 50 product fields',
      (f) => {
        f.Resources = Array.from({ length: 32 }, (_, index) => ({ Type: 'Other', Id: `r-${index}` }));
        f.Types = Array.from({ length: 50 }, (_, index) => `Effects/Data Exposure/${index}`);
        f.ProductFields = fieldMapOf(50);
      },
    ],
    ['a Title of 256 astral characters (512 UTF-16 units)', (f) => (f.Title = '🔒'.repeat(256))],
  ];
  for (const [name, adjust] of accepted) {
    it(`accepts ${name}`, () => {
      const finding = buildFinding();
      adjust(finding);
      const result = validateFinding(finding);
      assert.equal(result.ok, true, result.ok ? '' : result.message);
      assert.equal(asffFindingSchema.safeParse(finding).success, true);
    });
  }

  it('returns the input object untouched, keys in their original order', () => {
    const { Title, ...rest } = buildFinding();
    const finding: Json = { Resources: rest.Resources, Title, ...rest };
    const keys = Object.keys(finding);
    assert.equal(keys[0], 'Resources');
    const result = validateFinding(finding);
    assert.ok(result.ok);
    assert.equal(result.finding, finding);
    assert.deepEqual(Object.keys(result.finding), keys);
  });
});
