/** E2E: the hub lifecycle (EnableSecurityHub, DescribeHub, DisableSecurityHub) through the AWS SDK. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchImportFindingsCommand,
  DescribeHubCommand,
  DisableSecurityHubCommand,
  EnableSecurityHubCommand,
  GetFindingsCommand,
  UpdateSecurityHubConfigurationCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { buildFinding } from './factories.js';
import { expectAwsError } from './support/assert-aws-error.js';
import { rawFetch } from './support/aws-request.js';
import { type Credentials } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('hub lifecycle (e2e)', () => {
  let server: InProcessServer;

  before(async () => {
    server = await startInProcessServer();
  });
  after(async () => {
    await server?.dispose();
  });

  /** A brand-new account (hub not enabled) and its client. */
  async function freshAccount(): Promise<{ key: Credentials; client: SecurityHubClient }> {
    const key = await server.createKey();
    return { key, client: server.client('us-east-1', key) };
  }

  it('rejects every call before EnableSecurityHub with InvalidAccessException (401)', async () => {
    const { key, client } = await freshAccount();
    const notSubscribed = new RegExp(`^Account ${key.accountId} is not subscribed to AWS Security Hub$`);
    await expectAwsError(
      client.send(new DescribeHubCommand({})),
      'InvalidAccessException',
      401,
      notSubscribed,
    );
    await expectAwsError(
      client.send(new GetFindingsCommand({})),
      'InvalidAccessException',
      401,
      notSubscribed,
    );
    await expectAwsError(
      client.send(
        new BatchImportFindingsCommand({ Findings: [buildFinding({}, { accountId: key.accountId })] }),
      ),
      'InvalidAccessException',
      401,
      notSubscribed,
    );
    await expectAwsError(
      client.send(new DisableSecurityHubCommand({})),
      'InvalidAccessException',
      401,
      notSubscribed,
    );
  });

  it('enables the hub, describes it, refuses a second enable, and disables it', async () => {
    const { key, client } = await freshAccount();
    const before = Date.now();
    const enabled = await client.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    assert.equal(enabled.$metadata.httpStatusCode, 200);
    assert.match(enabled.$metadata.requestId ?? '', uuidPattern);

    const hub = await client.send(new DescribeHubCommand({}));
    assert.equal(hub.HubArn, `arn:aws:securityhub:us-east-1:${key.accountId}:hub/default`);
    assert.equal(hub.AutoEnableControls, true);
    assert.equal(hub.ControlFindingGenerator, 'SECURITY_CONTROL');
    const subscribedAt = Date.parse(hub.SubscribedAt ?? '');
    assert.ok(
      subscribedAt >= before - 1000 && subscribedAt <= Date.now() + 1000,
      `SubscribedAt ${hub.SubscribedAt}`,
    );

    const byArn = await client.send(new DescribeHubCommand({ HubArn: hub.HubArn }));
    assert.equal(byArn.HubArn, hub.HubArn);
    await expectAwsError(
      client.send(
        new DescribeHubCommand({ HubArn: `arn:aws:securityhub:us-east-1:${key.accountId}:hub/other` }),
      ),
      'ResourceNotFoundException',
      404,
    );

    await expectAwsError(
      client.send(new EnableSecurityHubCommand({})),
      'ResourceConflictException',
      409,
      /already subscribed/,
    );

    const disabled = await client.send(new DisableSecurityHubCommand({}));
    assert.equal(disabled.$metadata.httpStatusCode, 200);
    await expectAwsError(client.send(new DescribeHubCommand({})), 'InvalidAccessException', 401);

    await client.send(new EnableSecurityHubCommand({}));
    assert.equal((await client.send(new DescribeHubCommand({}))).HubArn, hub.HubArn);
  });

  it('keeps AutoEnableControls and ControlFindingGenerator; a bad value changes nothing', async () => {
    const { client } = await freshAccount();
    await client.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    await client.send(
      new UpdateSecurityHubConfigurationCommand({
        AutoEnableControls: false,
        ControlFindingGenerator: 'STANDARD_CONTROL',
      }),
    );
    let hub = await client.send(new DescribeHubCommand({}));
    assert.equal(hub.AutoEnableControls, false);
    assert.equal(hub.ControlFindingGenerator, 'STANDARD_CONTROL');
    await expectAwsError(
      client.send(
        new UpdateSecurityHubConfigurationCommand({
          AutoEnableControls: true,
          ControlFindingGenerator: 'PER_RESOURCE' as 'STANDARD_CONTROL',
        }),
      ),
      'InvalidInputException',
      400,
      /ControlFindingGenerator/,
    );
    hub = await client.send(new DescribeHubCommand({}));
    assert.equal(hub.AutoEnableControls, false);
    await client.send(new UpdateSecurityHubConfigurationCommand({ AutoEnableControls: true }));
    hub = await client.send(new DescribeHubCommand({}));
    assert.equal(hub.AutoEnableControls, true);
    assert.equal(hub.ControlFindingGenerator, 'STANDARD_CONTROL');
  });

  it('keeps hubs per Region: enabling us-east-1 does not enable eu-west-1', async () => {
    const { key, client } = await freshAccount();
    await client.send(new EnableSecurityHubCommand({}));
    const europe = server.client('eu-west-1', key);
    await expectAwsError(europe.send(new DescribeHubCommand({})), 'InvalidAccessException', 401);
    await europe.send(new EnableSecurityHubCommand({ ControlFindingGenerator: 'STANDARD_CONTROL' }));
    const hub = await europe.send(new DescribeHubCommand({}));
    assert.equal(hub.HubArn, `arn:aws:securityhub:eu-west-1:${key.accountId}:hub/default`);
    assert.equal(hub.ControlFindingGenerator, 'STANDARD_CONTROL');
  });

  it('sends the AWS error wire shape: status, X-Amzn-ErrorType, x-amzn-requestid and a JSON body', async () => {
    const { key, client } = await freshAccount();
    await client.send(new EnableSecurityHubCommand({}));
    const response = await rawFetch(server.endpoint, { method: 'POST', path: '/accounts', body: {} }, key);
    assert.equal(response.status, 409);
    assert.equal(response.headers.get('x-amzn-errortype'), 'ResourceConflictException');
    assert.match(response.headers.get('x-amzn-requestid') ?? '', uuidPattern);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body['__type'], 'ResourceConflictException');
    assert.equal(body['Code'], 'ResourceConflictException');
    assert.equal(body['Message'], 'Account is already subscribed to Security Hub');

    const ok = await rawFetch(server.endpoint, { method: 'GET', path: '/accounts' }, key);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('x-amzn-requestid') ?? '', uuidPattern);
    assert.equal(ok.headers.get('x-amzn-errortype'), null);
    const hub = (await ok.json()) as Record<string, unknown>;
    assert.equal(hub['HubArn'], `arn:aws:securityhub:us-east-1:${key.accountId}:hub/default`);

    const unknown = await rawFetch(
      server.endpoint,
      { method: 'POST', path: '/no-such-operation', body: {} },
      key,
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('x-amzn-errortype'), 'UnknownOperationException');
  });
});
