/** E2E: SSM inventory and compliance through the real server — aws CLI, the SSM SDK and signed raw requests. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateActivationCommand,
  GetInventoryCommand,
  GetInventorySchemaCommand,
  ListComplianceItemsCommand,
  PutComplianceItemsCommand,
  PutInventoryCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { rawFetch } from './support/aws-request.js';
import { commandExists, type Credentials } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { awsCliEnv } from './support/aws-cli-env.js';

const run = promisify(execFile);
const hasAwsCli = commandExists('aws');
type Key = Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>;

interface Registered {
  InstanceId: string;
  AccessKeyId: string;
  SecretAccessKey: string;
}

describe('SSM inventory and compliance (e2e)', () => {
  let server: InProcessServer;
  let admin: SSMClient;
  let first: Registered;
  let second: Registered;
  let stranger: Credentials;
  const clients: SSMClient[] = [];

  const ssm = (key: Key): SSMClient => {
    const client = new SSMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: key,
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };
  const keyOf = (registered: Registered): Key => ({
    accessKeyId: registered.AccessKeyId,
    secretAccessKey: registered.SecretAccessKey,
  });
  const cli = async (key: Key, args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run(
      'aws',
      ['ssm', ...args, '--endpoint-url', server.endpoint, '--output', 'json'],
      {
        env: awsCliEnv(key),
        timeout: 60_000,
      },
    );
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  };
  const raw = async (key: Key | undefined, operation: string, body: unknown) => {
    const response = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        service: 'ssm',
        headers: { 'x-amz-target': `AmazonSSM.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
        body,
      },
      key,
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const register = async (activationId: string, activationCode: string): Promise<Registered> => {
    const { status, body } = await raw(undefined, 'RegisterManagedInstance', {
      ActivationId: activationId,
      ActivationCode: activationCode,
      Fingerprint: `fp-${Math.random()}`,
      ComputerName: 'edge.example.com',
      PlatformType: 'linux',
      PlatformName: 'Ubuntu',
      PlatformVersion: '22.04',
    });
    assert.equal(status, 200, JSON.stringify(body));
    return body as unknown as Registered;
  };

  before(async () => {
    server = await startInProcessServer();
    admin = ssm(server.credentials);
    const activation = await admin.send(
      new CreateActivationCommand({ IamRole: 'SSMServiceRole', RegistrationLimit: 2 }),
    );
    first = await register(activation.ActivationId ?? '', activation.ActivationCode ?? '');
    second = await register(activation.ActivationId ?? '', activation.ActivationCode ?? '');
    stranger = await server.createKey();
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await server?.dispose();
  });

  it(
    'an instance key puts its inventory (aws ssm put-inventory) and an operator lists it back',
    { skip: !hasAwsCli && 'aws CLI not installed' },
    async () => {
      const items = [
        {
          TypeName: 'AWS:Application',
          SchemaVersion: '1.1',
          CaptureTime: '2026-06-01T00:00:00Z',
          Content: [
            { Name: 'bash', Version: '5.1', Architecture: 'x86_64' },
            { Name: 'curl', Version: '7.81', Architecture: 'x86_64' },
          ],
        },
        {
          TypeName: 'Custom:RackInfo',
          SchemaVersion: '1.0',
          CaptureTime: '2026-06-01T00:00:00Z',
          Content: [{ Rack: '12' }],
        },
      ];
      await cli(keyOf(first), [
        'put-inventory',
        '--instance-id',
        first.InstanceId,
        '--items',
        JSON.stringify(items),
      ]);
      const listed = await cli(server.credentials, [
        'list-inventory-entries',
        '--instance-id',
        first.InstanceId,
        '--type-name',
        'AWS:Application',
        '--filters',
        'Key=Name,Values=cu,Type=BeginWith',
      ]);
      assert.equal(listed['TypeName'], 'AWS:Application');
      assert.equal(listed['SchemaVersion'], '1.1');
      assert.equal(listed['CaptureTime'], '2026-06-01T00:00:00Z');
      assert.deepEqual(listed['Entries'], [{ Name: 'curl', Version: '7.81', Architecture: 'x86_64' }]);
      const rack = await cli(server.credentials, [
        'list-inventory-entries',
        '--instance-id',
        first.InstanceId,
        '--type-name',
        'Custom:RackInfo',
      ]);
      assert.deepEqual(rack['Entries'], [{ Rack: '12' }]);
    },
  );

  it('PutInventory via the SDK: hash-only re-upload, content mismatch, schema errors, other instances refused', async () => {
    const agent = ssm(keyOf(second));
    const content = [{ Name: 'eth0', IPV4: '10.0.0.5', MacAddress: '02:00:00:00:00:01' }];
    await agent.send(
      new PutInventoryCommand({
        InstanceId: second.InstanceId,
        Items: [
          {
            TypeName: 'AWS:Network',
            SchemaVersion: '1.0',
            CaptureTime: '2026-06-01T00:00:00Z',
            ContentHash: 'h-1',
            Content: content,
          },
        ],
      }),
    );
    const again = await agent.send(
      new PutInventoryCommand({
        InstanceId: second.InstanceId,
        Items: [
          {
            TypeName: 'AWS:Network',
            SchemaVersion: '1.0',
            CaptureTime: '2026-06-02T00:00:00Z',
            ContentHash: 'h-1',
          },
        ],
      }),
    );
    assert.match(again.Message ?? '', /1 unchanged/);
    const mismatch = await raw(keyOf(second), 'PutInventory', {
      InstanceId: second.InstanceId,
      Items: [
        {
          TypeName: 'AWS:Network',
          SchemaVersion: '1.0',
          CaptureTime: '2026-06-02T00:00:00Z',
          ContentHash: 'h-2',
        },
      ],
    });
    assert.deepEqual([mismatch.status, mismatch.body['__type']], [400, 'ItemContentMismatchException']);
    const badAttribute = await raw(keyOf(second), 'PutInventory', {
      InstanceId: second.InstanceId,
      Items: [
        {
          TypeName: 'AWS:Network',
          SchemaVersion: '1.0',
          CaptureTime: '2026-06-02T00:00:00Z',
          Content: [{ Colour: 'red' }],
        },
      ],
    });
    assert.deepEqual(
      [badAttribute.status, badAttribute.body['__type']],
      [400, 'InvalidItemContentException'],
    );
    const badVersion = await raw(keyOf(second), 'PutInventory', {
      InstanceId: second.InstanceId,
      Items: [
        { TypeName: 'AWS:Network', SchemaVersion: '2.0', CaptureTime: '2026-06-02T00:00:00Z', Content: [] },
      ],
    });
    assert.equal(badVersion.body['__type'], 'UnsupportedInventorySchemaVersionException');
    const badTime = await raw(keyOf(second), 'PutInventory', {
      InstanceId: second.InstanceId,
      Items: [
        { TypeName: 'AWS:Network', SchemaVersion: '1.0', CaptureTime: '2026-06-02 00:00', Content: [] },
      ],
    });
    assert.equal(badTime.body['__type'], 'ValidationException');
    const notMine = await raw(keyOf(second), 'PutInventory', {
      InstanceId: first.InstanceId,
      Items: [
        { TypeName: 'Custom:X', SchemaVersion: '1.0', CaptureTime: '2026-06-02T00:00:00Z', Content: [] },
      ],
    });
    assert.deepEqual([notMine.status, notMine.body['__type']], [400, 'AccessDeniedException']);
    const unknown = await raw(server.credentials, 'PutInventory', {
      InstanceId: 'mi-00000000000000000',
      Items: [
        { TypeName: 'Custom:X', SchemaVersion: '1.0', CaptureTime: '2026-06-02T00:00:00Z', Content: [] },
      ],
    });
    assert.equal(unknown.body['__type'], 'InvalidInstanceId');
    const foreign = await raw(stranger, 'PutInventory', {
      InstanceId: second.InstanceId,
      Items: [
        { TypeName: 'Custom:X', SchemaVersion: '1.0', CaptureTime: '2026-06-02T00:00:00Z', Content: [] },
      ],
    });
    assert.equal(
      foreign.body['__type'],
      'InvalidInstanceId',
      'another account’s instance does not exist for the caller',
    );

    const inventory = await admin.send(
      new GetInventoryCommand({
        Filters: [{ Key: 'AWS:Network.IPV4', Values: ['10.0.0.5'], Type: 'Equal' }],
        ResultAttributes: [{ TypeName: 'AWS:Network' }],
      }),
    );
    assert.deepEqual(
      inventory.Entities?.map((e) => e.Id),
      [second.InstanceId],
    );
    assert.deepEqual(inventory.Entities?.[0]?.Data?.['AWS:Network']?.Content, content);
    const all = await admin.send(new GetInventoryCommand({}));
    assert.deepEqual(all.Entities?.map((e) => e.Id).sort(), [first.InstanceId, second.InstanceId].sort());
    const schemas = await admin.send(new GetInventorySchemaCommand({ TypeName: 'AWS:Network' }));
    assert.deepEqual(
      schemas.Schemas?.map((schema) => schema.TypeName),
      ['AWS:Network'],
    );
  });

  it(
    'compliance through the aws CLI: put, list with filters, summaries per type and per resource',
    { skip: !hasAwsCli && 'aws CLI not installed' },
    async () => {
      const items = [
        {
          Id: 'KB1',
          Title: 'Critical fix',
          Severity: 'CRITICAL',
          Status: 'NON_COMPLIANT',
          Details: { PatchState: 'Missing' },
        },
        { Id: 'KB2', Title: 'Minor fix', Severity: 'LOW', Status: 'COMPLIANT' },
      ];
      await cli(server.credentials, [
        'put-compliance-items',
        '--resource-id',
        first.InstanceId,
        '--resource-type',
        'ManagedInstance',
        '--compliance-type',
        'Custom:Hardening',
        '--execution-summary',
        'ExecutionTime=1780000000,ExecutionId=run-1,ExecutionType=Command',
        '--items',
        JSON.stringify(items),
      ]);
      const listed = await cli(server.credentials, [
        'list-compliance-items',
        '--resource-ids',
        first.InstanceId,
        '--resource-types',
        'ManagedInstance',
        '--filters',
        'Key=Status,Values=NON_COMPLIANT,Type=EQUAL',
      ]);
      const complianceItems = listed['ComplianceItems'] as Record<string, unknown>[];
      assert.equal(complianceItems.length, 1);
      assert.deepEqual(complianceItems[0], {
        ComplianceType: 'Custom:Hardening',
        ResourceType: 'ManagedInstance',
        ResourceId: first.InstanceId,
        Id: 'KB1',
        Title: 'Critical fix',
        Status: 'NON_COMPLIANT',
        Severity: 'CRITICAL',
        ExecutionSummary: {
          ExecutionTime:
            complianceItems[0]?.['ExecutionSummary'] &&
            (complianceItems[0]['ExecutionSummary'] as Record<string, unknown>)['ExecutionTime'],
          ExecutionId: 'run-1',
          ExecutionType: 'Command',
        },
        Details: { PatchState: 'Missing' },
      });
      const byAwsKey = await cli(server.credentials, [
        'list-compliance-items',
        '--resource-ids',
        first.InstanceId,
        '--filters',
        'Key=AWS:ComplianceItem.Severity,Values=LOW,Type=EQUAL',
      ]);
      assert.deepEqual(
        (byAwsKey['ComplianceItems'] as { Id: string }[]).map((i) => i.Id),
        ['KB2'],
      );
      const summaries = await cli(server.credentials, [
        'list-compliance-summaries',
        '--filters',
        'Key=ComplianceType,Values=Custom:Hardening,Type=EQUAL',
      ]);
      assert.deepEqual(summaries['ComplianceSummaryItems'], [
        {
          ComplianceType: 'Custom:Hardening',
          CompliantSummary: {
            CompliantCount: 0,
            SeveritySummary: {
              CriticalCount: 0,
              HighCount: 0,
              MediumCount: 0,
              LowCount: 0,
              InformationalCount: 0,
              UnspecifiedCount: 0,
            },
          },
          NonCompliantSummary: {
            NonCompliantCount: 1,
            SeveritySummary: {
              CriticalCount: 1,
              HighCount: 0,
              MediumCount: 0,
              LowCount: 0,
              InformationalCount: 0,
              UnspecifiedCount: 0,
            },
          },
        },
      ]);
      const perResource = await cli(server.credentials, [
        'list-resource-compliance-summaries',
        '--filters',
        'Key=ComplianceType,Values=Custom:Hardening',
      ]);
      const rows = perResource['ResourceComplianceSummaryItems'] as Record<string, unknown>[];
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.['Status'], 'NON_COMPLIANT');
      assert.equal(rows[0]?.['OverallSeverity'], 'CRITICAL');
      assert.deepEqual((rows[0]?.['CompliantSummary'] as Record<string, unknown>)['CompliantCount'], 1);
      assert.deepEqual((rows[0]?.['NonCompliantSummary'] as Record<string, unknown>)['NonCompliantCount'], 1);
    },
  );

  it('compliance through the SDK and raw requests: instance self-only, validation, accounts apart', async () => {
    const agent = ssm(keyOf(second));
    const executionTime = new Date('2026-06-01T10:00:00Z');
    await agent.send(
      new PutComplianceItemsCommand({
        ResourceId: second.InstanceId,
        ResourceType: 'ManagedInstance',
        ComplianceType: 'Association',
        ExecutionSummary: { ExecutionTime: executionTime, ExecutionId: '', ExecutionType: '' },
        Items: [
          {
            Id: 'assoc-1',
            Title: '',
            Severity: 'UNSPECIFIED',
            Status: 'COMPLIANT',
            Details: { DocumentName: 'AWS-UpdateSSMAgent', DocumentVersion: '1' },
          },
        ],
        ItemContentHash: 'hash-1',
      }),
    );
    const listed = await admin.send(
      new ListComplianceItemsCommand({
        ResourceIds: [second.InstanceId],
        ResourceTypes: ['ManagedInstance'],
      }),
    );
    assert.equal(listed.ComplianceItems?.length, 1);
    assert.equal(
      listed.ComplianceItems?.[0]?.ExecutionSummary?.ExecutionTime?.getTime(),
      executionTime.getTime(),
    );
    assert.equal(
      listed.ComplianceItems?.[0]?.ExecutionSummary?.ExecutionId,
      undefined,
      'empty ExecutionId is omitted',
    );
    const notMine = await raw(keyOf(second), 'PutComplianceItems', {
      ResourceId: first.InstanceId,
      ResourceType: 'ManagedInstance',
      ComplianceType: 'Association',
      ExecutionSummary: { ExecutionTime: 1780000000 },
      Items: [],
    });
    assert.deepEqual([notMine.status, notMine.body['__type']], [400, 'AccessDeniedException']);
    const badSeverity = await raw(server.credentials, 'PutComplianceItems', {
      ResourceId: first.InstanceId,
      ResourceType: 'ManagedInstance',
      ComplianceType: 'Custom:Xy',
      ExecutionSummary: { ExecutionTime: 1780000000 },
      Items: [{ Id: 'a', Severity: 'URGENT', Status: 'COMPLIANT' }],
    });
    assert.equal(badSeverity.body['__type'], 'ValidationException');
    assert.match(String(badSeverity.body['Message']), /items\.1\.severity/);
    const badType = await raw(server.credentials, 'PutComplianceItems', {
      ResourceId: first.InstanceId,
      ResourceType: 'Document',
      ComplianceType: 'Custom:Xy',
      ExecutionSummary: { ExecutionTime: 1780000000 },
      Items: [],
    });
    assert.equal(badType.body['__type'], 'InvalidResourceType');
    const badFilter = await raw(server.credentials, 'ListComplianceItems', {
      ResourceIds: [first.InstanceId],
      Filters: [{ Key: 'Colour', Values: ['red'] }],
    });
    assert.equal(badFilter.body['__type'], 'InvalidFilter');
    const theirs = await raw(stranger, 'ListResourceComplianceSummaries', {});
    assert.equal(theirs.status, 200);
    assert.deepEqual(theirs.body['ResourceComplianceSummaryItems'], []);
    const theirItems = await raw(stranger, 'ListComplianceItems', { ResourceIds: [second.InstanceId] });
    assert.deepEqual(theirItems.body['ComplianceItems'], []);
  });
});
