import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zeroSeverityCounts, type ComplianceSet } from '../compliance/index.js';
import { findControl, type ControlDefinition } from './catalogue.js';
import { effectiveParameters } from './enablement.js';
import {
  compareVersions,
  evaluateControl,
  type EvaluationInput,
  type ResourceEvaluation,
} from './evaluate.js';
import type { AccountFacts, DocumentFacts, NodeFacts, PatchSummaryFacts } from './facts.js';
import type { MissingPatch } from './controls-store.js';

const region = 'us-east-1';
const accountId = '123456789012';
const now = new Date('2025-11-20T12:00:00.000Z');
const dayMs = 86_400_000;
const hourMs = 3_600_000;
const hubVersion = '1.4.0';

const ago = (ms: number): Date => new Date(now.getTime() - ms);

function control(id: string): ControlDefinition {
  const found = findControl(id);
  assert.ok(found, `control ${id} is in the catalogue`);
  return found;
}

function complianceSet(complianceType: string, overrides: Partial<ComplianceSet> = {}): ComplianceSet {
  return {
    resourceType: 'ManagedInstance',
    resourceId: 'mi-0123456789abcdef0',
    complianceType,
    status: 'COMPLIANT',
    overallSeverity: 'UNSPECIFIED',
    itemCount: 0,
    counts: { COMPLIANT: zeroSeverityCounts(), NON_COMPLIANT: zeroSeverityCounts() },
    execution: { executionTime: ago(dayMs), executionId: undefined, executionType: 'Command' },
    itemContentHash: undefined,
    updatedAt: ago(dayMs),
    ...overrides,
  };
}

function patchSummary(overrides: Partial<PatchSummaryFacts> = {}): PatchSummaryFacts {
  return {
    baselineId: 'pb-0123456789abcdef0',
    patchGroup: 'web',
    operationType: 'Scan',
    operationEndTime: ago(dayMs),
    installedPendingRebootCount: 0,
    pendingRebootSince: undefined,
    attributes: {},
    ...overrides,
  };
}

/** A node every control finds COMPLIANT; each test changes the one fact its control reads. */
function node(overrides: Partial<NodeFacts> = {}): NodeFacts {
  const instanceId = overrides.instanceId ?? 'mi-0123456789abcdef0';
  return {
    instanceId,
    arn: `arn:aws:ssm:${region}:${accountId}:managed-instance/${instanceId}`,
    deregistered: false,
    pingStatus: 'Online',
    lastPingAt: ago(60_000),
    agentVersion: hubVersion,
    platformName: 'Ubuntu',
    platformVersion: '22.04',
    ipAddress: '10.0.0.5',
    computerName: 'web-1',
    patchCompliance: complianceSet('Patch'),
    associationCompliance: complianceSet('Association'),
    patchSummary: patchSummary(),
    inventoryReportedAt: ago(hourMs),
    ...overrides,
  };
}

function missingPatch(overrides: Partial<MissingPatch> = {}): MissingPatch {
  return {
    instanceId: 'mi-0123456789abcdef0',
    patchId: 'openssl.x86_64:0:3.0.7-27.el9',
    title: 'openssl',
    complianceLevel: 'CRITICAL',
    firstSeenAt: ago(dayMs),
    lastSeenAt: now,
    ...overrides,
  };
}

function input(definition: ControlDefinition, overrides: Partial<EvaluationInput> = {}): EvaluationInput {
  return {
    region,
    accountId,
    now,
    hubVersion,
    parameters: effectiveParameters(definition, undefined),
    nodes: [node()],
    missingPatches: new Map(),
    documents: [],
    account: undefined,
    ...overrides,
  };
}

/** Evaluates a control over one node; undefined when the control says nothing of it. */
function evaluateNode(
  id: string,
  nodeOverrides: Partial<NodeFacts> = {},
  inputOverrides: Partial<EvaluationInput> = {},
): ResourceEvaluation | undefined {
  const definition = control(id);
  const results = evaluateControl(
    definition,
    input(definition, { nodes: [node(nodeOverrides)], ...inputOverrides }),
  );
  assert.ok(results.length <= 1, 'at most one result per node');
  return results[0];
}

function resultOf(
  id: string,
  nodeOverrides: Partial<NodeFacts> = {},
  inputOverrides: Partial<EvaluationInput> = {},
): string | undefined {
  return evaluateNode(id, nodeOverrides, inputOverrides)?.result;
}

