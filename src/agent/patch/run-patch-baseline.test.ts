import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { predefinedBaseline, snapshotDocumentOf, snapshotDownloadUrlOf } from '../../patching/index.js';
import { loggingRebooter, rebootRequired, type CommandRunner } from './patch-install.js';
import { refreshFailed } from './patch-run-inputs.js';
import { runPatchBaseline } from './run-patch-baseline.js';

const status = (versions: Record<string, string>): string =>
  Object.entries(versions)
    .map(
      ([name, version]) =>
        `Package: ${name}\nStatus: install ok installed\nPriority: optional\nSection: libs\nArchitecture: amd64\nVersion: ${version}\nDescription: x\n more\n`,
    )
    .join('\n');

/** A fake Debian root: os-release, dpkg status, one release and one security index (plain text). */
async function fakeRoot(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'etc'), { recursive: true });
  await mkdir(path.join(dir, 'var/lib/dpkg/info'), { recursive: true });
  await mkdir(path.join(dir, 'var/lib/apt/lists'), { recursive: true });
  await mkdir(path.join(dir, 'run'), { recursive: true });
  await symlink('/run', path.join(dir, 'var/run')); // as in a real chroot: absolute, must resolve inside the root
  await writeFile(path.join(dir, 'etc/os-release'), 'NAME="Debian GNU/Linux"\nVERSION_ID="12"\n');
  await writeFile(
    path.join(dir, 'var/lib/dpkg/status'),
    status({ dpkg: '1.21.22', jq: '1.6-1', zlib1g: '1.2-1' }),
  );
  const lists = path.join(dir, 'var/lib/apt/lists');
  await writeFile(
    path.join(lists, 'deb.debian.org_debian_dists_bookworm_InRelease'),
    'Origin: Debian\nSuite: stable\nCodename: bookworm\n',
  );
  await writeFile(
    path.join(lists, 'deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages'),
    'Package: jq\nVersion: 1.6-1\nArchitecture: amd64\nSection: utils\nPriority: optional\n\nPackage: zlib1g\nVersion: 1.2-1\nArchitecture: amd64\nPriority: required\nSection: libs\n',
  );
  await writeFile(
    path.join(lists, 'security.debian.org_debian-security_dists_bookworm-security_InRelease'),
    'Origin: Debian\nSuite: stable-security\nCodename: bookworm-security\n',
  );
  await writeFile(
    path.join(
      lists,
      'security.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages',
    ),
    'Package: jq\nVersion: 1.6-1+deb12u1\nArchitecture: amd64\nSection: utils\nPriority: optional\n\nPackage: zlib1g\nVersion: 1.2-1+deb12u1\nArchitecture: amd64\nPriority: required\nSection: libs\n\nPackage: curl\nVersion: 8.0-1+deb12u1\nArchitecture: amd64\nPriority: optional\nSection: web\n',
  );
}

/** A hub that serves the default Debian snapshot and records PutInventory calls. */
function fakeHub() {
  const baseline = predefinedBaseline('us-east-1', 'DEBIAN');
  const calls: { target: string; body: Record<string, unknown> }[] = [];
  const hub = {
    calls,
    identity: {
      hub: 'http://hub',
      region: 'us-east-1',
      instanceId: 'mi-0123456789abcdef0',
      accessKeyId: 'a',
      secretAccessKey: 's',
    },
    call: <T>(target: string, body: object): Promise<T> => {
      calls.push({ target, body: body as Record<string, unknown> });
      if (target === 'GetDeployablePatchSnapshotForInstance') {
        const document = snapshotDocumentOf({
          accountId: '123456789012',
          baselineId: baseline.baselineId,
          name: baseline.name,
          rules: baseline,
          createdAt: new Date(),
          modifiedAt: new Date(),
          patchGroup: '',
          product: 'Debian12',
        });
        return Promise.resolve({
          SnapshotDownloadUrl: snapshotDownloadUrlOf(document),
          Product: 'Debian12',
        } as T);
      }
      return Promise.resolve({} as T);
    },
  };
  return {
    ...hub,
    report: (request: Record<string, unknown>) => hub.call('PutInventory', request).then(() => undefined),
  };
}

