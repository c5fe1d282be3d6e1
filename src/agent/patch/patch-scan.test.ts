import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { predefinedBaseline, type BaselineRules } from '../../patching/index.js';
import type { AptAvailability, AvailableDeb } from './apt-source.js';
import { parseInstallOverrideList } from './baseline-snapshot.js';
import { readAptAvailability } from './apt-source.js';
import { readDpkgStatus, type InstalledDeb } from './dpkg-status.js';
import { countPatchStates, patchInventoryRequest, patchSummaryOf } from './patch-report.js';
import { scanAptPatches, scanRpmPatches } from './patch-scan.js';
import { parseRpmQa, parseUpdateInfo } from './rpm-source.js';

const fixtures = new URL('../../../../test/fixtures/rpm/', import.meta.url);
const stateOf = (rows: { id: string; state: string }[]): Record<string, string> =>
  Object.fromEntries(rows.map((row) => [row.id, row.state]));

describe('rpm: updateinfo.xml and rpm -qa fixtures', () => {
  const rhelRules = (overrides: Partial<BaselineRules> = {}): BaselineRules => ({
    operatingSystem: 'REDHAT_ENTERPRISE_LINUX',
    globalFilters: [{ key: 'PRODUCT', values: ['*'] }],
    approvalRules: [
      {
        filters: [
          { key: 'CLASSIFICATION', values: ['Security'] },
          { key: 'SEVERITY', values: ['Critical', 'Important'] },
        ],
        complianceLevel: 'CRITICAL',
        approveAfterDays: 7,
        enableNonSecurity: false,
      },
      {
        filters: [{ key: 'CLASSIFICATION', values: ['Bugfix'] }],
        complianceLevel: 'LOW',
        approveAfterDays: 7,
        enableNonSecurity: true,
      },
    ],
    approvedPatches: [],
    approvedPatchesComplianceLevel: 'UNSPECIFIED',
    approvedPatchesEnableNonSecurity: false,
    rejectedPatches: ['telnet'],
    rejectedPatchesAction: 'BLOCK',
    sources: [],
    ...overrides,
  });

  it('parses notices: type, severity, dates, references, packages', async () => {
    const notices = parseUpdateInfo(await readFile(new URL('updateinfo.xml', fixtures), 'utf8'));
    assert.equal(notices.length, 7);
    const first = notices[0];
    assert.equal(first?.id, 'RHSA-2024:1001');
    assert.equal(first?.classification, 'Security');
    assert.equal(first?.severity, 'Important');
    assert.equal(first?.issued.toISOString(), '2024-03-01T10:00:00.000Z');
    assert.equal(first?.updated?.toISOString(), '2024-03-02T08:00:00.000Z');
    assert.deepEqual(first?.cveIds, ['CVE-2023-5678', 'CVE-2024-0727']);
    assert.deepEqual(first?.bugzillaIds, ['2250001']);
    assert.deepEqual(first?.packages[0], {
      name: 'openssl',
      epoch: '1',
      version: '3.0.7',
      release: '25.el9_3',
      arch: 'x86_64',
    });
    assert.equal(notices[2]?.severity, ''); // <severity>None</severity>
    const installed = parseRpmQa(await readFile(new URL('rpm-qa.txt', fixtures), 'utf8'));
    assert.equal(installed.length, 8); // gpg-pubkey is not a package
    assert.equal(installed.find((pkg) => pkg.name === 'bash')?.epoch, '0');
    assert.equal(installed[0]?.installedTime, '2024-01-01T00:00:00Z');
  });

  it('classification, severity, ApproveAfterDays on the notice date, rejected BLOCK, CVEs between versions', async () => {
    const notices = parseUpdateInfo(await readFile(new URL('updateinfo.xml', fixtures), 'utf8'));
    const installed = parseRpmQa(await readFile(new URL('rpm-qa.txt', fixtures), 'utf8'));
    const scan = scanRpmPatches({
      baseline: rhelRules(),
      product: 'RedhatEnterpriseLinux9.4',
      installed,
      notices,
      now: new Date('2024-07-01T00:00:00Z'),
    });
    assert.deepEqual(stateOf(scan.rows), {
      'bash.x86_64': 'Missing',
      'curl.x86_64': 'InstalledOther', // Moderate is not approved
      'libcurl.x86_64': 'InstalledOther',
      'openssl-libs.x86_64': 'Missing',
      'openssl.x86_64': 'Missing',
      'telnet.x86_64': 'InstalledRejected',
      'tzdata.noarch': 'InstalledOther', // enhancement
      'vim-minimal.x86_64': 'InstalledOther', // no notice
    });
    const openssl = scan.rows.find((row) => row.id === 'openssl.x86_64');
    assert.equal(openssl?.title, 'openssl.x86_64:1:3.0.7-27.el9');
    assert.equal(openssl?.patchSeverity, 'Critical');
    assert.equal(openssl?.complianceLevel, 'CRITICAL');
    assert.deepEqual(openssl?.cveIds, ['CVE-2023-5678', 'CVE-2024-0727', 'CVE-2024-2511']);
    assert.equal(scan.rows.find((row) => row.id === 'bash.x86_64')?.classification, 'Bugfix');
    // httpd (not installed) is approved; the kernel notice is 3 days old, under the 7-day delay.
    assert.equal(scan.notApplicableCount, 1);
    const later = scanRpmPatches({
      baseline: rhelRules(),
      product: 'RedhatEnterpriseLinux9.4',
      installed,
      notices,
      now: new Date('2024-07-10T00:00:00Z'),
    });
    assert.equal(later.notApplicableCount, 2);

    const counts = countPatchStates(scan);
    assert.equal(counts.MissingCount, 3);
    assert.equal(counts.InstalledOtherCount, 4);
    assert.equal(counts.InstalledRejectedCount, 1);
    assert.equal(counts.CriticalNonCompliantCount, 2);
    assert.equal(counts.SecurityNonCompliantCount, 2);
    assert.equal(counts.OtherNonCompliantCount, 2);

    const allowed = scanRpmPatches({
      baseline: rhelRules({
        rejectedPatchesAction: 'ALLOW_AS_DEPENDENCY',
        approvedPatches: ['CVE-2024-2398'],
      }),
      product: 'RedhatEnterpriseLinux9.4',
      installed,
      notices,
      now: new Date('2024-07-01T00:00:00Z'),
    });
    assert.equal(stateOf(allowed.rows)['telnet.x86_64'], 'InstalledOther');
    assert.equal(stateOf(allowed.rows)['curl.x86_64'], 'Missing'); // approved by CVE id
    assert.equal(stateOf(allowed.rows)['libcurl.x86_64'], 'Installed');
  });
});

