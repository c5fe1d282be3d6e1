/**
 * SSM fleet end to end: activations, agent registration with the activation code (no SigV4), the instance key's
 * least privilege, heartbeats and PingStatus, tags, deregistration, account isolation, and STS
 * GetCallerIdentity over the query protocol — through @aws-sdk/client-ssm, client-sts, raw requests and the aws CLI.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  AddTagsToResourceCommand,
  CreateActivationCommand,
  DeleteActivationCommand,
  DeregisterManagedInstanceCommand,
  DescribeActivationsCommand,
  DescribeInstanceInformationCommand,
  ListTagsForResourceCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expectAwsError } from './support/assert-aws-error.js';
import { rawFetch } from './support/aws-request.js';
import { commandExists, type Credentials } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { awsCliEnv } from './support/aws-cli-env.js';

const run = promisify(execFile);
const hasAwsCli = commandExists('aws');
/** CLI checks inside a test: a declared subtest skip where the CLI is missing (CI installs it; see .ci/run). */
const awsCliNeeded = { skip: hasAwsCli ? false : 'the aws CLI is not on PATH' };
// Long enough that a heartbeat followed by a slow check (the aws CLI starts in ~1–3 s on a busy machine) stays Online.
const pingTimeoutSeconds = 10;

/** What RegisterManagedInstance returns. */
interface Registered {
  InstanceId: string;
  AccountId: string;
  AccessKeyId: string;
  SecretAccessKey: string;
}