/** An "apt-get" that upgrades jq only (zlib1g fails), by rewriting the fake dpkg status. */
function fakeApt(root: string, commands: string[][]): CommandRunner {
  return async (command, args) => {
    commands.push([command, ...args]);
    if (args.includes('install')) {
      await writeFile(
        path.join(root, 'var/lib/dpkg/status'),
        status({ dpkg: '1.21.22', jq: '1.6-1+deb12u1', zlib1g: '1.2-1' }),
      );
      await writeFile(path.join(root, 'run/reboot-required'), '*** System restart required ***\n');
      return { code: 100, stdout: '', stderr: 'E: zlib1g failed' };
    }
    return { code: 0, stdout: '', stderr: '' };
  };
}

describe('runPatchBaseline on a fake root', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'bulwark-patch-root-'));
    await fakeRoot(root);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('Scan reports Missing; Install NoReboot gives InstalledPendingReboot and Failed; the next Scan keeps it pending', async () => {
    const hub = fakeHub();
    const commands: string[][] = [];
    const rebooter = loggingRebooter(() => undefined);
    const stateDir = path.join(root, 'state');
    const deps = {
      hub,
      report: hub.report,
      root,
      now: () => new Date('2026-01-01T00:00:00Z'),
      rebooter,
      stateDir,
      run: fakeApt(root, commands),
    };

    const scan = await runPatchBaseline(
      { Operation: 'Scan', SnapshotId: '11111111-2222-3333-4444-555555555555' },
      deps,
    );
    assert.equal(scan.exitCode, 0, scan.output);
    assert.equal(scan.summary?.MissingCount, 2);
    assert.equal(scan.summary?.NotApplicableCount, 1); // curl
    assert.deepEqual(commands, [['chroot', root, 'apt-get', 'update', '-q']]); // a Scan only refreshes
    assert.equal(await rebootRequired(root), false);

    commands.length = 0;
    const install = await runPatchBaseline({ Operation: 'Install', RebootOption: 'NoReboot' }, deps);
    assert.equal(install.exitCode, 1, install.output); // zlib1g failed
    assert.deepEqual(commands[0]?.slice(0, 3), ['chroot', root, 'apt-get']);
    assert.ok(commands[1]?.includes('jq=1.6-1+deb12u1') && commands[1].includes('zlib1g=1.2-1+deb12u1'));
    const states = Object.fromEntries((install.rows ?? []).map((row) => [row.id, [row.state, row.title]]));
    assert.deepEqual(states['jq.amd64'], ['InstalledPendingReboot', 'jq.amd64:1.6-1+deb12u1']);
    assert.deepEqual(states['zlib1g.amd64'], ['Failed', 'zlib1g.amd64:1.2-1+deb12u1']);
    assert.equal(install.summary?.LastNoRebootInstallOperationTime, '2026-01-01T00:00:00Z');
    assert.deepEqual(rebooter.requests, []);
    const put = hub.calls.filter((call) => call.target === 'PutInventory').at(-1)?.body;
    const items = put?.['Items'] as { TypeName: string; Content: Record<string, string>[] }[];
    assert.equal(items[0]?.Content[0]?.['InstalledPendingRebootCount'], '1');
    assert.equal(items[0]?.Content[0]?.['FailedCount'], '1');
    assert.equal(items[0]?.Content[0]?.['OperationType'], 'Install');

    const again = await runPatchBaseline({ Operation: 'Scan' }, deps);
    assert.equal(again.summary?.InstalledPendingRebootCount, 1);
    assert.match(
      await readFile(path.join(stateDir, 'patch-state.json'), 'utf8'),
      /jq\.amd64:1\.6-1\+deb12u1/,
    );

    // RebootIfNeeded with a pending reboot: the rebooter is asked, bookkeeping cleared, jq reported Installed.
    const reboot = await runPatchBaseline({ Operation: 'Install', RebootOption: 'RebootIfNeeded' }, deps);
    assert.equal(reboot.rebootRequested, true);
    assert.equal(rebooter.requests.length, 1);
    assert.equal(reboot.rows?.find((row) => row.id === 'jq.amd64')?.state, 'Installed');

    // After the reboot (/run emptied) a Scan has nothing pending.
    await rm(path.join(root, 'run/reboot-required'));
    const clean = await runPatchBaseline({ Operation: 'Scan' }, deps);
    assert.equal(clean.summary?.InstalledPendingRebootCount, 0);
  });

  it('rejects BaselineOverride together with InstallOverrideList (exit 167)', async () => {
    const hub = fakeHub();
    const result = await runPatchBaseline(
      { Operation: 'Install', InstallOverrideList: 'data:,x', BaselineOverride: 'data:,[]' },
      { hub, report: hub.report, root, now: () => new Date(), rebooter: loggingRebooter(() => undefined) },
    );
    assert.equal(result.exitCode, 167);
  });

  it('a failed metadata refresh fails the Scan and reports no compliance', async () => {
    const hub = fakeHub();
    const result = await runPatchBaseline(
      { Operation: 'Scan' },
      {
        hub,
        report: hub.report,
        root,
        now: () => new Date(),
        rebooter: loggingRebooter(() => undefined),
        run: (command, args) =>
          Promise.resolve(
            args.includes('update')
              ? {
                  code: 100,
                  stdout: '',
                  stderr: 'E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease',
                }
              : { code: 0, stdout: '', stderr: '' },
          ),
      },
    );
    assert.equal(result.exitCode, 1);
    assert.equal(result.summary, undefined);
    assert.match(result.output, /apt-get update exited 100: .*no compliance is reported\n.*Failed to fetch/s);
    assert.deepEqual(
      hub.calls.filter((call) => call.target === 'PutInventory'),
      [],
    );
  });

  it('apt-get update exiting 0 with indexes it could not fetch counts as a failed refresh', () => {
    const stderr =
      'W: Failed to fetch http://127.0.0.1:9/debian/dists/bookworm/InRelease  Could not connect to 127.0.0.1:9\n' +
      'W: Some index files failed to download. They have been ignored, or old ones used instead.\n';
    assert.equal(refreshFailed({ code: 0, stdout: '', stderr }), true);
    assert.equal(
      refreshFailed({ code: 0, stdout: 'Hit:1 http://deb.debian.org/debian bookworm InRelease', stderr: '' }),
      false,
    );
    assert.equal(
      refreshFailed({
        code: 0,
        stdout: '',
        stderr: 'W: http://x/InRelease: Key is stored in legacy trusted.gpg keyring',
      }),
      false,
    );
    assert.equal(
      refreshFailed({ code: 1, stdout: '', stderr: 'Error: Failed to download metadata for repo' }),
      true,
    );
  });

  it('absent package lists fail the Scan instead of reading as nothing missing', async () => {
    const bare = await mkdtemp(path.join(tmpdir(), 'bulwark-patch-bare-'));
    try {
      await fakeRoot(bare);
      await rm(path.join(bare, 'var/lib/apt/lists'), { recursive: true });
      const hub = fakeHub();
      const result = await runPatchBaseline(
        { Operation: 'Scan' },
        {
          hub,
          report: hub.report,
          root: bare,
          now: () => new Date(),
          rebooter: loggingRebooter(() => undefined),
          refreshMetadata: false,
        },
      );
      assert.equal(result.exitCode, 1, result.output);
      assert.match(result.output, /no package lists under .*var\/lib\/apt\/lists.*no compliance is reported/);
      assert.deepEqual(
        hub.calls.filter((call) => call.target === 'PutInventory'),
        [],
      );
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it('a report that cannot be kept fails the run with exit 149', async () => {
    const hub = fakeHub();
    const result = await runPatchBaseline(
      { Operation: 'Scan' },
      {
        hub,
        report: () => Promise.reject(new Error('ENOSPC: no space left on device')),
        root,
        now: () => new Date(),
        rebooter: loggingRebooter(() => undefined),
        refreshMetadata: false,
      },
    );
    assert.equal(result.exitCode, 149);
    assert.match(result.output, /ENOSPC/);
  });
});