describe('apt: categorization (§7.2)', () => {
  const deb = (name: string, version: string, arch = 'amd64', priority = 'optional'): InstalledDeb => ({
    name,
    arch,
    version,
    section: 'libs',
    priority,
    source: name,
  });
  const offer = (name: string, version: string, security: boolean, arch = 'amd64'): AvailableDeb => ({
    name,
    arch,
    version,
    section: 'libs',
    priority: 'optional',
    security,
    suites: [security ? 'bookworm-security' : 'bookworm'],
  });
  const available: AptAvailability = new Map(
    Object.entries({
      openssl: [offer('openssl', '3.0.1-1', false), offer('openssl', '3.0.2-1~deb12u1', true)],
      jq: [offer('jq', '1.6-2', true)],
      vim: [offer('vim', '2:9.0-1', false), offer('vim', '2:9.0-2', false)],
      telnet: [offer('telnet', '0.17-1', false), offer('telnet', '0.17-2', true)],
      tzdata: [offer('tzdata', '2024a-1', true, 'all')],
      libfoo: [offer('libfoo', '1.0', true)],
      libbar: [offer('libbar', '1.0', false)],
    }),
  );
  const installed = [
    deb('dpkg', '1.21.22'),
    deb('openssl', '3.0.1-1'),
    deb('jq', '1.6-2'),
    deb('vim', '2:9.0-1'),
    deb('telnet', '0.17-1'),
    deb('tzdata', '2023c-1', 'all'),
  ];
  const debian = predefinedBaseline('us-east-1', 'DEBIAN');

  it('default baseline: security versions only', () => {
    const scan = scanAptPatches({
      baseline: debian,
      product: 'Debian12',
      installed,
      available,
      now: new Date(),
    });
    assert.deepEqual(stateOf(scan.rows), {
      'dpkg.amd64': 'InstalledOther',
      'jq.amd64': 'Installed',
      'openssl.amd64': 'Missing',
      'telnet.amd64': 'Missing',
      'tzdata.all': 'Missing',
      'vim.amd64': 'InstalledOther',
    });
    assert.equal(scan.rows.find((row) => row.id === 'openssl.amd64')?.title, 'openssl.amd64:3.0.2-1~deb12u1');
    assert.equal(scan.rows.find((row) => row.id === 'openssl.amd64')?.classification, 'Security');
    assert.equal(scan.notApplicableCount, 1); // libfoo; libbar is not a security version
  });

  it('rejected with BLOCK, non-security enabled, PRIORITY filters', () => {
    const custom: BaselineRules = {
      ...debian,
      approvalRules: [
        {
          filters: [{ key: 'PRIORITY', values: ['Optional'] }],
          complianceLevel: 'HIGH',
          enableNonSecurity: true,
        },
      ],
      rejectedPatches: ['telnet'],
      rejectedPatchesAction: 'BLOCK',
    };
    const scan = scanAptPatches({
      baseline: custom,
      product: 'Debian12',
      installed,
      available,
      now: new Date(),
    });
    const states = stateOf(scan.rows);
    assert.equal(states['telnet.amd64'], 'InstalledRejected');
    assert.equal(states['vim.amd64'], 'Missing');
    assert.equal(scan.rows.find((row) => row.id === 'vim.amd64')?.complianceLevel, 'HIGH');
    assert.equal(scan.notApplicableCount, 2);
    const required: BaselineRules = {
      ...custom,
      approvalRules: [
        {
          filters: [{ key: 'PRIORITY', values: ['Required'] }],
          complianceLevel: 'HIGH',
          enableNonSecurity: true,
        },
      ],
    };
    const none = scanAptPatches({
      baseline: required,
      product: 'Debian12',
      installed,
      available,
      now: new Date(),
    });
    assert.equal(none.rows.filter((row) => row.state === 'Missing').length, 0);

    const summary = patchSummaryOf(scan, {
      BaselineId: 'pb-0123456789abcdef0',
      PatchGroup: '',
      SnapshotId: '00000000-0000-0000-0000-000000000000',
      OperationType: 'Scan',
      OperationStartTime: '2026-01-01T00:00:00Z',
      RebootOption: 'NoReboot',
      end: new Date('2026-01-01T00:00:05Z'),
    });
    assert.equal(summary.NonCompliantSeverity, 'HIGH');
    const request = patchInventoryRequest('mi-0123456789abcdef0', summary, scan);
    const items = request.Items as { TypeName: string; Content: Record<string, string>[] }[];
    assert.equal(items[0]?.Content[0]?.['MissingCount'], String(summary.MissingCount));
    const vim = items[1]?.Content.find((row) => row['Id'] === 'vim.amd64');
    assert.equal(vim?.['Severity'], 'HIGH');
    assert.equal(vim?.['Status'], 'NON_COMPLIANT');
    assert.equal(vim?.['InstalledTime'], '');
  });

  it(
    'reads this host’s dpkg status and apt lists like dpkg-query and apt-cache',
    { skip: existsSync('/var/lib/dpkg/status') ? false : 'not a Debian host' },
    async () => {
      const installed = await readDpkgStatus('/');
      const query = execFileSync(
        'dpkg-query',
        ['-W', '-f', '${db:Status-Status} ${Package}:${Architecture}=${Version}\n'],
        { encoding: 'utf8' },
      );
      const expected = query
        .split('\n')
        .filter((line) => line.startsWith('installed '))
        .map((line) => line.slice('installed '.length))
        .sort();
      assert.deepEqual(installed.map((pkg) => `${pkg.name}:${pkg.arch}=${pkg.version}`).sort(), expected);
      const available = await readAptAvailability('/');
      const madison = execFileSync('apt-cache', ['madison', 'apt'], { encoding: 'utf8' });
      const versions = madison
        .split('\n')
        .map((line) => line.split('|')[1]?.trim())
        .filter((v): v is string => v !== undefined && v !== '');
      assert.deepEqual(
        [...new Set((available.get('apt') ?? []).map((v) => v.version))].sort(),
        [...new Set(versions)].sort(),
      );
      const securityOnly = madison
        .split('\n')
        .filter((line) => line.includes('-security'))
        .map((line) => line.split('|')[1]?.trim());
      for (const version of available.get('apt') ?? [])
        assert.equal(version.security, securityOnly.includes(version.version), version.version);
    },
  );

  it('reads InstallOverrideList YAML', () => {
    assert.deepEqual(
      parseInstallOverrideList(
        "patches:\n    -\n        id: 'jq.amd64'\n        title: 'jq.amd64:1.6-2.1+deb12u3'\n    - id: \"libjq1.*\"\n",
      ),
      [{ id: 'jq.amd64', title: 'jq.amd64:1.6-2.1+deb12u3' }, { id: 'libjq1.*' }],
    );
  });
});