function missingPatches(...patches: MissingPatch[]): ReadonlyMap<string, readonly MissingPatch[]> {
  const map = new Map<string, MissingPatch[]>();
  for (const patch of patches) map.set(patch.instanceId, [...(map.get(patch.instanceId) ?? []), patch]);
  return map;
}

const nodeControlIds = ['SSM.1', 'SSM.2', 'SSM.3', 'Fleet.1', 'Fleet.2', 'Fleet.3', 'Fleet.4', 'Fleet.5'];

describe('compareVersions', () => {
  it('compares numerically, part by part (1.10.0 > 1.9.3)', () => {
    assert.equal(compareVersions('1.10.0', '1.9.3'), 1);
    assert.equal(compareVersions('1.9.3', '1.10.0'), -1);
  });

  it('returns 0 for the same version', () => {
    assert.equal(compareVersions('2.3.4', '2.3.4'), 0);
  });

  it('counts missing parts as 0', () => {
    assert.equal(compareVersions('1.2', '1.2.0'), 0);
    assert.equal(compareVersions('1.2', '1.2.1'), -1);
  });

  it('returns only the sign of the difference', () => {
    assert.equal(compareVersions('9.0.0', '1.0.0'), 1);
    assert.equal(compareVersions('1.0.0', '9.0.0'), -1);
  });

  it('splits on dashes too', () => {
    assert.equal(compareVersions('1.2.3-4', '1.2.3'), 1);
  });
});

describe('evaluateControl: every node control', () => {
  for (const id of nodeControlIds) {
    it(`${id}: the default node is COMPLIANT`, () => {
      assert.equal(resultOf(id), 'COMPLIANT');
    });

    it(`${id}: a deregistered node is NOT_APPLICABLE and gone`, () => {
      const evaluation = evaluateNode(id, {
        deregistered: true,
        patchCompliance: undefined,
        associationCompliance: undefined,
      });
      assert.equal(evaluation?.result, 'NOT_APPLICABLE');
      assert.equal(evaluation.gone, true);
      assert.equal(evaluation.resourceId, node().arn);
    });
  }

  it('gives one result per node, in input order, keyed by the node ARN', () => {
    const definition = control('SSM.1');
    const nodes = [node({ instanceId: 'mi-1' }), node({ instanceId: 'mi-2', pingStatus: 'ConnectionLost' })];
    const results = evaluateControl(definition, input(definition, { nodes }));
    assert.deepEqual(
      results.map((r) => [r.resourceId, r.result, r.gone]),
      [
        [`arn:aws:ssm:${region}:${accountId}:managed-instance/mi-1`, 'COMPLIANT', false],
        [`arn:aws:ssm:${region}:${accountId}:managed-instance/mi-2`, 'NON_COMPLIANT', false],
      ],
    );
  });

  it('a node control not in evaluate.ts gives no result', () => {
    const unknown: ControlDefinition = { ...control('SSM.1'), id: 'Fleet.99' };
    assert.deepEqual(evaluateControl(unknown, input(unknown)), []);
  });

  it('describes the node in the AwsEc2Instance resource', () => {
    const evaluation = evaluateNode('SSM.1');
    assert.deepEqual(evaluation?.resource, {
      Type: 'AwsEc2Instance',
      Id: node().arn,
      Partition: 'aws',
      Region: region,
      Details: {
        Other: {
          InstanceId: 'mi-0123456789abcdef0',
          AgentVersion: hubVersion,
          PlatformName: 'Ubuntu',
          PlatformVersion: '22.04',
          ComputerName: 'web-1',
          IPAddress: '10.0.0.5',
        },
      },
    });
  });

  it('leaves unknown node facts out of the resource details', () => {
    const evaluation = evaluateNode('SSM.1', {
      agentVersion: undefined,
      platformName: undefined,
      platformVersion: undefined,
      computerName: undefined,
      ipAddress: undefined,
    });
    assert.deepEqual(evaluation?.resource.Details, {
      Other: { InstanceId: 'mi-0123456789abcdef0' },
    });
  });
});

describe('evaluateControl: SSM.1', () => {
  it('is COMPLIANT when the agent is Online', () => {
    assert.equal(resultOf('SSM.1', { pingStatus: 'Online' }), 'COMPLIANT');
  });

  it('is NON_COMPLIANT when the agent lost its connection, naming the last ping', () => {
    const lastPingAt = ago(2 * hourMs);
    const evaluation = evaluateNode('SSM.1', { pingStatus: 'ConnectionLost', lastPingAt });
    assert.equal(evaluation?.result, 'NON_COMPLIANT');
    assert.match(evaluation.annotation, new RegExp(lastPingAt.toISOString()));
    assert.match(evaluation.annotation, /ConnectionLost/);
  });
});