describe('SSM fleet (e2e)', () => {
  let server: InProcessServer;
  const clients: { destroy(): void }[] = [];
  const ssm = (credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>): SSMClient => {
    const client = new SSMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };
  const sts = (credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>): STSClient => {
    const client = new STSClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  };
  const awsCli = async (
    credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>,
    args: string[],
  ): Promise<unknown> => {
    const { stdout } = await run('aws', [...args, '--endpoint-url', server.endpoint, '--output', 'json'], {
      env: awsCliEnv(credentials),
      timeout: 60_000,
    });
    return JSON.parse(stdout) as unknown;
  };
  /** The agent's registration: unsigned, the activation code is the credential. */
  const register = async (
    activationId: string,
    activationCode: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await rawFetch(
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
          ActivationId: activationId,
          ActivationCode: activationCode,
          Fingerprint: 'fp-1',
          ComputerName: 'edge-1.example.com',
          PlatformType: 'linux',
          PlatformName: 'Ubuntu',
          PlatformVersion: '22.04',
        },
      },
      undefined,
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const registerOk = async (activationId: string, activationCode: string): Promise<Registered> => {
    const { status, body } = await register(activationId, activationCode);
    assert.equal(status, 200, JSON.stringify(body));
    return body as unknown as Registered;
  };
  /** The agent's heartbeat (an internal SSM operation the SDK does not model), signed with `credentials`. */
  const heartbeat = async (
    credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>,
    body: Record<string, unknown>,
  ): Promise<{ status: number; type: unknown }> => {
    const response = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        service: 'ssm',
        headers: {
          'x-amz-target': 'AmazonSSM.UpdateInstanceInformation',
          'content-type': 'application/x-amz-json-1.1',
        },
        body,
      },
      credentials,
    );
    const parsed = (await response.json()) as Record<string, unknown>;
    return { status: response.status, type: parsed['__type'] };
  };
  const keyOf = (registered: Registered) => ({
    accessKeyId: registered.AccessKeyId,
    secretAccessKey: registered.SecretAccessKey,
  });

  let admin: SSMClient;
  let first: Registered;
  let second: Registered;
  let activationId = '';

  before(async () => {
    server = await startInProcessServer({
      env: { BULWARK_PING_TIMEOUT_SECONDS: String(pingTimeoutSeconds) },
    });
    admin = ssm(server.credentials);
  });

  after(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server?.dispose();
  });

  it('creates an activation and registers hosts with its code, enforcing the code, the limit and expiry', async () => {
    const created = await admin.send(
      new CreateActivationCommand({
        IamRole: 'SSMServiceRole',
        DefaultInstanceName: 'edge',
        RegistrationLimit: 2,
        Tags: [{ Key: 'env', Value: 'prod' }],
      }),
    );
    activationId = created.ActivationId ?? '';
    const code = created.ActivationCode ?? '';
    assert.match(activationId, /^[0-9a-f-]{36}$/);
    assert.equal(code.length, 20);

    const wrong = await register(activationId, 'A'.repeat(20));
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body['__type'], 'InvalidActivation');
    const unknown = await register('00000000-0000-4000-8000-000000000000', code);
    assert.equal(unknown.body['__type'], 'InvalidActivationId');

    first = await registerOk(activationId, code);
    second = await registerOk(activationId, code);
    assert.match(first.InstanceId, /^mi-[0-9a-f]{17}$/);
    assert.equal(first.AccountId, server.accountId);
    const exhausted = await register(activationId, code);
    assert.equal(exhausted.body['__type'], 'InvalidActivation');
    assert.match(String(exhausted.body['Message']), /registration limit/);

    const listed = await admin.send(
      new DescribeActivationsCommand({
        Filters: [{ FilterKey: 'ActivationIds', FilterValues: [activationId] }],
      }),
    );
    const activation = listed.ActivationList?.[0];
    assert.equal(activation?.RegistrationsCount, 2);
    assert.equal(activation?.Expired, false);
    assert.ok(activation?.ExpirationDate instanceof Date);
    assert.equal((activation as Record<string, unknown> | undefined)?.['ActivationCode'], undefined);

    const shortLived = await admin.send(
      new CreateActivationCommand({ IamRole: 'SSMServiceRole', ExpirationDate: new Date(Date.now() + 1500) }),
    );
    await sleep(1700);
    const expired = await register(shortLived.ActivationId ?? '', shortLived.ActivationCode ?? '');
    assert.equal(expired.body['__type'], 'InvalidActivation');
    assert.match(String(expired.body['Message']), /expired/);
    await admin.send(new DeleteActivationCommand({ ActivationId: shortLived.ActivationId }));
    await expectAwsError(
      admin.send(new DeleteActivationCommand({ ActivationId: shortLived.ActivationId })),
      'InvalidActivationId',
      400,
    );
  });

  it('lets an instance key heartbeat itself only, and nothing else', async () => {
    const instance = ssm(keyOf(first));
    assert.deepEqual(
      await heartbeat(keyOf(first), {
        InstanceId: first.InstanceId,
        AgentVersion: '0.1.0',
        AgentStatus: 'Active',
        IPAddress: '10.1.2.3',
      }),
      { status: 200, type: undefined },
    );
    assert.deepEqual(await heartbeat(keyOf(first), { InstanceId: second.InstanceId }), {
      status: 400,
      type: 'AccessDeniedException',
    });
    await expectAwsError(
      instance.send(new CreateActivationCommand({ IamRole: 'Escalate' })),
      'AccessDeniedException',
      400,
    );
    await expectAwsError(
      instance.send(new DescribeInstanceInformationCommand({})),
      'AccessDeniedException',
      400,
    );
    // The administrator may read about an instance but may not report for it.
    assert.deepEqual(await heartbeat(server.credentials, { InstanceId: first.InstanceId }), {
      status: 400,
      type: 'AccessDeniedException',
    });
    assert.deepEqual(await heartbeat(server.credentials, { InstanceId: 'mi-0123456789abcdef0' }), {
      status: 400,
      type: 'InvalidInstanceId',
    });
  });

  it('describes instances with filters and PingStatus moving Online → ConnectionLost → Online', async (t) => {
    const byId = async (id: string) =>
      (
        await admin.send(
          new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [id] }] }),
        )
      ).InstanceInformationList?.[0];
    // Fresh heartbeat first: the threshold is short, so nothing slow may run between it and the check.
    assert.equal((await heartbeat(keyOf(first), { InstanceId: first.InstanceId })).status, 200);
    const info = await byId(first.InstanceId);
    assert.equal(info?.PingStatus, 'Online');
    assert.equal(info?.ResourceType, 'ManagedInstance');
    assert.equal(info?.PlatformType, 'Linux');
    assert.equal(info?.PlatformName, 'Ubuntu');
    assert.equal(info?.IPAddress, '10.1.2.3');
    assert.equal(info?.AgentVersion, '0.1.0');
    assert.equal(info?.ActivationId, activationId);
    assert.equal(info?.IamRole, 'SSMServiceRole');
    assert.equal(info?.Name, 'edge');
    assert.ok(info?.RegistrationDate instanceof Date);
    assert.ok(info?.LastPingDateTime instanceof Date);

    const legacy = await admin.send(
      new DescribeInstanceInformationCommand({
        InstanceInformationFilterList: [{ key: 'ActivationIds', valueSet: [activationId] }],
        MaxResults: 5,
      }),
    );
    assert.equal(legacy.InstanceInformationList?.length, 2);
    const tagged = await admin.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:env', Values: ['prod'] }] }),
    );
    assert.equal(tagged.InstanceInformationList?.length, 2, 'activation tags are copied onto its instances');
    await expectAwsError(
      admin.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'Color', Values: ['red'] }] })),
      'InvalidFilterKey',
      400,
    );
    await expectAwsError(
      admin.send(new DescribeInstanceInformationCommand({ MaxResults: 51 })),
      'ValidationException',
      400,
    );

    await sleep((pingTimeoutSeconds + 1) * 1000);
    assert.equal((await byId(first.InstanceId))?.PingStatus, 'ConnectionLost');
    const lost = await admin.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'PingStatus', Values: ['ConnectionLost'] }],
      }),
    );
    assert.equal(lost.InstanceInformationList?.length, 2);
    assert.equal((await heartbeat(keyOf(first), { InstanceId: first.InstanceId })).status, 200);
    assert.equal((await byId(first.InstanceId))?.PingStatus, 'Online');

    await t.test('the aws CLI lists the Online instance', awsCliNeeded, async () => {
      assert.equal((await heartbeat(keyOf(first), { InstanceId: first.InstanceId })).status, 200);
      const cli = (await awsCli(server.credentials, [
        'ssm',
        'describe-instance-information',
        '--filters',
        'Key=PingStatus,Values=Online',
      ])) as { InstanceInformationList: { InstanceId: string }[] };
      assert.deepEqual(
        cli.InstanceInformationList.map((item) => item.InstanceId),
        [first.InstanceId],
      );
    });
  });

  it('tags managed instances', async (t) => {
    await admin.send(
      new AddTagsToResourceCommand({
        ResourceType: 'ManagedInstance',
        ResourceId: first.InstanceId,
        Tags: [
          { Key: 'Patch Group', Value: 'web' },
          { Key: 'env', Value: 'staging' },
        ],
      }),
    );
    await admin.send(
      new RemoveTagsFromResourceCommand({
        ResourceType: 'ManagedInstance',
        ResourceId: first.InstanceId,
        TagKeys: ['env'],
      }),
    );
    const listed = await admin.send(
      new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: first.InstanceId }),
    );
    assert.deepEqual(listed.TagList, [{ Key: 'Patch Group', Value: 'web' }]);
    const web = await admin.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:Patch Group', Values: ['web'] }] }),
    );
    assert.deepEqual(
      web.InstanceInformationList?.map((item) => item.InstanceId),
      [first.InstanceId],
    );
    // The instance can read its own tags (patch group) but not tag itself.
    const own = await ssm(keyOf(first)).send(
      new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: first.InstanceId }),
    );
    assert.equal(own.TagList?.length, 1);
    await expectAwsError(
      ssm(keyOf(first)).send(
        new AddTagsToResourceCommand({
          ResourceType: 'ManagedInstance',
          ResourceId: first.InstanceId,
          Tags: [{ Key: 'Patch Group', Value: 'none' }],
        }),
      ),
      'AccessDeniedException',
      400,
    );
    await expectAwsError(
      admin.send(
        new ListTagsForResourceCommand({
          ResourceType: 'ManagedInstance',
          ResourceId: 'mi-0123456789abcdef0',
        }),
      ),
      'InvalidResourceId',
      400,
    );
    await t.test('the aws CLI lists the tags', awsCliNeeded, async () => {
      const cli = (await awsCli(server.credentials, [
        'ssm',
        'list-tags-for-resource',
        '--resource-type',
        'ManagedInstance',
        '--resource-id',
        first.InstanceId,
      ])) as { TagList: unknown[] };
      assert.deepEqual(cli.TagList, [{ Key: 'Patch Group', Value: 'web' }]);
    });
  });

  it('answers STS GetCallerIdentity for a user key and an instance key (SDK, aws CLI, XML errors)', async (t) => {
    const user = await sts(server.credentials).send(new GetCallerIdentityCommand({}));
    assert.equal(user.Account, server.accountId);
    assert.equal(user.Arn, `arn:aws:iam::${server.accountId}:user/admin`);
    assert.match(user.UserId ?? '', /^AIDA/);
    const instance = await sts(keyOf(first)).send(new GetCallerIdentityCommand({}));
    assert.equal(instance.Arn, `arn:aws:iam::${server.accountId}:role/${first.InstanceId}`);
    assert.equal(instance.UserId, `${instance.UserId?.split(':')[0] ?? ''}:${first.AccessKeyId}`);
    await expectAwsError(
      sts({ accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x'.repeat(40) }).send(
        new GetCallerIdentityCommand({}),
      ),
      'InvalidClientTokenId',
      403,
    );
    const raw = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        service: 'sts',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      },
      server.credentials,
    );
    assert.equal(raw.status, 200);
    const xml = await raw.text();
    assert.match(
      xml,
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/,
    );
    assert.match(xml, new RegExp(`<Account>${server.accountId}</Account>`));
    const unknown = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        service: 'sts',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=AssumeRole&Version=2011-06-15',
      },
      server.credentials,
    );
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /<Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
    await t.test('the aws CLI answers GetCallerIdentity', awsCliNeeded, async () => {
      const cliUser = (await awsCli(server.credentials, ['sts', 'get-caller-identity'])) as Record<
        string,
        string
      >;
      assert.equal(cliUser['Account'], server.accountId);
      const cliInstance = (await awsCli(keyOf(first), ['sts', 'get-caller-identity'])) as Record<
        string,
        string
      >;
      assert.equal(cliInstance['Arn'], instance.Arn);
    });
  });

  it('keeps another account out of all of it', async () => {
    const stranger = ssm(await server.createKey());
    const activations = await stranger.send(new DescribeActivationsCommand({}));
    assert.deepEqual(activations.ActivationList, []);
    const instances = await stranger.send(new DescribeInstanceInformationCommand({}));
    assert.deepEqual(instances.InstanceInformationList, []);
    await expectAwsError(
      stranger.send(
        new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: first.InstanceId }),
      ),
      'InvalidResourceId',
      400,
    );
    await expectAwsError(
      stranger.send(new DeregisterManagedInstanceCommand({ InstanceId: first.InstanceId })),
      'InvalidInstanceId',
      400,
    );
    await expectAwsError(
      stranger.send(new DeleteActivationCommand({ ActivationId: activationId })),
      'InvalidActivationId',
      400,
    );
  });

  it('deregisters an instance: its key is refused afterwards and it leaves the list', async () => {
    await admin.send(new DeregisterManagedInstanceCommand({ InstanceId: second.InstanceId }));
    assert.deepEqual(await heartbeat(keyOf(second), { InstanceId: second.InstanceId }), {
      status: 400,
      type: 'UnrecognizedClientException',
    });
    await expectAwsError(
      admin.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'InstanceIds', Values: [second.InstanceId] }],
        }),
      ),
      'InvalidInstanceId',
      400,
    );
    const inactive = await admin.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'PingStatus', Values: ['Inactive'] }] }),
    );
    assert.deepEqual(
      inactive.InstanceInformationList?.map((item) => item.InstanceId),
      [second.InstanceId],
    );
    await expectAwsError(
      admin.send(new DeregisterManagedInstanceCommand({ InstanceId: second.InstanceId })),
      'InvalidInstanceId',
      400,
    );
    // The first instance keeps working.
    assert.equal((await heartbeat(keyOf(first), { InstanceId: first.InstanceId })).status, 200);
  });
});
