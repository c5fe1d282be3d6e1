/**
 * E2E: tenant isolation. Account A owns one of every resource Security Hub, SSM and CloudTrail name by an
 * identifier; another account (B) and a member of A whose membership is not Enabled (M) try every operation that
 * takes such an identifier on A's resource. Each must answer as if the resource did not exist (the not-found or
 * AccessDenied shape the real service uses, or an empty result) and change nothing of A's.
 *
 * The table below is the checklist: every new capability that takes an identifier adds its rows.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  AcceptAdministratorInvitationCommand,
  AcceptInvitationCommand,
  BatchDeleteAutomationRulesCommand,
  BatchDisableStandardsCommand,
  BatchEnableStandardsCommand,
  BatchGetAutomationRulesCommand,
  BatchGetSecurityControlsCommand,
  BatchGetStandardsControlAssociationsCommand,
  BatchImportFindingsCommand,
  BatchUpdateAutomationRulesCommand,
  BatchUpdateFindingsCommand,
  BatchUpdateStandardsControlAssociationsCommand,
  CreateAutomationRuleCommand,
  CreateFindingAggregatorCommand,
  CreateInsightCommand,
  CreateMembersCommand,
  DeclineInvitationsCommand,
  DeleteFindingAggregatorCommand,
  DeleteInsightCommand,
  DeleteInvitationsCommand,
  DeleteMembersCommand,
  DescribeHubCommand,
  DescribeStandardsControlsCommand,
  DisableImportFindingsForProductCommand,
  DisassociateMembersCommand,
  EnableImportFindingsForProductCommand,
  GetEnabledStandardsCommand,
  GetFindingAggregatorCommand,
  GetFindingHistoryCommand,
  GetInsightResultsCommand,
  GetInsightsCommand,
  GetMembersCommand,
  InviteMembersCommand,
  ListAutomationRulesCommand,
  ListEnabledProductsForImportCommand,
  ListFindingAggregatorsCommand,
  ListInvitationsCommand,
  ListMembersCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFindingAggregatorCommand,
  UpdateInsightCommand,
  UpdateSecurityControlCommand,
  UpdateStandardsControlCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import {
  AddTagsToResourceCommand,
  CancelCommandCommand,
  CancelMaintenanceWindowExecutionCommand,
  CreateActivationCommand,
  CreateAssociationCommand,
  CreateDocumentCommand,
  CreateMaintenanceWindowCommand,
  CreatePatchBaselineCommand,
  DeleteActivationCommand,
  DeleteAssociationCommand,
  DeleteDocumentCommand,
  DeleteMaintenanceWindowCommand,
  DeletePatchBaselineCommand,
  DeregisterManagedInstanceCommand,
  DeregisterPatchBaselineForPatchGroupCommand,
  DeregisterTargetFromMaintenanceWindowCommand,
  DeregisterTaskFromMaintenanceWindowCommand,
  DescribeActivationsCommand,
  DescribeAssociationCommand,
  DescribeAssociationExecutionsCommand,
  DescribeInstanceAssociationsStatusCommand,
  DescribeAssociationExecutionTargetsCommand,
  DescribeDocumentCommand,
  DescribeDocumentPermissionCommand,
  DescribeInstanceInformationCommand,
  DescribeInstancePatchesCommand,
  DescribeInstancePatchStatesCommand,
  DescribeInstancePatchStatesForPatchGroupCommand,
  DescribeMaintenanceWindowExecutionsCommand,
  DescribeMaintenanceWindowExecutionTaskInvocationsCommand,
  DescribeMaintenanceWindowExecutionTasksCommand,
  DescribeMaintenanceWindowScheduleCommand,
  DescribeMaintenanceWindowsCommand,
  DescribePatchBaselinesCommand,
  ListDocumentsCommand,
  DescribeMaintenanceWindowTargetsCommand,
  DescribeMaintenanceWindowTasksCommand,
  DescribePatchGroupsCommand,
  DescribePatchGroupStateCommand,
  GetCommandInvocationCommand,
  GetDefaultPatchBaselineCommand,
  GetDocumentCommand,
  GetInventoryCommand,
  GetMaintenanceWindowCommand,
  GetMaintenanceWindowExecutionCommand,
  GetMaintenanceWindowExecutionTaskCommand,
  GetMaintenanceWindowExecutionTaskInvocationCommand,
  GetMaintenanceWindowTaskCommand,
  GetPatchBaselineCommand,
  GetPatchBaselineForPatchGroupCommand,
  GetServiceSettingCommand,
  ListAssociationsCommand,
  ListAssociationVersionsCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  ListComplianceItemsCommand,
  ListDocumentVersionsCommand,
  ListInventoryEntriesCommand,
  ListResourceComplianceSummariesCommand,
  ListTagsForResourceCommand as ListSsmTagsCommand,
  ModifyDocumentPermissionCommand,
  PutComplianceItemsCommand,
  StartAssociationsOnceCommand,
  PutInventoryCommand,
  RegisterDefaultPatchBaselineCommand,
  RegisterPatchBaselineForPatchGroupCommand,
  RegisterTargetWithMaintenanceWindowCommand,
  RegisterTaskWithMaintenanceWindowCommand,
  RemoveTagsFromResourceCommand,
  ResetServiceSettingCommand,
  SendCommandCommand,
  UpdateAssociationCommand,
  UpdateAssociationStatusCommand,
  UpdateDocumentCommand,
  UpdateDocumentDefaultVersionCommand,
  UpdateMaintenanceWindowCommand,
  UpdateMaintenanceWindowTargetCommand,
  UpdateMaintenanceWindowTaskCommand,
  UpdatePatchBaselineCommand,
  UpdateServiceSettingCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { uniqueFindingId } from './factories.js';
import { enabledAccount, getAllFindings, type TestAccount } from './support/accounts.js';
import { expectAwsError } from './support/assert-aws-error.js';
import { rawFetch } from './support/aws-request.js';
import { repoRoot, startServer, type RunningServer } from './support/server-harness.js';
import { eventually, registerNode, ssmClient, type ManagedNode } from './support/ssm.js';

const region = 'us-east-1';
const prowlerArn = `arn:aws:securityhub:${region}::product/prowler/prowler`;
const documentContent = JSON.stringify({
  schemaVersion: '2.2',
  description: 'Isolation probe',
  mainSteps: [{ action: 'aws:runShellScript', name: 'probe', inputs: { runCommand: ['true'] } }],
});
const otherContent = documentContent.replace('Isolation probe', 'Changed by another account');

/** An account trying A's resources: its clients and how the table names it. */
interface Caller {
  label: string;
  accountId: string;
  hub: SecurityHubClient;
  ssm: SSMClient;
  trail: CloudTrailClient;
  /** An awsJson1_1 SSM call signed with the account's key (`admin`) or its own managed node's key (`node`). */
  raw(as: 'admin' | 'node', target: string, body: unknown): Promise<{ status: number; type: string }>;
}

/** The parts of A's state a row may touch; each is read through A's own clients before and after the row. */
type Section =
  | 'findings'
  | 'insights'
  | 'rules'
  | 'hubTags'
  | 'members'
  | 'aggregator'
  | 'products'
  | 'standards'
  | 'instances'
  | 'activations'
  | 'documents'
  | 'associations'
  | 'commands'
  | 'patching'
  | 'windows'
  | 'compliance'
  | 'inventory'
  | 'settings';

/** One operation tried on A's resource: the call and its assertion (not found/denied or nothing of A's shown). */
interface IsolationRow {
  service: 'securityhub' | 'ssm' | 'cloudtrail';
  op: string;
  /** What of A's the operation could change if it leaked (read before and after, must be equal). */
  touches: Section[];
  attempt: (caller: Caller) => Promise<unknown>;
}

/** A's resources, filled in by `before`. */
interface Owned {
  prowlerFinding: AwsSecurityFinding;
  defaultFinding: AwsSecurityFinding;
  insightArn: string;
  ruleArn: string;
  hubArn: string;
  aggregatorArn: string;
  productSubscriptionArn: string;
  standardsSubscriptionArn: string;
  standardsControlArn: string;
  node: ManagedNode;
  activationId: string;
  documentName: string;
  documentArn: string;
  sharedDocumentName: string;
  associationId: string;
  commandId: string;
  baselineId: string;
  patchGroup: string;
  windowId: string;
  windowTargetId: string;
  windowTaskId: string;
  windowExecutionId: string;
  taskExecutionId: string;
  invocationId: string;
  eventId: string;
}

const fsbp = 'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0';

