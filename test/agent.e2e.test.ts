/**
 * The host agent end to end: `bulwark agent register` + `bulwark agent run` as child processes against the
 * real server; heartbeat and real dpkg inventory; the hub stopped mid-run, reports spooled, the agent
 * restarted while spooling, and the spooled report delivered once the hub is back (exactly once).
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  CreateActivationCommand,
  DeregisterManagedInstanceCommand,
  DescribeInstanceInformationCommand,
  ListInventoryEntriesCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { HubClient, type AgentIdentity } from '../src/agent/hub-client.js';
import { bulwarkBin, repoRoot, startServer, type RunningServer } from './support/server-harness.js';

const run = promisify(execFile);
const hasDpkg = existsSync('/usr/bin/dpkg-query');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(200);
  }
  throw new Error(
    `timed out waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}

interface AgentProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startAgent(stateDir: string, extraEnv: Record<string, string> = {}): AgentProcess {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('BULWARK_')) env[key] = value;
  const child = spawn(process.execPath, [bulwarkBin, 'agent', 'run', '--state-dir', stateDir], {
    cwd: repoRoot,
    env: {
      ...env,
      BULWARK_AGENT_HEARTBEAT_SECONDS: '1',
      BULWARK_AGENT_INVENTORY_SECONDS: '1',
      BULWARK_AGENT_POLL_SECONDS: '1',
      BULWARK_AGENT_BACKOFF_BASE_SECONDS: '0.1',
      BULWARK_AGENT_BACKOFF_CAP_SECONDS: '0.5',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function stopAgent(agent: AgentProcess): Promise<number | null> {
  if (agent.child.exitCode !== null) return agent.child.exitCode;
  agent.child.kill('SIGTERM');
  return agent.exited;
}

describe('bulwark agent (e2e)', { skip: !hasDpkg && 'needs dpkg-query' }, () => {
  let server: RunningServer;
  let ssm: SSMClient;
  let stateDir: string;
  const agents: AgentProcess[] = [];

  before(async () => {
    const port = await freePort();
    server = await startServer({ args: ['--port', String(port)] });
    ssm = new SSMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    });
    stateDir = mkdtempSync(join(tmpdir(), 'bulwark-agent-e2e-'));
  });

  after(async () => {
    for (const agent of agents) await stopAgent(agent);
    ssm.destroy();
    await server.dispose();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('registers, reports, spools while the hub is down and delivers exactly once when it returns', async () => {
    const activation = await ssm.send(
      new CreateActivationCommand({ IamRole: 'SSMServiceRole', RegistrationLimit: 1 }),
    );
    const registered = await run(
      process.execPath,
      [
        bulwarkBin,
        'agent',
        'register',
        '--hub',
        server.endpoint,
        '--activation-id',
        activation.ActivationId ?? '',
        '--activation-code',
        activation.ActivationCode ?? '',
        '--state-dir',
        stateDir,
        '--name',
        'e2e-agent',
      ],
      { cwd: repoRoot },
    );
    assert.match(registered.stdout, /registered as mi-[0-9a-f]{17}/);
    const identityFile = join(stateDir, 'identity.json');
    assert.equal(statSync(identityFile).mode & 0o777, 0o600);
    const identity = JSON.parse(readFileSync(identityFile, 'utf8')) as AgentIdentity;

    let agent = startAgent(stateDir);
    agents.push(agent);

    // Heartbeat: Online with this machine's platform.
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    const platformName = /^NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1];
    const info = await waitFor('the instance Online', async () => {
      const answer = await ssm.send(new DescribeInstanceInformationCommand({}));
      const found = answer.InstanceInformationList?.find((item) => item.InstanceId === identity.instanceId);
      return found?.PingStatus === 'Online' && found.PlatformName !== undefined ? found : undefined;
    });
    assert.equal(info.PlatformType, 'Linux');
    assert.equal(info.PlatformName, platformName);
    assert.match(info.AgentVersion ?? '', /^\d+\.\d+\.\d+$/);

    // Inventory: the real dpkg database of this machine.
    const dpkg = await waitFor('dpkg in AWS:Application', async () => {
      const answer = await ssm.send(
        new ListInventoryEntriesCommand({
          InstanceId: identity.instanceId,
          TypeName: 'AWS:Application',
          Filters: [{ Key: 'Name', Values: ['dpkg'], Type: 'Equal' }],
        }),
      );
      return answer.Entries?.length === 1 ? answer.Entries[0] : undefined;
    });
    assert.equal(dpkg?.['ApplicationType'], 'dpkg');
    assert.match(dpkg?.['Version'] ?? '', /^\d/);
    const network = await ssm.send(
      new ListInventoryEntriesCommand({ InstanceId: identity.instanceId, TypeName: 'AWS:Network' }),
    );
    assert.ok((network.Entries ?? []).length >= 0);

    // The hub goes away; a new report (a custom inventory change) must wait in the spool.
    await server.stop();
    const marker = `marker-${Date.now()}`;
    const customDir = join(stateDir, 'inventory', 'custom');
    mkdirSync(customDir, { recursive: true });
    writeFileSync(
      join(customDir, 'rack.json'),
      JSON.stringify({ SchemaVersion: '1.0', TypeName: 'Custom:RackInfo', Content: { Marker: marker } }),
    );
    const spoolDir = join(stateDir, 'spool');
    const spooledFile = await waitFor('the report spooled', () => {
      for (const name of readdirSync(spoolDir)) {
        if (name.endsWith('.json') && readFileSync(join(spoolDir, name), 'utf8').includes(marker))
          return name;
      }
      return undefined;
    });
    const spooled = JSON.parse(readFileSync(join(spoolDir, spooledFile), 'utf8')) as {
      reportId: string;
      body: Record<string, unknown>;
    };
    assert.equal(statSync(join(spoolDir, spooledFile)).mode & 0o777, 0o600);

    // Restart the agent while reports are spooled: they stay on disk and are picked up again.
    assert.equal(await stopAgent(agent), 0, agent.output());
    assert.ok(
      readdirSync(spoolDir).some((name) => readFileSync(join(spoolDir, name), 'utf8').includes(marker)),
      'the spooled report survives the agent restart',
    );
    agent = startAgent(stateDir);
    agents.push(agent);
    await waitFor('the restarted agent to retry', () =>
      /failed \(attempt \d+\)/.test(agent.output()) ? true : undefined,
    );

    // The hub returns (same port): the spooled report arrives, and the spool drains.
    await server.restart();
    const delivered = await waitFor('the spooled report on the hub', async () => {
      const answer = await ssm.send(
        new ListInventoryEntriesCommand({ InstanceId: identity.instanceId, TypeName: 'Custom:RackInfo' }),
      );
      return answer.Entries?.[0]?.['Marker'] === marker ? answer : undefined;
    });
    assert.equal(delivered.Entries?.length, 1);
    await waitFor('the spool drained', () =>
      readdirSync(spoolDir).filter((name) => name.endsWith('.json')).length === 0 ? true : undefined,
    );

    // Exactly once: delivering the very same spooled report again (as after a lost acknowledgement) changes nothing.
    const client = new HubClient({ ...identity, hub: server.endpoint });
    const again = await client.call<{ Message: string }>('AmazonSSM.PutInventory', spooled.body);
    assert.match(again.Message, /^0 item\(s\) updated/);
    const after = await ssm.send(
      new ListInventoryEntriesCommand({ InstanceId: identity.instanceId, TypeName: 'Custom:RackInfo' }),
    );
    assert.deepEqual(after.Entries, delivered.Entries);

    // Graceful stop.
    assert.equal(await stopAgent(agent), 0, agent.output());
  });
  /** Registers a fresh agent state directory through its own activation; returns the instance id. */
  async function registerAgent(dir: string, name: string): Promise<string> {
    const activation = await ssm.send(
      new CreateActivationCommand({ IamRole: 'SSMServiceRole', RegistrationLimit: 1 }),
    );
    const registered = await run(
      process.execPath,
      [
        bulwarkBin,
        'agent',
        'register',
        '--hub',
        server.endpoint,
        '--activation-id',
        activation.ActivationId ?? '',
        '--activation-code',
        activation.ActivationCode ?? '',
        '--state-dir',
        dir,
        '--name',
        name,
      ],
      { cwd: repoRoot },
    );
    return /registered as (mi-[0-9a-f]{17})/.exec(registered.stdout)?.[1] ?? assert.fail(registered.stdout);
  }

  it('moves reports the hub rejects to rejected/ with the error, and delivers the ones behind them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-agent-rejected-'));
    try {
      const instanceId = await registerAgent(dir, 'e2e-rejected');
      const other = await registerAgent(join(dir, 'other'), 'e2e-other');
      // Two reports the hub will never take, ahead of everything the agent reports itself: an invalid
      // inventory type, and an inventory for another instance (AccessDenied while this key is fine).
      const spoolDir = join(dir, 'spool');
      mkdirSync(spoolDir, { recursive: true, mode: 0o700 });
      const spoolFile = (sequence: number, reportId: string, body: Record<string, unknown>) =>
        writeFileSync(
          join(spoolDir, `${String(sequence).padStart(16, '0')}-replayed-${reportId}.json`),
          JSON.stringify({
            reportId,
            kind: 'replayed',
            target: 'AmazonSSM.PutInventory',
            body,
            createdAt: new Date().toISOString(),
          }),
          { mode: 0o600 },
        );
      const item = (typeName: string) => ({
        TypeName: typeName,
        SchemaVersion: '1.0',
        CaptureTime: '2026-01-01T00:00:00Z',
        Content: [{ Marker: 'x' }],
      });
      spoolFile(1, 'badtype', { InstanceId: instanceId, Items: [item('Bogus:Type')] });
      spoolFile(2, 'othernode', { InstanceId: other, Items: [item('Custom:Stolen')] });
      const marker = `delivered-${Date.now()}`;
      mkdirSync(join(dir, 'inventory', 'custom'), { recursive: true });
      writeFileSync(
        join(dir, 'inventory', 'custom', 'rack.json'),
        JSON.stringify({ SchemaVersion: '1.0', TypeName: 'Custom:RackInfo', Content: { Marker: marker } }),
      );

      const agent = startAgent(dir);
      agents.push(agent);
      await waitFor('the report behind the rejected ones on the hub', async () => {
        const answer = await ssm.send(
          new ListInventoryEntriesCommand({ InstanceId: instanceId, TypeName: 'Custom:RackInfo' }),
        );
        return answer.Entries?.[0]?.['Marker'] === marker ? true : undefined;
      });
      await waitFor('the spool drained', () =>
        readdirSync(spoolDir).filter((name) => name.endsWith('.json')).length === 0 ? true : undefined,
      );
      // The hub took nothing for the other instance.
      const stolen = await ssm.send(
        new ListInventoryEntriesCommand({ InstanceId: other, TypeName: 'Custom:Stolen' }),
      );
      assert.deepEqual(stolen.Entries ?? [], [], agent.output());
      const rejectedDir = join(dir, 'rejected');
      const rejected = readdirSync(rejectedDir)
        .sort()
        .map(
          (name) =>
            JSON.parse(readFileSync(join(rejectedDir, name), 'utf8')) as { reportId: string; error: string },
        );
      assert.deepEqual(
        rejected.map((report) => report.reportId),
        ['badtype', 'othernode'],
        agent.output(),
      );
      assert.match(rejected[0]?.error ?? '', /TypeName|Bogus/);
      assert.match(rejected[1]?.error ?? '', /AccessDenied/);
      assert.match(agent.output(), /report badtype \(replayed\) was rejected by the hub .*moved to /);
      assert.equal(await stopAgent(agent), 0, agent.output());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops with a clear message and exit 78 once the instance is deregistered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-agent-deregistered-'));
    try {
      const instanceId = await registerAgent(dir, 'e2e-deregistered');
      const agent = startAgent(dir, { BULWARK_AGENT_CREDENTIAL_GRACE_SECONDS: '2' });
      agents.push(agent);
      await waitFor('the instance Online', async () => {
        const answer = await ssm.send(new DescribeInstanceInformationCommand({}));
        const found = answer.InstanceInformationList?.find((info) => info.InstanceId === instanceId);
        return found?.PingStatus === 'Online' ? true : undefined;
      });
      await ssm.send(new DeregisterManagedInstanceCommand({ InstanceId: instanceId }));
      const code = await Promise.race([agent.exited, sleep(30_000).then(() => 'still running' as const)]);
      assert.equal(code, 78, agent.output());
      assert.match(
        agent.output(),
        new RegExp(
          `the hub refuses instance ${instanceId}'s key .*deregistered or its key retired.*agent register --force`,
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
