import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ComplianceSet } from '../compliance/index.js';
import { validateFinding } from '../findings/asff/index.js';
import { findControl, type ControlDefinition } from './catalogue.js';
import {
  complianceStatusOf,
  controlFinding,
  controlFindingIdOf,
  securityHubProductArnOf,
} from './control-finding.js';
import { effectiveParameters } from './enablement.js';
import { evaluateControl, type EvaluationInput, type ResourceEvaluation } from './evaluate.js';
import type { NodeFacts } from './facts.js';

type Json = Record<string, unknown>;

const region = 'us-east-1';
const accountId = '123456789012';
const createdAt = new Date('2025-11-01T08:00:00.000Z');
const now = new Date('2025-11-20T12:00:00.000Z');
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function control(id: string): ControlDefinition {
  const found = findControl(id);
  assert.ok(found, `control ${id} is in the catalogue`);
  return found;
}

function evaluation(overrides: Partial<ResourceEvaluation> = {}): ResourceEvaluation {
  const resourceId = overrides.resourceId ?? `arn:aws:ssm:${region}:${accountId}:managed-instance/mi-1`;
  return {
    resourceId,
    result: 'NON_COMPLIANT',
    annotation:
      'The agent on the node has not answered since 2025-11-19T12:00:00.000Z (PingStatus ConnectionLost).',
    resource: { Type: 'AwsEc2Instance', Id: resourceId, Partition: 'aws', Region: region },
    gone: false,
    ...overrides,
  };
}

function finding(
  overrides: Partial<Parameters<typeof controlFinding>[0]> & { evaluation?: ResourceEvaluation } = {},
): Json {
  const definition = overrides.control ?? control('SSM.1');
  return controlFinding({
    control: definition,
    evaluation: evaluation(),
    accountId,
    region,
    standardsIds: ['standards/aws-foundational-security-best-practices/v/1.0.0'],
    parameters: effectiveParameters(definition, undefined),
    createdAt,
    now,
    archived: false,
    ...overrides,
  });
}

const complianceOf = (document: Json): Json => document['Compliance'] as Json;
const severityOf = (document: Json): Json => document['Severity'] as Json;

function patchSet(): ComplianceSet {
  return {
    resourceType: 'ManagedInstance',
    resourceId: 'mi-1',
    complianceType: 'Patch',
    status: 'NON_COMPLIANT',
    overallSeverity: 'CRITICAL',
    itemCount: 6,
    counts: {
      COMPLIANT: { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 2, INFORMATIONAL: 0, UNSPECIFIED: 0 },
      NON_COMPLIANT: { CRITICAL: 1, HIGH: 2, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNSPECIFIED: 0 },
    },
    execution: { executionTime: now, executionId: 'exec-1', executionType: 'Command' },
    itemContentHash: undefined,
    updatedAt: now,
  };
}

function node(overrides: Partial<NodeFacts> = {}): NodeFacts {
  return {
    instanceId: 'mi-1',
    arn: `arn:aws:ssm:${region}:${accountId}:managed-instance/mi-1`,
    deregistered: false,
    pingStatus: 'ConnectionLost',
    lastPingAt: new Date('2025-11-19T12:00:00.000Z'),
    agentVersion: '1.4.0',
    platformName: 'Ubuntu',
    platformVersion: '22.04',
    ipAddress: '10.0.0.5',
    computerName: 'web-1',
    patchCompliance: patchSet(),
    associationCompliance: undefined,
    patchSummary: {
      baselineId: 'pb-0123456789abcdef0',
      patchGroup: 'web',
      operationType: 'Scan',
      operationEndTime: new Date('2025-11-19T12:00:00.000Z'),
      installedPendingRebootCount: 0,
      pendingRebootSince: undefined,
      attributes: {},
    },
    inventoryReportedAt: now,
    ...overrides,
  };
}

/** The first evaluation the real evaluate.ts gives for a control. */
function evaluated(
  definition: ControlDefinition,
  overrides: Partial<EvaluationInput> = {},
): ResourceEvaluation {
  const [first] = evaluateControl(definition, {
    region,
    accountId,
    now,
    hubVersion: '1.4.0',
    parameters: effectiveParameters(definition, undefined),
    nodes: [node()],
    missingPatches: new Map(),
    documents: [],
    account: undefined,
    ...overrides,
  });
  assert.ok(first, `${definition.id} gives a result`);
  return first;
}

/** Paths of strings that ASFF's NonEmptyString pattern (`.*\S.*`) rejects; the hub does not check every detail type. */
function blankStringPaths(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return /\S/.test(value) ? [] : [path];
  if (Array.isArray(value))
    return value.flatMap((item, index) => blankStringPaths(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => blankStringPaths(item, `${path}.${key}`));
  }
  return [];
}

function assertValidAsff(document: Json): void {
  const validation = validateFinding(document);
  assert.ok(validation.ok, validation.ok ? '' : validation.message);
  assert.deepEqual(blankStringPaths(document), []);
}

