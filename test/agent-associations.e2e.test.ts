/**
 * State Manager and customer documents end to end with a real agent (`bulwark agent run`): associations created
 * through @aws-sdk/client-ssm run on the node (on create, or only on StartAssociationsOnce with
 * ApplyOnlyAtCronInterval), their executions, targets, per-node status and Association compliance follow, and a
 * failing one turns SSM.3 FAILED. Customer schema 2.2 documents run step by step: parameters with defaults and
 * allowedValues, preconditions, aws:runDocument, aws:downloadContent from a hub document, and a clear per-step
 * error for a plugin the agent doesn't run.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import {
  CreateAssociationCommand,
  CreateDocumentCommand,
  DescribeAssociationCommand,
  DescribeAssociationExecutionTargetsCommand,
  DescribeAssociationExecutionsCommand,
  DescribeInstanceAssociationsStatusCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListComplianceItemsCommand,
  SendCommandCommand,
  StartAssociationsOnceCommand,
  type GetCommandInvocationCommandOutput,
  type InstanceAssociationStatusInfo,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { enabledAccount, getAllFindings, type TestAccount } from './support/accounts.js';
import { startAgentFleet, type AgentFleet, type FleetAgent } from './support/agent-fleet.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { eventually, ssmClient } from './support/ssm.js';

const finalStatuses = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);

describe('State Manager associations and customer documents with a real agent (e2e)', () => {
  let server: InProcessServer;
  let account: TestAccount;
  let ssm: SSMClient;
  let scratch: string;
  let fleet: AgentFleet | undefined;
  let agent: FleetAgent;

  before(async () => {
    server = await startInProcessServer({
      env: { BULWARK_WORKER_POLL_MS: '50', BULWARK_ASSOCIATION_TICK_MS: '300' },
    });
    account = await enabledAccount(server, 'us-east-1', { defaultStandards: true });
    ssm = ssmClient(server, account.key);
    scratch = mkdtempSync(join(tmpdir(), 'bulwark-associations-e2e-'));
    fleet = await startAgentFleet(server, ssm, {
      size: 1,
      dir: scratch,
      tag: { Key: 'Fleet', Value: `associations-${process.pid}` },
      namePrefix: 'assoc',
    });
    agent = fleet.agents[0] ?? assert.fail('no agent');
  });
  after(async () => {
    await fleet?.stop();
    ssm?.destroy();
    await server?.dispose();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  const diagnostics = (): string => fleet?.diagnostics() ?? '';

  const createDocument = async (name: string, content: unknown): Promise<void> => {
    await ssm.send(
      new CreateDocumentCommand({
        Name: name,
        DocumentType: 'Command',
        DocumentFormat: 'JSON',
        Content: JSON.stringify(content),
      }),
    );
  };

  const associate = async (
    name: string,
    extra: {
      Parameters?: Record<string, string[]>;
      ScheduleExpression?: string;
      ApplyOnlyAtCronInterval?: boolean;
    } = {},
  ): Promise<string> => {
    const created = await ssm.send(
      new CreateAssociationCommand({
        Name: name,
        Targets: [{ Key: 'InstanceIds', Values: [agent.instanceId] }],
        AssociationName: `${name}-association`,
        ComplianceSeverity: 'HIGH',
        ...extra,
      }),
    );
    return created.AssociationDescription?.AssociationId ?? assert.fail('no association id');
  };

  const nodeStatus = async (associationId: string): Promise<InstanceAssociationStatusInfo | undefined> =>
    (
      await ssm.send(new DescribeInstanceAssociationsStatusCommand({ InstanceId: agent.instanceId }))
    ).InstanceAssociationStatusInfos?.find((s) => s.AssociationId === associationId);

  const finished = async (associationId: string): Promise<InstanceAssociationStatusInfo> => {
    try {
      const status = await eventually(
        () => nodeStatus(associationId),
        (s) => finalStatuses.has(s?.Status ?? ''),
        `association ${associationId} to finish on ${agent.instanceId}`,
        30_000,
      );
      return status ?? assert.fail('no status');
    } catch (error) {
      assert.fail(`${(error as Error).message}\n${diagnostics()}`);
    }
  };

  const associationCompliance = async (associationId: string): Promise<string | undefined> =>
    (
      await ssm.send(
        new ListComplianceItemsCommand({
          ResourceIds: [agent.instanceId],
          ResourceTypes: ['ManagedInstance'],
          Filters: [{ Key: 'ComplianceType', Values: ['Association'], Type: 'EQUAL' }],
        }),
      )
    ).ComplianceItems?.find((item) => item.Id === associationId)?.Status;

  const commandResult = async (documentName: string, parameters?: Record<string, string[]>) => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: documentName,
        InstanceIds: [agent.instanceId],
        ...(parameters === undefined ? {} : { Parameters: parameters }),
      }),
    );
    const commandId = sent.Command?.CommandId ?? assert.fail('no command id');
    try {
      return await eventually(
        (): Promise<GetCommandInvocationCommandOutput> =>
          ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: agent.instanceId })),
        (out) => finalStatuses.has(out.Status ?? ''),
        `command ${commandId} to finish`,
        30_000,
      );
    } catch (error) {
      assert.fail(`${(error as Error).message}\n${diagnostics()}`);
    }
  };

  it('runs a customer schema 2.2 association on create: parameters, preconditions, execution, compliance', async () => {
    const marker = join(scratch, 'greeting');
    await createDocument('Bulwark-Greeting', {
      schemaVersion: '2.2',
      description: 'Writes a greeting in two steps; a Windows step is skipped.',
      parameters: {
        greeting: { type: 'String', default: 'hello', allowedValues: ['hello', 'hi'] },
        target: { type: 'String', default: marker },
      },
      mainSteps: [
        {
          action: 'aws:runShellScript',
          name: 'write',
          precondition: { StringEquals: ['platformType', 'Linux'] },
          inputs: { runCommand: ['echo "{{ greeting }}" > {{ target }}', 'echo wrote'] },
        },
        {
          action: 'aws:runPowerShellScript',
          name: 'windowsOnly',
          precondition: { StringEquals: ['platformType', 'Windows'] },
          inputs: { runCommand: ['Write-Output never'] },
        },
        {
          action: 'aws:runShellScript',
          name: 'append',
          inputs: { runCommand: ['echo world >> {{ target }}'] },
        },
      ],
    });
    const associationId = await associate('Bulwark-Greeting', { Parameters: { greeting: ['hi'] } });
    const status = await finished(associationId);
    assert.equal(status.Status, 'Success', diagnostics());
    assert.equal(
      status.ExecutionSummary,
      '3 out of 3 plugins processed, 2 success, 0 failed, 0 timedout, 1 skipped.',
    );
    assert.equal(status.Name, 'Bulwark-Greeting');
    assert.equal(status.DocumentVersion, '1');
    assert.equal(status.AssociationName, 'Bulwark-Greeting-association');
    assert.equal(readFileSync(marker, 'utf8'), 'hi\nworld\n');

    const executions = await ssm.send(
      new DescribeAssociationExecutionsCommand({ AssociationId: associationId }),
    );
    assert.equal(executions.AssociationExecutions?.length, 1, 'one run on create');
    const execution = executions.AssociationExecutions?.[0];
    assert.equal(execution?.Status, 'Success');
    assert.equal(execution?.ResourceCountByStatus, '{Success=1}');
    const targets = await ssm.send(
      new DescribeAssociationExecutionTargetsCommand({
        AssociationId: associationId,
        ExecutionId: execution?.ExecutionId,
      }),
    );
    assert.deepEqual(
      targets.AssociationExecutionTargets?.map((t) => [t.ResourceId, t.Status]),
      [[agent.instanceId, 'Success']],
    );
    const described = await ssm.send(new DescribeAssociationCommand({ AssociationId: associationId }));
    assert.equal(described.AssociationDescription?.Overview?.Status, 'Success');
    assert.ok(described.AssociationDescription?.LastSuccessfulExecutionDate);
    assert.equal(
      await eventually(
        () => associationCompliance(associationId),
        (s) => s !== undefined,
        'Association compliance',
      ),
      'COMPLIANT',
    );
    // Runs happen once: on create only (no schedule), however often the agent polls.
    await sleep(1500);
    assert.equal(
      (await ssm.send(new DescribeAssociationExecutionsCommand({ AssociationId: associationId })))
        .AssociationExecutions?.length,
      1,
    );
  });

  it('a failing association is Failed, NON_COMPLIANT, and SSM.3 fails for the node', async () => {
    await createDocument('Bulwark-Failing', {
      schemaVersion: '2.2',
      description: 'Fails.',
      mainSteps: [
        { action: 'aws:runShellScript', name: 'fail', inputs: { runCommand: ['echo broken >&2', 'exit 3'] } },
      ],
    });
    const associationId = await associate('Bulwark-Failing');
    const status = await finished(associationId);
    assert.equal(status.Status, 'Failed');
    assert.equal(
      status.ExecutionSummary,
      '1 out of 1 plugin processed, 0 success, 1 failed, 0 timedout, 0 skipped.',
    );
    assert.equal(
      await eventually(
        () => associationCompliance(associationId),
        (s) => s !== undefined,
        'Association compliance',
      ),
      'NON_COMPLIANT',
    );
    const arn = `arn:aws:ssm:${account.region}:${account.accountId}:managed-instance/${agent.instanceId}`;
    const findings = await eventually(
      () =>
        getAllFindings(account.client, {
          ComplianceSecurityControlId: [{ Value: 'SSM.3', Comparison: 'EQUALS' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
          ResourceId: [{ Value: arn, Comparison: 'EQUALS' }],
        }),
      (list) => list.length === 1 && list[0]?.Compliance?.Status === 'FAILED',
      'SSM.3 FAILED on the node',
    );
    assert.equal((findings[0] as AwsSecurityFinding).Compliance?.Status, 'FAILED');
  });

  it('ApplyOnlyAtCronInterval waits for the schedule; StartAssociationsOnce runs it now, once', async () => {
    const counter = join(scratch, 'cron-runs');
    await createDocument('Bulwark-Counter', {
      schemaVersion: '2.2',
      description: 'Counts its runs.',
      parameters: { file: { type: 'String' } },
      mainSteps: [
        { action: 'aws:runShellScript', name: 'count', inputs: { runCommand: ['echo run >> {{ file }}'] } },
      ],
    });
    const associationId = await associate('Bulwark-Counter', {
      Parameters: { file: [counter] },
      ScheduleExpression: 'cron(0 2 ? * SUN *)',
      ApplyOnlyAtCronInterval: true,
    });
    await sleep(2000);
    assert.equal(await nodeStatus(associationId), undefined, 'not run before its schedule');
    assert.equal(existsSync(counter), false);
    await ssm.send(new StartAssociationsOnceCommand({ AssociationIds: [associationId] }));
    assert.equal((await finished(associationId)).Status, 'Success');
    await sleep(1500);
    assert.equal(readFileSync(counter, 'utf8'), 'run\n', 'ran exactly once');
    const described = await ssm.send(new DescribeAssociationCommand({ AssociationId: associationId }));
    assert.equal(described.AssociationDescription?.ApplyOnlyAtCronInterval, true);
  });

  it('runs aws:runDocument and aws:downloadContent from hub documents through Run Command', async () => {
    await createDocument('Bulwark-Inner', {
      schemaVersion: '2.2',
      description: 'Says what it is given.',
      parameters: { message: { type: 'String', default: 'inner default' } },
      mainSteps: [
        {
          action: 'aws:runShellScript',
          name: 'say',
          inputs: { runCommand: ['echo "inner: {{ message }}"'] },
        },
      ],
    });
    await createDocument('Bulwark-Outer', {
      schemaVersion: '2.2',
      description: 'Runs the inner document twice: from the hub, and from a downloaded file.',
      mainSteps: [
        {
          action: 'aws:runDocument',
          name: 'fromHub',
          inputs: {
            documentType: 'SSMDocument',
            documentPath: 'Bulwark-Inner',
            documentParameters: { message: 'nested' },
          },
        },
        {
          action: 'aws:downloadContent',
          name: 'download',
          inputs: {
            sourceType: 'SSMDocument',
            sourceInfo: '{"name": "Bulwark-Inner"}',
            destinationPath: 'fetched',
          },
        },
        {
          action: 'aws:runShellScript',
          name: 'inspect',
          inputs: { runCommand: ['grep -c schemaVersion fetched/Bulwark-Inner.json'] },
        },
        {
          action: 'aws:runDocument',
          name: 'fromFile',
          inputs: { documentType: 'LocalPath', documentPath: 'fetched/Bulwark-Inner.json' },
        },
      ],
    });
    const out = await commandResult('Bulwark-Outer');
    assert.equal(out.Status, 'Success', `${out.StandardErrorContent}\n${diagnostics()}`);
    assert.match(out.StandardOutputContent ?? '', /inner: nested\n/);
    assert.match(out.StandardOutputContent ?? '', /Content downloaded to .*fetched\/Bulwark-Inner\.json/);
    assert.match(out.StandardOutputContent ?? '', /\n1\n/);
    assert.match(out.StandardOutputContent ?? '', /inner: inner default\n/);
    // Each step's outcome, as AWS shows plugins.
    const listed = await ssm.send(
      new ListCommandInvocationsCommand({ CommandId: out.CommandId, Details: true }),
    );
    assert.deepEqual(
      listed.CommandInvocations?.[0]?.CommandPlugins?.map((p) => [p.Name, p.Status, p.ResponseCode]),
      [
        ['fromHub', 'Success', 0],
        ['download', 'Success', 0],
        ['inspect', 'Success', 0],
        ['fromFile', 'Success', 0],
      ],
    );
    assert.equal(listed.CommandInvocations?.[0]?.CommandPlugins?.[0]?.Output, 'inner: nested\n');
    const inspect = await ssm.send(
      new GetCommandInvocationCommand({
        CommandId: out.CommandId,
        InstanceId: agent.instanceId,
        PluginName: 'inspect',
      }),
    );
    assert.equal(inspect.PluginName, 'inspect');
    assert.equal(inspect.StandardOutputContent, '1\n');
  });

  it('a plugin the agent does not run fails its step with a clear error; the other steps still run', async () => {
    await createDocument('Bulwark-Mixed', {
      schemaVersion: '2.2',
      description: 'A PowerShell step without a platform precondition.',
      mainSteps: [
        { action: 'aws:runPowerShellScript', name: 'powershell', inputs: { runCommand: ['Get-Date'] } },
        { action: 'aws:runShellScript', name: 'shell', inputs: { runCommand: ['echo still ran'] } },
      ],
    });
    const out = await commandResult('Bulwark-Mixed');
    assert.equal(out.Status, 'Failed');
    assert.match(
      out.StandardErrorContent ?? '',
      /Step powershell: plugin aws:runPowerShellScript is not supported by this agent on Linux/,
    );
    assert.match(out.StandardOutputContent ?? '', /still ran/);
    const step = await ssm.send(
      new GetCommandInvocationCommand({
        CommandId: out.CommandId,
        InstanceId: agent.instanceId,
        PluginName: 'powershell',
      }),
    );
    assert.equal(step.Status, 'Failed');
    assert.equal(step.StandardOutputContent, '');
    assert.match(step.StandardErrorContent ?? '', /plugin aws:runPowerShellScript is not supported/);
    await assert.rejects(
      ssm.send(
        new GetCommandInvocationCommand({
          CommandId: out.CommandId,
          InstanceId: agent.instanceId,
          PluginName: 'aws:runShellScript',
        }),
      ),
      (error: Error) => error.name === 'InvalidPluginName',
    );

    const associationId = await associate('Bulwark-Mixed');
    const status = await finished(associationId);
    assert.equal(status.Status, 'Failed');
    assert.equal(
      status.ExecutionSummary,
      '2 out of 2 plugins processed, 1 success, 1 failed, 0 timedout, 0 skipped.',
    );
  });
});
