/** E2E: Patch Manager baselines, defaults and patch groups through the AWS CLI, the SSM SDK client and raw signed requests. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  AddTagsToResourceCommand,
  CreateActivationCommand,
  DescribeAvailablePatchesCommand,
  DescribeInstancePatchesCommand,
  DescribeInstancePatchStatesCommand,
  DescribeInstancePatchStatesForPatchGroupCommand,
  GetDeployablePatchSnapshotForInstanceCommand,
  PutInventoryCommand,
  DescribePatchGroupStateCommand,
  DescribePatchPropertiesCommand,
  GetPatchBaselineCommand,
  SSMClient,
  UpdatePatchBaselineCommand,
} from '@aws-sdk/client-ssm';
import { expectAwsError } from './support/assert-aws-error.js';
import { rawFetch } from './support/aws-request.js';
import { commandExists, type Credentials } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { awsCliEnv } from './support/aws-cli-env.js';

const run = promisify(execFile);
const hasAwsCli = commandExists('aws');

describe('SSM Patch Manager (e2e)', () => {
  let server: InProcessServer;
  let key: Credentials;

  before(async () => {
    server = await startInProcessServer();
    key = await server.createKey();
  });
  after(async () => {
    await server?.dispose();
  });

  async function ssm(
    args: string[],
  ): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
    try {
      const { stdout } = await run(
        'aws',
        ['ssm', ...args, '--endpoint-url', server.endpoint, '--output', 'json'],
        {
          env: awsCliEnv(key),
          timeout: 60_000,
        },
      );
      return {
        code: 0,
        json: stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>),
        stderr: '',
      };
    } catch (error) {
      const failed = error as { code?: number; stderr?: string };
      return { code: failed.code ?? -1, json: {}, stderr: failed.stderr ?? '' };
    }
  }

  async function call(
    target: string,
    body: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        service: 'ssm',
        body,
        headers: { 'x-amz-target': `AmazonSSM.${target}`, 'content-type': 'application/x-amz-json-1.1' },
      },
      key,
    );
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it(
    'aws ssm: create/get/describe baselines, patch groups and defaults',
    { skip: hasAwsCli ? false : 'the aws CLI is not on PATH' },
    async () => {
      const created = await ssm([
        'create-patch-baseline',
        '--name',
        'web-ubuntu',
        '--operating-system',
        'UBUNTU',
        '--approval-rules',
        'PatchRules=[{PatchFilterGroup={PatchFilters=[{Key=PRIORITY,Values=[Required,Important]}]},ComplianceLevel=CRITICAL}]',
        '--rejected-patches',
        'telnet',
        '--rejected-patches-action',
        'BLOCK',
        '--client-token',
        'e2e-token-1',
      ]);
      assert.equal(created.code, 0, created.stderr);
      const baselineId = created.json['BaselineId'] as string;
      assert.match(baselineId, /^pb-[0-9a-f]{17}$/);

      const again = await ssm([
        'create-patch-baseline',
        '--name',
        'web-ubuntu',
        '--operating-system',
        'UBUNTU',
        '--approval-rules',
        'PatchRules=[{PatchFilterGroup={PatchFilters=[{Key=PRIORITY,Values=[Required,Important]}]},ComplianceLevel=CRITICAL}]',
        '--rejected-patches',
        'telnet',
        '--rejected-patches-action',
        'BLOCK',
        '--client-token',
        'e2e-token-1',
      ]);
      assert.equal(again.json['BaselineId'], baselineId);

      const got = await ssm(['get-patch-baseline', '--baseline-id', baselineId]);
      assert.equal(got.code, 0, got.stderr);
      assert.equal(got.json['Name'], 'web-ubuntu');
      assert.equal(got.json['OperatingSystem'], 'UBUNTU');
      assert.equal(got.json['RejectedPatchesAction'], 'BLOCK');
      assert.deepEqual(got.json['GlobalFilters'], { PatchFilters: [] });
      assert.equal(typeof got.json['CreatedDate'], 'number'); // CLI v1 prints the wire's epoch seconds

      const registered = await ssm([
        'register-patch-baseline-for-patch-group',
        '--baseline-id',
        baselineId,
        '--patch-group',
        'web servers',
      ]);
      assert.equal(registered.code, 0, registered.stderr);
      assert.deepEqual(registered.json, { BaselineId: baselineId, PatchGroup: 'web servers' });

      const forGroup = await ssm([
        'get-patch-baseline-for-patch-group',
        '--patch-group',
        'web servers',
        '--operating-system',
        'UBUNTU',
      ]);
      assert.deepEqual(forGroup.json, {
        BaselineId: baselineId,
        PatchGroup: 'web servers',
        OperatingSystem: 'UBUNTU',
      });

      const groups = await ssm(['describe-patch-groups']);
      const mappings = groups.json['Mappings'] as {
        PatchGroup: string;
        BaselineIdentity: { BaselineId: string };
      }[];
      assert.deepEqual(
        mappings.map((m) => [m.PatchGroup, m.BaselineIdentity.BaselineId]),
        [['web servers', baselineId]],
      );

      const ubuntuDefault = 'arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0c7e89f711c3095f4';
      const before = await ssm(['get-default-patch-baseline', '--operating-system', 'UBUNTU']);
      assert.deepEqual(before.json, { BaselineId: ubuntuDefault, OperatingSystem: 'UBUNTU' });
      const windows = await ssm(['get-default-patch-baseline']);
      assert.equal(windows.json['OperatingSystem'], 'WINDOWS');

      const setDefault = await ssm(['register-default-patch-baseline', '--baseline-id', baselineId]);
      assert.deepEqual(setDefault.json, { BaselineId: baselineId });
      const afterSet = await ssm(['get-default-patch-baseline', '--operating-system', 'UBUNTU']);
      assert.equal(afterSet.json['BaselineId'], baselineId);

      const mine = await ssm(['describe-patch-baselines', '--filters', 'Key=OWNER,Values=Self']);
      const identities = mine.json['BaselineIdentities'] as {
        BaselineId: string;
        DefaultBaseline: boolean;
      }[];
      assert.deepEqual(identities, [
        {
          BaselineId: baselineId,
          BaselineName: 'web-ubuntu',
          OperatingSystem: 'UBUNTU',
          DefaultBaseline: true,
        },
      ]);
      const aws = await ssm([
        'describe-patch-baselines',
        '--filters',
        'Key=OWNER,Values=AWS',
        'Key=NAME_PREFIX,Values=AWS-Ubuntu',
      ]);
      assert.deepEqual(
        (aws.json['BaselineIdentities'] as { BaselineId: string; DefaultBaseline: boolean }[]).map((b) => [
          b.BaselineId,
          b.DefaultBaseline,
        ]),
        [[ubuntuDefault, false]],
      );

      const inUse = await ssm(['delete-patch-baseline', '--baseline-id', baselineId]);
      assert.notEqual(inUse.code, 0);
      assert.match(inUse.stderr, /ResourceInUseException/);

      const missing = await ssm(['get-patch-baseline', '--baseline-id', 'pb-0123456789abcdef0']);
      assert.match(missing.stderr, /DoesNotExistException/);
    },
  );

  it('signed raw requests: validation wording, AlreadyExists, predefined baselines by ARN, snapshot of an unknown node', async () => {
    const bad = await call('CreatePatchBaseline', { Name: 'x' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json['__type'], 'ValidationException');
    assert.match(String(bad.json['Message']), /Value 'x' at 'name' failed to satisfy constraint/);

    const rhel = await call('CreatePatchBaseline', {
      Name: 'rhel-critical',
      OperatingSystem: 'REDHAT_ENTERPRISE_LINUX',
      ApprovalRules: {
        PatchRules: [
          {
            PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['Security'] }] },
            ComplianceLevel: 'CRITICAL',
            ApproveAfterDays: 7,
          },
        ],
      },
    });
    assert.equal(rhel.status, 200, JSON.stringify(rhel.json));
    const rhelId = rhel.json['BaselineId'] as string;
    assert.equal(
      (await call('RegisterPatchBaselineForPatchGroup', { BaselineId: rhelId, PatchGroup: 'db' })).status,
      200,
    );
    const predefinedRhel = 'arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0cbb3a633de00f07c';
    const taken = await call('RegisterPatchBaselineForPatchGroup', {
      BaselineId: predefinedRhel,
      PatchGroup: 'db',
    });
    assert.equal(taken.json['__type'], 'AlreadyExistsException');

    const tagged = await call('CreatePatchBaseline', {
      Name: 'tagged-debian',
      OperatingSystem: 'DEBIAN',
      Tags: [{ Key: 'team', Value: 'infra' }],
    });
    const tags = await call('ListTagsForResource', {
      ResourceType: 'PatchBaseline',
      ResourceId: tagged.json['BaselineId'],
    });
    assert.deepEqual(tags.json, { TagList: [{ Key: 'team', Value: 'infra' }] });

    const predefined = await call('GetPatchBaseline', { BaselineId: predefinedRhel });
    assert.equal(predefined.json['Name'], 'AWS-RedHatDefaultPatchBaseline');
    assert.equal(typeof predefined.json['CreatedDate'], 'number');

    const snapshot = await call('GetDeployablePatchSnapshotForInstance', {
      InstanceId: 'mi-0123456789abcdef0',
      SnapshotId: '11111111-2222-3333-4444-555555555555',
    });
    assert.equal(snapshot.json['__type'], 'InvalidInstanceId');

    const properties = await call('DescribePatchProperties', {
      OperatingSystem: 'UBUNTU',
      Property: 'PRIORITY',
    });
    assert.deepEqual(
      (properties.json['Properties'] as { Name: string }[]).map((p) => p.Name),
      ['Required', 'Important', 'Standard', 'Optional', 'Extra'],
    );
    // No node of this account has reported a scan yet, so no package source is known.
    const available = await call('DescribeAvailablePatches', {});
    assert.deepEqual(available.json, { Patches: [] });
    const badKey = await call('DescribeAvailablePatches', { Filters: [{ Key: 'BOGUS', Values: ['x'] }] });
    assert.equal(badKey.status, 400);
    assert.equal(badKey.json['__type'], 'ValidationException');
    assert.match(String(badKey.json['Message']), /BOGUS/);
  });

  it('@aws-sdk/client-ssm: GetPatchBaseline dates, UpdatePatchBaseline, patch state reads', async () => {
    const client = new SSMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      maxAttempts: 1,
    });
    try {
      const created = await call('CreatePatchBaseline', { Name: 'sdk-debian', OperatingSystem: 'DEBIAN' });
      const baselineId = created.json['BaselineId'] as string;
      const got = await client.send(new GetPatchBaselineCommand({ BaselineId: baselineId }));
      assert.ok(got.CreatedDate instanceof Date);
      const updated = await client.send(
        new UpdatePatchBaselineCommand({
          BaselineId: baselineId,
          ApprovedPatches: ['curl'],
          ApprovedPatchesEnableNonSecurity: true,
        }),
      );
      assert.deepEqual(updated.ApprovedPatches, ['curl']);
      assert.equal(updated.ApprovedPatchesEnableNonSecurity, true);
      await expectAwsError(
        client.send(new GetPatchBaselineCommand({ BaselineId: 'pb-0000000000000000f' })),
        'DoesNotExistException',
        400,
      );
      const states = await client.send(
        new DescribeInstancePatchStatesCommand({ InstanceIds: ['mi-0123456789abcdef0'] }),
      );
      assert.deepEqual(states.InstancePatchStates, []);
      const group = await client.send(new DescribePatchGroupStateCommand({ PatchGroup: 'web servers' }));
      assert.equal(group.Instances, 0);
      const products = await client.send(
        new DescribePatchPropertiesCommand({
          OperatingSystem: 'REDHAT_ENTERPRISE_LINUX',
          Property: 'SEVERITY',
        }),
      );
      assert.ok((products.Properties ?? []).some((p) => p['Name'] === 'Critical'));
    } finally {
      client.destroy();
    }
  });

  it('agent flow: a tagged node gets its group baseline as a snapshot, reports patch state, operators read it', async () => {
    const admin = new SSMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      maxAttempts: 1,
    });
    const clients = [admin];
    try {
      const activation = await admin.send(new CreateActivationCommand({ IamRole: 'SSMServiceRole' }));
      const registered = await rawFetch(
        server.endpoint,
        {
          method: 'POST',
          path: '/',
          service: 'ssm',
          headers: {
            'x-amz-target': 'AmazonSSM.RegisterManagedInstance',
            'content-type': 'application/x-amz-json-1.1',
          },
          body: {
            ActivationId: activation.ActivationId,
            ActivationCode: activation.ActivationCode,
            Fingerprint: 'fp-patching',
            ComputerName: 'web-1.example.com',
            PlatformType: 'linux',
            PlatformName: 'Ubuntu',
            PlatformVersion: '22.04',
          },
        },
        undefined,
      );
      assert.equal(registered.status, 200);
      const node = (await registered.json()) as {
        InstanceId: string;
        AccessKeyId: string;
        SecretAccessKey: string;
      };
      const agent = new SSMClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: node.AccessKeyId, secretAccessKey: node.SecretAccessKey },
        maxAttempts: 1,
      });
      clients.push(agent);

      await admin.send(
        new AddTagsToResourceCommand({
          ResourceType: 'ManagedInstance',
          ResourceId: node.InstanceId,
          Tags: [{ Key: 'Patch Group', Value: 'frontend' }],
        }),
      );
      const created = await call('CreatePatchBaseline', {
        Name: 'frontend-ubuntu',
        OperatingSystem: 'UBUNTU',
        ApprovalRules: {
          PatchRules: [
            {
              PatchFilterGroup: { PatchFilters: [{ Key: 'PRIORITY', Values: ['Required'] }] },
              ComplianceLevel: 'CRITICAL',
            },
          ],
        },
      });
      const baselineId = created.json['BaselineId'] as string;
      await call('RegisterPatchBaselineForPatchGroup', { BaselineId: baselineId, PatchGroup: 'frontend' });

      const snapshotId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
      const snapshot = await agent.send(
        new GetDeployablePatchSnapshotForInstanceCommand({
          InstanceId: node.InstanceId,
          SnapshotId: snapshotId,
        }),
      );
      assert.equal(snapshot.Product, 'Ubuntu22.04');
      const url = snapshot.SnapshotDownloadUrl ?? '';
      assert.match(url, /^data:application\/json;base64,/);
      const document = (await (await fetch(url)).json()) as {
        patchBaseline: { baselineId: string; approvalRules: { rules: { complianceLevel: string }[] } };
        patchGroup: string;
        product: string;
      };
      assert.equal(document.patchBaseline.baselineId, baselineId);
      assert.equal(document.patchBaseline.approvalRules.rules[0]?.complianceLevel, 'CRITICAL');
      assert.equal(document.patchGroup, 'frontend');
      // An instance key may not fetch another node's snapshot.
      await expectAwsError(
        agent.send(
          new GetDeployablePatchSnapshotForInstanceCommand({
            InstanceId: 'mi-0123456789abcdef0',
            SnapshotId: snapshotId,
          }),
        ),
        'AccessDeniedException',
        400,
      );

      const capture = '2026-06-01T10:01:30Z';
      await agent.send(
        new PutInventoryCommand({
          InstanceId: node.InstanceId,
          Items: [
            {
              TypeName: 'AWS:PatchSummary',
              SchemaVersion: '1.0',
              CaptureTime: capture,
              Content: [
                {
                  PatchGroup: 'frontend',
                  BaselineId: baselineId,
                  SnapshotId: snapshotId,
                  InstalledCount: '12',
                  InstalledOtherCount: '380',
                  InstalledPendingRebootCount: '0',
                  InstalledRejectedCount: '0',
                  NotApplicableCount: '1900',
                  MissingCount: '1',
                  FailedCount: '0',
                  CriticalNonCompliantCount: '1',
                  SecurityNonCompliantCount: '1',
                  OtherNonCompliantCount: '0',
                  OperationType: 'Scan',
                  OperationStartTime: '2026-06-01T10:00:00Z',
                  OperationEndTime: capture,
                  RebootOption: 'NoReboot',
                },
              ],
            },
            {
              TypeName: 'AWS:ComplianceItem',
              SchemaVersion: '1.0',
              CaptureTime: capture,
              Context: {
                ComplianceType: 'Patch',
                ExecutionId: snapshotId,
                ExecutionType: 'Command',
                ExecutionTime: '2026-06-01T10:00:00Z',
              },
              Content: [
                {
                  Id: 'openssl.amd64',
                  Title: 'openssl.amd64:3.0.2-0ubuntu1.16',
                  Status: 'NON_COMPLIANT',
                  Severity: 'CRITICAL',
                  Classification: 'Security',
                  PatchSeverity: 'required',
                  PatchState: 'Missing',
                  PatchBaselineId: baselineId,
                  PatchGroup: 'frontend',
                  DocumentName: '',
                  DocumentVersion: '',
                  InstalledTime: '',
                },
                {
                  Id: 'bash.amd64',
                  Title: 'bash.amd64:5.1-6ubuntu1.1',
                  Status: 'COMPLIANT',
                  Severity: 'UNSPECIFIED',
                  Classification: '',
                  PatchSeverity: 'required',
                  PatchState: 'InstalledOther',
                  PatchBaselineId: baselineId,
                  PatchGroup: 'frontend',
                  DocumentName: '',
                  DocumentVersion: '',
                  InstalledTime: '2026-05-01T08:00:00Z',
                },
              ],
            },
          ],
        }),
      );

      const states = await admin.send(
        new DescribeInstancePatchStatesCommand({ InstanceIds: [node.InstanceId] }),
      );
      const state = states.InstancePatchStates?.[0];
      assert.equal(state?.BaselineId, baselineId);
      assert.equal(state?.MissingCount, 1);
      assert.equal(state?.UnreportedNotApplicableCount, -1);
      assert.equal(state?.CriticalNonCompliantCount, 1);
      assert.equal(state?.Operation, 'Scan');
      assert.equal(state?.OperationEndTime?.toISOString(), '2026-06-01T10:01:30.000Z');
      // The agent may read its own state.
      const own = await agent.send(
        new DescribeInstancePatchStatesCommand({ InstanceIds: [node.InstanceId] }),
      );
      assert.equal(own.InstancePatchStates?.length, 1);

      const missing = await admin.send(
        new DescribeInstancePatchesCommand({
          InstanceId: node.InstanceId,
          Filters: [{ Key: 'State', Values: ['Missing'] }],
        }),
      );
      assert.deepEqual(
        missing.Patches?.map((p) => [p.KBId, p.Severity, p.State, p.InstalledTime?.getTime()]),
        [['openssl.amd64', 'required', 'Missing', 0]],
      );
      const forGroup = await admin.send(
        new DescribeInstancePatchStatesForPatchGroupCommand({
          PatchGroup: 'frontend',
          Filters: [{ Key: 'MissingCount', Values: ['0'], Type: 'GreaterThan' }],
        }),
      );
      assert.deepEqual(
        forGroup.InstancePatchStates?.map((s) => s.InstanceId),
        [node.InstanceId],
      );
      const groupState = await admin.send(new DescribePatchGroupStateCommand({ PatchGroup: 'frontend' }));
      assert.equal(groupState.Instances, 1);
      assert.equal(groupState.InstancesWithMissingPatches, 1);
      assert.equal(groupState.InstancesWithCriticalNonCompliantPatches, 1);

      // The patches the fleet's package sources know: what the scans reported, missing and installed.
      const all = await admin.send(new DescribeAvailablePatchesCommand({}));
      assert.deepEqual(
        all.Patches?.map((p) => [p.Id, p.Name, p.Arch, p.Version, p.Release, p.Product, p.Classification]),
        [
          ['bash.amd64:5.1-6ubuntu1.1', 'bash', 'amd64', '5.1', '6ubuntu1.1', 'Ubuntu22.04', ''],
          [
            'openssl.amd64:3.0.2-0ubuntu1.16',
            'openssl',
            'amd64',
            '3.0.2',
            '0ubuntu1.16',
            'Ubuntu22.04',
            'Security',
          ],
        ],
      );
      const security = await admin.send(
        new DescribeAvailablePatchesCommand({
          Filters: [
            { Key: 'PRODUCT', Values: ['Ubuntu22.04'] },
            { Key: 'CLASSIFICATION', Values: ['Security'] },
          ],
        }),
      );
      assert.deepEqual(
        security.Patches?.map((p) => p.Name),
        ['openssl'],
      );
      const otherProduct = await admin.send(
        new DescribeAvailablePatchesCommand({ Filters: [{ Key: 'PRODUCT', Values: ['Debian12'] }] }),
      );
      assert.deepEqual(otherProduct.Patches, []);
      const first = await admin.send(new DescribeAvailablePatchesCommand({ MaxResults: 1 }));
      assert.equal(first.Patches?.length, 1);
      assert.ok(first.NextToken);
      const second = await admin.send(
        new DescribeAvailablePatchesCommand({ MaxResults: 1, NextToken: first.NextToken }),
      );
      assert.deepEqual(
        [...(first.Patches ?? []), ...(second.Patches ?? [])].map((p) => p.Name),
        ['bash', 'openssl'],
      );
      assert.equal(second.NextToken, undefined);
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});
