import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  availablePatchesOf,
  matchesAvailablePatchFilters,
  type AvailablePatchFilterKey,
} from './available-patches.js';

const reported = [
  {
    product: 'Ubuntu22.04',
    row: {
      Id: 'openssl.amd64',
      Title: 'openssl.amd64:3.0.2-0ubuntu1.16',
      Classification: 'Security',
      PatchSeverity: 'required',
      PatchState: 'Missing',
      CVEIds: 'CVE-2024-0727,CVE-2024-2511',
    },
  },
  // The same package version reported by a second node: one patch.
  {
    product: 'Ubuntu22.04',
    row: {
      Id: 'openssl.amd64',
      Title: 'openssl.amd64:3.0.2-0ubuntu1.16',
      Classification: 'Security',
      PatchSeverity: 'required',
      PatchState: 'Missing',
    },
  },
  {
    product: 'RedhatEnterpriseLinux9.4',
    row: {
      Id: 'python3.11.x86_64',
      Title: 'python3.11.x86_64:1:3.11.7-1.el9',
      Classification: 'Bugfix',
      PatchSeverity: 'Moderate',
      PatchState: 'InstalledOther',
    },
  },
];

describe('available patches from the fleet’s scans', () => {
  it('names each package version once, with name, arch, epoch, version, release, product and CVEs', () => {
    const patches = availablePatchesOf(reported);
    assert.deepEqual(patches, [
      {
        id: 'openssl.amd64:3.0.2-0ubuntu1.16',
        title: 'openssl.amd64:3.0.2-0ubuntu1.16',
        name: 'openssl',
        arch: 'amd64',
        epoch: 0,
        version: '3.0.2',
        release: '0ubuntu1.16',
        product: 'Ubuntu22.04',
        productFamily: 'Ubuntu',
        classification: 'Security',
        severity: 'required',
        cveIds: ['CVE-2024-0727', 'CVE-2024-2511'],
      },
      {
        id: 'python3.11.x86_64:1:3.11.7-1.el9',
        title: 'python3.11.x86_64:1:3.11.7-1.el9',
        name: 'python3.11',
        arch: 'x86_64',
        epoch: 1,
        version: '3.11.7',
        release: '1.el9',
        product: 'RedhatEnterpriseLinux9.4',
        productFamily: 'RedhatEnterpriseLinux',
        classification: 'Bugfix',
        severity: 'Moderate',
        cveIds: [],
      },
    ]);
  });

  it('filters: keys AND, values OR, case-insensitive, * for any; PATCH_SET APPLICATION matches nothing', () => {
    const patches = availablePatchesOf(reported);
    const ids = (filters: { key: AvailablePatchFilterKey; values: string[] }[]) =>
      patches.filter((p) => matchesAvailablePatchFilters(p, filters)).map((p) => p.name);
    assert.deepEqual(ids([{ key: 'PRODUCT', values: ['ubuntu22.04'] }]), ['openssl']);
    assert.deepEqual(ids([{ key: 'PRODUCT', values: ['*'] }]), ['openssl', 'python3.11']);
    assert.deepEqual(ids([{ key: 'PRODUCT_FAMILY', values: ['RedhatEnterpriseLinux'] }]), ['python3.11']);
    assert.deepEqual(ids([{ key: 'CLASSIFICATION', values: ['Bugfix', 'Security'] }]), [
      'openssl',
      'python3.11',
    ]);
    assert.deepEqual(
      ids([
        { key: 'CLASSIFICATION', values: ['Bugfix', 'Security'] },
        { key: 'SEVERITY', values: ['REQUIRED'] },
      ]),
      ['openssl'],
    );
    assert.deepEqual(ids([{ key: 'MSRC_SEVERITY', values: ['moderate'] }]), ['python3.11']);
    assert.deepEqual(ids([{ key: 'PATCH_ID', values: ['openssl.amd64:3.0.2-0ubuntu1.16'] }]), ['openssl']);
    assert.deepEqual(ids([{ key: 'NAME', values: ['python3.11'] }]), ['python3.11']);
    assert.deepEqual(ids([{ key: 'ARCH', values: ['x86_64'] }]), ['python3.11']);
    assert.deepEqual(ids([{ key: 'EPOCH', values: ['1'] }]), ['python3.11']);
    assert.deepEqual(ids([{ key: 'VERSION', values: ['3.0.2'] }]), ['openssl']);
    assert.deepEqual(ids([{ key: 'RELEASE', values: ['1.el9'] }]), ['python3.11']);
    assert.deepEqual(ids([{ key: 'CVE_ID', values: ['CVE-2024-2511'] }]), ['openssl']);
    assert.deepEqual(ids([{ key: 'PATCH_SET', values: ['OS'] }]), ['openssl', 'python3.11']);
    assert.deepEqual(ids([{ key: 'PATCH_SET', values: ['APPLICATION'] }]), []);
  });
});