describe('controlFinding: identity', () => {
  it('has a security-control finding Id ending in a UUID', () => {
    const id = String(finding()['Id']);
    const prefix = `arn:aws:securityhub:${region}:${accountId}:security-control/SSM.1/finding/`;
    assert.ok(id.startsWith(prefix), id);
    assert.match(id.slice(prefix.length), uuid);
  });

  it('keeps the same Id for the same account, Region, control and resource', () => {
    const first = finding({ now, evaluation: evaluation({ result: 'NON_COMPLIANT' }) });
    const later = finding({
      now: new Date('2025-12-01T00:00:00.000Z'),
      evaluation: evaluation({ result: 'COMPLIANT' }),
    });
    assert.equal(first['Id'], later['Id']);
    assert.equal(first['Id'], controlFindingIdOf(region, accountId, 'SSM.1', evaluation().resourceId));
  });

  it('changes the Id when the account, Region, control or resource changes', () => {
    const ids = [
      finding(),
      finding({ accountId: '210987654321' }),
      finding({ region: 'eu-west-1' }),
      finding({ control: control('Fleet.1') }),
      finding({
        evaluation: evaluation({ resourceId: `arn:aws:ssm:${region}:${accountId}:managed-instance/mi-2` }),
      }),
    ].map((document) => document['Id']);
    assert.equal(new Set(ids).size, ids.length);
  });

  it("is Security Hub's own finding, generated by the control", () => {
    const document = finding({ control: control('SSM.2') });
    assert.equal(document['ProductArn'], securityHubProductArnOf(region));
    assert.equal(document['ProductArn'], `arn:aws:securityhub:${region}::product/aws/securityhub`);
    assert.equal(document['GeneratorId'], 'security-control/SSM.2');
    assert.equal(document['AwsAccountId'], accountId);
  });

  it('keeps the creation time and stamps the evaluation time', () => {
    const document = finding();
    assert.equal(document['CreatedAt'], createdAt.toISOString());
    assert.equal(document['FirstObservedAt'], createdAt.toISOString());
    assert.equal(document['UpdatedAt'], now.toISOString());
    assert.equal(document['LastObservedAt'], now.toISOString());
  });

  it('points the remediation at the control page', () => {
    assert.deepEqual(finding({ control: control('SSM.4') })['Remediation'], {
      Recommendation: {
        Text: control('SSM.4').remediation,
        Url: 'https://docs.aws.amazon.com/console/securityhub/SSM.4/remediation',
      },
    });
  });
});

describe('controlFinding: status and severity', () => {
  it('maps Config results to compliance statuses', () => {
    assert.equal(complianceStatusOf(evaluation({ result: 'COMPLIANT' })), 'PASSED');
    assert.equal(complianceStatusOf(evaluation({ result: 'NON_COMPLIANT' })), 'FAILED');
    assert.equal(complianceStatusOf(evaluation({ result: 'NOT_APPLICABLE' })), 'NOT_AVAILABLE');
  });

  it("labels a FAILED finding with the control's severity", () => {
    const document = finding({
      control: control('SSM.2'),
      evaluation: evaluation({ result: 'NON_COMPLIANT' }),
    });
    assert.equal(complianceOf(document)['Status'], 'FAILED');
    assert.deepEqual(severityOf(document), { Label: 'HIGH', Original: 'HIGH' });
  });

  it('labels a PASSED finding INFORMATIONAL', () => {
    const document = finding({ control: control('SSM.2'), evaluation: evaluation({ result: 'COMPLIANT' }) });
    assert.equal(complianceOf(document)['Status'], 'PASSED');
    assert.deepEqual(severityOf(document), { Label: 'INFORMATIONAL', Original: 'HIGH' });
  });

  it('labels a NOT_AVAILABLE finding INFORMATIONAL', () => {
    const document = finding({ evaluation: evaluation({ result: 'NOT_APPLICABLE' }) });
    assert.equal(severityOf(document)['Label'], 'INFORMATIONAL');
  });

  it('gives a NOT_AVAILABLE finding the CONFIG_RETURNS_NOT_APPLICABLE reason', () => {
    const document = finding({
      evaluation: evaluation({ result: 'NOT_APPLICABLE', annotation: 'The node was deregistered.' }),
    });
    assert.equal(complianceOf(document)['Status'], 'NOT_AVAILABLE');
    assert.deepEqual(complianceOf(document)['StatusReasons'], [
      { ReasonCode: 'CONFIG_RETURNS_NOT_APPLICABLE', Description: 'The node was deregistered.' },
    ]);
  });

  it('gives PASSED and FAILED findings no status reasons', () => {
    for (const result of ['COMPLIANT', 'NON_COMPLIANT'] as const) {
      assert.equal(complianceOf(finding({ evaluation: evaluation({ result }) }))['StatusReasons'], undefined);
    }
  });

  it('is ACTIVE unless archived', () => {
    assert.equal(finding({ archived: false })['RecordState'], 'ACTIVE');
    assert.equal(finding({ archived: true })['RecordState'], 'ARCHIVED');
  });
});