describe('evaluateControl: SSM.2', () => {
  it('is COMPLIANT when the Patch compliance set is COMPLIANT', () => {
    assert.equal(
      resultOf('SSM.2', { patchCompliance: complianceSet('Patch', { status: 'COMPLIANT' }) }),
      'COMPLIANT',
    );
  });

  it('is NON_COMPLIANT when the Patch compliance set is NON_COMPLIANT', () => {
    const patchCompliance = complianceSet('Patch', { status: 'NON_COMPLIANT', overallSeverity: 'CRITICAL' });
    assert.equal(resultOf('SSM.2', { patchCompliance }), 'NON_COMPLIANT');
  });

  it('gives no result for a node without a Patch compliance set', () => {
    assert.equal(evaluateNode('SSM.2', { patchCompliance: undefined }), undefined);
  });

  it('counts critical and high non-compliant items in the annotation', () => {
    const counts = {
      COMPLIANT: zeroSeverityCounts(),
      NON_COMPLIANT: { ...zeroSeverityCounts(), CRITICAL: 2, HIGH: 3, LOW: 7 },
    };
    const patchCompliance = complianceSet('Patch', { status: 'NON_COMPLIANT', counts });
    assert.match(
      evaluateNode('SSM.2', { patchCompliance })?.annotation ?? '',
      /\(5 critical or high non-compliant\)/,
    );
  });

  it('carries the counts in the AwsSsmPatchCompliance resource details', () => {
    const counts = {
      COMPLIANT: { CRITICAL: 1, HIGH: 2, MEDIUM: 3, LOW: 4, INFORMATIONAL: 5, UNSPECIFIED: 6 },
      NON_COMPLIANT: { CRITICAL: 7, HIGH: 8, MEDIUM: 9, LOW: 10, INFORMATIONAL: 11, UNSPECIFIED: 12 },
    };
    const patchCompliance = complianceSet('Patch', {
      status: 'NON_COMPLIANT',
      overallSeverity: 'CRITICAL',
      counts,
    });
    const evaluation = evaluateNode('SSM.2', { patchCompliance });
    assert.deepEqual(evaluation?.resource, {
      Type: 'AwsSsmPatchCompliance',
      Id: node().arn,
      Partition: 'aws',
      Region: region,
      Details: {
        AwsSsmPatchCompliance: {
          Patch: {
            ComplianceSummary: {
              Status: 'NON_COMPLIANT',
              ComplianceType: 'Patch',
              ExecutionType: 'Command',
              OverallSeverity: 'CRITICAL',
              PatchBaselineId: 'pb-0123456789abcdef0',
              PatchGroup: 'web',
              CompliantCriticalCount: 1,
              CompliantHighCount: 2,
              CompliantMediumCount: 3,
              CompliantLowCount: 4,
              CompliantInformationalCount: 5,
              CompliantUnspecifiedCount: 6,
              NonCompliantCriticalCount: 7,
              NonCompliantHighCount: 8,
              NonCompliantMediumCount: 9,
              NonCompliantLowCount: 10,
              NonCompliantInformationalCount: 11,
              NonCompliantUnspecifiedCount: 12,
            },
          },
        },
      },
    });
  });

  it('leaves PatchBaselineId and PatchGroup out when the node has no patch summary', () => {
    const patchCompliance = complianceSet('Patch', { status: 'NON_COMPLIANT' });
    const details = evaluateNode('SSM.2', { patchCompliance, patchSummary: undefined })?.resource.Details;
    const summary = (
      details?.['AwsSsmPatchCompliance'] as { Patch: { ComplianceSummary: Record<string, unknown> } }
    ).Patch.ComplianceSummary;
    assert.equal(summary['Status'], 'NON_COMPLIANT');
    assert.equal('PatchBaselineId' in summary, false);
    assert.equal('PatchGroup' in summary, false);
  });

  it('leaves PatchGroup out for a node outside any patch group', () => {
    const details = evaluateNode('SSM.2', { patchSummary: patchSummary({ patchGroup: '' }) })?.resource
      .Details;
    const summary = (
      details?.['AwsSsmPatchCompliance'] as { Patch: { ComplianceSummary: Record<string, unknown> } }
    ).Patch.ComplianceSummary;
    assert.equal(summary['PatchBaselineId'], 'pb-0123456789abcdef0');
    assert.equal('PatchGroup' in summary, false);
  });

  it('gives a deregistered node without a Patch set a resource without details', () => {
    const evaluation = evaluateNode('SSM.2', { deregistered: true, patchCompliance: undefined });
    assert.equal(evaluation?.resource.Type, 'AwsSsmPatchCompliance');
    assert.equal(evaluation.resource.Details, undefined);
  });
});

