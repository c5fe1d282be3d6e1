/**
 * E2E: `bulwark agent scan --once` on this host's real root (Scan only: nothing is installed here) must report
 * the security updates apt sees; an Install runs only inside a debootstrap chroot of the distribution
 * (/var/tmp/bulwark-chroot-<release>, built once by scripts/build-debian-chroot.sh). Tests that change apt's
 * sources or lists work on a copy of that chroot, which other tests share.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  DescribeInstancePatchesCommand,
  DescribeInstancePatchStatesCommand,
  ListComplianceItemsCommand,
  SSMClient,
  type PatchComplianceData,
} from '@aws-sdk/client-ssm';
import { EnableSecurityHubCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { saveIdentity } from '../src/agent/identity-store.js';
import { getAllFindings } from './support/accounts.js';
import { eventually, registerNode as registerManagedNode } from './support/ssm.js';
import { bulwarkBin, repoRoot } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { onlyOn } from './support/engine-only.js';

const run = promisify(execFile);
/** The wire's CamelCase state (the SDK types it as the UPPER_SNAKE model enum). */
const stateOf = (patch: PatchComplianceData | undefined): string | undefined =>
  patch?.State === undefined ? undefined : `${patch.State}`;
const isDebian = existsSync('/var/lib/dpkg/status') && existsSync('/usr/bin/apt-get');
const isRoot = process.getuid?.() === 0;
const release = 'bookworm';
const chrootDir = process.env['BULWARK_TEST_CHROOT_DIR'] ?? `/var/tmp/bulwark-chroot-${release}`;
const chrootWanted =
  process.env['BULWARK_TEST_CHROOT'] === '1' || existsSync(path.join(chrootDir, '.bulwark-ready'));
const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

/** Security updates as apt itself sees them: `apt list --upgradable` lines from a -security suite, plus packages
 * whose candidate comes from a point release while a newer-than-installed version sits in the security archive. */
