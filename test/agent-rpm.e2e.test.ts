/**
 * E2E: the agent's rpm/dnf path with the real tools, not fixtures. rpmbuild builds small packages (old and new
 * versions, a security advisory in updateinfo.xml) into a repository served over HTTP; the old ones go into a
 * scratch rpm root; `bulwark agent scan --once --root <root>` refreshes the metadata (`dnf makecache`), scans
 * (`rpm -qa`, updateinfo) and installs (`dnf upgrade`) there, and reports to a real hub. The rpm path runs on
 * this Debian host with Debian's rpm, createrepo-c and dnf packages (see missingRpmTools).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  DescribeInstancePatchesCommand,
  DescribeInstancePatchStatesCommand,
  SSMClient,
  type PatchComplianceData,
} from '@aws-sdk/client-ssm';
import { saveIdentity } from '../src/agent/identity-store.js';
import { collectInventory } from '../src/agent/inventory-collector.js';
import {
  buildRpms,
  createRepository,
  createRpmRoot,
  installedRpms,
  missingRpmTools,
  setRepositoryUrl,
} from './support/rpm-repo.js';
import { registerNode, type ManagedNode } from './support/ssm.js';
import { onlyOn } from './support/engine-only.js';
import { bulwarkBin, repoRoot, startServer, type RunningServer } from './support/server-harness.js';

const run = promisify(execFile);
const missing = missingRpmTools();
const stateOf = (patch: PatchComplianceData | undefined): string | undefined =>
  patch?.State === undefined ? undefined : `${patch.State}`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Serves `dir` over HTTP; `beforeRepomd` runs (and is awaited) before each repomd.xml answer. */