describe('evaluateControl: SSM.3', () => {
  it('is COMPLIANT when the Association compliance set is COMPLIANT', () => {
    assert.equal(resultOf('SSM.3', { associationCompliance: complianceSet('Association') }), 'COMPLIANT');
  });

  it('is NON_COMPLIANT when the Association compliance set is NON_COMPLIANT', () => {
    const associationCompliance = complianceSet('Association', { status: 'NON_COMPLIANT' });
    assert.equal(resultOf('SSM.3', { associationCompliance }), 'NON_COMPLIANT');
  });

  it('gives no result for a node without an Association compliance set', () => {
    assert.equal(evaluateNode('SSM.3', { associationCompliance: undefined }), undefined);
  });

  it('does not read the Patch compliance set', () => {
    const patchCompliance = complianceSet('Patch', { status: 'NON_COMPLIANT' });
    assert.equal(resultOf('SSM.3', { patchCompliance }), 'COMPLIANT');
  });
});

describe('evaluateControl: SSM.4', () => {
  const document = (overrides: Partial<DocumentFacts> = {}): DocumentFacts => ({
    name: 'Deploy',
    arn: `arn:aws:ssm:${region}:${accountId}:document/Deploy`,
    public: false,
    ...overrides,
  });
  const evaluate = (...documents: DocumentFacts[]): ResourceEvaluation[] =>
    evaluateControl(control('SSM.4'), input(control('SSM.4'), { documents }));

  it('is COMPLIANT for a document that is not shared publicly', () => {
    assert.deepEqual(
      evaluate(document()).map((r) => r.result),
      ['COMPLIANT'],
    );
  });

  it('is NON_COMPLIANT for a document shared with All', () => {
    assert.deepEqual(
      evaluate(document({ public: true })).map((r) => r.result),
      ['NON_COMPLIANT'],
    );
  });

  it('gives one result per document, as an AwsSsmDocument resource', () => {
    const results = evaluate(document(), document({ name: 'Other', arn: 'arn:doc/Other', public: true }));
    assert.deepEqual(
      results.map((r) => [r.resourceId, r.result, r.gone]),
      [
        [document().arn, 'COMPLIANT', false],
        ['arn:doc/Other', 'NON_COMPLIANT', false],
      ],
    );
    assert.deepEqual(results[0]?.resource, {
      Type: 'AwsSsmDocument',
      Id: document().arn,
      Partition: 'aws',
      Region: region,
    });
  });

  it('gives no result without documents, whatever the nodes', () => {
    assert.deepEqual(evaluate(), []);
  });
});

describe('evaluateControl: SSM.7', () => {
  const evaluate = (account: AccountFacts | undefined): ResourceEvaluation[] =>
    evaluateControl(control('SSM.7'), input(control('SSM.7'), { account }));

  it('is COMPLIANT when public sharing is blocked', () => {
    assert.deepEqual(
      evaluate({ publicSharingBlocked: true }).map((r) => r.result),
      ['COMPLIANT'],
    );
  });

  it('is NON_COMPLIANT when public sharing is allowed', () => {
    assert.deepEqual(
      evaluate({ publicSharingBlocked: false }).map((r) => r.result),
      ['NON_COMPLIANT'],
    );
  });

  it('is about the account, as an AwsAccount resource', () => {
    const [evaluation] = evaluate({ publicSharingBlocked: true });
    assert.equal(evaluation?.resourceId, `AWS::::Account:${accountId}`);
    assert.deepEqual(evaluation.resource, {
      Type: 'AwsAccount',
      Id: `AWS::::Account:${accountId}`,
      Partition: 'aws',
      Region: region,
    });
  });

  it('gives no result without account facts', () => {
    assert.deepEqual(evaluate(undefined), []);
  });
});

