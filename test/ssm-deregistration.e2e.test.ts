/** E2E: deregistering a managed instance makes the worker forget its inventory and compliance (outbox subscribers). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateActivationCommand,
  DeregisterManagedInstanceCommand,
  PutComplianceItemsCommand,
  PutInventoryCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { Db } from '../src/storage/database.js';
import { openDatabase } from '../src/storage/open-database.js';
import { rawFetch } from './support/aws-request.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

describe('deregistration purges an instance’s inventory and compliance', () => {
  let server: InProcessServer;
  let db: Db;

  before(async () => {
    server = await startInProcessServer();
    db = (await openDatabase(server.databaseUrl)).db;
  });
  after(async () => {
    await db.destroy();
    await server.dispose();
  });

  const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new SSMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const rowsOf = async (instanceId: string): Promise<{ inventory: number; compliance: number }> => {
    const inventory = await db
      .selectFrom('inventory_items')
      .select('instance_id')
      .where('instance_id', '=', instanceId)
      .execute();
    const compliance = await db
      .selectFrom('compliance_items')
      .select('resource_id')
      .where('resource_id', '=', instanceId)
      .execute();
    return { inventory: inventory.length, compliance: compliance.length };
  };

  it('removes them once the worker has handled InstanceDeregistered', async () => {
    const admin = client(server.credentials);
    const activation = await admin.send(new CreateActivationCommand({ IamRole: 'SSMServiceRole' }));
    const registration = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        service: 'ssm',
        headers: {
          'x-amz-target': 'AmazonSSM.RegisterManagedInstance',
          'content-type': 'application/x-amz-json-1.1',
        },
        body: JSON.stringify({
          ActivationId: activation.ActivationId,
          ActivationCode: activation.ActivationCode,
          Fingerprint: 'fp-deregistration',
          PlatformType: 'linux',
          PlatformName: 'Debian',
          PlatformVersion: '12',
        }),
      },
      undefined,
    );
    assert.equal(registration.status, 200);
    const registered = (await registration.json()) as {
      InstanceId: string;
      AccessKeyId: string;
      SecretAccessKey: string;
    };
    const instance = client({
      accessKeyId: registered.AccessKeyId,
      secretAccessKey: registered.SecretAccessKey,
    });
    const instanceId = registered.InstanceId;
    await instance.send(
      new PutInventoryCommand({
        InstanceId: instanceId,
        Items: [
          {
            TypeName: 'AWS:Application',
            SchemaVersion: '1.1',
            CaptureTime: '2026-11-23T00:00:00Z',
            Content: [{ Name: 'jq', Version: '1.6-2.1' }],
          },
        ],
      }),
    );
    await instance.send(
      new PutComplianceItemsCommand({
        ResourceId: instanceId,
        ResourceType: 'ManagedInstance',
        ComplianceType: 'Custom:Hardening',
        ExecutionSummary: { ExecutionTime: new Date() },
        Items: [{ Id: 'ssh-root-login', Severity: 'HIGH', Status: 'NON_COMPLIANT' }],
      }),
    );
    assert.deepEqual(await rowsOf(instanceId), { inventory: 1, compliance: 1 });

    await admin.send(new DeregisterManagedInstanceCommand({ InstanceId: instanceId }));
    const deadline = Date.now() + 20_000;
    let rows = await rowsOf(instanceId);
    while ((rows.inventory > 0 || rows.compliance > 0) && Date.now() < deadline) {
      await sleep(100);
      rows = await rowsOf(instanceId);
    }
    assert.deepEqual(rows, { inventory: 0, compliance: 0 });
  });
});