async function serveRepository(
  dir: string,
  hooks: { beforeRepomd?: (() => Promise<void>) | undefined },
): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const file = path.join(dir, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    void (async () => {
      if (file.endsWith('repomd.xml') && hooks.beforeRepomd !== undefined) await hooks.beforeRepomd();
      const info = await stat(file).catch(() => undefined);
      if (info === undefined || !info.isFile() || !file.startsWith(dir)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-length': info.size });
      createReadStream(file).pipe(response);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}/` };
}

describe(
  'agent rpm/dnf path on a scratch rpm root (e2e)',
  {
    skip:
      missing.length > 0
        ? `needs ${missing.join(', ')} (apt-get install rpm createrepo-c dnf)`
        : // What this tests happens in the agent (rpm and dnf in a scratch root); the hub's side of its
          // registration and reports is the Debian agent's, which the agent e2e tests run on both engines.
          onlyOn('sqlite', 'the agent’s rpm/dnf work does not touch the hub database').skip,
  },
  () => {
    let server: RunningServer;
    let admin: SSMClient;
    let work: string;
    let root: string;
    let repo: { server: Server; url: string };
    const hooks: { beforeRepomd?: (() => Promise<void>) | undefined } = {};

    before(async () => {
      server = await startServer({ args: ['--port', String(await freePort())] });
      const key = await server.createKey();
      admin = new SSMClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
        maxAttempts: 1,
      });
      work = await mkdtemp(path.join(tmpdir(), 'bulwark-agent-rpm-'));
      const rpms = await buildRpms(work, [
        { name: 'widget', version: '1.0' },
        { name: 'widget', version: '1.1' },
        { name: 'gadget', version: '2.0' },
        { name: 'gadget', version: '2.1' },
      ]);
      const file = (id: string): string => rpms.get(id) ?? assert.fail(`no ${id}`);
      await createRepository(
        path.join(work, 'repo'),
        [...rpms.values()],
        [
          {
            id: 'BULWARK-2026:0001',
            type: 'security',
            severity: 'Important',
            title: 'Important: widget security update',
            issued: '2026-01-05 00:00:00',
            cves: ['CVE-2026-1111', 'CVE-2026-2222'],
            packages: [{ name: 'widget', version: '1.1' }],
          },
          {
            id: 'BULWARK-2026:0002',
            type: 'enhancement',
            severity: 'None',
            title: 'gadget enhancement',
            issued: '2026-01-05 00:00:00',
            cves: [],
            packages: [{ name: 'gadget', version: '2.1' }],
          },
        ],
      );
      repo = await serveRepository(path.join(work, 'repo'), hooks);
      root = path.join(work, 'root');
      await createRpmRoot(root, [file('widget-1.0'), file('gadget-2.0')], repo.url);
    });
    after(async () => {
      admin?.destroy();
      await server?.dispose();
      await new Promise((resolve) => repo?.server.close(resolve));
      if (work !== undefined) await rm(work, { recursive: true, force: true });
    });

    /** A managed node that told the hub it runs RHEL 9, with its identity in a fresh state directory. */
    async function rhelNode(name: string): Promise<{ node: ManagedNode; stateDir: string }> {
      const node = await registerNode(server, admin, name);
      await node.call('UpdateInstanceInformation', {
        InstanceId: node.instanceId,
        AgentName: 'bulwark-agent',
        AgentVersion: '1.0.0',
        PlatformType: 'Linux',
        PlatformName: 'Red Hat Enterprise Linux',
        PlatformVersion: '9.3',
      });
      const stateDir = path.join(work, `state-${name}`);
      await saveIdentity(stateDir, {
        hub: server.endpoint,
        region: 'us-east-1',
        instanceId: node.instanceId,
        accessKeyId: node.key.accessKeyId,
        secretAccessKey: node.key.secretAccessKey,
      });
      return { node, stateDir };
    }

    async function agent(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      try {
        const { stdout, stderr } = await run(process.execPath, [bulwarkBin, 'agent', ...args], {
          cwd: repoRoot,
          maxBuffer: 64 * 1024 * 1024,
          timeout: 5 * 60_000,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
      }
    }

    async function patchesOf(instanceId: string): Promise<PatchComplianceData[]> {
      const page = await admin.send(
        new DescribeInstancePatchesCommand({ InstanceId: instanceId, MaxResults: 100 }),
      );
      return page.Patches ?? [];
    }

    it('inventory reads the root with rpm -qa', async () => {
      const items = await collectInventory({ root });
      const applications = items.find((item) => item.TypeName === 'AWS:Application');
      assert.deepEqual(
        applications?.Content.map((entry) => [
          entry['Name'],
          entry['Version'],
          entry['Release'],
          entry['Architecture'],
          entry['ApplicationType'],
          entry['Publisher'],
          entry['PackageId'],
        ]),
        [
          ['gadget', '2.0', '1', 'noarch', 'rpm', 'Bulwark tests', 'gadget-2.0-1.noarch.rpm'],
          ['widget', '1.0', '1', 'noarch', 'rpm', 'Bulwark tests', 'widget-1.0-1.noarch.rpm'],
        ],
      );
      assert.ok(
        applications?.Content.every((entry) => /^\d{4}-\d\d-\d\dT/.test(entry['InstalledTime'] ?? '')),
      );
    });

    it('Scan refreshes the dnf metadata and reports the security update as Missing', async () => {
      assert.equal(existsSync(path.join(root, 'var/cache/dnf')), false); // no metadata yet: it must be fetched
      const { node, stateDir } = await rhelNode('rpm-scan');
      const scan = await agent(['scan', '--once', '--json', '--state-dir', stateDir, '--root', root]);
      assert.equal(scan.code, 0, scan.stderr);
      const result = JSON.parse(scan.stdout) as { exitCode: number; summary: Record<string, unknown> };
      assert.equal(result.summary['MissingCount'], 1);
      assert.equal(result.summary['SecurityNonCompliantCount'], 1);

      const patches = await patchesOf(node.instanceId);
      const widget = patches.find((patch) => patch.KBId === 'widget.noarch');
      assert.equal(stateOf(widget), 'Missing');
      assert.equal(widget?.Title, 'widget.noarch:0:1.1-1');
      assert.equal(widget?.Classification, 'Security');
      assert.equal(widget?.Severity, 'Important');
      assert.deepEqual(widget?.CVEIds?.split(',').sort(), ['CVE-2026-1111', 'CVE-2026-2222']);
      assert.equal(stateOf(patches.find((patch) => patch.KBId === 'gadget.noarch')), 'InstalledOther');
      const states = await admin.send(
        new DescribeInstancePatchStatesCommand({ InstanceIds: [node.instanceId] }),
      );
      assert.equal(states.InstancePatchStates?.[0]?.Operation, 'Scan');
      assert.equal(states.InstancePatchStates?.[0]?.MissingCount, 1);
      assert.match(states.InstancePatchStates?.[0]?.BaselineId ?? '', /patchbaseline\/pb-/);
    });

    it('Install upgrades with dnf in the root and reports Installed', async () => {
      const { node, stateDir } = await rhelNode('rpm-install');
      const install = await agent([
        'scan',
        '--once',
        '--json',
        '--state-dir',
        stateDir,
        '--root',
        root,
        '--operation',
        'Install',
        '--reboot-option',
        'NoReboot',
      ]);
      assert.equal(install.code, 0, install.stderr);
      assert.deepEqual(await installedRpms(root), ['gadget-2.0-1', 'widget-1.1-1']);
      const patches = await patchesOf(node.instanceId);
      const widget = patches.find((patch) => patch.KBId === 'widget.noarch');
      assert.equal(stateOf(widget), 'Installed');
      assert.equal(widget?.Title, 'widget.noarch:0:1.1-1');
      assert.ok((widget?.InstalledTime?.getTime() ?? 0) > 0);
      const states = await admin.send(
        new DescribeInstancePatchStatesCommand({ InstanceIds: [node.instanceId] }),
      );
      assert.equal(states.InstancePatchStates?.[0]?.Operation, 'Install');
      assert.equal(states.InstancePatchStates?.[0]?.MissingCount, 0);
      assert.equal(states.InstancePatchStates?.[0]?.InstalledCount, 1);
    });

    it('a repository that cannot be reached fails the Scan and reports no compliance', async () => {
      const { node, stateDir } = await rhelNode('rpm-unreachable');
      await setRepositoryUrl(root, `http://127.0.0.1:${await freePort()}/`);
      try {
        const scan = await agent(['scan', '--once', '--state-dir', stateDir, '--root', root]);
        assert.equal(scan.code, 1, scan.stdout);
        assert.match(scan.stdout, /dnf makecache exited 1: the package metadata could not be refreshed/);
        const states = await admin.send(
          new DescribeInstancePatchStatesCommand({ InstanceIds: [node.instanceId] }),
        );
        assert.deepEqual(states.InstancePatchStates ?? [], []);
      } finally {
        await setRepositoryUrl(root, repo.url);
      }
    });

    it('the end-of-scan report waits in the spool through a hub outage and is delivered later', async () => {
      const { node, stateDir } = await rhelNode('rpm-outage');
      // The hub goes down while the agent refreshes its metadata: after the snapshot, before the report.
      hooks.beforeRepomd = async () => {
        hooks.beforeRepomd = undefined;
        await server.stop();
      };
      const scan = await agent([
        'scan',
        '--once',
        '--json',
        '--state-dir',
        stateDir,
        '--root',
        root,
        '--snapshot-id',
        '6f1c3a52-1d2e-4b7a-9c1e-2f3a4b5c6d7e',
      ]);
      assert.equal(scan.code, 149, scan.stderr);
      assert.match(scan.stderr, /the report is spooled in .*spool and goes to the hub/);
      const spoolDir = path.join(stateDir, 'spool');
      const spooled = readdirSync(spoolDir).filter((name) => name.endsWith('.json'));
      assert.equal(spooled.length, 1);
      assert.match(spooled[0] ?? '', /-patch-report-/);
      assert.match(readFileSync(path.join(spoolDir, spooled[0] ?? ''), 'utf8'), /AWS:PatchSummary/);

      await server.restart();
      const delivered = await agent(['run', '--once', '--state-dir', stateDir]);
      assert.equal(delivered.code, 0, delivered.stderr);
      assert.deepEqual(
        readdirSync(spoolDir).filter((name) => name.endsWith('.json')),
        [],
      );
      const states = await admin.send(
        new DescribeInstancePatchStatesCommand({ InstanceIds: [node.instanceId] }),
      );
      assert.equal(states.InstancePatchStates?.[0]?.SnapshotId, '6f1c3a52-1d2e-4b7a-9c1e-2f3a4b5c6d7e');
      assert.equal(states.InstancePatchStates?.[0]?.Operation, 'Scan');
    });
  },
);
