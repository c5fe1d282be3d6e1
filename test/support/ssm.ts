/** E2E support: SSM clients, managed instances registered through an activation, and their own signed calls. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateActivationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { rawFetch } from './aws-request.js';
import type { Credentials, TestServer } from './server-harness.js';

/** An SDK SSM client for a key. */
export function ssmClient(server: TestServer, key: Credentials, region = 'us-east-1'): SSMClient {
  return new SSMClient({
    endpoint: server.endpoint,
    region,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    maxAttempts: 1,
  });
}

/** A registered managed instance and its own key. */
export interface ManagedNode {
  instanceId: string;
  key: Credentials;
  /** An awsJson1_1 SSM call signed with the instance's key (as the agent makes it); returns the parsed body. */
  call(target: string, body: unknown): Promise<Record<string, unknown>>;
}

/** Activates and registers one managed instance as an agent would. */
export async function registerNode(
  server: TestServer,
  admin: SSMClient,
  name: string,
  region = 'us-east-1',
): Promise<ManagedNode> {
  const activation = await admin.send(new CreateActivationCommand({ IamRole: 'SSMServiceRole' }));
  const call = async (target: string, body: unknown, credentials: Credentials | undefined) => {
    const response = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        service: 'ssm',
        headers: { 'x-amz-target': `AmazonSSM.${target}`, 'content-type': 'application/x-amz-json-1.1' },
        body,
      },
      credentials,
      region,
    );
    const text = await response.text();
    assert.equal(response.status, 200, `${target}: ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  };
  const registered = await call(
    'RegisterManagedInstance',
    {
      ActivationId: activation.ActivationId,
      ActivationCode: activation.ActivationCode,
      Fingerprint: `fp-${name}`,
      ComputerName: name,
      PlatformType: 'Linux',
      PlatformName: 'Debian GNU/Linux',
      PlatformVersion: '12',
    },
    undefined,
  );
  const instanceId = String(registered['InstanceId']);
  const key: Credentials = {
    accountId: '',
    accessKeyId: String(registered['AccessKeyId']),
    secretAccessKey: String(registered['SecretAccessKey']),
  };
  return { instanceId, key, call: (target, body) => call(target, body, key) };
}

/** Polls `read` until `accept` holds (background work runs within a few worker polls), or fails with the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await sleep(100);
    last = await read();
  }
  return last;
}