describe('evaluateControl: Fleet.1', () => {
  const withMinimum = (minimumAgentVersion: string): Partial<EvaluationInput> => ({
    parameters: { minimumAgentVersion },
  });

  it('defaults minimumAgentVersion to empty', () => {
    assert.deepEqual(effectiveParameters(control('Fleet.1'), undefined), { minimumAgentVersion: '' });
  });

  it('is COMPLIANT when the agent is the hub version (empty minimum)', () => {
    assert.equal(resultOf('Fleet.1', { agentVersion: hubVersion }), 'COMPLIANT');
  });

  it('is COMPLIANT when the agent is newer than the hub', () => {
    assert.equal(resultOf('Fleet.1', { agentVersion: '1.10.0' }), 'COMPLIANT');
  });

  it('is NON_COMPLIANT when the agent is older than the hub (empty minimum)', () => {
    const evaluation = evaluateNode('Fleet.1', { agentVersion: '1.3.9' });
    assert.equal(evaluation?.result, 'NON_COMPLIANT');
    assert.match(evaluation.annotation, /older than 1\.4\.0/);
  });

  it('uses a custom minimum instead of the hub version', () => {
    assert.equal(resultOf('Fleet.1', { agentVersion: '1.2.0' }, withMinimum('1.2.0')), 'COMPLIANT');
    assert.equal(resultOf('Fleet.1', { agentVersion: '1.4.0' }, withMinimum('1.5.0')), 'NON_COMPLIANT');
  });

  it('is NOT_APPLICABLE, not gone, when the node never reported an agent version', () => {
    const evaluation = evaluateNode('Fleet.1', { agentVersion: undefined });
    assert.equal(evaluation?.result, 'NOT_APPLICABLE');
    assert.equal(evaluation.gone, false);
  });
});

describe('evaluateControl: Fleet.2', () => {
  const limit = 7 * dayMs;
  const pending = (since: Date | undefined, count = 2): Partial<NodeFacts> => ({
    patchSummary: patchSummary({ installedPendingRebootCount: count, pendingRebootSince: since }),
  });

  it('defaults maxPendingRebootDays to 7', () => {
    assert.deepEqual(effectiveParameters(control('Fleet.2'), undefined), { maxPendingRebootDays: 7 });
  });

  it('is COMPLIANT when no installed patch awaits a reboot', () => {
    assert.equal(resultOf('Fleet.2', pending(ago(30 * dayMs), 0)), 'COMPLIANT');
  });

  it('is COMPLIANT when the reboot has been pending exactly maxPendingRebootDays', () => {
    assert.equal(resultOf('Fleet.2', pending(ago(limit))), 'COMPLIANT');
  });

  it('is NON_COMPLIANT one millisecond past maxPendingRebootDays', () => {
    const evaluation = evaluateNode('Fleet.2', pending(ago(limit + 1)));
    assert.equal(evaluation?.result, 'NON_COMPLIANT');
    assert.match(evaluation.annotation, /allowed: 7 days/);
  });

  it('is COMPLIANT when patches await a reboot but the time of the install is unknown', () => {
    assert.equal(resultOf('Fleet.2', pending(undefined)), 'COMPLIANT');
  });

  it('follows a custom maxPendingRebootDays', () => {
    assert.equal(
      resultOf('Fleet.2', pending(ago(1)), { parameters: { maxPendingRebootDays: 0 } }),
      'NON_COMPLIANT',
    );
  });

  it('is NOT_APPLICABLE, not gone, without a patch summary', () => {
    const evaluation = evaluateNode('Fleet.2', { patchSummary: undefined });
    assert.equal(evaluation?.result, 'NOT_APPLICABLE');
    assert.equal(evaluation.gone, false);
  });
});

