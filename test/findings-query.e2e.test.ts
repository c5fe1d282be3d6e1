/** E2E: GetFindings filters, SortCriteria and pagination through the AWS SDK. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  type SortCriterion,
} from '@aws-sdk/client-securityhub';
import { enabledAccount, getAllFindings, type TestAccount } from './support/accounts.js';
import { expectAwsError } from './support/assert-aws-error.js';
import { rawFetch } from './support/aws-request.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

const day = 24 * 60 * 60 * 1000;
const daysAgo = (days: number): string => new Date(Date.now() - days * day).toISOString();

describe('GetFindings filters, sorting and pagination (e2e)', () => {
  let server: InProcessServer;
  let account: TestAccount;
  /** name → finding, all in `account` (which holds nothing else). */
  const named: Record<string, AwsSecurityFinding> = {};

  before(async () => {
    server = await startInProcessServer();
    account = await enabledAccount(server);
    const resource = (type: string, id: string, environment: string) => ({
      Type: type,
      Id: id,
      Partition: 'aws' as const,
      Region: 'us-east-1',
      Tags: { Environment: environment },
    });
    const instance = (suffix: string) =>
      `arn:aws:ec2:us-east-1:${account.accountId}:instance/i-0000000000000${suffix}`;
    const at = (days: number) => ({ CreatedAt: daysAgo(days), UpdatedAt: daysAgo(days) });
    named['ssh'] = account.finding({
      ...at(1),
      Title: 'Open SSH port',
      Types: ['Software and Configuration Checks/AWS Security Best Practices/Network Reachability'],
      Severity: { Label: 'HIGH' },
      ProductFields: { 'scanner/rule': 'ssh-open' },
      Resources: [resource('AwsEc2Instance', instance('aaaa'), 'production')],
      Network: { Direction: 'IN', Protocol: 'TCP', SourceIpV4: '198.51.100.23', DestinationPort: 22 },
      Sample: false,
    });
    named['rdp'] = account.finding({
      ...at(10),
      Title: 'Open RDP port',
      Types: ['TTPs/Initial Access/Exposed Remote Desktop'],
      Severity: { Normalized: 10 },
      ProductFields: { 'scanner/rule': 'rdp-open' },
      Resources: [resource('AwsEc2Instance', instance('bbbb'), 'staging')],
      Network: { Direction: 'IN', Protocol: 'TCP', SourceIpV4: '203.0.113.9', DestinationPort: 3389 },
      Sample: true,
    });
    named['bucket'] = account.finding({
      ...at(40),
      Title: 'S3 bucket is public',
      Types: ['Effects/Data Exposure/Public Bucket'],
      Severity: { Label: 'CRITICAL', Normalized: 95 },
      ProductFields: { 'scanner/rule': 'public-bucket' },
      Resources: [resource('AwsS3Bucket', 'arn:aws:s3:::bulwark-public-bucket', 'production')],
      Network: undefined,
    });
    named['cve'] = account.finding({
      ...at(2),
      Title: 'Vulnerable openssl package',
      Types: ['Software and Configuration Checks/Vulnerabilities/CVE'],
      Severity: { Label: 'MEDIUM' },
      ProductFields: { 'scanner/rule': 'cve' },
      Resources: [resource('AwsEc2Instance', instance('cccc'), 'dev')],
      Network: { Direction: 'IN', Protocol: 'TCP', SourceIpV4: '198.51.100.200', DestinationPort: 443 },
    });
    named['pii'] = account.finding({
      ...at(100),
      Title: 'PII found in log bucket',
      Types: ['Sensitive Data Identifications/PII/EmailAddress'],
      Severity: { Label: 'INFORMATIONAL' },
      ProductFields: { 'scanner/rule': 'pii' },
      Resources: [resource('AwsS3Bucket', 'arn:aws:s3:::bulwark-logs', 'dev')],
      Network: undefined,
      RecordState: 'ARCHIVED',
    });
    const result = await account.client.send(
      new BatchImportFindingsCommand({ Findings: Object.values(named) }),
    );
    assert.equal(result.SuccessCount, 5, JSON.stringify(result.FailedFindings));
  });
  after(async () => {
    await server?.dispose();
  });

  /** The names of the findings `filters` matches (sorted, so order does not matter). */
  async function matching(filters: AwsSecurityFindingFilters): Promise<string[]> {
    const found = await getAllFindings(account.client, filters);
    const byId = new Map(Object.entries(named).map(([name, finding]) => [finding.Id, name]));
    return found.map((f) => byId.get(f.Id) ?? `unexpected:${f.Id}`).sort();
  }

  it('filters strings with EQUALS (OR within a key), PREFIX and NOT_EQUALS (AND within a key)', async () => {
    assert.deepEqual(await matching({ Title: [{ Value: 'Open SSH port', Comparison: 'EQUALS' }] }), ['ssh']);
    assert.deepEqual(
      await matching({
        Title: [
          { Value: 'Open SSH port', Comparison: 'EQUALS' },
          { Value: 'S3 bucket is public', Comparison: 'EQUALS' },
        ],
      }),
      ['bucket', 'ssh'],
    );
    assert.deepEqual(
      await matching({ Title: [{ Value: 'open SSH port', Comparison: 'EQUALS' }] }),
      [],
      'case-sensitive',
    );
    assert.deepEqual(await matching({ Title: [{ Value: 'Open ', Comparison: 'PREFIX' }] }), ['rdp', 'ssh']);
    assert.deepEqual(
      await matching({
        SeverityLabel: [
          { Value: 'LOW', Comparison: 'NOT_EQUALS' },
          { Value: 'INFORMATIONAL', Comparison: 'NOT_EQUALS' },
        ],
      }),
      ['bucket', 'cve', 'ssh'],
    );
    assert.deepEqual(
      await matching({
        Title: [
          { Value: 'Open', Comparison: 'PREFIX' },
          { Value: 'Open RDP port', Comparison: 'NOT_EQUALS' },
        ],
      }),
      ['ssh'],
    );
    assert.deepEqual(await matching({ SeverityLabel: [{ Value: 'LOW', Comparison: 'EQUALS' }] }), ['rdp']);
    assert.deepEqual(await matching({ RecordState: [{ Value: 'ARCHIVED', Comparison: 'EQUALS' }] }), ['pii']);
  });

  it('ANDs different keys', async () => {
    assert.deepEqual(
      await matching({
        SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' }],
        ResourceTags: [{ Key: 'Environment', Value: 'production', Comparison: 'EQUALS' }],
      }),
      ['ssh'],
    );
    assert.deepEqual(
      await matching({
        SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }],
        ResourceType: [{ Value: 'AwsEc2Instance', Comparison: 'EQUALS' }],
      }),
      [],
    );
  });

  it('filters Type by PREFIX and resources by ResourceId / ResourceType', async () => {
    assert.deepEqual(
      await matching({ Type: [{ Value: 'Software and Configuration Checks', Comparison: 'PREFIX' }] }),
      ['cve', 'ssh'],
    );
    assert.deepEqual(await matching({ Type: [{ Value: 'Effects/', Comparison: 'PREFIX' }] }), ['bucket']);
    assert.deepEqual(
      await matching({ ResourceId: [{ Value: 'arn:aws:s3:::bulwark-public-bucket', Comparison: 'EQUALS' }] }),
      ['bucket'],
    );
    assert.deepEqual(await matching({ ResourceType: [{ Value: 'AwsS3Bucket', Comparison: 'EQUALS' }] }), [
      'bucket',
      'pii',
    ]);
  });

  it('filters dates by DateRange (WITHIN, OLDER_THAN) and by Start/End', async () => {
    assert.deepEqual(await matching({ UpdatedAt: [{ DateRange: { Value: 7, Unit: 'DAYS' } }] }), [
      'cve',
      'ssh',
    ]);
    assert.deepEqual(
      await matching({ UpdatedAt: [{ DateRange: { Value: 30, Unit: 'DAYS', Comparison: 'OLDER_THAN' } }] }),
      ['bucket', 'pii'],
    );
    assert.deepEqual(await matching({ CreatedAt: [{ Start: daysAgo(15), End: daysAgo(5) }] }), ['rdp']);
    assert.deepEqual(
      await matching({ UpdatedAt: [{ Start: daysAgo(50), End: new Date(Date.now() + day).toISOString() }] }),
      ['bucket', 'cve', 'rdp', 'ssh'],
    );
  });

  it('filters SeverityNormalized by number range', async () => {
    assert.deepEqual(await matching({ SeverityNormalized: [{ Gte: 40, Lte: 70 }] }), ['cve', 'ssh']);
    assert.deepEqual(await matching({ SeverityNormalized: [{ Gt: 40 }] }), ['bucket', 'ssh']);
    assert.deepEqual(await matching({ SeverityNormalized: [{ Eq: 95 }] }), ['bucket']);
    assert.deepEqual(await matching({ SeverityNormalized: [{ Lt: 1 }, { Eq: 10 }] }), ['pii', 'rdp']);
  });

  it('filters maps (ProductFields, ResourceTags) by key and value', async () => {
    assert.deepEqual(
      await matching({ ProductFields: [{ Key: 'scanner/rule', Value: 'rdp-open', Comparison: 'EQUALS' }] }),
      ['rdp'],
    );
    assert.deepEqual(
      await matching({ ResourceTags: [{ Key: 'Environment', Value: 'production', Comparison: 'EQUALS' }] }),
      ['bucket', 'ssh'],
    );
    assert.deepEqual(
      await matching({
        ResourceTags: [{ Key: 'Environment', Value: 'production', Comparison: 'NOT_EQUALS' }],
      }),
      ['cve', 'pii', 'rdp'],
    );
    assert.deepEqual(
      await matching({ ResourceTags: [{ Key: 'Owner', Value: 'production', Comparison: 'EQUALS' }] }),
      [],
    );
  });

  it('filters IP addresses by CIDR and Sample by boolean', async () => {
    assert.deepEqual(await matching({ NetworkSourceIpV4: [{ Cidr: '198.51.100.0/24' }] }), ['cve', 'ssh']);
    assert.deepEqual(await matching({ NetworkSourceIpV4: [{ Cidr: '198.51.100.23/32' }] }), ['ssh']);
    assert.deepEqual(await matching({ NetworkSourceIpV4: [{ Cidr: '10.0.0.0/8' }] }), []);
    assert.deepEqual(await matching({ Sample: [{ Value: true }] }), ['rdp']);
  });

  it('sorts by SortCriteria', async () => {
    const order = async (criteria: SortCriterion[]): Promise<string[]> => {
      const page = await account.client.send(
        new GetFindingsCommand({ SortCriteria: criteria, MaxResults: 100 }),
      );
      const byId = new Map(Object.entries(named).map(([name, finding]) => [finding.Id, name]));
      return (page.Findings ?? []).map((f) => byId.get(f.Id) ?? '?');
    };
    assert.deepEqual(await order([{ Field: 'SeverityNormalized', SortOrder: 'desc' }]), [
      'bucket',
      'ssh',
      'cve',
      'rdp',
      'pii',
    ]);
    assert.deepEqual(await order([{ Field: 'UpdatedAt', SortOrder: 'asc' }]), [
      'pii',
      'bucket',
      'rdp',
      'cve',
      'ssh',
    ]);
    assert.deepEqual(await order([{ Field: 'Title', SortOrder: 'asc' }]), [
      'rdp',
      'ssh',
      'pii',
      'bucket',
      'cve',
    ]);
    assert.deepEqual(await order([{ Field: 'SeverityLabel', SortOrder: 'desc' }]), [
      'bucket',
      'ssh',
      'cve',
      'rdp',
      'pii',
    ]);
  });

  it('rejects bad filter values, MaxResults and SortCriteria with InvalidInputException', async () => {
    const bad: [string, AwsSecurityFindingFilters][] = [
      ['unknown comparison', { Title: [{ Value: 'x', Comparison: 'BOGUS' as 'EQUALS' }] }],
      ['unparseable date', { UpdatedAt: [{ Start: 'yesterday', End: daysAgo(0) }] }],
      ['bad CIDR', { NetworkSourceIpV4: [{ Cidr: '198.51.100.0/33' }] }],
      ['not an IP', { NetworkSourceIpV4: [{ Cidr: 'example.com' }] }],
      ['bad DateRange unit', { UpdatedAt: [{ DateRange: { Value: 1, Unit: 'WEEKS' as 'DAYS' } }] }],
      [
        'EQUALS with NOT_EQUALS',
        {
          Title: [
            { Value: 'a', Comparison: 'EQUALS' },
            { Value: 'b', Comparison: 'NOT_EQUALS' },
          ],
        },
      ],
      [
        '21 values',
        { Id: Array.from({ length: 21 }, (_, i) => ({ Value: `id-${i}`, Comparison: 'EQUALS' as const })) },
      ],
      [
        '11 attributes',
        Object.fromEntries(
          [
            'Id',
            'Title',
            'Description',
            'GeneratorId',
            'Region',
            'SourceUrl',
            'ProductName',
            'CompanyName',
            'RecordState',
            'WorkflowStatus',
            'SeverityLabel',
          ].map((key) => [key, [{ Value: 'x', Comparison: 'EQUALS' }]]),
        ),
      ],
    ];
    for (const [label, filters] of bad) {
      const error = await expectAwsError(
        account.client.send(new GetFindingsCommand({ Filters: filters })),
        'InvalidInputException',
        400,
      );
      assert.ok(error.message.length > 0, label);
    }
    for (const maxResults of [0, 101]) {
      await expectAwsError(
        account.client.send(new GetFindingsCommand({ MaxResults: maxResults })),
        'InvalidInputException',
        400,
      );
    }
    await expectAwsError(
      account.client.send(
        new GetFindingsCommand({ SortCriteria: [{ Field: 'NoSuchField', SortOrder: 'asc' }] }),
      ),
      'InvalidInputException',
      400,
    );
    await expectAwsError(
      account.client.send(new GetFindingsCommand({ NextToken: 'definitely-not-a-token' })),
      'InvalidInputException',
      400,
    );
    const unknownKey = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/findings',
        body: { Filters: { NoSuchKey: [{ Value: 'x', Comparison: 'EQUALS' }] } },
      },
      account.key,
    );
    assert.equal(unknownKey.status, 400);
    assert.equal(unknownKey.headers.get('x-amzn-errortype'), 'InvalidInputException');
  });

  it('paginates with MaxResults, visiting each match exactly once, sorted or not', async () => {
    const own = await enabledAccount(server);
    const findings = Array.from({ length: 23 }, (_, i) =>
      own.finding({ Title: `paged finding ${String(i).padStart(2, '0')}` }),
    );
    await own.client.send(new BatchImportFindingsCommand({ Findings: findings }));
    for (const sort of [undefined, [{ Field: 'Title', SortOrder: 'asc' as const }]]) {
      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await own.client.send(
          new GetFindingsCommand({ MaxResults: 5, NextToken: nextToken, SortCriteria: sort }),
        );
        pages += 1;
        assert.ok((page.Findings ?? []).length <= 5);
        seen.push(...(page.Findings ?? []).map((f) => String(f.Title)));
        nextToken = page.NextToken;
      } while (nextToken !== undefined);
      assert.equal(pages, 5);
      assert.equal(seen.length, 23);
      assert.equal(new Set(seen).size, 23);
      if (sort !== undefined) assert.deepEqual(seen, [...seen].sort());
    }
    const first = await own.client.send(new GetFindingsCommand({ MaxResults: 100, NextToken: 'NULL' }));
    assert.equal(first.Findings?.length, 23);
    assert.equal(first.NextToken, undefined);
  });

  it('paginates consistently while another loop imports new findings and re-imports existing ones', async () => {
    const own = await enabledAccount(server);
    const initial = Array.from({ length: 40 }, (_, i) =>
      own.finding({ Title: `initial ${i}`, UpdatedAt: '2024-03-01T10:00:00.000Z' }),
    );
    await own.client.send(new BatchImportFindingsCommand({ Findings: initial }));
    const initialIds = new Set(initial.map((f) => String(f.Id)));

    let done = false;
    let rounds = 0;
    let writerError: unknown;
    const writer = (async () => {
      try {
        while (!done) {
          rounds += 1;
          const reimports = [0, 1, 2].map((k) => {
            const original = initial[(rounds * 7 + k * 13) % initial.length];
            if (original === undefined) throw new Error('index out of range');
            return {
              ...original,
              Title: `re-imported in round ${rounds}`,
              UpdatedAt: new Date(Date.parse('2024-03-01T10:00:00.000Z') + rounds * 1000).toISOString(),
            };
          });
          const fresh = [
            own.finding({ Title: `new in round ${rounds}` }),
            own.finding({ Title: `new 2 in ${rounds}` }),
          ];
          const result = await own.client.send(
            new BatchImportFindingsCommand({ Findings: [...reimports, ...fresh] }),
          );
          assert.equal(result.FailedCount, 0);
        }
      } catch (error) {
        writerError = error;
      }
    })();

    const seen: string[] = [];
    try {
      let nextToken: string | undefined;
      do {
        const roundBefore = rounds;
        const page = await own.client.send(new GetFindingsCommand({ MaxResults: 6, NextToken: nextToken }));
        seen.push(...(page.Findings ?? []).map((f) => String(f.Id)));
        nextToken = page.NextToken;
        // Let the writer complete at least one round between pages.
        while (rounds <= roundBefore + 1 && writerError === undefined)
          await new Promise((r) => setTimeout(r, 5));
      } while (nextToken !== undefined);
    } finally {
      done = true;
      await writer;
    }
    assert.equal(writerError, undefined);
    assert.ok(rounds >= 7, `writer ran ${rounds} rounds`);
    const counts = new Map<string, number>();
    for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
    const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    assert.deepEqual(duplicates, [], 'no finding appears twice');
    const missed = [...initialIds].filter((id) => !counts.has(id));
    assert.deepEqual(missed, [], 'every finding that existed at the first page is seen');
  });
});
