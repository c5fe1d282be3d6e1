import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { collectHostFacts, parseOsRelease } from './host-facts.js';
import {
  collectApplications,
  collectCustomInventory,
  collectInventory,
  contentHash,
  networkEntries,
  parseDpkgQuery,
  parseRpmQuery,
} from './inventory-collector.js';

describe('inventory collectors', () => {
  it('parses dpkg-query lines, keeping installed packages only', () => {
    const entries = parseDpkgQuery(
      'zlib1g\t1:1.2.13.dfsg-1\tamd64\tMark <m@example.com>\tcompression library\tinstall ok installed\thttps://zlib.net\t1700000000\n' +
        'gone\t1.0\tall\tX\tremoved\tdeinstall ok config-files\t\t\n',
    );
    assert.deepEqual(entries, [
      {
        Name: 'zlib1g',
        Version: '1:1.2.13.dfsg-1',
        Architecture: 'x86_64',
        Publisher: 'Mark <m@example.com>',
        Summary: 'compression library',
        ApplicationType: 'dpkg',
        PackageId: 'zlib1g_1:1.2.13.dfsg-1_amd64.deb',
        URL: 'https://zlib.net',
        InstalledTime: '2023-11-14T22:13:20Z',
      },
    ]);
  });

  it('parses rpm query lines', () => {
    const [entry] = parseRpmQuery(
      'bash\t5.1.8\t9.el9\t(none)\tx86_64\tRed Hat\tThe shell\t1700000000\t(none)\n',
    );
    assert.equal(entry?.['Release'], '9.el9');
    assert.equal(entry?.['Epoch'], '');
    assert.equal(entry?.['PackageId'], 'bash-5.1.8-9.el9.x86_64.rpm');
    assert.equal(entry?.['URL'], undefined);
  });

  it(
    'reads the real package database of this machine',
    { skip: !existsSync('/usr/bin/dpkg-query') },
    async () => {
      const apps = await collectApplications();
      assert.ok(apps !== undefined && apps.length > 10);
      const dpkg = apps.find((entry) => entry['Name'] === 'dpkg');
      assert.ok(dpkg);
      assert.match(dpkg['Version'] ?? '', /^\d/);
      assert.match(dpkg['InstalledTime'] ?? '', /^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      for (const entry of apps)
        for (const value of Object.values(entry)) assert.equal(typeof value, 'string');
    },
  );

  it(
    'a dpkg-query failure is reported and leaves AWS:Application out instead of sending nothing as the list',
    { skip: !existsSync('/usr/bin/dpkg-query') },
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'bulwark-broken-dpkg-'));
      try {
        mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
        writeFileSync(
          join(root, 'var/lib/dpkg/status'),
          'Package: broken\nStatus: install ok installed\nVersion 1.0\n\n',
        );
        const warnings: string[] = [];
        assert.equal(
          await collectApplications({ root, warn: (message) => warnings.push(message) }),
          undefined,
        );
        assert.equal(warnings.length, 1);
        assert.match(
          warnings[0] ?? '',
          /^dpkg-query failed, AWS:Application is not reported this time: .*Version/s,
        );
        const items = await collectInventory({ root, warn: () => undefined });
        assert.deepEqual(
          items.map((item) => item.TypeName),
          ['AWS:Network'],
        );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );

  it('builds items with stable content hashes and a PutInventory capture time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-custom-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'rack.json'),
      JSON.stringify({ SchemaVersion: '1.0', TypeName: 'Custom:Rack', Content: { U: 4 } }),
    );
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ TypeName: 'AWS:Nope' }));
    const warnings: string[] = [];
    assert.deepEqual(await collectCustomInventory(dir, (message) => warnings.push(message)), [
      { typeName: 'Custom:Rack', schemaVersion: '1.0', content: [{ U: '4' }] },
    ]);
    assert.equal(warnings.length, 1);
    const items = await collectInventory({ customDirectory: dir, now: new Date('2026-01-02T03:04:05.678Z') });
    const types = items.map((item) => item.TypeName);
    assert.ok(types.includes('AWS:Network') && types.includes('Custom:Rack'));
    for (const item of items) {
      assert.equal(item.CaptureTime, '2026-01-02T03:04:05Z');
      assert.equal(item.ContentHash, contentHash(item.Content));
    }
    const again = await collectInventory({ customDirectory: dir });
    assert.deepEqual(
      again.map((item) => item.ContentHash),
      items.map((item) => item.ContentHash),
    );
  });

  it('describes interfaces and the host', () => {
    const entries = networkEntries({
      lo: [
        {
          address: '127.0.0.1',
          netmask: '255.0.0.0',
          family: 'IPv4',
          mac: '00:00:00:00:00:00',
          internal: true,
          cidr: '127.0.0.1/8',
        },
      ],
      eth0: [
        {
          address: '10.1.2.3',
          netmask: '255.255.255.0',
          family: 'IPv4',
          mac: 'aa:bb:cc:dd:ee:ff',
          internal: false,
          cidr: '10.1.2.3/24',
        },
        {
          address: 'fe80::1',
          netmask: 'ffff:ffff:ffff:ffff::',
          family: 'IPv6',
          mac: 'aa:bb:cc:dd:ee:ff',
          internal: false,
          cidr: 'fe80::1/64',
          scopeid: 2,
        },
      ],
    });
    assert.deepEqual(entries, [
      {
        Name: 'eth0',
        MacAddress: 'aa:bb:cc:dd:ee:ff',
        IPV4: '10.1.2.3',
        IPV6: 'fe80::1',
        SubnetMask: '255.255.255.0',
      },
    ]);
    assert.deepEqual(parseOsRelease('NAME="Debian GNU/Linux"\nVERSION_ID="12"\n# c\nID=debian\n'), {
      NAME: 'Debian GNU/Linux',
      VERSION_ID: '12',
      ID: 'debian',
    });
    const facts = collectHostFacts();
    assert.equal(facts.PlatformType, 'Linux');
    assert.match(facts.AgentVersion, /^\d+\.\d+\.\d+$/);
  });
});