describe('evaluateControl: Fleet.3', () => {
  const limit = 7 * dayMs;
  const withPatches = (...patches: MissingPatch[]): Partial<EvaluationInput> => ({
    missingPatches: missingPatches(...patches),
  });

  it('defaults maxCriticalPatchAgeDays to 7', () => {
    assert.deepEqual(effectiveParameters(control('Fleet.3'), undefined), { maxCriticalPatchAgeDays: 7 });
  });

  it('is COMPLIANT when no patch is missing', () => {
    assert.equal(resultOf('Fleet.3', {}, withPatches()), 'COMPLIANT');
  });

  it('is COMPLIANT when a CRITICAL patch has been missing exactly maxCriticalPatchAgeDays', () => {
    assert.equal(
      resultOf('Fleet.3', {}, withPatches(missingPatch({ firstSeenAt: ago(limit) }))),
      'COMPLIANT',
    );
  });

  it('is NON_COMPLIANT when a CRITICAL patch has been missing one millisecond longer', () => {
    const evaluation = evaluateNode(
      'Fleet.3',
      {},
      withPatches(missingPatch({ firstSeenAt: ago(limit + 1) })),
    );
    assert.equal(evaluation?.result, 'NON_COMPLIANT');
    assert.match(evaluation.annotation, /openssl\.x86_64:0:3\.0\.7-27\.el9/);
  });

  it('ignores aged missing patches below CRITICAL', () => {
    const high = missingPatch({ complianceLevel: 'HIGH', firstSeenAt: ago(30 * dayMs) });
    assert.equal(resultOf('Fleet.3', {}, withPatches(high)), 'COMPLIANT');
  });

  it("ignores another node's aged CRITICAL patches", () => {
    const other = missingPatch({ instanceId: 'mi-other', firstSeenAt: ago(30 * dayMs) });
    assert.equal(resultOf('Fleet.3', {}, withPatches(other)), 'COMPLIANT');
  });

  it('names at most five aged patches, sorted', () => {
    const patches = ['f', 'b', 'e', 'a', 'd', 'c'].map((patchId) =>
      missingPatch({ patchId, firstSeenAt: ago(30 * dayMs) }),
    );
    assert.match(
      evaluateNode('Fleet.3', {}, withPatches(...patches))?.annotation ?? '',
      /^6 .*: a, b, c, d, e, …\.$/,
    );
  });

  it('is NOT_APPLICABLE, not gone, without a patch summary', () => {
    const aged = missingPatch({ firstSeenAt: ago(30 * dayMs) });
    const evaluation = evaluateNode('Fleet.3', { patchSummary: undefined }, withPatches(aged));
    assert.equal(evaluation?.result, 'NOT_APPLICABLE');
    assert.equal(evaluation.gone, false);
  });
});

describe('evaluateControl: Fleet.4', () => {
  const limit = 24 * hourMs;

  it('defaults maxInventoryAgeHours to 24', () => {
    assert.deepEqual(effectiveParameters(control('Fleet.4'), undefined), { maxInventoryAgeHours: 24 });
  });

  it('is COMPLIANT when inventory is exactly maxInventoryAgeHours old', () => {
    assert.equal(resultOf('Fleet.4', { inventoryReportedAt: ago(limit) }), 'COMPLIANT');
  });

  it('is NON_COMPLIANT one millisecond past maxInventoryAgeHours', () => {
    assert.equal(resultOf('Fleet.4', { inventoryReportedAt: ago(limit + 1) }), 'NON_COMPLIANT');
  });

  it('reads the limit in hours, not days', () => {
    assert.equal(
      resultOf(
        'Fleet.4',
        { inventoryReportedAt: ago(2 * hourMs) },
        { parameters: { maxInventoryAgeHours: 1 } },
      ),
      'NON_COMPLIANT',
    );
  });

  it('is NON_COMPLIANT when the node never reported inventory', () => {
    assert.equal(resultOf('Fleet.4', { inventoryReportedAt: undefined }), 'NON_COMPLIANT');
  });
});

describe('evaluateControl: Fleet.5', () => {
  const limit = 7 * dayMs;

  it('defaults maxPatchScanAgeDays to 7', () => {
    assert.deepEqual(effectiveParameters(control('Fleet.5'), undefined), { maxPatchScanAgeDays: 7 });
  });

  it('is COMPLIANT when the last scan ended exactly maxPatchScanAgeDays ago', () => {
    assert.equal(
      resultOf('Fleet.5', { patchSummary: patchSummary({ operationEndTime: ago(limit) }) }),
      'COMPLIANT',
    );
  });

  it('is NON_COMPLIANT one millisecond past maxPatchScanAgeDays', () => {
    const evaluation = evaluateNode('Fleet.5', {
      patchSummary: patchSummary({ operationEndTime: ago(limit + 1) }),
    });
    assert.equal(evaluation?.result, 'NON_COMPLIANT');
    assert.match(evaluation.annotation, /last patch Scan ended/);
  });

  it('is NON_COMPLIANT when the node was never scanned', () => {
    const evaluation = evaluateNode('Fleet.5', { patchSummary: undefined });
    assert.equal(evaluation?.result, 'NON_COMPLIANT');
    assert.equal(evaluation.gone, false);
  });

  it('is NON_COMPLIANT when the patch summary has no end time', () => {
    assert.equal(
      resultOf('Fleet.5', { patchSummary: patchSummary({ operationEndTime: undefined }) }),
      'NON_COMPLIANT',
    );
  });
});
