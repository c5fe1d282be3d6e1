/**
 * Run Command end to end: SendCommand / GetCommandInvocation / ListCommands / CancelCommand through
 * @aws-sdk/client-ssm, and an in-process CommandRunner (the agent side) polling the real server with a
 * registered instance's own key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AddTagsToResourceCommand,
  CancelCommandCommand,
  CreateActivationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
  type GetCommandInvocationCommandOutput,
} from '@aws-sdk/client-ssm';
import { CommandRunner, directReportSink } from '../src/agent/commands/index.js';
import type { HubError } from '../src/agent/hub-client.js';
import { HubClient } from '../src/agent/hub-client.js';
import { rawFetch } from './support/aws-request.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

interface Registered {
  InstanceId: string;
  AccessKeyId: string;
  SecretAccessKey: string;
}

describe('agent commands (e2e)', () => {
  let server: InProcessServer;
  let ssm: SSMClient;
  let agent: Registered;
  let other: Registered;
  let runner: CommandRunner;
  const polling = new AbortController();
  let loop: Promise<void> | undefined;

  const register = async (): Promise<Registered> => {
    const activation = await ssm.send(new CreateActivationCommand({ IamRole: 'SSMServiceRole' }));
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
          ActivationId: activation.ActivationId,
          ActivationCode: activation.ActivationCode,
          Fingerprint: 'fp',
          PlatformType: 'linux',
          PlatformName: 'Ubuntu',
          PlatformVersion: '22.04',
        },
      },
      undefined,
    );
    const body = (await response.json()) as Registered;
    assert.equal(response.status, 200, JSON.stringify(body));
    return body;
  };
  const hubAs = (who: Registered): HubClient =>
    new HubClient({
      hub: server.endpoint,
      region: 'us-east-1',
      instanceId: who.InstanceId,
      accessKeyId: who.AccessKeyId,
      secretAccessKey: who.SecretAccessKey,
    });

  const waitFor = async (
    commandId: string,
    done: (out: GetCommandInvocationCommandOutput) => boolean,
    timeoutMs = 20_000,
  ): Promise<GetCommandInvocationCommandOutput> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = await ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: agent.InstanceId }),
      );
      if (done(out)) return out;
      if (Date.now() > deadline) assert.fail(`invocation stuck in ${String(out.Status)}`);
      await sleep(100);
    }
  };
  const shell = (commands: string[], extra: Record<string, string[]> = {}, timeoutSeconds?: number) =>
    ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [agent.InstanceId],
        Parameters: { commands, ...extra },
        ...(timeoutSeconds === undefined ? {} : { TimeoutSeconds: timeoutSeconds }),
        Comment: 'e2e',
      }),
    );

  before(async () => {
    server = await startInProcessServer();
    ssm = new SSMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    });
    agent = await register();
    other = await register();
    const hub = hubAs(agent);
    runner = new CommandRunner({
      hub,
      instanceId: agent.InstanceId,
      reports: directReportSink(hub, { signal: polling.signal, backoff: { baseMs: 50, capMs: 500 } }),
    });
    loop = (async () => {
      while (!polling.signal.aborted) {
        await runner.pollAndRun(polling.signal).catch(() => undefined);
        await sleep(200);
      }
    })();
  });
  after(async () => {
    polling.abort();
    await loop;
    await runner.close();
    ssm.destroy();
    await server.dispose();
  });

  it('runs a shell script and reports exit code and output', async () => {
    const sent = await shell(['echo hello; exit 3']);
    const commandId = sent.Command?.CommandId ?? assert.fail('no command id');
    assert.equal(sent.Command?.Status, 'Pending');
    assert.deepEqual(sent.Command?.InstanceIds, [agent.InstanceId]);
    const out = await waitFor(commandId, (o) => o.Status !== 'Pending' && o.Status !== 'InProgress');
    assert.equal(out.Status, 'Failed');
    assert.equal(out.ResponseCode, 3);
    assert.equal(out.StandardOutputContent, 'hello\n');
    assert.match(out.ExecutionStartDateTime ?? '', /^\d{4}-\d\d-\d\dT/);
    const listed = await ssm.send(new ListCommandsCommand({ CommandId: commandId }));
    assert.equal(listed.Commands?.[0]?.Status, 'Failed');
    assert.equal(listed.Commands?.[0]?.ErrorCount, 1);
    const invocations = await ssm.send(
      new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }),
    );
    assert.equal(invocations.CommandInvocations?.[0]?.CommandPlugins?.[0]?.Output, 'hello\n');
  });

  it('sends to Targets by tag: only the tagged node runs it, and the command echoes its Targets', async () => {
    await ssm.send(
      new AddTagsToResourceCommand({
        ResourceType: 'ManagedInstance',
        ResourceId: agent.InstanceId,
        Tags: [{ Key: 'Role', Value: 'web' }],
      }),
    );
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        Targets: [{ Key: 'tag:Role', Values: ['web'] }],
        Parameters: { commands: ['echo targeted'] },
      }),
    );
    const commandId = sent.Command?.CommandId ?? assert.fail('no command id');
    assert.deepEqual(sent.Command?.Targets, [{ Key: 'tag:Role', Values: ['web'] }]);
    assert.equal(sent.Command?.TargetCount, 1);
    const out = await waitFor(commandId, (o) => o.Status === 'Success');
    assert.equal(out.StandardOutputContent, 'targeted\n');
    const invocations = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId }));
    assert.deepEqual(
      invocations.CommandInvocations?.map((i) => i.InstanceId),
      [agent.InstanceId],
    );

    const nobody = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        Targets: [{ Key: 'tag:Role', Values: ['db'] }],
        Parameters: { commands: ['true'] },
      }),
    );
    assert.deepEqual(
      [nobody.Command?.Status, nobody.Command?.StatusDetails],
      ['Failed', 'No Instances In Tag'],
    );
    await assert.rejects(
      ssm.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          Targets: [{ Key: 'resource-groups:Name', Values: ['web'] }],
          Parameters: { commands: ['true'] },
        }),
      ),
      (error: Error) => error.name === 'InvalidTarget',
    );
  });

  it('echoes MaxConcurrency and MaxErrors and refuses malformed ones', async () => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [agent.InstanceId],
        Parameters: { commands: ['true'] },
        MaxConcurrency: '10%',
        MaxErrors: '1',
      }),
    );
    assert.deepEqual([sent.Command?.MaxConcurrency, sent.Command?.MaxErrors], ['10%', '1']);
    const done = await waitFor(sent.Command?.CommandId ?? '', (out) => out.Status === 'Success');
    assert.equal(done.ResponseCode, 0);
    for (const bad of [
      { MaxConcurrency: '0' },
      { MaxConcurrency: '101%' },
      { MaxErrors: '-1' },
      { MaxErrors: 'x' },
    ])
      await assert.rejects(
        ssm.send(
          new SendCommandCommand({
            DocumentName: 'AWS-RunShellScript',
            InstanceIds: [agent.InstanceId],
            Parameters: { commands: ['true'] },
            ...bad,
          }),
        ),
        (error: Error) => error.name === 'ValidationException',
      );
  });

  it('times out a command past its executionTimeout', async () => {
    const sent = await shell(['sleep 30'], { executionTimeout: ['2'] }, 30);
    const commandId = sent.Command?.CommandId ?? assert.fail('no command id');
    const out = await waitFor(
      commandId,
      (o) => o.Status === 'TimedOut' || o.Status === 'Success' || o.Status === 'Failed',
    );
    assert.equal(out.Status, 'TimedOut');
    assert.equal(out.StatusDetails, 'Execution Timed Out');
  });

  it('cancels a running command', async () => {
    const sent = await shell(['echo started', 'sleep 30']);
    const commandId = sent.Command?.CommandId ?? assert.fail('no command id');
    await waitFor(commandId, (o) => o.Status === 'InProgress');
    await sleep(300);
    await ssm.send(new CancelCommandCommand({ CommandId: commandId }));
    const out = await waitFor(commandId, (o) => o.Status === 'Cancelled', 10_000);
    assert.equal(out.StatusDetails, 'Canceled');
    const listed = await ssm.send(new ListCommandsCommand({ CommandId: commandId }));
    assert.equal(listed.Commands?.[0]?.Status, 'Cancelled');
  });

  it("keeps another instance's key away from the first instance's invocations", async () => {
    polling.abort(); // the runner stops, so the command stays Pending
    await loop;
    const sent = await shell(['true']);
    const commandId = sent.Command?.CommandId ?? assert.fail('no command id');
    const intruder = hubAs(other);
    await assert.rejects(
      intruder.call('AmazonSSM.BulwarkGetPendingCommands', { InstanceId: agent.InstanceId }),
      (error: HubError) => error.code === 'AccessDeniedException',
    );
    const own = await intruder.call<{ Commands: unknown[] }>('AmazonSSM.BulwarkGetPendingCommands', {
      InstanceId: other.InstanceId,
    });
    assert.deepEqual(own.Commands, []);
    await assert.rejects(
      intruder.call('AmazonSSM.BulwarkReportCommandResult', {
        InstanceId: agent.InstanceId,
        CommandId: commandId,
        ReportId: 'forged',
        Status: 'Success',
        ResponseCode: 0,
      }),
      (error: HubError) => error.code === 'AccessDeniedException',
    );
    // The administrator's key is no instance either.
    const status = await ssm.send(
      new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: agent.InstanceId }),
    );
    assert.equal(status.Status, 'Pending');
    // And an instance key may not send commands.
    const instanceSsm = new SSMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: other.AccessKeyId, secretAccessKey: other.SecretAccessKey },
      maxAttempts: 1,
    });
    await assert.rejects(
      instanceSsm.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: [agent.InstanceId],
          Parameters: { commands: ['id'] },
        }),
      ),
      (error: Error) => error.name === 'AccessDeniedException',
    );
    instanceSsm.destroy();
  });
});
