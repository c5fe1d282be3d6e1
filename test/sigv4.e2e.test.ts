/** E2E: Signature Version 4 authentication as the AWS SDK and raw HTTP clients see it. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeHubCommand, EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { expectAwsError } from './support/assert-aws-error.js';
import { presignUrl, rawFetch } from './support/aws-request.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

describe('SigV4 authentication (e2e)', () => {
  let server: InProcessServer;

  before(async () => {
    server = await startInProcessServer();
    await server.client().send(new EnableSecurityHubCommand({}));
  });
  after(async () => {
    await server?.dispose();
  });

  it('accepts a correctly signed call', async () => {
    const hub = await server.client().send(new DescribeHubCommand({}));
    assert.equal(hub.HubArn, `arn:aws:securityhub:us-east-1:${server.accountId}:hub/default`);
  });

  it('rejects a wrong secret with InvalidSignatureException', async () => {
    const client = server.client('us-east-1', {
      accessKeyId: server.accessKeyId,
      secretAccessKey: `${server.secretAccessKey.slice(0, -4)}XXXX`,
    });
    await expectAwsError(
      client.send(new DescribeHubCommand({})),
      'InvalidSignatureException',
      403,
      /signature we calculated does not match/i,
    );
  });

  it('rejects an unknown access key with UnrecognizedClientException', async () => {
    const client = server.client('us-east-1', {
      accessKeyId: 'AKIAUNKNOWNKEY000000',
      secretAccessKey: server.secretAccessKey,
    });
    await expectAwsError(
      client.send(new DescribeHubCommand({})),
      'UnrecognizedClientException',
      403,
      /security token included in the request is invalid/i,
    );
  });

  it('rejects a request signed 20 minutes in the past: Signature expired', async () => {
    const client = new SecurityHubClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
      systemClockOffset: -20 * 60 * 1000,
    });
    try {
      await expectAwsError(
        client.send(new DescribeHubCommand({})),
        'InvalidSignatureException',
        403,
        /^Signature expired/,
      );
    } finally {
      client.destroy();
    }
  });

  it('rejects a request without Authorization with MissingAuthenticationTokenException', async () => {
    const response = await rawFetch(server.endpoint, { method: 'GET', path: '/accounts' }, undefined);
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body['__type'], 'MissingAuthenticationTokenException');
    assert.equal(body['Message'], 'Missing Authentication Token');
  });

  it('accepts a presigned GET (DescribeHub) and rejects one whose signature was tampered with', async () => {
    const url = await presignUrl(server.endpoint, { method: 'GET', path: '/accounts' }, server.credentials);
    assert.match(url, /X-Amz-Signature=[0-9a-f]{64}/);
    const response = await fetch(url);
    assert.equal(response.status, 200, await response.clone().text());
    const hub = (await response.json()) as Record<string, unknown>;
    assert.equal(hub['HubArn'], `arn:aws:securityhub:us-east-1:${server.accountId}:hub/default`);

    const tampered = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_, first: string) => `X-Amz-Signature=${first === '0' ? '1' : '0'}`,
    );
    const rejected = await fetch(tampered);
    assert.equal(rejected.status, 403);
    assert.equal(rejected.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
  });

  it('takes the Region from the credential scope', async () => {
    const response = await rawFetch(
      server.endpoint,
      { method: 'GET', path: '/accounts' },
      server.credentials,
      'ap-southeast-2',
    );
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('x-amzn-errortype'), 'InvalidAccessException');
  });
});
