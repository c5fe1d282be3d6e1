import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeFacts } from './facts.js';
import { missingPatchFindingId, patchSummaryFindingId, severityOfMissingPatch } from './patch-findings.js';

const region = 'us-east-1';
const accountId = '123456789012';

function node(instanceId = 'mi-0123456789abcdef0'): NodeFacts {
  return {
    instanceId,
    arn: `arn:aws:ssm:${region}:${accountId}:managed-instance/${instanceId}`,
    deregistered: false,
    pingStatus: 'Online',
    lastPingAt: new Date('2025-11-20T12:00:00.000Z'),
    agentVersion: undefined,
    platformName: undefined,
    platformVersion: undefined,
    ipAddress: undefined,
    computerName: undefined,
    patchCompliance: undefined,
    associationCompliance: undefined,
    patchSummary: undefined,
    inventoryReportedAt: undefined,
  };
}

describe('severityOfMissingPatch', () => {
  for (const level of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']) {
    it(`keeps the compliance level ${level}, whatever the classification`, () => {
      assert.equal(severityOfMissingPatch(level, 'Security'), level);
      assert.equal(severityOfMissingPatch(level, 'Bugfix'), level);
      assert.equal(severityOfMissingPatch(level, ''), level);
    });
  }

  it('makes an UNSPECIFIED Security patch MEDIUM', () => {
    assert.equal(severityOfMissingPatch('UNSPECIFIED', 'Security'), 'MEDIUM');
  });

  it('reads the Security classification case-insensitively', () => {
    assert.equal(severityOfMissingPatch('UNSPECIFIED', 'security'), 'MEDIUM');
    assert.equal(severityOfMissingPatch('UNSPECIFIED', 'SECURITY'), 'MEDIUM');
  });

  it('makes any other UNSPECIFIED patch LOW', () => {
    assert.equal(severityOfMissingPatch('UNSPECIFIED', 'Bugfix'), 'LOW');
    assert.equal(severityOfMissingPatch('UNSPECIFIED', 'Enhancement'), 'LOW');
    assert.equal(severityOfMissingPatch('UNSPECIFIED', ''), 'LOW');
  });

  it('treats an unknown level like UNSPECIFIED', () => {
    assert.equal(severityOfMissingPatch('Important', 'Security'), 'MEDIUM');
    assert.equal(severityOfMissingPatch('', 'Bugfix'), 'LOW');
  });
});

describe('missingPatchFindingId', () => {
  it('is the node ARN, missing-patch and the patch id', () => {
    assert.equal(
      missingPatchFindingId(node(), 'openssl.x86_64'),
      `arn:aws:ssm:${region}:${accountId}:managed-instance/mi-0123456789abcdef0/missing-patch/openssl.x86_64`,
    );
  });

  it('URI-encodes the patch id, so a slash or a space cannot add a path segment', () => {
    assert.equal(
      missingPatchFindingId(node(), 'KB5031356 (security/2023-10)'),
      `${node().arn}/missing-patch/KB5031356%20(security%2F2023-10)`,
    );
  });

  it('differs per node and per patch', () => {
    const ids = [
      missingPatchFindingId(node('mi-1'), 'curl'),
      missingPatchFindingId(node('mi-2'), 'curl'),
      missingPatchFindingId(node('mi-1'), 'curl:amd64'),
    ];
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('patchSummaryFindingId', () => {
  it('is the Patch Manager instance ARN with /patch-summary', () => {
    assert.equal(
      patchSummaryFindingId(region, accountId, 'mi-0123456789abcdef0'),
      'arn:aws:ssm-patch-manager:us-east-1:123456789012:instance/mi-0123456789abcdef0/patch-summary',
    );
  });

  it('differs per Region, account and instance', () => {
    const ids = [
      patchSummaryFindingId(region, accountId, 'mi-1'),
      patchSummaryFindingId('eu-west-1', accountId, 'mi-1'),
      patchSummaryFindingId(region, '210987654321', 'mi-1'),
      patchSummaryFindingId(region, accountId, 'mi-2'),
    ];
    assert.equal(new Set(ids).size, ids.length);
  });
});