describe('controlFinding: compliance details', () => {
  it('names the control, its standards and its requirements', () => {
    const standardsIds = ['standards/nist-800-53/v/5.0.0', 'standards/bulwark-fleet-baseline/v/1.0.0'];
    const compliance = complianceOf(finding({ control: control('Fleet.3'), standardsIds }));
    assert.equal(compliance['SecurityControlId'], 'Fleet.3');
    assert.deepEqual(
      compliance['AssociatedStandards'],
      standardsIds.map((StandardsId) => ({ StandardsId })),
    );
    assert.deepEqual(compliance['RelatedRequirements'], control('Fleet.3').relatedRequirements);
  });

  it('lists the parameter values as strings', () => {
    const compliance = complianceOf(
      finding({ control: control('Fleet.2'), parameters: { maxPendingRebootDays: 7 } }),
    );
    assert.deepEqual(compliance['SecurityControlParameters'], [
      { Name: 'maxPendingRebootDays', Value: ['7'] },
    ]);
  });

  it('keeps a parameter value of 0', () => {
    const compliance = complianceOf(
      finding({ control: control('Fleet.2'), parameters: { maxPendingRebootDays: 0 } }),
    );
    assert.deepEqual(compliance['SecurityControlParameters'], [
      { Name: 'maxPendingRebootDays', Value: ['0'] },
    ]);
  });

  it('leaves out empty parameter values', () => {
    const compliance = complianceOf(
      finding({ control: control('Fleet.1'), parameters: { minimumAgentVersion: '' } }),
    );
    assert.equal('SecurityControlParameters' in compliance, false);
  });

  it('leaves out SecurityControlParameters for a control without parameters', () => {
    assert.equal('SecurityControlParameters' in complianceOf(finding({ parameters: {} })), false);
  });

  it('carries the evaluated resource and the Config rule in ProductFields', () => {
    const document = finding();
    assert.deepEqual(document['Resources'], [evaluation().resource]);
    const fields = document['ProductFields'] as Record<string, string>;
    assert.equal(fields['Resources:0/Id'], evaluation().resourceId);
    assert.equal(fields['Annotation'], evaluation().annotation);
    assert.equal(fields['RelatedAWSResources:0/type'], 'AWS::Config::ConfigRule');
    assert.match(
      fields['RelatedAWSResources:0/name'] ?? '',
      /^securityhub-ec2-instance-managed-by-systems-manager-[0-9a-f]{8}$/,
    );
  });
});

describe('controlFinding: accepted by the ASFF validation', () => {
  it('for a node control (SSM.1, FAILED)', () => {
    const definition = control('SSM.1');
    const document = finding({ control: definition, evaluation: evaluated(definition) });
    assert.equal(complianceOf(document)['Status'], 'FAILED');
    assertValidAsff(document);
  });

  it('for a node control with parameters (Fleet.2, PASSED)', () => {
    const definition = control('Fleet.2');
    const document = finding({ control: definition, evaluation: evaluated(definition) });
    assert.ok('SecurityControlParameters' in complianceOf(document));
    assertValidAsff(document);
  });

  it('for a NOT_AVAILABLE finding of a deregistered node, archived', () => {
    const definition = control('SSM.3');
    const gone = evaluated(definition, { nodes: [node({ deregistered: true })] });
    assertValidAsff(finding({ control: definition, evaluation: gone, archived: true }));
  });

  it('for SSM.2 with AwsSsmPatchCompliance details', () => {
    const definition = control('SSM.2');
    const document = finding({ control: definition, evaluation: evaluated(definition) });
    const [resource] = document['Resources'] as Json[];
    assert.equal(resource?.['Type'], 'AwsSsmPatchCompliance');
    assert.ok(resource['Details'] !== undefined && 'AwsSsmPatchCompliance' in (resource['Details'] as Json));
    assertValidAsff(document);
  });

  it('for SSM.2 of a node without a patch summary', () => {
    const definition = control('SSM.2');
    const evaluation = evaluated(definition, { nodes: [node({ patchSummary: undefined })] });
    assertValidAsff(finding({ control: definition, evaluation }));
  });

  it('for SSM.2 of a node without a patch group', () => {
    const definition = control('SSM.2');
    const summary = node().patchSummary;
    assert.ok(summary);
    const evaluation = evaluated(definition, {
      nodes: [node({ patchSummary: { ...summary, patchGroup: '' } })],
    });
    assertValidAsff(finding({ control: definition, evaluation }));
  });

  it('for SSM.4 on a public document', () => {
    const definition = control('SSM.4');
    const documents = [
      { name: 'Deploy', arn: `arn:aws:ssm:${region}:${accountId}:document/Deploy`, public: true },
    ];
    assertValidAsff(finding({ control: definition, evaluation: evaluated(definition, { documents }) }));
  });

  it('for SSM.7 on the account', () => {
    const definition = control('SSM.7');
    const evaluation = evaluated(definition, { account: { publicSharingBlocked: false } });
    assertValidAsff(finding({ control: definition, evaluation }));
  });
});