async function aptSecurityUpdates(): Promise<Set<string>> {
  const { stdout } = await run('apt', ['list', '--upgradable'], { maxBuffer: 64 * 1024 * 1024 });
  const expected = new Set<string>();
  const others: string[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^([^/\s]+)\/(\S+) /.exec(line);
    if (match === null || match[1] === undefined) continue;
    if (/-security/.test(match[2] ?? '')) expected.add(match[1]);
    else others.push(match[1]);
  }
  if (others.length > 0) {
    const policy = await run('apt-cache', ['policy', ...others], { maxBuffer: 64 * 1024 * 1024 });
    let current: string | undefined;
    let aboveInstalled = false;
    for (const line of policy.stdout.split('\n')) {
      const header = /^(\S+):$/.exec(line);
      if (header !== null) {
        current = header[1];
        aboveInstalled = false;
        continue;
      }
      if (line.includes('Version table:')) aboveInstalled = true;
      else if (line.startsWith(' *** ')) aboveInstalled = false;
      else if (aboveInstalled && current !== undefined && /-security\//.test(line)) expected.add(current);
    }
  }
  return expected;
}

describe('agent patch scan (e2e)', () => {
  let server: InProcessServer;
  let admin: SSMClient;
  let hub: SecurityHubClient;
  let accountId: string;
  let work: string;

  before(async () => {
    server = await startInProcessServer();
    const key = await server.createKey();
    accountId = key.accountId;
    hub = server.client('us-east-1', key);
    await hub.send(new EnableSecurityHubCommand({}));
    admin = new SSMClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      maxAttempts: 1,
    });
    work = await mkdtemp(path.join(tmpdir(), 'bulwark-agent-patch-'));
  });
  after(async () => {
    admin?.destroy();
    hub?.destroy();
    await server?.dispose();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  /** Registers a Debian 12 node and stores its identity in a fresh state directory. */
  async function registerNode(name: string): Promise<{ instanceId: string; stateDir: string }> {
    const node = await registerManagedNode(server, admin, name);
    const stateDir = path.join(work, name);
    await saveIdentity(stateDir, {
      hub: server.endpoint,
      region: 'us-east-1',
      instanceId: node.instanceId,
      accessKeyId: node.key.accessKeyId,
      secretAccessKey: node.key.secretAccessKey,
    });
    return { instanceId: node.instanceId, stateDir };
  }

  async function agentScan(
    args: string[],
  ): Promise<{ exitCode: number; summary: Record<string, number | string> }> {
    try {
      const { stdout } = await run(
        process.execPath,
        [bulwarkBin, 'agent', 'scan', '--once', '--json', ...args],
        {
          cwd: repoRoot,
          maxBuffer: 64 * 1024 * 1024,
          timeout: 15 * 60_000,
        },
      );
      return JSON.parse(stdout) as { exitCode: number; summary: Record<string, number | string> };
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      assert.fail(`agent scan failed: ${failed.stderr ?? ''}\n${failed.stdout ?? ''}`);
    }
  }

  async function patchesOf(instanceId: string): Promise<PatchComplianceData[]> {
    const patches: PatchComplianceData[] = [];
    let nextToken: string | undefined;
    do {
      const page = await admin.send(
        new DescribeInstancePatchesCommand({ InstanceId: instanceId, MaxResults: 100, NextToken: nextToken }),
      );
      patches.push(...(page.Patches ?? []));
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return patches;
  }

  /** The node's missing-patch findings in `recordState`, once there are `count` of them. */
  async function patchFindings(instanceId: string, recordState: string, count: number) {
    return eventually(
      () =>
        getAllFindings(hub, {
          GeneratorId: [{ Value: 'bulwark-patch-compliance/missing-patch', Comparison: 'EQUALS' }],
          ResourceId: [
            {
              Value: `arn:aws:ssm:us-east-1:${accountId}:managed-instance/${instanceId}`,
              Comparison: 'EQUALS',
            },
          ],
          RecordState: [{ Value: recordState, Comparison: 'EQUALS' }],
        }),
      (list) => list.length === count,
      `${count} ${recordState} missing-patch findings`,
      // The worker writes them from the report's outbox event; a loaded 2-core machine needs more than 15 s.
      45_000,
    );
  }

  /** The Compliance.Status of the node's SSM.2 control finding, once it is `status`. */
  async function ssm2(instanceId: string, status: string): Promise<void> {
    await eventually(
      () =>
        getAllFindings(hub, {
          ComplianceSecurityControlId: [{ Value: 'SSM.2', Comparison: 'EQUALS' }],
          ResourceId: [
            {
              Value: `arn:aws:ssm:us-east-1:${accountId}:managed-instance/${instanceId}`,
              Comparison: 'EQUALS',
            },
          ],
        }),
      (list) => list.length === 1 && list[0]?.Compliance?.Status === status,
      `SSM.2 ${status}`,
    );
  }

  it(
    'Scan on this host reports exactly the security updates apt sees as Missing',
    { skip: isDebian ? false : 'not a Debian/Ubuntu host', timeout: 10 * 60_000 },
    async () => {
      const { instanceId, stateDir } = await registerNode('scan-host');
      const expected = await aptSecurityUpdates();
      // --no-refresh: the host's own apt lists are read as they are, never updated by a test.
      const result = await agentScan(['--state-dir', stateDir, '--root', '/', '--no-refresh']);
      assert.equal(result.exitCode, 0);

      const patches = await patchesOf(instanceId);
      const missing = patches.filter((patch) => stateOf(patch) === 'Missing');
      const reported = new Set(missing.map((patch) => (patch.KBId ?? '').replace(/\.[^.]+$/, '')));
      assert.deepEqual([...reported].sort(), [...expected].sort());
      for (const patch of missing) {
        assert.match(patch.Title ?? '', /^[^:]+\.[a-z0-9]+:.+$/);
        assert.equal(patch.Classification, 'Security');
        assert.equal(patch.InstalledTime?.getTime(), 0);
      }
      const states = await admin.send(new DescribeInstancePatchStatesCommand({ InstanceIds: [instanceId] }));
      const state = states.InstancePatchStates?.[0];
      assert.equal(state?.Operation, 'Scan');
      assert.equal(state?.MissingCount, expected.size);
      assert.equal(state?.SecurityNonCompliantCount, expected.size);
      assert.equal(state?.InstalledCount, patches.filter((patch) => stateOf(patch) === 'Installed').length);
      assert.equal(
        state?.InstalledOtherCount,
        patches.filter((patch) => stateOf(patch) === 'InstalledOther').length,
      );
      assert.ok((state?.NotApplicableCount ?? 0) > 0);
      assert.equal(
        state?.BaselineId,
        'arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-09a5f8eb62bde80b1',
      );

      const items = await admin.send(
        new ListComplianceItemsCommand({
          ResourceIds: [instanceId],
          ResourceTypes: ['ManagedInstance'],
          Filters: [
            { Key: 'ComplianceType', Values: ['Patch'] },
            { Key: 'Status', Values: ['NON_COMPLIANT'] },
          ],
          MaxResults: 50,
        }),
      );
      assert.ok((items.ComplianceItems ?? []).length > 0 === expected.size > 0);
      for (const item of items.ComplianceItems ?? []) assert.equal(item.Details?.['PatchState'], 'Missing');

      // Security Hub: one finding per missing patch, and SSM.2 failing exactly when something is missing.
      const findings = await patchFindings(instanceId, 'ACTIVE', missing.length);
      assert.deepEqual(
        findings.map((finding) => finding.ProductFields?.['PatchId']).sort(),
        missing.map((patch) => patch.KBId).sort(),
      );
      for (const finding of findings) assert.equal(finding.Compliance?.Status, 'FAILED');
      await ssm2(instanceId, expected.size > 0 ? 'FAILED' : 'PASSED');
    },
  );

  const chrootSkip = {
    skip: !isRoot
      ? 'chroot needs root'
      : !chrootWanted
        ? `no cached chroot at ${chrootDir}: run scripts/build-debian-chroot.sh (or set BULWARK_TEST_CHROOT=1)`
        : false,
    timeout: 30 * 60_000,
  };

  /** Builds the cached chroot when BULWARK_TEST_CHROOT=1 asked for it and it is not there yet. */
  async function ensureChroot(): Promise<void> {
    if (!existsSync(path.join(chrootDir, '.bulwark-ready'))) {
      await run('bash', [path.join(repoRoot, 'scripts/build-debian-chroot.sh'), chrootDir, release], {
        timeout: 25 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
    }
  }

  it(
    `Install in a ${release} chroot brings a package to its security version and reports Installed`,
    chrootSkip,
    async () => {
      await ensureChroot();
      const inChroot = (args: string[]) =>
        run('chroot', [chrootDir, ...args], {
          env: aptEnv,
          maxBuffer: 64 * 1024 * 1024,
          timeout: 10 * 60_000,
        });
      await inChroot(['apt-get', 'update', '-qq']);
      // Versions of jq in the release suite and in the security archive (only the chroot is changed).
      const madison = (await inChroot(['apt-cache', 'madison', 'jq'])).stdout;
      const versionFrom = (suite: RegExp): string | undefined =>
        madison
          .split('\n')
          .map((line) => line.split('|').map((part) => part.trim()))
          .find((parts) => suite.test(parts[2] ?? ''))?.[1];
      const releaseVersion = versionFrom(new RegExp(` ${release}/`));
      const securityVersion = versionFrom(/-security\//);
      if (
        releaseVersion === undefined ||
        securityVersion === undefined ||
        releaseVersion === securityVersion
      ) {
        assert.fail(`jq has no newer security version in ${release}: ${madison}`);
      }
      await inChroot([
        'apt-get',
        'install',
        '-y',
        '-qq',
        '--allow-downgrades',
        `jq=${releaseVersion}`,
        `libjq1=${releaseVersion}`,
      ]);
      const { instanceId, stateDir } = await registerNode('chroot-node');

      const scan = await agentScan(['--state-dir', stateDir, '--root', chrootDir]);
      assert.equal(scan.exitCode, 0);
      const before = await patchesOf(instanceId);
      assert.deepEqual(
        before.filter((patch) => patch.KBId === 'jq.amd64').map((patch) => [stateOf(patch), patch.Title]),
        [['Missing', `jq.amd64:${securityVersion}`]],
      );

      const install = await agentScan([
        '--state-dir',
        stateDir,
        '--root',
        chrootDir,
        '--operation',
        'Install',
        '--reboot-option',
        'NoReboot',
      ]);
      assert.equal(install.exitCode, 0);
      assert.equal(install.summary['MissingCount'], 0);
      assert.equal(install.summary['FailedCount'], 0);
      const installed = (await inChroot(['dpkg-query', '-W', '-f', '${Version}', 'jq', 'libjq1'])).stdout;
      assert.equal(installed, `${securityVersion}${securityVersion}`);

      const after = await patchesOf(instanceId);
      for (const id of ['jq.amd64', 'libjq1.amd64']) {
        const patch = after.find((entry) => entry.KBId === id);
        assert.equal(stateOf(patch), 'Installed', id);
        assert.equal(patch?.Title, `${id}:${securityVersion}`);
        assert.ok((patch?.InstalledTime?.getTime() ?? 0) > 0);
      }
      assert.equal(
        after.filter((patch) => stateOf(patch) === 'Missing' || stateOf(patch) === 'Failed').length,
        0,
      );
      const states = await admin.send(new DescribeInstancePatchStatesCommand({ InstanceIds: [instanceId] }));
      assert.equal(states.InstancePatchStates?.[0]?.Operation, 'Install');
      assert.equal(states.InstancePatchStates?.[0]?.MissingCount, 0);

      // The findings of the scan's missing patches are resolved and archived; SSM.2 passes.
      const missingBefore = before.filter((patch) => stateOf(patch) === 'Missing').length;
      const resolved = await patchFindings(instanceId, 'ARCHIVED', missingBefore);
      const jq = resolved.find((finding) => finding.ProductFields?.['PatchId'] === 'jq.amd64');
      assert.equal(jq?.Compliance?.Status, 'PASSED');
      assert.equal(jq?.Workflow?.Status, 'RESOLVED');
      assert.deepEqual(await patchFindings(instanceId, 'ACTIVE', 0), []);
      await ssm2(instanceId, 'PASSED');
    },
  );
  it(
    `Scan of a ${release} root without package lists refreshes them first and reports what is missing; a failed refresh fails the Scan`,
    {
      ...chrootSkip,
      // What this tests happens in the agent (apt in a root copied from the chroot); the hub's side of a Scan
      // report is the same as in the two tests above, which run on both engines.
      skip:
        chrootSkip.skip ||
        onlyOn('sqlite', 'the agent refreshing apt lists does not touch the hub database').skip,
    },
    async () => {
      await ensureChroot();
      const copy = path.join(await mkdtemp(path.join('/var/tmp', 'bulwark-chroot-copy-')), 'root');
      try {
        await run('cp', ['-a', chrootDir, copy], { timeout: 10 * 60_000 });
        const inCopy = (args: string[]) =>
          run('chroot', [copy, ...args], { env: aptEnv, maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000 });
        await inCopy(['apt-get', 'update', '-qq']);
        const madison = (await inCopy(['apt-cache', 'madison', 'jq'])).stdout;
        const versionFrom = (suite: RegExp): string | undefined =>
          madison
            .split('\n')
            .map((line) => line.split('|').map((part) => part.trim()))
            .find((parts) => suite.test(parts[2] ?? ''))?.[1];
        const releaseVersion = versionFrom(new RegExp(` ${release}/`));
        const securityVersion = versionFrom(/-security\//);
        if (
          releaseVersion === undefined ||
          securityVersion === undefined ||
          releaseVersion === securityVersion
        )
          assert.fail(`jq has no newer security version in ${release}: ${madison}`);
        await inCopy([
          'apt-get',
          'install',
          '-y',
          '-qq',
          '--allow-downgrades',
          `jq=${releaseVersion}`,
          `libjq1=${releaseVersion}`,
        ]);
        const lists = path.join(copy, 'var/lib/apt/lists');
        const clearLists = async (): Promise<void> => {
          for (const name of await readdir(lists))
            if (name !== 'partial' && name !== 'lock') await rm(path.join(lists, name), { recursive: true });
        };

        // Absent lists (a host whose apt-get update never ran): the Scan fetches them, then sees jq missing.
        await clearLists();
        const fresh = await registerNode('lists-absent');
        const scan = await agentScan(['--state-dir', fresh.stateDir, '--root', copy]);
        assert.equal(scan.exitCode, 0);
        const patches = await patchesOf(fresh.instanceId);
        assert.deepEqual(
          patches.filter((patch) => patch.KBId === 'jq.amd64').map((patch) => [stateOf(patch), patch.Title]),
          [['Missing', `jq.amd64:${securityVersion}`]],
        );

        // The repositories cannot be reached and the lists are gone: a failed Scan, and no compliance at all.
        await writeFile(
          path.join(copy, 'etc/apt/sources.list'),
          `deb http://127.0.0.1:9/debian ${release} main\n`,
        );
        await clearLists();
        const offline = await registerNode('lists-unreachable');
        const failed = await run(
          process.execPath,
          [bulwarkBin, 'agent', 'scan', '--once', '--state-dir', offline.stateDir, '--root', copy],
          { cwd: repoRoot, timeout: 10 * 60_000 },
        ).then(
          () => assert.fail('the Scan succeeded without package metadata'),
          (error: { code?: number; stdout?: string }) => error,
        );
        assert.equal(failed.code, 1, failed.stdout);
        assert.match(
          failed.stdout ?? '',
          /apt-get update exited \d+: the package metadata could not be refreshed.*\n.*Failed to fetch/s,
        );
        const states = await admin.send(
          new DescribeInstancePatchStatesCommand({ InstanceIds: [offline.instanceId] }),
        );
        assert.deepEqual(states.InstancePatchStates ?? [], []);
      } finally {
        await rm(path.dirname(copy), { recursive: true, force: true });
      }
    },
  );
});