describe('tenant isolation: another account and a non-Enabled member never reach A (e2e)', () => {
  let server: RunningServer;
  let a: TestAccount;
  let aSsm: SSMClient;
  let aTrail: CloudTrailClient;
  const callers: Caller[] = [];
  const owned = {} as Owned;
  let b: TestAccount;
  let m: TestAccount;

  const trailClient = (key: TestAccount['key']): CloudTrailClient =>
    new CloudTrailClient({
      endpoint: server.endpoint,
      region,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      maxAttempts: 1,
    });

  before(async () => {
    server = await startServer({
      env: { BULWARK_MAINTENANCE_TICK_MS: '500', BULWARK_WORKER_POLL_MS: '100' },
    });
    [a, b, m] = await Promise.all([enabledAccount(server), enabledAccount(server), enabledAccount(server)]);
    aSsm = ssmClient(server, a.key);
    aTrail = trailClient(a.key);
    for (const [label, account] of [
      ['another account', b],
      ['a member that is not Enabled', m],
    ] as const) {
      const ssm = ssmClient(server, account.key);
      const node = await registerNode(server, ssm, `${account.accountId}-node`);
      callers.push({
        label,
        accountId: account.accountId,
        hub: account.client,
        ssm,
        trail: trailClient(account.key),
        async raw(as, target, body) {
          const response = await rawFetch(
            server.endpoint,
            {
              method: 'POST',
              path: '/',
              service: 'ssm',
              headers: {
                'x-amz-target': `AmazonSSM.${target}`,
                'content-type': 'application/x-amz-json-1.1',
              },
              body,
            },
            as === 'admin' ? account.key : node.key,
            region,
          );
          const text = await response.text();
          const parsed = (text === '' ? {} : JSON.parse(text)) as { __type?: string };
          return { status: response.status, type: String(parsed.__type ?? '') };
        },
      });
    }

    // Security Hub: findings of a partner product and of the default product, with A's note and history.
    const product = await a.client.send(
      new EnableImportFindingsForProductCommand({ ProductArn: prowlerArn }),
    );
    owned.productSubscriptionArn = product.ProductSubscriptionArn ?? assert.fail('no subscription');
    owned.prowlerFinding = a.finding({
      Id: uniqueFindingId('prowler'),
      ProductArn: prowlerArn,
      UpdatedAt: '2026-01-01T00:00:00.000Z',
    });
    owned.defaultFinding = a.finding({ Id: uniqueFindingId('default') });
    const imported = await a.client.send(
      new BatchImportFindingsCommand({ Findings: [owned.prowlerFinding, owned.defaultFinding] }),
    );
    assert.equal(imported.SuccessCount, 2, JSON.stringify(imported.FailedFindings));
    await a.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: owned.prowlerFinding.Id, ProductArn: prowlerArn }],
        Note: { Text: 'A private note of account A', UpdatedBy: 'a-analyst' },
      }),
    );
    owned.insightArn =
      (
        await a.client.send(
          new CreateInsightCommand({
            Name: 'A insight',
            Filters: { SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' }] },
            GroupByAttribute: 'ResourceId',
          }),
        )
      ).InsightArn ?? assert.fail('no insight');
    owned.ruleArn =
      (
        await a.client.send(
          new CreateAutomationRuleCommand({
            RuleName: 'A rule',
            RuleOrder: 1,
            Description: 'A rule',
            Criteria: { ProductName: [{ Value: 'Prowler', Comparison: 'EQUALS' }] },
            Actions: [
              { Type: 'FINDING_FIELDS_UPDATE', FindingFieldsUpdate: { Note: { Text: 'r', UpdatedBy: 'r' } } },
            ],
            Tags: { owner: 'a' },
          }),
        )
      ).RuleArn ?? assert.fail('no rule');
    owned.hubArn = (await a.client.send(new DescribeHubCommand({}))).HubArn ?? assert.fail('no hub');
    await a.client.send(new TagResourceCommand({ ResourceArn: owned.hubArn, Tags: { owner: 'a' } }));
    owned.aggregatorArn =
      (await a.client.send(new CreateFindingAggregatorCommand({ RegionLinkingMode: 'ALL_REGIONS' })))
        .FindingAggregatorArn ?? assert.fail('no aggregator');
    const enabled = await a.client.send(
      new BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: fsbp }] }),
    );
    owned.standardsSubscriptionArn =
      enabled.StandardsSubscriptions?.[0]?.StandardsSubscriptionArn ??
      assert.fail('no standards subscription');
    const controls = await a.client.send(
      new DescribeStandardsControlsCommand({
        StandardsSubscriptionArn: owned.standardsSubscriptionArn,
        MaxResults: 1,
      }),
    );
    owned.standardsControlArn = controls.Controls?.[0]?.StandardsControlArn ?? assert.fail('no control');
    // M is A's member, invited but not accepted (MemberStatus Invited, not Enabled).
    await a.client.send(new CreateMembersCommand({ AccountDetails: [{ AccountId: m.accountId }] }));
    await a.client.send(new InviteMembersCommand({ AccountIds: [m.accountId] }));

    // SSM: a managed instance, an activation, documents, an association, a command, patching, a window.
    owned.node = await registerNode(server, aSsm, 'a-node');
    owned.activationId =
      (await aSsm.send(new CreateActivationCommand({ IamRole: 'SSMServiceRole' }))).ActivationId ??
      assert.fail('no activation');
    const document = await aSsm.send(
      new CreateDocumentCommand({ Name: 'A-Private', Content: documentContent, DocumentType: 'Command' }),
    );
    owned.documentName = document.DocumentDescription?.Name ?? assert.fail('no document');
    owned.documentArn = `arn:aws:ssm:${region}:${a.accountId}:document/${owned.documentName}`;
    owned.sharedDocumentName = 'A-SharedWithB';
    await aSsm.send(
      new CreateDocumentCommand({
        Name: owned.sharedDocumentName,
        Content: documentContent,
        DocumentType: 'Command',
      }),
    );
    await aSsm.send(
      new ModifyDocumentPermissionCommand({
        Name: owned.sharedDocumentName,
        PermissionType: 'Share',
        AccountIdsToAdd: [b.accountId, m.accountId],
      }),
    );
    await aSsm.send(
      new AddTagsToResourceCommand({
        ResourceType: 'Document',
        ResourceId: owned.documentName,
        Tags: [{ Key: 'owner', Value: 'a' }],
      }),
    );
    await aSsm.send(
      new AddTagsToResourceCommand({
        ResourceType: 'ManagedInstance',
        ResourceId: owned.node.instanceId,
        Tags: [{ Key: 'owner', Value: 'a' }],
      }),
    );
    owned.associationId =
      (
        await aSsm.send(
          new CreateAssociationCommand({
            Name: owned.documentName,
            Targets: [{ Key: 'InstanceIds', Values: [owned.node.instanceId] }],
            AssociationName: 'A-association',
          }),
        )
      ).AssociationDescription?.AssociationId ?? assert.fail('no association');
    owned.commandId =
      (
        await aSsm.send(
          new SendCommandCommand({ DocumentName: owned.documentName, InstanceIds: [owned.node.instanceId] }),
        )
      ).Command?.CommandId ?? assert.fail('no command');
    await owned.node.call('PutInventory', {
      InstanceId: owned.node.instanceId,
      Items: [
        {
          TypeName: 'Custom:Secret',
          SchemaVersion: '1.0',
          CaptureTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          Content: [{ Name: 'a-private' }],
        },
      ],
    });
    await aSsm.send(
      new PutComplianceItemsCommand({
        ResourceId: owned.node.instanceId,
        ResourceType: 'ManagedInstance',
        ComplianceType: 'Custom:Secret',
        ExecutionSummary: { ExecutionTime: new Date() },
        Items: [{ Id: 'a-item', Severity: 'HIGH', Status: 'NON_COMPLIANT', Title: 'A item' }],
      }),
    );
    owned.baselineId =
      (
        await aSsm.send(
          new CreatePatchBaselineCommand({
            Name: 'A-baseline',
            OperatingSystem: 'DEBIAN',
            ApprovalRules: {
              PatchRules: [
                {
                  PatchFilterGroup: { PatchFilters: [{ Key: 'PRIORITY', Values: ['Required'] }] },
                  ApproveAfterDays: 0,
                },
              ],
            },
          }),
        )
      ).BaselineId ?? assert.fail('no baseline');
    owned.patchGroup = 'a-patch-group';
    await aSsm.send(
      new RegisterPatchBaselineForPatchGroupCommand({
        BaselineId: owned.baselineId,
        PatchGroup: owned.patchGroup,
      }),
    );
    owned.windowId =
      (
        await aSsm.send(
          new CreateMaintenanceWindowCommand({
            Name: 'A-window',
            Schedule: 'at(2099-01-01T00:00:00)',
            Duration: 2,
            Cutoff: 0,
            AllowUnassociatedTargets: false,
          }),
        )
      ).WindowId ?? assert.fail('no window');
    owned.windowTargetId =
      (
        await aSsm.send(
          new RegisterTargetWithMaintenanceWindowCommand({
            WindowId: owned.windowId,
            ResourceType: 'INSTANCE',
            Targets: [{ Key: 'InstanceIds', Values: [owned.node.instanceId] }],
          }),
        )
      ).WindowTargetId ?? assert.fail('no window target');
    owned.windowTaskId =
      (
        await aSsm.send(
          new RegisterTaskWithMaintenanceWindowCommand({
            WindowId: owned.windowId,
            Targets: [{ Key: 'WindowTargetIds', Values: [owned.windowTargetId] }],
            TaskType: 'RUN_COMMAND',
            TaskArn: owned.documentName,
            Priority: 1,
            MaxConcurrency: '1',
            MaxErrors: '1',
          }),
        )
      ).WindowTaskId ?? assert.fail('no window task');
    // One run now: the node has no agent, so the execution stays in progress with its task and invocation.
    const at = new Date(Math.ceil((Date.now() + 1_500) / 1000) * 1000).toISOString().slice(0, 19);
    await aSsm.send(new UpdateMaintenanceWindowCommand({ WindowId: owned.windowId, Schedule: `at(${at})` }));
    const executions = await eventually(
      async () =>
        (await aSsm.send(new DescribeMaintenanceWindowExecutionsCommand({ WindowId: owned.windowId })))
          .WindowExecutions ?? [],
      (list) => list.length === 1,
      'the window execution',
    );
    owned.windowExecutionId = executions[0]?.WindowExecutionId ?? assert.fail('no execution');
    const invocations = await eventually(
      async () => {
        const tasks =
          (
            await aSsm.send(
              new DescribeMaintenanceWindowExecutionTasksCommand({
                WindowExecutionId: owned.windowExecutionId,
              }),
            )
          ).WindowExecutionTaskIdentities ?? [];
        const taskId = tasks[0]?.TaskExecutionId;
        if (taskId === undefined) return { taskId: '', invocations: [] };
        const list =
          (
            await aSsm.send(
              new DescribeMaintenanceWindowExecutionTaskInvocationsCommand({
                WindowExecutionId: owned.windowExecutionId,
                TaskId: taskId,
              }),
            )
          ).WindowExecutionTaskInvocationIdentities ?? [];
        return { taskId, invocations: list };
      },
      (found) => found.invocations.length === 1,
      'the window task invocation',
    );
    owned.taskExecutionId = invocations.taskId;
    owned.invocationId = invocations.invocations[0]?.InvocationId ?? assert.fail('no invocation');
    await aSsm.send(
      new UpdateMaintenanceWindowCommand({ WindowId: owned.windowId, Schedule: 'at(2099-01-01T00:00:00)' }),
    );

    // CloudTrail: one of A's events.
    const events = await aTrail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateInsight' }],
      }),
    );
    owned.eventId = events.Events?.[0]?.EventId ?? assert.fail('no event of A');
  });

  after(async () => {
    aSsm?.destroy();
    aTrail?.destroy();
    for (const caller of callers) {
      caller.ssm.destroy();
      caller.trail.destroy();
    }
    await server?.dispose();
  });

  /** A's state in one section, read as A, with the fields that move by themselves left out. */
  const readSection = async (section: Section): Promise<unknown> => {
    const ssm = aSsm;
    switch (section) {
      case 'findings': {
        const findings = (await getAllFindings(a.client)).map((f) => ({
          Id: f.Id,
          ProductArn: f.ProductArn,
          AwsAccountId: f.AwsAccountId,
          UpdatedAt: f.UpdatedAt,
          Title: f.Title,
          Note: f.Note,
          Workflow: f.Workflow,
          Severity: f.Severity,
          RecordState: f.RecordState,
          UserDefinedFields: f.UserDefinedFields,
        }));
        const history = await a.client.send(
          new GetFindingHistoryCommand({
            FindingIdentifier: { Id: owned.prowlerFinding.Id, ProductArn: prowlerArn },
          }),
        );
        return {
          findings: findings.sort((x, y) => String(x.Id).localeCompare(String(y.Id))),
          history: history.Records,
        };
      }
      case 'insights':
        return (await a.client.send(new GetInsightsCommand({ InsightArns: [owned.insightArn] }))).Insights;
      case 'rules':
        return [
          (await a.client.send(new ListAutomationRulesCommand({}))).AutomationRulesMetadata,
          (await a.client.send(new ListTagsForResourceCommand({ ResourceArn: owned.ruleArn }))).Tags,
        ];
      case 'hubTags':
        return (await a.client.send(new ListTagsForResourceCommand({ ResourceArn: owned.hubArn }))).Tags;
      case 'members':
        return [
          (await a.client.send(new ListMembersCommand({ OnlyAssociated: false }))).Members?.map((x) => ({
            AccountId: x.AccountId,
            MemberStatus: x.MemberStatus,
            AdministratorId: x.AdministratorId,
          })),
          (await m.client.send(new ListInvitationsCommand({}))).Invitations?.map((x) => ({
            AccountId: x.AccountId,
            InvitationId: x.InvitationId,
            MemberStatus: x.MemberStatus,
          })),
        ];
      case 'aggregator':
        return [
          (await a.client.send(new ListFindingAggregatorsCommand({}))).FindingAggregators,
          await a.client
            .send(new GetFindingAggregatorCommand({ FindingAggregatorArn: owned.aggregatorArn }))
            .then((x) => [x.RegionLinkingMode, x.Regions]),
        ];
      case 'products':
        return (await a.client.send(new ListEnabledProductsForImportCommand({}))).ProductSubscriptions;
      case 'standards':
        return [
          (await a.client.send(new GetEnabledStandardsCommand({}))).StandardsSubscriptions?.map((x) => [
            x.StandardsSubscriptionArn,
            x.StandardsStatus,
          ]),
          (
            await a.client.send(
              new DescribeStandardsControlsCommand({
                StandardsSubscriptionArn: owned.standardsSubscriptionArn,
                MaxResults: 100,
              }),
            )
          ).Controls?.map((x) => [x.StandardsControlArn, x.ControlStatus, x.DisabledReason]),
          (
            await a.client.send(new BatchGetSecurityControlsCommand({ SecurityControlIds: ['Fleet.2'] }))
          ).SecurityControls?.map((x) => [x.SecurityControlArn, x.Parameters, x.UpdateStatus]),
        ];
      case 'instances':
        return [
          (await ssm.send(new DescribeInstanceInformationCommand({}))).InstanceInformationList?.map((x) => [
            x.InstanceId,
            x.ActivationId,
            x.Name,
            x.ComputerName,
            x.RegistrationDate,
          ]),
          (
            await ssm.send(
              new ListSsmTagsCommand({ ResourceType: 'ManagedInstance', ResourceId: owned.node.instanceId }),
            )
          ).TagList,
        ];
      case 'activations':
        return (await ssm.send(new DescribeActivationsCommand({}))).ActivationList?.map((x) => [
          x.ActivationId,
          x.Description,
          x.RegistrationsCount,
          x.Expired,
        ]);
      case 'documents': {
        const out: unknown[] = [];
        for (const name of [owned.documentName, owned.sharedDocumentName]) {
          const described = (await ssm.send(new DescribeDocumentCommand({ Name: name }))).Document;
          out.push([
            described?.Name,
            described?.DocumentVersion,
            described?.DefaultVersion,
            described?.LatestVersion,
            described?.Hash,
            described?.Tags,
          ]);
          out.push((await ssm.send(new GetDocumentCommand({ Name: name }))).Content);
          out.push(
            (await ssm.send(new DescribeDocumentPermissionCommand({ Name: name, PermissionType: 'Share' })))
              .AccountIds,
          );
          out.push(
            (await ssm.send(new ListDocumentVersionsCommand({ Name: name }))).DocumentVersions?.length,
          );
        }
        return out;
      }
      case 'associations': {
        const described = (
          await ssm.send(new DescribeAssociationCommand({ AssociationId: owned.associationId }))
        ).AssociationDescription;
        return [
          described?.AssociationId,
          described?.AssociationVersion,
          described?.Name,
          described?.Targets,
          described?.Parameters,
          described?.ScheduleExpression,
          (await ssm.send(new ListAssociationVersionsCommand({ AssociationId: owned.associationId })))
            .AssociationVersions?.length,
        ];
      }
      case 'commands':
        return (await ssm.send(new ListCommandsCommand({}))).Commands?.map((x) => [
          x.CommandId,
          x.Status,
          x.DocumentName,
          x.InstanceIds,
        ]);
      case 'patching': {
        const baseline = await ssm.send(new GetPatchBaselineCommand({ BaselineId: owned.baselineId }));
        return [
          baseline.Name,
          baseline.ApprovalRules,
          baseline.PatchGroups,
          baseline.Description,
          (await ssm.send(new DescribePatchGroupsCommand({}))).Mappings,
          (await ssm.send(new GetDefaultPatchBaselineCommand({ OperatingSystem: 'DEBIAN' }))).BaselineId,
          (
            await ssm.send(
              new ListSsmTagsCommand({ ResourceType: 'PatchBaseline', ResourceId: owned.baselineId }),
            )
          ).TagList,
        ];
      }
      case 'windows': {
        const window = await ssm.send(new GetMaintenanceWindowCommand({ WindowId: owned.windowId }));
        const execution = await ssm.send(
          new GetMaintenanceWindowExecutionCommand({ WindowExecutionId: owned.windowExecutionId }),
        );
        return [
          [window.Name, window.Schedule, window.Duration, window.Cutoff, window.Enabled, window.Description],
          (await ssm.send(new DescribeMaintenanceWindowTargetsCommand({ WindowId: owned.windowId }))).Targets,
          (await ssm.send(new DescribeMaintenanceWindowTasksCommand({ WindowId: owned.windowId }))).Tasks,
          [
            execution.WindowExecutionId,
            execution.Status === 'CANCELLING' || execution.Status === 'CANCELLED' ? execution.Status : 'live',
          ],
          (
            await ssm.send(
              new ListSsmTagsCommand({ ResourceType: 'MaintenanceWindow', ResourceId: owned.windowId }),
            )
          ).TagList,
        ];
      }
      case 'compliance':
        return (
          await ssm.send(new ListComplianceItemsCommand({ ResourceIds: [owned.node.instanceId] }))
        ).ComplianceItems?.map((x) => [x.ComplianceType, x.Id, x.Status, x.Severity, x.Title]);
      case 'inventory':
        return (
          await ssm.send(
            new ListInventoryEntriesCommand({ InstanceId: owned.node.instanceId, TypeName: 'Custom:Secret' }),
          )
        ).Entries;
      case 'settings':
        return (
          await ssm.send(
            new GetServiceSettingCommand({ SettingId: '/ssm/documents/console/public-sharing-permission' }),
          )
        ).ServiceSetting?.SettingValue;
    }
  };

  const snapshot = async (sections: readonly Section[]): Promise<Record<string, unknown>> => {
    const out: Record<string, unknown> = {};
    for (const section of sections) out[section] = await readSection(section);
    return out;
  };

  const notFound = (call: Promise<unknown>): Promise<unknown> =>
    expectAwsError(call, 'ResourceNotFoundException', 404);
  const ssmError = (call: Promise<unknown>, name: string): Promise<unknown> =>
    expectAwsError(call, name, 400);
  /** Awaits `call` and asserts it failed with an exception whose name matches `names`. */
  const refused = async (call: Promise<unknown>, names: RegExp): Promise<void> => {
    const out = await call.then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(out instanceof Error, `expected ${String(names)} but the call succeeded`);
    assert.match(out.name, names);
  };
  const aFindingIdentifier = (): { Id: string; ProductArn: string } => ({
    Id: owned.prowlerFinding.Id ?? '',
    ProductArn: prowlerArn,
  });

  const rows: IsolationRow[] = [
    // ---- Security Hub: findings
    {
      service: 'securityhub',
      op: 'GetFindings (Id and ProductArn of A)',
      touches: [],
      attempt: async (c) => {
        const found = await getAllFindings(c.hub, {
          Id: [{ Value: owned.prowlerFinding.Id ?? '', Comparison: 'EQUALS' }],
        });
        assert.deepEqual(found, []);
      },
    },
    {
      service: 'securityhub',
      op: 'BatchUpdateFindings',
      touches: ['findings'],
      attempt: async (c) => {
        const out = await c.hub.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: [aFindingIdentifier()],
            Note: { Text: 'taken', UpdatedBy: c.label },
            Workflow: { Status: 'SUPPRESSED' },
          }),
        );
        assert.deepEqual(out.ProcessedFindings, []);
        assert.equal(out.UnprocessedFindings?.[0]?.ErrorCode, 'FindingNotFound');
      },
    },
    {
      service: 'securityhub',
      op: 'GetFindingHistory',
      touches: [],
      attempt: async (c) => {
        const out = await c.hub.send(
          new GetFindingHistoryCommand({ FindingIdentifier: aFindingIdentifier() }),
        );
        assert.deepEqual(out.Records ?? [], []);
      },
    },
    {
      service: 'securityhub',
      op: 'BatchImportFindings (A’s default product ARN)',
      touches: ['findings'],
      attempt: async (c) => {
        await expectAwsError(
          c.hub.send(
            new BatchImportFindingsCommand({
              Findings: [{ ...owned.defaultFinding, UpdatedAt: new Date().toISOString(), Title: 'taken' }],
            }),
          ),
          'AccessDeniedException',
          403,
        );
      },
    },
    // ---- Security Hub: insights
    {
      service: 'securityhub',
      op: 'GetInsights',
      touches: [],
      attempt: (c) => notFound(c.hub.send(new GetInsightsCommand({ InsightArns: [owned.insightArn] }))),
    },
    {
      service: 'securityhub',
      op: 'GetInsightResults',
      touches: [],
      attempt: (c) => notFound(c.hub.send(new GetInsightResultsCommand({ InsightArn: owned.insightArn }))),
    },
    {
      service: 'securityhub',
      op: 'UpdateInsight',
      touches: ['insights'],
      attempt: (c) =>
        notFound(c.hub.send(new UpdateInsightCommand({ InsightArn: owned.insightArn, Name: 'taken' }))),
    },
    {
      service: 'securityhub',
      op: 'DeleteInsight',
      touches: ['insights'],
      attempt: (c) => notFound(c.hub.send(new DeleteInsightCommand({ InsightArn: owned.insightArn }))),
    },
    // ---- Security Hub: automation rules
    {
      service: 'securityhub',
      op: 'BatchGetAutomationRules',
      touches: [],
      attempt: async (c) => {
        const out = await c.hub.send(
          new BatchGetAutomationRulesCommand({ AutomationRulesArns: [owned.ruleArn] }),
        );
        assert.deepEqual(out.Rules ?? [], []);
        assert.equal(out.UnprocessedAutomationRules?.[0]?.RuleArn, owned.ruleArn);
      },
    },
    {
      service: 'securityhub',
      op: 'BatchUpdateAutomationRules',
      touches: ['rules'],
      attempt: async (c) => {
        const out = await c.hub.send(
          new BatchUpdateAutomationRulesCommand({
            UpdateAutomationRulesRequestItems: [
              { RuleArn: owned.ruleArn, RuleName: 'taken', RuleStatus: 'DISABLED' },
            ],
          }),
        );
        assert.deepEqual(out.ProcessedAutomationRules ?? [], []);
        assert.equal(out.UnprocessedAutomationRules?.[0]?.RuleArn, owned.ruleArn);
      },
    },
    {
      service: 'securityhub',
      op: 'BatchDeleteAutomationRules',
      touches: ['rules'],
      attempt: async (c) => {
        const out = await c.hub.send(
          new BatchDeleteAutomationRulesCommand({ AutomationRulesArns: [owned.ruleArn] }),
        );
        assert.deepEqual(out.ProcessedAutomationRules ?? [], []);
        assert.equal(out.UnprocessedAutomationRules?.[0]?.RuleArn, owned.ruleArn);
      },
    },
    // ---- Security Hub: tags (hub and automation rule ARNs)
    ...(['hubArn', 'ruleArn'] as const).flatMap((which): IsolationRow[] => [
      {
        service: 'securityhub',
        op: `ListTagsForResource (${which})`,
        touches: [],
        attempt: (c) => notFound(c.hub.send(new ListTagsForResourceCommand({ ResourceArn: owned[which] }))),
      },
      {
        service: 'securityhub',
        op: `TagResource (${which})`,
        touches: ['hubTags', 'rules'],
        attempt: (c) =>
          notFound(
            c.hub.send(new TagResourceCommand({ ResourceArn: owned[which], Tags: { owner: 'taken' } })),
          ),
      },
      {
        service: 'securityhub',
        op: `UntagResource (${which})`,
        touches: ['hubTags', 'rules'],
        attempt: (c) =>
          notFound(c.hub.send(new UntagResourceCommand({ ResourceArn: owned[which], TagKeys: ['owner'] }))),
      },
    ]),
    // ---- Security Hub: members and invitations
    {
      service: 'securityhub',
      op: 'GetMembers (A’s member)',
      touches: [],
      attempt: async (c) => {
        const out = await c.hub.send(new GetMembersCommand({ AccountIds: [m.accountId] }));
        if (c.accountId === m.accountId) {
          assert.deepEqual(out.Members ?? [], []);
          return;
        }
        assert.deepEqual(out.Members ?? [], []);
        assert.equal(out.UnprocessedAccounts?.[0]?.AccountId, m.accountId);
      },
    },
    {
      service: 'securityhub',
      op: 'DeleteMembers (A’s member)',
      touches: ['members'],
      attempt: async (c) => {
        const out = await c.hub.send(new DeleteMembersCommand({ AccountIds: [m.accountId] }));
        assert.equal(out.UnprocessedAccounts?.[0]?.AccountId, m.accountId);
      },
    },
    {
      service: 'securityhub',
      op: 'DisassociateMembers (A’s member)',
      touches: ['members'],
      attempt: (c) => notFound(c.hub.send(new DisassociateMembersCommand({ AccountIds: [m.accountId] }))),
    },
    {
      service: 'securityhub',
      op: 'InviteMembers (A’s member, not the caller’s)',
      touches: ['members'],
      attempt: async (c) => {
        const out = await c.hub.send(new InviteMembersCommand({ AccountIds: [m.accountId] }));
        assert.equal(out.UnprocessedAccounts?.[0]?.AccountId, m.accountId);
      },
    },
    {
      service: 'securityhub',
      op: 'AcceptAdministratorInvitation / AcceptInvitation (A’s invitation to M)',
      touches: ['members'],
      attempt: async (c) => {
        if (c.accountId === m.accountId) return; // M accepting its own invitation is the rule, not a leak.
        const invitation = (await m.client.send(new ListInvitationsCommand({}))).Invitations?.[0];
        await notFound(
          c.hub.send(
            new AcceptAdministratorInvitationCommand({
              AdministratorId: a.accountId,
              InvitationId: invitation?.InvitationId ?? '',
            }),
          ),
        );
        await notFound(
          c.hub.send(
            new AcceptInvitationCommand({
              MasterId: a.accountId,
              InvitationId: invitation?.InvitationId ?? '',
            }),
          ),
        );
      },
    },
    {
      service: 'securityhub',
      op: 'DescribeHub (A’s HubArn)',
      touches: [],
      attempt: (c) => notFound(c.hub.send(new DescribeHubCommand({ HubArn: owned.hubArn }))),
    },
    {
      service: 'securityhub',
      op: 'DeclineInvitations / DeleteInvitations (A’s invitation to M)',
      touches: ['members'],
      attempt: async (c) => {
        if (c.accountId === m.accountId) return; // M's own invitation.
        const declined = await c.hub.send(new DeclineInvitationsCommand({ AccountIds: [a.accountId] }));
        assert.equal(declined.UnprocessedAccounts?.[0]?.AccountId, a.accountId);
        const deleted = await c.hub.send(new DeleteInvitationsCommand({ AccountIds: [a.accountId] }));
        assert.equal(deleted.UnprocessedAccounts?.[0]?.AccountId, a.accountId);
      },
    },
    // ---- Security Hub: finding aggregator
    {
      service: 'securityhub',
      op: 'GetFindingAggregator',
      touches: [],
      attempt: (c) =>
        notFound(c.hub.send(new GetFindingAggregatorCommand({ FindingAggregatorArn: owned.aggregatorArn }))),
    },
    {
      service: 'securityhub',
      op: 'UpdateFindingAggregator',
      touches: ['aggregator'],
      attempt: (c) =>
        notFound(
          c.hub.send(
            new UpdateFindingAggregatorCommand({
              FindingAggregatorArn: owned.aggregatorArn,
              RegionLinkingMode: 'SPECIFIED_REGIONS',
              Regions: ['eu-west-1'],
            }),
          ),
        ),
    },
    {
      service: 'securityhub',
      op: 'DeleteFindingAggregator',
      touches: ['aggregator'],
      attempt: (c) =>
        notFound(
          c.hub.send(new DeleteFindingAggregatorCommand({ FindingAggregatorArn: owned.aggregatorArn })),
        ),
    },
    // ---- Security Hub: product subscriptions and standards
    {
      service: 'securityhub',
      op: 'DisableImportFindingsForProduct (A’s subscription ARN)',
      touches: ['products'],
      attempt: (c) =>
        notFound(
          c.hub.send(
            new DisableImportFindingsForProductCommand({
              ProductSubscriptionArn: owned.productSubscriptionArn,
            }),
          ),
        ),
    },
    {
      service: 'securityhub',
      op: 'GetEnabledStandards (A’s subscription ARN)',
      touches: [],
      attempt: async (c) => {
        const out = await c.hub
          .send(
            new GetEnabledStandardsCommand({ StandardsSubscriptionArns: [owned.standardsSubscriptionArn] }),
          )
          .catch((error: unknown) => error);
        if (out instanceof Error) {
          assert.match(out.name, /InvalidInputException|ResourceNotFoundException/);
          return;
        }
        assert.deepEqual((out as { StandardsSubscriptions?: unknown[] }).StandardsSubscriptions ?? [], []);
      },
    },
    {
      service: 'securityhub',
      op: 'BatchDisableStandards (A’s subscription ARN)',
      touches: ['standards'],
      attempt: async (c) => {
        const out = await c.hub
          .send(
            new BatchDisableStandardsCommand({ StandardsSubscriptionArns: [owned.standardsSubscriptionArn] }),
          )
          .catch((error: unknown) => error);
        if (out instanceof Error) {
          assert.match(out.name, /InvalidInputException|ResourceNotFoundException/);
          return;
        }
        for (const s of (out as { StandardsSubscriptions?: { StandardsStatus?: string }[] })
          .StandardsSubscriptions ?? []) {
          assert.notEqual(s.StandardsStatus, 'DELETING');
        }
      },
    },
    {
      service: 'securityhub',
      op: 'DescribeStandardsControls (A’s subscription ARN)',
      touches: [],
      attempt: async (c) => {
        const out = await c.hub
          .send(
            new DescribeStandardsControlsCommand({
              StandardsSubscriptionArn: owned.standardsSubscriptionArn,
            }),
          )
          .catch((error: unknown) => error);
        assert.ok(out instanceof Error, 'A’s controls must not be listed');
        assert.match(out.name, /InvalidInputException|ResourceNotFoundException|InvalidAccessException/);
      },
    },
    {
      service: 'securityhub',
      op: 'UpdateStandardsControl (A’s control ARN)',
      touches: ['standards'],
      attempt: async (c) => {
        const out = await c.hub
          .send(
            new UpdateStandardsControlCommand({
              StandardsControlArn: owned.standardsControlArn,
              ControlStatus: 'DISABLED',
              DisabledReason: 'taken',
            }),
          )
          .catch((error: unknown) => error);
        assert.ok(out instanceof Error, 'A’s control must not be updated');
        assert.match(out.name, /InvalidInputException|ResourceNotFoundException|InvalidAccessException/);
      },
    },
    {
      service: 'securityhub',
      op: 'BatchUpdateStandardsControlAssociations / BatchGetStandardsControlAssociations',
      touches: ['standards'],
      attempt: async (c) => {
        // The caller names a control and a standard, never an account: it can only reach its own association.
        const controlId = owned.standardsControlArn.split('/').pop() ?? '';
        await c.hub
          .send(
            new BatchUpdateStandardsControlAssociationsCommand({
              StandardsControlAssociationUpdates: [
                {
                  StandardsArn: fsbp,
                  SecurityControlId: controlId,
                  AssociationStatus: 'DISABLED',
                  UpdatedReason: 'taken',
                },
              ],
            }),
          )
          .catch(() => undefined);
        await c.hub
          .send(
            new BatchGetStandardsControlAssociationsCommand({
              StandardsControlAssociationIds: [{ StandardsArn: fsbp, SecurityControlId: controlId }],
            }),
          )
          .catch(() => undefined);
      },
    },
    {
      service: 'securityhub',
      op: 'BatchGetSecurityControls / UpdateSecurityControl (A’s security-control ARN, and the plain id)',
      touches: ['standards'],
      attempt: async (c) => {
        const arn = `arn:aws:securityhub:${region}:${a.accountId}:security-control/Fleet.2`;
        const got = await c.hub.send(new BatchGetSecurityControlsCommand({ SecurityControlIds: [arn] }));
        assert.deepEqual(got.SecurityControls ?? [], []);
        assert.equal(got.UnprocessedIds?.[0]?.SecurityControlId, arn);
        const parameters = { maxPendingRebootDays: { ValueType: 'CUSTOM' as const, Value: { Integer: 3 } } };
        await notFound(
          c.hub.send(new UpdateSecurityControlCommand({ SecurityControlId: arn, Parameters: parameters })),
        );
        // The plain id names the caller's own control: A's parameters stay as they were.
        await c.hub.send(
          new UpdateSecurityControlCommand({ SecurityControlId: 'Fleet.2', Parameters: parameters }),
        );
      },
    },
    // ---- SSM: managed instances and activations
    {
      service: 'ssm',
      op: 'DescribeInstanceInformation (A’s instance id)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm
          .send(
            new DescribeInstanceInformationCommand({
              Filters: [{ Key: 'InstanceIds', Values: [owned.node.instanceId] }],
            }),
          )
          .catch((error: unknown) => error);
        if (out instanceof Error) {
          assert.equal(out.name, 'InvalidInstanceId');
          return;
        }
        assert.deepEqual((out as { InstanceInformationList?: unknown[] }).InstanceInformationList ?? [], []);
      },
    },
    {
      service: 'ssm',
      op: 'DeregisterManagedInstance',
      touches: ['instances'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new DeregisterManagedInstanceCommand({ InstanceId: owned.node.instanceId })),
          'InvalidInstanceId',
        ),
    },
    {
      service: 'ssm',
      op: 'DescribeActivations (A’s activation id)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm.send(
          new DescribeActivationsCommand({
            Filters: [{ FilterKey: 'ActivationIds', FilterValues: [owned.activationId] }],
          }),
        );
        assert.deepEqual(out.ActivationList ?? [], []);
      },
    },
    {
      service: 'ssm',
      op: 'DeleteActivation',
      touches: ['activations'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new DeleteActivationCommand({ ActivationId: owned.activationId })),
          'InvalidActivationId',
        ),
    },
    // ---- SSM: tags on every taggable resource type
    ...(
      [
        ['ManagedInstance', () => owned.node.instanceId, 'instances'],
        ['Document', () => owned.documentName, 'documents'],
        ['PatchBaseline', () => owned.baselineId, 'patching'],
        ['MaintenanceWindow', () => owned.windowId, 'windows'],
      ] as const
    ).flatMap(([type, id, section]): IsolationRow[] => [
      {
        service: 'ssm',
        op: `ListTagsForResource (${type})`,
        touches: [],
        attempt: (c) =>
          ssmError(
            c.ssm.send(new ListSsmTagsCommand({ ResourceType: type, ResourceId: id() })),
            'InvalidResourceId',
          ),
      },
      {
        service: 'ssm',
        op: `AddTagsToResource (${type})`,
        touches: [section],
        attempt: (c) =>
          ssmError(
            c.ssm.send(
              new AddTagsToResourceCommand({
                ResourceType: type,
                ResourceId: id(),
                Tags: [{ Key: 'owner', Value: 'x' }],
              }),
            ),
            'InvalidResourceId',
          ),
      },
      {
        service: 'ssm',
        op: `RemoveTagsFromResource (${type})`,
        touches: [section],
        attempt: (c) =>
          ssmError(
            c.ssm.send(
              new RemoveTagsFromResourceCommand({ ResourceType: type, ResourceId: id(), TagKeys: ['owner'] }),
            ),
            'InvalidResourceId',
          ),
      },
    ]),
    // ---- SSM: documents, by name and by ARN, private and shared with the caller
    ...(['name', 'arn'] as const).flatMap((how): IsolationRow[] => {
      const name = (): string => (how === 'name' ? owned.documentName : owned.documentArn);
      return [
        {
          service: 'ssm',
          op: `DescribeDocument (private, by ${how})`,
          touches: [],
          attempt: (c) =>
            ssmError(c.ssm.send(new DescribeDocumentCommand({ Name: name() })), 'InvalidDocument'),
        },
        {
          service: 'ssm',
          op: `GetDocument (private, by ${how})`,
          touches: [],
          attempt: (c) => ssmError(c.ssm.send(new GetDocumentCommand({ Name: name() })), 'InvalidDocument'),
        },
        {
          service: 'ssm',
          op: `ListDocumentVersions (private, by ${how})`,
          touches: [],
          attempt: (c) =>
            ssmError(c.ssm.send(new ListDocumentVersionsCommand({ Name: name() })), 'InvalidDocument'),
        },
        {
          service: 'ssm',
          op: `DescribeDocumentPermission (private, by ${how})`,
          touches: [],
          attempt: (c) =>
            ssmError(
              c.ssm.send(new DescribeDocumentPermissionCommand({ Name: name(), PermissionType: 'Share' })),
              'InvalidDocument',
            ),
        },
        {
          service: 'ssm',
          op: `SendCommand (private document by ${how}, to the caller’s own nothing)`,
          touches: ['commands'],
          attempt: (c) =>
            ssmError(
              c.ssm.send(
                new SendCommandCommand({
                  DocumentName: name(),
                  Targets: [{ Key: 'tag:none', Values: ['x'] }],
                }),
              ),
              'InvalidDocument',
            ),
        },
      ];
    }),
    ...(['private', 'shared'] as const).flatMap((which): IsolationRow[] => {
      const name = (): string => (which === 'private' ? owned.documentName : owned.sharedDocumentName);
      const arn = (): string => `arn:aws:ssm:${region}:${a.accountId}:document/${name()}`;
      const byArn =
        which === 'private'
          ? /^InvalidDocument$/
          : /^(InvalidDocument|InvalidDocumentOperation|AccessDeniedException)$/;
      return [
        {
          service: 'ssm',
          op: `UpdateDocument (${which}, by name and by ARN)`,
          touches: ['documents'],
          attempt: async (c) => {
            await ssmError(
              c.ssm.send(
                new UpdateDocumentCommand({
                  Name: name(),
                  Content: otherContent,
                  DocumentVersion: '$LATEST',
                }),
              ),
              'InvalidDocument',
            );
            await refused(
              c.ssm.send(
                new UpdateDocumentCommand({ Name: arn(), Content: otherContent, DocumentVersion: '$LATEST' }),
              ),
              byArn,
            );
          },
        },
        {
          service: 'ssm',
          op: `UpdateDocumentDefaultVersion (${which})`,
          touches: ['documents'],
          attempt: (c) =>
            ssmError(
              c.ssm.send(new UpdateDocumentDefaultVersionCommand({ Name: name(), DocumentVersion: '1' })),
              'InvalidDocument',
            ),
        },
        {
          service: 'ssm',
          op: `DeleteDocument (${which})`,
          touches: ['documents'],
          attempt: (c) =>
            ssmError(c.ssm.send(new DeleteDocumentCommand({ Name: name() })), 'InvalidDocument'),
        },
        {
          service: 'ssm',
          op: `ModifyDocumentPermission (${which})`,
          touches: ['documents'],
          attempt: (c) =>
            ssmError(
              c.ssm.send(
                new ModifyDocumentPermissionCommand({
                  Name: name(),
                  PermissionType: 'Share',
                  AccountIdsToAdd: ['All'],
                  AccountIdsToRemove: [b.accountId],
                }),
              ),
              'InvalidDocument',
            ),
        },
      ];
    }),
    {
      service: 'ssm',
      op: 'GetDocument (shared with the caller, by ARN: readable, A’s permissions not shown)',
      touches: ['documents'],
      attempt: async (c) => {
        const arn = `arn:aws:ssm:${region}:${a.accountId}:document/${owned.sharedDocumentName}`;
        const out = await c.ssm.send(new GetDocumentCommand({ Name: arn }));
        assert.equal(out.Content, documentContent);
        await refused(
          c.ssm.send(new DescribeDocumentPermissionCommand({ Name: arn, PermissionType: 'Share' })),
          /^(InvalidDocument|InvalidDocumentOperation)$/,
        );
      },
    },
    // ---- SSM: associations
    {
      service: 'ssm',
      op: 'DescribeAssociation',
      touches: [],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new DescribeAssociationCommand({ AssociationId: owned.associationId })),
          'AssociationDoesNotExist',
        ),
    },
    {
      service: 'ssm',
      op: 'DescribeAssociation (A’s document and instance)',
      touches: [],
      attempt: (c) =>
        ssmError(
          c.ssm.send(
            new DescribeAssociationCommand({ Name: owned.documentName, InstanceId: owned.node.instanceId }),
          ),
          'AssociationDoesNotExist',
        ),
    },
    {
      service: 'ssm',
      op: 'UpdateAssociation',
      touches: ['associations'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(
            new UpdateAssociationCommand({
              AssociationId: owned.associationId,
              ScheduleExpression: 'rate(1 day)',
            }),
          ),
          'AssociationDoesNotExist',
        ),
    },
    {
      service: 'ssm',
      op: 'UpdateAssociationStatus',
      touches: ['associations'],
      attempt: async (c) => {
        const out = await c.ssm
          .send(
            new UpdateAssociationStatusCommand({
              Name: owned.documentName,
              InstanceId: owned.node.instanceId,
              AssociationStatus: { Date: new Date(), Name: 'Failed', Message: 'taken' },
            }),
          )
          .catch((error: unknown) => error);
        assert.ok(out instanceof Error, 'A’s association status must not change');
        assert.match(out.name, /AssociationDoesNotExist|InvalidInstanceId|InvalidDocument/);
      },
    },
    {
      service: 'ssm',
      op: 'StartAssociationsOnce',
      touches: ['associations'],
      attempt: async (c) => {
        const out = await c.ssm
          .send(new StartAssociationsOnceCommand({ AssociationIds: [owned.associationId] }))
          .catch((error: unknown) => error);
        assert.ok(out instanceof Error, 'A’s association must not be started');
        assert.match(out.name, /^(InvalidAssociation|AssociationDoesNotExist)$/);
      },
    },
    {
      service: 'ssm',
      op: 'DescribeInstanceAssociationsStatus (A’s instance)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm
          .send(new DescribeInstanceAssociationsStatusCommand({ InstanceId: owned.node.instanceId }))
          .then((result) => result.InstanceAssociationStatusInfos ?? [])
          .catch((error: unknown) => error);
        if (out instanceof Error) assert.match(out.name, /^(InvalidInstanceId|AccessDeniedException)$/);
        else assert.deepEqual(out, []);
      },
    },
    {
      service: 'ssm',
      op: 'DeleteAssociation',
      touches: ['associations'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new DeleteAssociationCommand({ AssociationId: owned.associationId })),
          'AssociationDoesNotExist',
        ),
    },
    {
      service: 'ssm',
      op: 'ListAssociationVersions',
      touches: [],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new ListAssociationVersionsCommand({ AssociationId: owned.associationId })),
          'AssociationDoesNotExist',
        ),
    },
    {
      service: 'ssm',
      op: 'DescribeAssociationExecutions',
      touches: [],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new DescribeAssociationExecutionsCommand({ AssociationId: owned.associationId })),
          'AssociationDoesNotExist',
        ),
    },
    {
      service: 'ssm',
      op: 'DescribeAssociationExecutionTargets',
      touches: [],
      attempt: (c) =>
        ssmError(
          c.ssm.send(
            new DescribeAssociationExecutionTargetsCommand({
              AssociationId: owned.associationId,
              ExecutionId: '00000000-0000-4000-8000-000000000000',
            }),
          ),
          'AssociationDoesNotExist',
        ),
    },
    {
      service: 'ssm',
      op: 'ListAssociations (A’s document name)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm.send(
          new ListAssociationsCommand({
            AssociationFilterList: [{ key: 'Name', value: owned.documentName }],
          }),
        );
        assert.deepEqual(out.Associations ?? [], []);
      },
    },
    {
      service: 'ssm',
      op: 'CreateAssociation (A’s instance)',
      touches: ['associations'],
      attempt: async (c) => {
        const out = await c.ssm
          .send(
            new CreateAssociationCommand({
              Name: 'AWS-RunShellScript',
              InstanceId: owned.node.instanceId,
              Parameters: { commands: ['id'] },
            }),
          )
          .catch((error: unknown) => error);
        assert.ok(out instanceof Error, 'no association on A’s instance');
        assert.equal(out.name, 'InvalidInstanceId');
      },
    },
    // ---- SSM: Run Command
    {
      service: 'ssm',
      op: 'SendCommand (A’s instance id)',
      touches: ['commands'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(
            new SendCommandCommand({
              DocumentName: 'AWS-RunShellScript',
              InstanceIds: [owned.node.instanceId],
              Parameters: { commands: ['id'] },
            }),
          ),
          'InvalidInstanceId',
        ),
    },
    {
      service: 'ssm',
      op: 'ListCommands (A’s command id)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm
          .send(new ListCommandsCommand({ CommandId: owned.commandId }))
          .catch((e: unknown) => e);
        if (out instanceof Error) {
          assert.equal(out.name, 'InvalidCommandId');
          return;
        }
        assert.deepEqual((out as { Commands?: unknown[] }).Commands ?? [], []);
      },
    },
    {
      service: 'ssm',
      op: 'ListCommandInvocations (A’s command id)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm
          .send(new ListCommandInvocationsCommand({ CommandId: owned.commandId }))
          .catch((e: unknown) => e);
        if (out instanceof Error) {
          assert.equal(out.name, 'InvalidCommandId');
          return;
        }
        assert.deepEqual((out as { CommandInvocations?: unknown[] }).CommandInvocations ?? [], []);
      },
    },
    {
      service: 'ssm',
      op: 'GetCommandInvocation',
      touches: [],
      attempt: (c) =>
        ssmError(
          c.ssm.send(
            new GetCommandInvocationCommand({
              CommandId: owned.commandId,
              InstanceId: owned.node.instanceId,
            }),
          ),
          'InvocationDoesNotExist',
        ),
    },
    {
      service: 'ssm',
      op: 'CancelCommand',
      touches: ['commands'],
      attempt: (c) =>
        ssmError(c.ssm.send(new CancelCommandCommand({ CommandId: owned.commandId })), 'InvalidCommandId'),
    },
    // ---- SSM: patching
    {
      service: 'ssm',
      op: 'GetPatchBaseline',
      touches: [],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new GetPatchBaselineCommand({ BaselineId: owned.baselineId })),
          'DoesNotExistException',
        ),
    },
    {
      service: 'ssm',
      op: 'UpdatePatchBaseline',
      touches: ['patching'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new UpdatePatchBaselineCommand({ BaselineId: owned.baselineId, Description: 'taken' })),
          'DoesNotExistException',
        ),
    },
    {
      service: 'ssm',
      op: 'DeletePatchBaseline',
      touches: ['patching'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new DeletePatchBaselineCommand({ BaselineId: owned.baselineId })),
          'DoesNotExistException',
        ),
    },
    {
      service: 'ssm',
      op: 'RegisterDefaultPatchBaseline',
      touches: ['patching'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new RegisterDefaultPatchBaselineCommand({ BaselineId: owned.baselineId })),
          'DoesNotExistException',
        ),
    },
    {
      service: 'ssm',
      op: 'RegisterPatchBaselineForPatchGroup (A’s baseline)',
      touches: ['patching'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(
            new RegisterPatchBaselineForPatchGroupCommand({ BaselineId: owned.baselineId, PatchGroup: 'x' }),
          ),
          'DoesNotExistException',
        ),
    },
    {
      service: 'ssm',
      op: 'DeregisterPatchBaselineForPatchGroup (A’s baseline and group)',
      touches: ['patching'],
      attempt: async (c) => {
        const out = await c.ssm
          .send(
            new DeregisterPatchBaselineForPatchGroupCommand({
              BaselineId: owned.baselineId,
              PatchGroup: owned.patchGroup,
            }),
          )
          .catch((e: unknown) => e);
        assert.ok(out instanceof Error, 'A’s patch group must stay registered');
        assert.match(out.name, /DoesNotExistException|InvalidResourceId/);
      },
    },
    {
      service: 'ssm',
      op: 'GetPatchBaselineForPatchGroup (A’s group)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm.send(
          new GetPatchBaselineForPatchGroupCommand({
            PatchGroup: owned.patchGroup,
            OperatingSystem: 'DEBIAN',
          }),
        );
        assert.notEqual(out.BaselineId, owned.baselineId);
      },
    },
    {
      service: 'ssm',
      op: 'DescribePatchGroupState (A’s group)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm.send(new DescribePatchGroupStateCommand({ PatchGroup: owned.patchGroup }));
        assert.equal(out.Instances ?? 0, 0);
      },
    },
    {
      service: 'ssm',
      op: 'DescribeInstancePatchStates (A’s instance)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm
          .send(new DescribeInstancePatchStatesCommand({ InstanceIds: [owned.node.instanceId] }))
          .catch((e: unknown) => e);
        if (out instanceof Error) {
          assert.equal(out.name, 'InvalidInstanceId');
          return;
        }
        assert.deepEqual((out as { InstancePatchStates?: unknown[] }).InstancePatchStates ?? [], []);
      },
    },
    {
      service: 'ssm',
      op: 'DescribeInstancePatches (A’s instance)',
      touches: [],
      attempt: (c) =>
        ssmError(
          c.ssm.send(new DescribeInstancePatchesCommand({ InstanceId: owned.node.instanceId })),
          'InvalidInstanceId',
        ),
    },
    {
      service: 'ssm',
      op: 'DescribeInstancePatchStatesForPatchGroup (A’s group)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm.send(
          new DescribeInstancePatchStatesForPatchGroupCommand({ PatchGroup: owned.patchGroup }),
        );
        assert.deepEqual(out.InstancePatchStates ?? [], []);
      },
    },
    // ---- SSM: maintenance windows
    ...(
      [
        [
          'GetMaintenanceWindow',
          (c: Caller) => c.ssm.send(new GetMaintenanceWindowCommand({ WindowId: owned.windowId })),
          [],
        ],
        [
          'UpdateMaintenanceWindow',
          (c: Caller) =>
            c.ssm.send(
              new UpdateMaintenanceWindowCommand({ WindowId: owned.windowId, Name: 'taken', Enabled: false }),
            ),
          ['windows'],
        ],
        [
          'DeleteMaintenanceWindow',
          (c: Caller) => c.ssm.send(new DeleteMaintenanceWindowCommand({ WindowId: owned.windowId })),
          ['windows'],
        ],
        [
          'DescribeMaintenanceWindowTargets',
          (c: Caller) =>
            c.ssm.send(new DescribeMaintenanceWindowTargetsCommand({ WindowId: owned.windowId })),
          [],
        ],
        [
          'DescribeMaintenanceWindowTasks',
          (c: Caller) => c.ssm.send(new DescribeMaintenanceWindowTasksCommand({ WindowId: owned.windowId })),
          [],
        ],
        [
          'DescribeMaintenanceWindowExecutions',
          (c: Caller) =>
            c.ssm.send(new DescribeMaintenanceWindowExecutionsCommand({ WindowId: owned.windowId })),
          [],
        ],
        [
          'RegisterTargetWithMaintenanceWindow',
          (c: Caller) =>
            c.ssm.send(
              new RegisterTargetWithMaintenanceWindowCommand({
                WindowId: owned.windowId,
                ResourceType: 'INSTANCE',
                Targets: [{ Key: 'tag:x', Values: ['y'] }],
              }),
            ),
          ['windows'],
        ],
        [
          'RegisterTaskWithMaintenanceWindow',
          (c: Caller) =>
            c.ssm.send(
              new RegisterTaskWithMaintenanceWindowCommand({
                WindowId: owned.windowId,
                Targets: [{ Key: 'WindowTargetIds', Values: [owned.windowTargetId] }],
                TaskType: 'RUN_COMMAND',
                TaskArn: 'AWS-RunShellScript',
                MaxConcurrency: '1',
                MaxErrors: '1',
              }),
            ),
          ['windows'],
        ],
        [
          'UpdateMaintenanceWindowTarget',
          (c: Caller) =>
            c.ssm.send(
              new UpdateMaintenanceWindowTargetCommand({
                WindowId: owned.windowId,
                WindowTargetId: owned.windowTargetId,
                Name: 'taken',
              }),
            ),
          ['windows'],
        ],
        [
          'DeregisterTargetFromMaintenanceWindow',
          (c: Caller) =>
            c.ssm.send(
              new DeregisterTargetFromMaintenanceWindowCommand({
                WindowId: owned.windowId,
                WindowTargetId: owned.windowTargetId,
                Safe: false,
              }),
            ),
          ['windows'],
        ],
        [
          'GetMaintenanceWindowTask',
          (c: Caller) =>
            c.ssm.send(
              new GetMaintenanceWindowTaskCommand({
                WindowId: owned.windowId,
                WindowTaskId: owned.windowTaskId,
              }),
            ),
          [],
        ],
        [
          'UpdateMaintenanceWindowTask',
          (c: Caller) =>
            c.ssm.send(
              new UpdateMaintenanceWindowTaskCommand({
                WindowId: owned.windowId,
                WindowTaskId: owned.windowTaskId,
                Name: 'taken',
              }),
            ),
          ['windows'],
        ],
        [
          'DeregisterTaskFromMaintenanceWindow',
          (c: Caller) =>
            c.ssm.send(
              new DeregisterTaskFromMaintenanceWindowCommand({
                WindowId: owned.windowId,
                WindowTaskId: owned.windowTaskId,
              }),
            ),
          ['windows'],
        ],
        [
          'GetMaintenanceWindowExecution',
          (c: Caller) =>
            c.ssm.send(
              new GetMaintenanceWindowExecutionCommand({ WindowExecutionId: owned.windowExecutionId }),
            ),
          [],
        ],
        [
          'DescribeMaintenanceWindowExecutionTasks',
          (c: Caller) =>
            c.ssm.send(
              new DescribeMaintenanceWindowExecutionTasksCommand({
                WindowExecutionId: owned.windowExecutionId,
              }),
            ),
          [],
        ],
        [
          'GetMaintenanceWindowExecutionTask',
          (c: Caller) =>
            c.ssm.send(
              new GetMaintenanceWindowExecutionTaskCommand({
                WindowExecutionId: owned.windowExecutionId,
                TaskId: owned.taskExecutionId,
              }),
            ),
          [],
        ],
        [
          'DescribeMaintenanceWindowExecutionTaskInvocations',
          (c: Caller) =>
            c.ssm.send(
              new DescribeMaintenanceWindowExecutionTaskInvocationsCommand({
                WindowExecutionId: owned.windowExecutionId,
                TaskId: owned.taskExecutionId,
              }),
            ),
          [],
        ],
        [
          'GetMaintenanceWindowExecutionTaskInvocation',
          (c: Caller) =>
            c.ssm.send(
              new GetMaintenanceWindowExecutionTaskInvocationCommand({
                WindowExecutionId: owned.windowExecutionId,
                TaskId: owned.taskExecutionId,
                InvocationId: owned.invocationId,
              }),
            ),
          [],
        ],
        [
          'CancelMaintenanceWindowExecution',
          (c: Caller) =>
            c.ssm.send(
              new CancelMaintenanceWindowExecutionCommand({ WindowExecutionId: owned.windowExecutionId }),
            ),
          ['windows'],
        ],
        [
          'DescribeMaintenanceWindowSchedule (A’s window)',
          (c: Caller) =>
            c.ssm.send(new DescribeMaintenanceWindowScheduleCommand({ WindowId: owned.windowId })),
          [],
        ],
      ] as [string, (c: Caller) => Promise<unknown>, Section[]][]
    ).map(([op, call, touches]): IsolationRow => ({
      service: 'ssm',
      op,
      touches,
      attempt: (c) => ssmError(call(c), 'DoesNotExistException'),
    })),
    // ---- SSM: compliance and inventory
    {
      service: 'ssm',
      op: 'PutComplianceItems (A’s instance)',
      touches: ['compliance'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(
            new PutComplianceItemsCommand({
              ResourceId: owned.node.instanceId,
              ResourceType: 'ManagedInstance',
              ComplianceType: 'Custom:Secret',
              ExecutionSummary: { ExecutionTime: new Date() },
              Items: [{ Id: 'taken', Severity: 'LOW', Status: 'COMPLIANT' }],
            }),
          ),
          'InvalidResourceId',
        ),
    },
    {
      service: 'ssm',
      op: 'ListComplianceItems (A’s instance)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm.send(
          new ListComplianceItemsCommand({ ResourceIds: [owned.node.instanceId] }),
        );
        assert.deepEqual(out.ComplianceItems ?? [], []);
      },
    },
    {
      service: 'ssm',
      op: 'ListResourceComplianceSummaries (A’s instance)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm.send(
          new ListResourceComplianceSummariesCommand({
            Filters: [{ Key: 'ComplianceType', Values: ['Custom:Secret'], Type: 'EQUAL' }],
          }),
        );
        assert.deepEqual(
          (out.ResourceComplianceSummaryItems ?? []).filter((x) => x.ResourceId === owned.node.instanceId),
          [],
        );
      },
    },
    {
      service: 'ssm',
      op: 'PutInventory (A’s instance)',
      touches: ['inventory'],
      attempt: (c) =>
        ssmError(
          c.ssm.send(
            new PutInventoryCommand({
              InstanceId: owned.node.instanceId,
              Items: [
                {
                  TypeName: 'Custom:Secret',
                  SchemaVersion: '1.0',
                  CaptureTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
                  Content: [{ Name: 'taken' }],
                },
              ],
            }),
          ),
          'InvalidInstanceId',
        ),
    },
    {
      service: 'ssm',
      op: 'ListInventoryEntries (A’s instance)',
      touches: [],
      attempt: (c) =>
        ssmError(
          c.ssm.send(
            new ListInventoryEntriesCommand({ InstanceId: owned.node.instanceId, TypeName: 'Custom:Secret' }),
          ),
          'InvalidInstanceId',
        ),
    },
    {
      service: 'ssm',
      op: 'GetInventory (A’s instance id)',
      touches: [],
      attempt: async (c) => {
        const out = await c.ssm.send(
          new GetInventoryCommand({
            Filters: [
              { Key: 'AWS:InstanceInformation.InstanceId', Values: [owned.node.instanceId], Type: 'Equal' },
            ],
          }),
        );
        assert.deepEqual(out.Entities ?? [], []);
      },
    },
    // ---- SSM: service settings named by A's ARN
    {
      service: 'ssm',
      op: 'UpdateServiceSetting / ResetServiceSetting / GetServiceSetting (A’s setting ARN)',
      touches: ['settings'],
      attempt: async (c) => {
        const arn = `arn:aws:ssm:${region}:${a.accountId}:servicesetting/ssm/documents/console/public-sharing-permission`;
        const updated = await c.ssm
          .send(new UpdateServiceSettingCommand({ SettingId: arn, SettingValue: 'Disable' }))
          .catch((e: unknown) => e);
        assert.ok(updated instanceof Error, 'A’s setting must not change');
        assert.match(updated.name, /AccessDeniedException|ServiceSettingNotFound|ValidationException/);
        await refused(
          c.ssm.send(new ResetServiceSettingCommand({ SettingId: arn })),
          /^(AccessDeniedException|ServiceSettingNotFound|ValidationException)$/,
        );
        const read = await c.ssm
          .send(new GetServiceSettingCommand({ SettingId: arn }))
          .catch((e: unknown) => e);
        assert.ok(read instanceof Error, 'A’s setting must not be read');
        assert.match(read.name, /AccessDeniedException|ServiceSettingNotFound|ValidationException/);
      },
    },
    // ---- SSM: the operations a managed node's agent calls, with the account's key and with its own node's key
    ...(
      [
        [
          'UpdateInstanceInformation',
          () => ({ InstanceId: owned.node.instanceId, AgentVersion: '9.9.9', ComputerName: 'taken' }),
          ['instances'],
        ],
        [
          'BulwarkGetPendingCommands',
          () => ({ InstanceId: owned.node.instanceId, MaxCommands: 5 }),
          ['commands'],
        ],
        [
          'BulwarkReportCommandResult',
          () => ({
            InstanceId: owned.node.instanceId,
            CommandId: owned.commandId,
            ReportId: 'taken',
            Status: 'Success',
            ResponseCode: 0,
            StandardOutputContent: 'taken',
          }),
          ['commands'],
        ],
        [
          'GetDeployablePatchSnapshotForInstance',
          () => ({ InstanceId: owned.node.instanceId, SnapshotId: '11111111-2222-3333-4444-555555555555' }),
          [],
        ],
        ['ListInstanceAssociations', () => ({ InstanceId: owned.node.instanceId }), []],
        [
          'UpdateInstanceAssociationStatus',
          () => ({
            AssociationId: owned.associationId,
            InstanceId: owned.node.instanceId,
            ExecutionResult: {
              Status: 'Failed',
              ExecutionDate: Date.now() / 1000,
              ErrorCode: 'taken',
              ExecutionSummary: 'taken',
            },
          }),
          ['associations'],
        ],
        [
          'PutInventory',
          () => ({
            InstanceId: owned.node.instanceId,
            Items: [
              {
                TypeName: 'Custom:Secret',
                SchemaVersion: '1.0',
                CaptureTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
                Content: [{ Name: 'taken' }],
              },
            ],
          }),
          ['inventory'],
        ],
        [
          'PutComplianceItems',
          () => ({
            ResourceId: owned.node.instanceId,
            ResourceType: 'ManagedInstance',
            ComplianceType: 'Custom:Secret',
            ExecutionSummary: { ExecutionTime: Date.now() / 1000 },
            Items: [{ Id: 'taken', Severity: 'LOW', Status: 'COMPLIANT' }],
          }),
          ['compliance'],
        ],
      ] as [string, () => unknown, Section[]][]
    ).map(([target, body, touches]): IsolationRow => ({
      service: 'ssm',
      op: `${target} (A’s instance; as the caller’s account and as its own node)`,
      touches,
      attempt: async (c) => {
        for (const as of ['admin', 'node'] as const) {
          const out = await c.raw(as, target, body());
          assert.equal(out.status, 400, `${as}: ${out.type}`);
          assert.match(
            out.type,
            /^(InvalidInstanceId|InvalidResourceId|AccessDeniedException|InvalidCommandId|AssociationDoesNotExist)$/,
            `${as}: ${out.type}`,
          );
        }
      },
    })),
    // ---- Lists: nothing of A's shows up in any of the caller's lists
    {
      service: 'securityhub',
      op: 'GetInsights, ListAutomationRules, ListFindingAggregators, ListMembers, ListInvitations, ListEnabledProductsForImport, GetFindings (unfiltered)',
      touches: [],
      attempt: async (c) => {
        const seen = JSON.stringify([
          await c.hub.send(new GetInsightsCommand({})),
          await c.hub.send(new ListAutomationRulesCommand({})),
          await c.hub.send(new ListFindingAggregatorsCommand({})),
          await c.hub.send(new ListMembersCommand({ OnlyAssociated: false })),
          await c.hub.send(new ListInvitationsCommand({})),
          await c.hub.send(new ListEnabledProductsForImportCommand({})),
          await getAllFindings(c.hub),
        ]);
        for (const id of [
          owned.insightArn,
          owned.ruleArn,
          owned.aggregatorArn,
          owned.productSubscriptionArn,
          owned.prowlerFinding.Id ?? '',
          owned.defaultFinding.Id ?? '',
          m.accountId === c.accountId ? owned.hubArn : m.accountId,
        ]) {
          assert.ok(!seen.includes(id), `${id} is not listed`);
        }
      },
    },
    {
      service: 'ssm',
      op: 'DescribeInstanceInformation, DescribeActivations, ListDocuments, ListAssociations, ListCommands, DescribePatchBaselines, DescribePatchGroups, DescribeMaintenanceWindows, ListComplianceSummaries, GetInventory (unfiltered)',
      touches: [],
      attempt: async (c) => {
        const seen = JSON.stringify([
          await c.ssm.send(new DescribeInstanceInformationCommand({})),
          await c.ssm.send(new DescribeActivationsCommand({})),
          await c.ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Owner', Values: ['Self'] }] })),
          await c.ssm.send(new ListAssociationsCommand({})),
          await c.ssm.send(new ListCommandsCommand({})),
          await c.ssm.send(new ListCommandInvocationsCommand({})),
          await c.ssm.send(
            new DescribePatchBaselinesCommand({ Filters: [{ Key: 'OWNER', Values: ['Self'] }] }),
          ),
          await c.ssm.send(new DescribePatchGroupsCommand({})),
          await c.ssm.send(new DescribeMaintenanceWindowsCommand({})),
          await c.ssm.send(new GetInventoryCommand({})),
        ]);
        for (const id of [
          owned.node.instanceId,
          owned.activationId,
          owned.documentName,
          owned.sharedDocumentName,
          owned.associationId,
          owned.commandId,
          owned.baselineId,
          owned.patchGroup,
          owned.windowId,
        ]) {
          assert.ok(!seen.includes(id), `${id} is not listed`);
        }
      },
    },
    // ---- CloudTrail
    {
      service: 'cloudtrail',
      op: 'LookupEvents (A’s event id)',
      touches: [],
      attempt: async (c) => {
        const out = await c.trail.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: owned.eventId }],
          }),
        );
        assert.deepEqual(out.Events ?? [], []);
        // The caller's own failed attempts on A's insight are its events; none of A's are.
        const byResource = await c.trail.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: owned.insightArn }],
          }),
        );
        const accounts = (byResource.Events ?? []).map(
          (event) =>
            (JSON.parse(event.CloudTrailEvent ?? '{}') as { recipientAccountId?: string }).recipientAccountId,
        );
        assert.deepEqual(
          accounts.filter((account) => account !== c.accountId),
          [],
        );
      },
    },
  ];

  for (const row of rows) {
    it(`${row.service} ${row.op}: not found for another account and a member that is not Enabled`, async () => {
      for (const caller of callers) {
        const before = await snapshot(row.touches);
        await row.attempt(caller).catch((error: unknown) => {
          throw new Error(`as ${caller.label}: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          });
        });
        assert.deepEqual(await snapshot(row.touches), before, `as ${caller.label}: nothing of A's changed`);
      }
    });
  }

  it('covers every served operation: each is a row above or named here as taking no identifier of another account', () => {
    // Operations that create the caller's own resources, read global catalogues, or act only on the caller's own
    // account; everything else names something that could be another account's and needs a row.
    const withoutForeignIdentifier = new Set([
      'EnableSecurityHub',
      'DisableSecurityHub',
      'UpdateSecurityHubConfiguration',
      'CreateInsight',
      'CreateAutomationRule',
      'CreateMembers',
      'GetInvitationsCount',
      'DescribeProducts',
      'EnableImportFindingsForProduct',
      'CreateFindingAggregator',
      'BatchEnableStandards',
      'DescribeStandards',
      'GetSecurityControlDefinition',
      'ListSecurityControlDefinitions',
      'ListStandardsControlAssociations',
      'GetSecurityScore',
      'GetOverview', // counts only the caller's (and its Enabled members') data: test/overview.e2e.test.ts
      'GetAuditTrailVerification', // the whole trail's verdict only, no account's data: test/audit-verification.e2e.test.ts
      'BatchImportFindings', // the takeover test below
      'GetCallerIdentity',
      'CreateActivation',
      'RegisterManagedInstance', // whoever holds an activation code registers into the activation's account
      'CreateDocument',
      'CreatePatchBaseline',
      'DescribeAvailablePatches',
      'DescribePatchProperties',
      'GetDefaultPatchBaseline',
      'CreateMaintenanceWindow',
      'GetInventorySchema',
    ]);
    const covered = new Set(rows.flatMap((row) => row.op.match(/[A-Z][A-Za-z0-9]+/g) ?? []));
    const sources = readdirSync(join(repoRoot, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) =>
      /(^|\/)([a-z-]*routes|lookup-events)\.ts$/.test(file),
    );
    const served = new Set(
      sources.flatMap((file) =>
        [...readFileSync(join(repoRoot, 'src', file), 'utf8').matchAll(/\bname: '([A-Z][A-Za-z0-9]+)'/g)].map(
          (match) => match[1] ?? '',
        ),
      ),
    );
    assert.ok(served.size > 100, `found the route tables (${served.size} operations)`);
    const missing = [...served].filter((op) => !covered.has(op) && !withoutForeignIdentifier.has(op)).sort();
    assert.deepEqual(missing, [], 'operations without an isolation row');
  });

  it('keeps a finding per owning account: another account importing A’s Id and ProductArn gets its own finding', async () => {
    await b.client.send(new EnableImportFindingsForProductCommand({ ProductArn: prowlerArn }));
    const before = await snapshot(['findings']);
    const copy = b.finding({
      Id: owned.prowlerFinding.Id,
      ProductArn: prowlerArn,
      UpdatedAt: new Date().toISOString(),
      Title: 'B’s finding with A’s identifier',
    });
    const imported = await b.client.send(new BatchImportFindingsCommand({ Findings: [copy] }));
    assert.equal(imported.SuccessCount, 1, JSON.stringify(imported.FailedFindings));

    assert.deepEqual(await snapshot(['findings']), before, 'A’s finding, note and history are unchanged');
    const own = await getAllFindings(b.client, { Id: [{ Value: copy.Id ?? '', Comparison: 'EQUALS' }] });
    assert.deepEqual(
      own.map((f) => [f.AwsAccountId, f.Title, f.Note]),
      [[b.accountId, 'B’s finding with A’s identifier', undefined]],
    );
    const history = await b.client.send(
      new GetFindingHistoryCommand({ FindingIdentifier: aFindingIdentifier() }),
    );
    const text = JSON.stringify(history.Records);
    assert.ok(!text.includes(a.accountId), `B's history shows nothing of A: ${text}`);
    assert.ok(!text.includes('A private note'), 'nor A’s note');
    assert.equal(history.Records?.length, 1);
    assert.equal(history.Records?.[0]?.FindingCreated, true);

    // Each account updates only its own finding with that identifier.
    await b.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [aFindingIdentifier()],
        Note: { Text: 'B’s own note', UpdatedBy: 'b' },
      }),
    );
    assert.deepEqual(await snapshot(['findings']), before);
    assert.equal(
      (await getAllFindings(b.client, { Id: [{ Value: copy.Id ?? '', Comparison: 'EQUALS' }] }))[0]?.Note
        ?.Text,
      'B’s own note',
    );
  });

  it('an administrator sees and updates a member’s finding only once the member is Enabled, its own first', async () => {
    const memberFinding = m.finding({ Id: uniqueFindingId('member') });
    await m.client.send(new BatchImportFindingsCommand({ Findings: [memberFinding] }));
    const identifier = { Id: memberFinding.Id ?? '', ProductArn: memberFinding.ProductArn ?? '' };
    const notVisible = await a.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [identifier],
        Note: { Text: 'admin', UpdatedBy: 'a' },
      }),
    );
    assert.equal(notVisible.UnprocessedFindings?.[0]?.ErrorCode, 'FindingNotFound');
    assert.deepEqual(
      (await a.client.send(new GetFindingHistoryCommand({ FindingIdentifier: identifier }))).Records ?? [],
      [],
    );
    assert.deepEqual(
      await getAllFindings(a.client, { Id: [{ Value: identifier.Id, Comparison: 'EQUALS' }] }),
      [],
    );
    assert.equal(
      (await getAllFindings(m.client, { Id: [{ Value: identifier.Id, Comparison: 'EQUALS' }] }))[0]?.Note,
      undefined,
    );

    // M also holds a finding with A's ProductArn and Id (its own, from the same partner product).
    await m.client.send(new EnableImportFindingsForProductCommand({ ProductArn: prowlerArn }));
    const twin = m.finding({ Id: owned.prowlerFinding.Id, ProductArn: prowlerArn, Title: 'M’s twin' });
    assert.equal((await m.client.send(new BatchImportFindingsCommand({ Findings: [twin] }))).SuccessCount, 1);

    // Once M accepts, it is Enabled: A sees and updates M's findings.
    const invitation = (await m.client.send(new ListInvitationsCommand({}))).Invitations?.[0];
    await m.client.send(
      new AcceptAdministratorInvitationCommand({
        AdministratorId: a.accountId,
        InvitationId: invitation?.InvitationId ?? '',
      }),
    );
    const updated = await a.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [identifier],
        Note: { Text: 'admin', UpdatedBy: 'a' },
      }),
    );
    assert.deepEqual(updated.ProcessedFindings, [identifier]);
    assert.equal(
      (await getAllFindings(m.client, { Id: [{ Value: identifier.Id, Comparison: 'EQUALS' }] }))[0]?.Note
        ?.Text,
      'admin',
    );
    // An identifier both hold names the administrator's own finding; the member's twin is untouched.
    const both = await getAllFindings(a.client, {
      Id: [{ Value: owned.prowlerFinding.Id ?? '', Comparison: 'EQUALS' }],
    });
    assert.deepEqual(both.map((f) => f.AwsAccountId).sort(), [a.accountId, m.accountId].sort());
    await a.client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [aFindingIdentifier()],
        UserDefinedFields: { touchedBy: 'a' },
      }),
    );
    const after = await getAllFindings(a.client, {
      Id: [{ Value: owned.prowlerFinding.Id ?? '', Comparison: 'EQUALS' }],
    });
    assert.deepEqual(
      after.map((f) => [f.AwsAccountId, f.UserDefinedFields?.['touchedBy']]).sort(),
      [
        [a.accountId, 'a'],
        [m.accountId, undefined],
      ].sort(),
    );
  });
});
