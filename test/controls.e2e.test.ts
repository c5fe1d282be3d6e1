/**
 * E2E: standards and security controls through @aws-sdk/client-securityhub. Each control's input is flipped
 * through the SSM API (as the agent and users change it) and its control finding follows within seconds; the
 * security score, control settings, and the patch findings of a scan are checked on the way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchDisableStandardsCommand,
  BatchEnableStandardsCommand,
  BatchGetSecurityControlsCommand,
  BatchGetStandardsControlAssociationsCommand,
  BatchUpdateStandardsControlAssociationsCommand,
  ListStandardsControlAssociationsCommand,
  CreateAutomationRuleCommand,
  DescribeStandardsCommand,
  DescribeStandardsControlsCommand,
  GetEnabledStandardsCommand,
  GetSecurityControlDefinitionCommand,
  ListSecurityControlDefinitionsCommand,
  UpdateSecurityControlCommand,
  UpdateSecurityHubConfigurationCommand,
  UpdateStandardsControlCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import {
  CreateDocumentCommand,
  DeregisterManagedInstanceCommand,
  ModifyDocumentPermissionCommand,
  PutComplianceItemsCommand,
  UpdateServiceSettingCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { enabledAccount, getAllFindings, type TestAccount } from './support/accounts.js';
import { rawFetch } from './support/aws-request.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { openDatabase } from '../src/storage/open-database.js';
import { eventually, registerNode, ssmClient, type ManagedNode } from './support/ssm.js';

const fsbp = (region: string) =>
  `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
const baseline = (region: string) =>
  `arn:aws:securityhub:${region}::standards/bulwark-fleet-baseline/v/1.0.0`;
const nodeArn = (account: TestAccount, instanceId: string) =>
  `arn:aws:ssm:${account.region}:${account.accountId}:managed-instance/${instanceId}`;

describe('controls, standards and the security score (e2e)', () => {
  let server: InProcessServer;
  let account: TestAccount;
  let hub: SecurityHubClient;
  let ssm: SSMClient;
  let node: ManagedNode;

  before(async () => {
    server = await startInProcessServer({ env: { BULWARK_WORKER_POLL_MS: '50' } });
    account = await enabledAccount(server, 'us-east-1', { defaultStandards: true });
    hub = account.client;
    ssm = ssmClient(server, account.key);
    node = await registerNode(server, ssm, 'web-1');
    await node.call('UpdateInstanceInformation', {
      InstanceId: node.instanceId,
      AgentName: 'bulwark-agent',
      AgentVersion: '0.0.1',
      AgentStatus: 'Active',
      PlatformType: 'Linux',
      PlatformName: 'Debian GNU/Linux',
      PlatformVersion: '12',
      ComputerName: 'web-1',
    });
  });
  after(async () => {
    ssm?.destroy();
    await server?.dispose();
  });

  /** The active findings of one control on one resource. */
  const controlFindings = (controlId: string, resourceId?: string, recordState = 'ACTIVE') =>
    getAllFindings(hub, {
      ComplianceSecurityControlId: [{ Value: controlId, Comparison: 'EQUALS' }],
      RecordState: [{ Value: recordState, Comparison: 'EQUALS' }],
      ...(resourceId === undefined ? {} : { ResourceId: [{ Value: resourceId, Comparison: 'EQUALS' }] }),
    });

  /** Waits until the control's one active finding on the resource has `status`, and returns it. */
  async function controlStatus(
    controlId: string,
    resourceId: string,
    status: string,
  ): Promise<AwsSecurityFinding> {
    const findings = await eventually(
      () => controlFindings(controlId, resourceId),
      (list) => list.length === 1 && list[0]?.Compliance?.Status === status,
      `${controlId} ${status} on ${resourceId}`,
    );
    return findings[0] as AwsSecurityFinding;
  }

  it('enables the default standards with the hub and describes standards and controls', async () => {
    const standards = await hub.send(new DescribeStandardsCommand({}));
    const arns = (standards.Standards ?? []).map((s) => s.StandardsArn);
    assert.ok(arns.includes(fsbp('us-east-1')));
    assert.ok(arns.includes('arn:aws:securityhub:us-east-1::standards/nist-800-53/v/5.0.0'));
    const enabled = await hub.send(new GetEnabledStandardsCommand({}));
    assert.deepEqual(
      (enabled.StandardsSubscriptions ?? []).map((s) => [s.StandardsArn, s.StandardsStatus]).sort(),
      [
        [fsbp('us-east-1'), 'READY'],
        [baseline('us-east-1'), 'READY'],
      ],
    );
    const subscription = `arn:aws:securityhub:us-east-1:${account.accountId}:subscription/aws-foundational-security-best-practices/v/1.0.0`;
    const controls = await hub.send(
      new DescribeStandardsControlsCommand({ StandardsSubscriptionArn: subscription }),
    );
    const ssm1 = controls.Controls?.find((c) => c.ControlId === 'SSM.1');
    assert.equal(ssm1?.ControlStatus, 'ENABLED');
    assert.equal(ssm1?.SeverityRating, 'MEDIUM');
    assert.ok(ssm1?.ControlStatusUpdatedAt instanceof Date);
    const definitions = await hub.send(
      new ListSecurityControlDefinitionsCommand({ StandardsArn: baseline('us-east-1') }),
    );
    assert.ok((definitions.SecurityControlDefinitions ?? []).some((d) => d.SecurityControlId === 'Fleet.3'));
    const definition = await hub.send(
      new GetSecurityControlDefinitionCommand({ SecurityControlId: 'SSM.4' }),
    );
    assert.equal(definition.SecurityControlDefinition?.SeverityRating, 'CRITICAL');
    await assert.rejects(
      hub.send(new GetSecurityControlDefinitionCommand({ SecurityControlId: 'Nope.1' })),
      (error: Error) => error.name === 'ResourceNotFoundException',
    );
  });

  it('control runs write their findings under the service identity, each write with its audit record', async () => {
    await controlStatus('SSM.1', nodeArn(account, node.instanceId), 'PASSED');
    const { db } = await openDatabase(server.databaseUrl);
    try {
      const rows = await db
        .selectFrom('audit_records')
        .selectAll()
        .where('account_id', '=', account.accountId)
        .where('identity_type', '=', 'AWSService')
        .where('action', '=', 'BatchImportFindings')
        .execute();
      assert.ok(rows.length > 0, 'a control run is on the audit trail');
      for (const row of rows) {
        assert.match(
          row.principal_arn ?? '',
          /:role\/aws-service-role\/securityhub\.amazonaws\.com\/AWSServiceRoleForSecurityHub$/,
        );
        assert.match(row.request_parameters ?? '', /security-control\//);
      }
    } finally {
      await db.destroy();
    }
  });

  it('SSM.1 passes for a node whose agent is online and archives its finding on deregistration', async () => {
    const other = await registerNode(server, ssm, 'short-lived');
    const arn = nodeArn(account, other.instanceId);
    const passed = await controlStatus('SSM.1', arn, 'PASSED');
    assert.equal(passed.GeneratorId, 'security-control/SSM.1');
    assert.equal(passed.ProductArn, 'arn:aws:securityhub:us-east-1::product/aws/securityhub');
    assert.equal(passed.Workflow?.Status, 'RESOLVED');
    assert.equal(passed.Severity?.Label, 'INFORMATIONAL');
    assert.deepEqual((passed.Compliance?.AssociatedStandards ?? []).map((s) => s.StandardsId).sort(), [
      'standards/aws-foundational-security-best-practices/v/1.0.0',
      'standards/bulwark-fleet-baseline/v/1.0.0',
    ]);
    assert.match(
      passed.Id ?? '',
      /^arn:aws:securityhub:us-east-1:\d{12}:security-control\/SSM\.1\/finding\/[0-9a-f-]{36}$/,
    );
    await ssm.send(new DeregisterManagedInstanceCommand({ InstanceId: other.instanceId }));
    const archived = await eventually(
      () => controlFindings('SSM.1', arn, 'ARCHIVED'),
      (list) => list.length === 1,
      'the archived SSM.1 finding',
    );
    assert.equal(archived[0]?.Compliance?.Status, 'NOT_AVAILABLE');
    assert.equal(archived[0]?.Id, passed.Id);
  });

  it('SSM.2 and SSM.3 follow patch and association compliance; a failure reopens the resolved finding', async () => {
    const arn = nodeArn(account, node.instanceId);
    const put = (type: string, status: 'COMPLIANT' | 'NON_COMPLIANT') =>
      ssm.send(
        new PutComplianceItemsCommand({
          ResourceId: node.instanceId,
          ResourceType: 'ManagedInstance',
          ComplianceType: type,
          ExecutionSummary: { ExecutionTime: new Date() },
          Items: [{ Id: `${type}-item`, Title: 'item', Severity: 'CRITICAL', Status: status }],
        }),
      );
    await put('Patch', 'NON_COMPLIANT');
    const failed = await controlStatus('SSM.2', arn, 'FAILED');
    assert.equal(failed.Severity?.Label, 'HIGH');
    assert.equal(failed.Workflow?.Status, 'NEW');
    assert.equal(failed.Resources?.[0]?.Type, 'AwsSsmPatchCompliance');
    assert.equal(
      failed.Resources?.[0]?.Details?.AwsSsmPatchCompliance?.Patch?.ComplianceSummary
        ?.NonCompliantCriticalCount,
      1,
    );
    await put('Patch', 'COMPLIANT');
    const passed = await controlStatus('SSM.2', arn, 'PASSED');
    assert.equal(passed.Workflow?.Status, 'RESOLVED');
    await put('Patch', 'NON_COMPLIANT');
    assert.equal((await controlStatus('SSM.2', arn, 'FAILED')).Workflow?.Status, 'NEW');

    await put('Association', 'NON_COMPLIANT');
    assert.equal((await controlStatus('SSM.3', arn, 'FAILED')).Severity?.Label, 'LOW');
    await put('Association', 'COMPLIANT');
    await controlStatus('SSM.3', arn, 'PASSED');
  });

  it('SSM.4 fails for a public document and passes once it is private; SSM.7 follows the block setting', async () => {
    // Control findings flow through automation rules like any other finding.
    await hub.send(
      new CreateAutomationRuleCommand({
        RuleName: 'Page on public documents',
        Description: 'A public document is an incident',
        RuleOrder: 1,
        Criteria: { GeneratorId: [{ Value: 'security-control/SSM.4', Comparison: 'EQUALS' }] },
        Actions: [
          {
            Type: 'FINDING_FIELDS_UPDATE',
            FindingFieldsUpdate: {
              Note: { Text: 'page the on-call', UpdatedBy: 'automation' },
              UserDefinedFields: { team: 'platform' },
            },
          },
        ],
      }),
    );
    const name = 'ControlsProbe';
    await ssm.send(
      new CreateDocumentCommand({
        Name: name,
        DocumentType: 'Command',
        Content: JSON.stringify({
          schemaVersion: '2.2',
          description: 'probe',
          mainSteps: [{ action: 'aws:runShellScript', name: 'run', inputs: { runCommand: ['true'] } }],
        }),
      }),
    );
    const documentArn = `arn:aws:ssm:us-east-1:${account.accountId}:document/${name}`;
    await controlStatus('SSM.4', documentArn, 'PASSED');
    await ssm.send(
      new ModifyDocumentPermissionCommand({ Name: name, PermissionType: 'Share', AccountIdsToAdd: ['All'] }),
    );
    const failed = await controlStatus('SSM.4', documentArn, 'FAILED');
    assert.equal(failed.Severity?.Label, 'CRITICAL');
    assert.equal(failed.Note?.Text, 'page the on-call');
    assert.equal(failed.UserDefinedFields?.['team'], 'platform');
    await ssm.send(
      new ModifyDocumentPermissionCommand({
        Name: name,
        PermissionType: 'Share',
        AccountIdsToRemove: ['All'],
      }),
    );
    await controlStatus('SSM.4', documentArn, 'PASSED');

    const accountResource = `AWS::::Account:${account.accountId}`;
    await controlStatus('SSM.7', accountResource, 'FAILED');
    await ssm.send(
      new UpdateServiceSettingCommand({
        SettingId: '/ssm/documents/console/public-sharing-permission',
        SettingValue: 'Disable',
      }),
    );
    await controlStatus('SSM.7', accountResource, 'PASSED');
  });

  it('Fleet.1 fails an old agent until UpdateSecurityControl lowers the minimum; bad parameters change nothing', async () => {
    const arn = nodeArn(account, node.instanceId);
    const failed = await controlStatus('Fleet.1', arn, 'FAILED');
    assert.match(String(failed.ProductFields?.['Annotation']), /0\.0\.1 is older than/);
    await assert.rejects(
      hub.send(
        new UpdateSecurityControlCommand({
          SecurityControlId: 'Fleet.1',
          Parameters: { minimumAgentVersion: { ValueType: 'CUSTOM', Value: { String: 'latest' } } },
        }),
      ),
      (error: Error) => error.name === 'InvalidInputException',
    );
    await assert.rejects(
      hub.send(
        new UpdateSecurityControlCommand({
          SecurityControlId: 'Fleet.2',
          Parameters: { maxPendingRebootDays: { ValueType: 'CUSTOM', Value: { Integer: 9999 } } },
        }),
      ),
      (error: Error) => error.name === 'InvalidInputException',
    );
    await hub.send(
      new UpdateSecurityControlCommand({
        SecurityControlId: 'Fleet.1',
        Parameters: { minimumAgentVersion: { ValueType: 'CUSTOM', Value: { String: '0.0.1' } } },
        LastUpdateReason: 'legacy agents accepted',
      }),
    );
    await controlStatus('Fleet.1', arn, 'PASSED');
    const controls = await hub.send(
      new BatchGetSecurityControlsCommand({ SecurityControlIds: ['Fleet.1', 'Fleet.2', 'Bogus.9'] }),
    );
    const fleet1 = controls.SecurityControls?.find((c) => c.SecurityControlId === 'Fleet.1');
    assert.deepEqual(fleet1?.Parameters?.['minimumAgentVersion'], {
      ValueType: 'CUSTOM',
      Value: { String: '0.0.1' },
    });
    assert.equal(fleet1?.LastUpdateReason, 'legacy agents accepted');
    const fleet2 = controls.SecurityControls?.find((c) => c.SecurityControlId === 'Fleet.2');
    assert.deepEqual(fleet2?.Parameters?.['maxPendingRebootDays'], {
      ValueType: 'DEFAULT',
      Value: { Integer: 7 },
    });
    assert.deepEqual(
      controls.UnprocessedIds?.map((u) => [u.SecurityControlId, u.ErrorCode]),
      [['Bogus.9', 'NOT_FOUND']],
    );
  });

  it('turns a scan’s missing patches into findings and resolves them when a later scan finds them installed', async () => {
    const scanned = await registerNode(server, ssm, 'db-1');
    const arn = nodeArn(account, scanned.instanceId);
    const scan = async (rows: { id: string; state: string; severity: string }[], at: Date) => {
      const missing = rows.filter((r) => r.state === 'Missing').length;
      await scanned.call('PutInventory', {
        InstanceId: scanned.instanceId,
        Items: [
          {
            TypeName: 'AWS:PatchSummary',
            SchemaVersion: '1.0',
            CaptureTime: at.toISOString().replace(/\.\d+Z$/, 'Z'),
            Content: [
              {
                BaselineId: 'pb-0123456789abcdef0',
                PatchGroup: '',
                SnapshotId: `snap-${at.getTime()}`,
                OperationType: 'Scan',
                OperationStartTime: at.toISOString().replace(/\.\d+Z$/, 'Z'),
                OperationEndTime: at.toISOString().replace(/\.\d+Z$/, 'Z'),
                RebootOption: 'NoReboot',
                InstalledCount: String(rows.length - missing),
                MissingCount: String(missing),
                FailedCount: '0',
                InstalledPendingRebootCount: '0',
              },
            ],
          },
          {
            TypeName: 'AWS:ComplianceItem',
            SchemaVersion: '1.0',
            CaptureTime: at.toISOString().replace(/\.\d+Z$/, 'Z'),
            Context: {
              ComplianceType: 'Patch',
              ExecutionId: `snap-${at.getTime()}`,
              ExecutionType: 'Command',
              ExecutionTime: at.toISOString(),
            },
            Content: rows.map((r) => ({
              Id: r.id,
              Title: `${r.id}: security update`,
              Severity: r.severity,
              Status: r.state === 'Missing' ? 'NON_COMPLIANT' : 'COMPLIANT',
              PatchState: r.state,
              Classification: 'Security',
              PatchSeverity: '',
              ...(r.state === 'Missing' ? { CVEIds: 'CVE-2024-0001' } : {}),
            })),
          },
        ],
      });
    };
    const first = new Date(Date.now() - 60_000);
    await scan(
      [
        { id: 'openssl.amd64', state: 'Missing', severity: 'CRITICAL' },
        { id: 'curl.amd64', state: 'Missing', severity: 'UNSPECIFIED' },
        { id: 'bash.amd64', state: 'Installed', severity: 'UNSPECIFIED' },
      ],
      first,
    );
    const patchFindings = (recordState: string) =>
      getAllFindings(hub, {
        GeneratorId: [{ Value: 'bulwark-patch-compliance/missing-patch', Comparison: 'EQUALS' }],
        ResourceId: [{ Value: arn, Comparison: 'EQUALS' }],
        RecordState: [{ Value: recordState, Comparison: 'EQUALS' }],
      });
    const open = await eventually(
      () => patchFindings('ACTIVE'),
      (list) => list.length === 2,
      'two missing-patch findings',
    );
    const openssl = open.find((f) => f.ProductFields?.['PatchId'] === 'openssl.amd64');
    assert.equal(openssl?.Severity?.Label, 'CRITICAL');
    assert.equal(openssl?.Compliance?.Status, 'FAILED');
    assert.deepEqual(openssl?.Types, ['Software and Configuration Checks/Patch Management']);
    assert.equal(openssl?.Vulnerabilities?.[0]?.Id, 'CVE-2024-0001');
    assert.equal(open.find((f) => f.ProductFields?.['PatchId'] === 'curl.amd64')?.Severity?.Label, 'MEDIUM');
    const summary = await eventually(
      () =>
        getAllFindings(hub, {
          GeneratorId: [{ Value: 'bulwark-patch-compliance/patch-summary', Comparison: 'EQUALS' }],
          ResourceId: [{ Value: arn, Comparison: 'EQUALS' }],
        }),
      (list) => list.length === 1,
      'the patch summary finding',
    );
    assert.equal(summary[0]?.Title, 'Systems Manager Patch Summary - Managed Instance Non-Compliant');
    assert.equal(summary[0]?.PatchSummary?.MissingCount, 2);

    await scan(
      [
        { id: 'openssl.amd64', state: 'Installed', severity: 'CRITICAL' },
        { id: 'curl.amd64', state: 'Missing', severity: 'UNSPECIFIED' },
        { id: 'bash.amd64', state: 'Installed', severity: 'UNSPECIFIED' },
      ],
      new Date(),
    );
    const resolved = await eventually(
      () => patchFindings('ARCHIVED'),
      (list) => list.length === 1,
      'the resolved finding',
    );
    assert.equal(resolved[0]?.Id, openssl?.Id);
    assert.equal(resolved[0]?.Compliance?.Status, 'PASSED');
    assert.equal(resolved[0]?.Workflow?.Status, 'RESOLVED');
    const stillOpen = await patchFindings('ACTIVE');
    assert.deepEqual(
      stillOpen.map((f) => f.ProductFields?.['PatchId']),
      ['curl.amd64'],
    );
    assert.equal(
      stillOpen[0]?.FirstObservedAt,
      open.find((f) => f.ProductFields?.['PatchId'] === 'curl.amd64')?.FirstObservedAt,
    );
  });

  it('reports the security score: passed ÷ enabled controls with data, per standard and overall', async () => {
    const response = await rawFetch(
      server.endpoint,
      { method: 'GET', path: '/bulwark/securityScore' },
      account.key,
    );
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      SecurityScores: {
        AccountId: string;
        Score?: number;
        PassedControls: number;
        ControlsWithData: number;
        Standards: {
          StandardsArn: string;
          Score?: number;
          PassedControls: number;
          ControlsWithData: number;
        }[];
        Controls: { SecurityControlId: string; Status: string }[];
      }[];
    };
    const score = body.SecurityScores[0];
    assert.equal(score?.AccountId, account.accountId);
    const status = new Map(score?.Controls.map((c) => [c.SecurityControlId, c.Status]));
    const passed = [...status.values()].filter((s) => s === 'PASSED').length;
    const withData = [...status.values()].filter((s) => s !== 'NO_DATA').length;
    assert.equal(score?.PassedControls, passed);
    assert.equal(score?.ControlsWithData, withData);
    assert.equal(score?.Score, Math.round((passed / withData) * 100));
    assert.equal(status.get('SSM.2'), 'FAILED');
    assert.equal(status.get('SSM.4'), 'PASSED');
    const fsbpScore = score?.Standards.find((s) => s.StandardsArn === fsbp('us-east-1'));
    // FSBP holds SSM.1, SSM.2 (failed), SSM.3, SSM.4, SSM.7: four of five pass.
    assert.deepEqual([fsbpScore?.PassedControls, fsbpScore?.ControlsWithData, fsbpScore?.Score], [4, 5, 80]);
  });

  it('lists, reads and updates standards-control associations per enabled standard', async () => {
    const listed = await hub.send(
      new ListStandardsControlAssociationsCommand({ SecurityControlId: 'SSM.2' }),
    );
    assert.deepEqual(
      (listed.StandardsControlAssociationSummaries ?? [])
        .map((a) => [a.StandardsArn, a.AssociationStatus])
        .sort(),
      [
        [fsbp('us-east-1'), 'ENABLED'],
        [baseline('us-east-1'), 'ENABLED'],
      ],
    );
    const updated = await hub.send(
      new BatchUpdateStandardsControlAssociationsCommand({
        StandardsControlAssociationUpdates: [
          {
            SecurityControlId: 'SSM.2',
            StandardsArn: fsbp('us-east-1'),
            AssociationStatus: 'DISABLED',
            UpdatedReason: 'patched elsewhere',
          },
          {
            SecurityControlId: 'SSM.2',
            StandardsArn: 'arn:aws:securityhub:us-east-1::standards/pci-dss/v/3.2.1',
            AssociationStatus: 'DISABLED',
          },
        ],
      }),
    );
    assert.deepEqual(
      updated.UnprocessedAssociationUpdates?.map((u) => [
        u.StandardsControlAssociationUpdate?.StandardsArn,
        u.ErrorCode,
      ]),
      [['arn:aws:securityhub:us-east-1::standards/pci-dss/v/3.2.1', 'RESOURCE_NOT_FOUND']],
    );
    const read = await hub.send(
      new BatchGetStandardsControlAssociationsCommand({
        StandardsControlAssociationIds: [
          { SecurityControlId: 'SSM.2', StandardsArn: fsbp('us-east-1') },
          { SecurityControlId: 'Nope.1', StandardsArn: fsbp('us-east-1') },
        ],
      }),
    );
    const detail = read.StandardsControlAssociationDetails?.[0];
    assert.deepEqual([detail?.AssociationStatus, detail?.UpdatedReason], ['DISABLED', 'patched elsewhere']);
    assert.ok(detail?.UpdatedAt instanceof Date);
    assert.deepEqual(
      read.UnprocessedAssociations?.map((u) => u.ErrorCode),
      ['RESOURCE_NOT_FOUND'],
    );
    // Still enabled in the Fleet Baseline: the finding stays active and names only that standard.
    const arn = nodeArn(account, node.instanceId);
    const only = await eventually(
      () => controlFindings('SSM.2', arn),
      (list) => list[0]?.Compliance?.AssociatedStandards?.length === 1,
      'SSM.2 associated with one standard',
    );
    assert.equal(
      only[0]?.Compliance?.AssociatedStandards?.[0]?.StandardsId,
      'standards/bulwark-fleet-baseline/v/1.0.0',
    );
    await hub.send(
      new BatchUpdateStandardsControlAssociationsCommand({
        StandardsControlAssociationUpdates: [
          { SecurityControlId: 'SSM.2', StandardsArn: fsbp('us-east-1'), AssociationStatus: 'ENABLED' },
        ],
      }),
    );
  });

  it('disabling a control in every standard that holds it archives its findings; bad requests change nothing', async () => {
    const arn = nodeArn(account, node.instanceId);
    const controlArn = (path: string) =>
      `arn:aws:securityhub:us-east-1:${account.accountId}:control/${path}/SSM.3`;
    await assert.rejects(
      hub.send(
        new UpdateStandardsControlCommand({
          StandardsControlArn: controlArn('aws-foundational-security-best-practices/v/1.0.0'),
          ControlStatus: 'DISABLED',
        }),
      ),
      (error: Error) => error.name === 'InvalidInputException',
    );
    await assert.rejects(
      hub.send(
        new UpdateStandardsControlCommand({
          StandardsControlArn: controlArn('pci-dss/v/3.2.1'),
          ControlStatus: 'DISABLED',
          DisabledReason: 'x',
        }),
      ),
      (error: Error) => error.name === 'ResourceNotFoundException',
    );
    await controlStatus('SSM.3', arn, 'PASSED');
    for (const path of [
      'aws-foundational-security-best-practices/v/1.0.0',
      'bulwark-fleet-baseline/v/1.0.0',
    ]) {
      await hub.send(
        new UpdateStandardsControlCommand({
          StandardsControlArn: controlArn(path),
          ControlStatus: 'DISABLED',
          DisabledReason: 'no State Manager here',
        }),
      );
    }
    await eventually(
      () => controlFindings('SSM.3', arn, 'ARCHIVED'),
      (list) => list.length === 1,
      'the archived SSM.3 finding',
    );
    const subscription = `arn:aws:securityhub:us-east-1:${account.accountId}:subscription/bulwark-fleet-baseline/v/1.0.0`;
    const controls = await hub.send(
      new DescribeStandardsControlsCommand({ StandardsSubscriptionArn: subscription }),
    );
    const ssm3 = controls.Controls?.find((c) => c.ControlId === 'SSM.3');
    assert.deepEqual([ssm3?.ControlStatus, ssm3?.DisabledReason], ['DISABLED', 'no State Manager here']);

    // Disabling a standard archives what only it held; enabling NIST brings SSM.3 back.
    const disabled = await hub.send(
      new BatchDisableStandardsCommand({ StandardsSubscriptionArns: [subscription] }),
    );
    assert.equal(disabled.StandardsSubscriptions?.[0]?.StandardsStatus, 'DELETING');
    await eventually(
      () => controlFindings('Fleet.1', arn, 'ARCHIVED'),
      (list) => list.length === 1,
      'the archived Fleet.1 finding',
    );
    await assert.rejects(
      hub.send(
        new BatchEnableStandardsCommand({
          StandardsSubscriptionRequests: [
            { StandardsArn: 'arn:aws:securityhub:us-east-1::standards/unknown/v/1' },
          ],
        }),
      ),
      (error: Error) => error.name === 'InvalidInputException',
    );
    await hub.send(
      new BatchEnableStandardsCommand({
        StandardsSubscriptionRequests: [
          { StandardsArn: 'arn:aws:securityhub:us-east-1::standards/nist-800-53/v/5.0.0' },
        ],
      }),
    );
    await controlStatus('SSM.3', arn, 'PASSED');
  });

  it('ControlFindingGenerator STANDARD_CONTROL: one finding per standard; the consolidated one is archived', async () => {
    const other = await enabledAccount(server, 'us-east-1', { defaultStandards: true });
    const otherSsm = ssmClient(server, other.key);
    try {
      const web = await registerNode(server, otherSsm, 'per-standard');
      const arn = nodeArn(other, web.instanceId);
      const findings = (recordState: string) =>
        getAllFindings(other.client, {
          ComplianceSecurityControlId: [{ Value: 'SSM.1', Comparison: 'EQUALS' }],
          ResourceId: [{ Value: arn, Comparison: 'EQUALS' }],
          RecordState: [{ Value: recordState, Comparison: 'EQUALS' }],
        });
      await eventually(
        () => findings('ACTIVE'),
        (list) => list.length === 1 && list[0]?.GeneratorId === 'security-control/SSM.1',
        'the consolidated SSM.1 finding',
      );
      await other.client.send(
        new UpdateSecurityHubConfigurationCommand({ ControlFindingGenerator: 'STANDARD_CONTROL' }),
      );
      const perStandard = await eventually(
        () => findings('ACTIVE'),
        (list) => list.length === 2,
        'one SSM.1 finding per enabled standard',
      );
      assert.deepEqual(perStandard.map((f) => f.GeneratorId).sort(), [
        'aws-foundational-security-best-practices/v/1.0.0/SSM.1',
        'bulwark-fleet-baseline/v/1.0.0/SSM.1',
      ]);
      const fsbpFinding = perStandard.find((f) => f.GeneratorId?.startsWith('aws-foundational'));
      assert.equal(fsbpFinding?.Title?.startsWith('SSM.1 '), true);
      assert.equal(
        fsbpFinding?.ProductFields?.['StandardsArn'],
        'arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0',
      );
      assert.equal(fsbpFinding?.Compliance?.Status, 'PASSED');
      const archived = await findings('ARCHIVED');
      assert.deepEqual(
        archived.map((f) => f.GeneratorId),
        ['security-control/SSM.1'],
      );
    } finally {
      otherSsm.destroy();
    }
  });

  it('re-evaluates on the periodic sweep: SSM.1 fails once the agent stops answering, passes when it is back', async () => {
    const sweeping = await startInProcessServer({
      env: {
        BULWARK_WORKER_POLL_MS: '50',
        BULWARK_PING_TIMEOUT_SECONDS: '2',
        BULWARK_CONTROLS_SWEEP_MS: '1000',
      },
    });
    try {
      const owner = await enabledAccount(sweeping, 'us-east-1', { defaultStandards: true });
      const client = ssmClient(sweeping, owner.key);
      const quiet = await registerNode(sweeping, client, 'quiet-1');
      const arn = nodeArn(owner, quiet.instanceId);
      const ssm1 = (status: string) =>
        eventually(
          () =>
            getAllFindings(owner.client, {
              ComplianceSecurityControlId: [{ Value: 'SSM.1', Comparison: 'EQUALS' }],
              ResourceId: [{ Value: arn, Comparison: 'EQUALS' }],
            }),
          (list) => list.length === 1 && list[0]?.Compliance?.Status === status,
          `SSM.1 ${status}`,
        );
      await ssm1('PASSED');
      const failed = await ssm1('FAILED');
      assert.equal(failed[0]?.Workflow?.Status, 'NEW');
      // A plain heartbeat raises no event; the next sweep sees the node Online again.
      await quiet.call('UpdateInstanceInformation', { InstanceId: quiet.instanceId, AgentStatus: 'Active' });
      await ssm1('PASSED');
      client.destroy();
    } finally {
      await sweeping.dispose();
    }
  });

  it('keeps control findings in their account: another account sees none of them', async () => {
    const stranger = await enabledAccount(server);
    const seen = await getAllFindings(stranger.client, {
      ComplianceSecurityControlId: [{ Value: 'SSM.2', Comparison: 'EQUALS' }],
    });
    assert.deepEqual(seen, []);
    await assert.rejects(
      stranger.client.send(
        new DescribeStandardsControlsCommand({
          StandardsSubscriptionArn: `arn:aws:securityhub:us-east-1:${account.accountId}:subscription/aws-foundational-security-best-practices/v/1.0.0`,
        }),
      ),
      (error: Error) => error.name === 'ResourceNotFoundException',
    );
  });
});
