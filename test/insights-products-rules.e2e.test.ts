/** E2E: insights, product integrations, automation rules and tags through the AWS SDK against the real server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchDeleteAutomationRulesCommand,
  BatchGetAutomationRulesCommand,
  BatchImportFindingsCommand,
  BatchUpdateAutomationRulesCommand,
  CreateAutomationRuleCommand,
  CreateInsightCommand,
  DeleteInsightCommand,
  DescribeProductsCommand,
  DisableImportFindingsForProductCommand,
  EnableImportFindingsForProductCommand,
  GetInsightResultsCommand,
  GetInsightsCommand,
  ListAutomationRulesCommand,
  ListEnabledProductsForImportCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateInsightCommand,
} from '@aws-sdk/client-securityhub';
import { enabledAccount, getFinding, type TestAccount } from './support/accounts.js';
import { expectAwsError } from './support/assert-aws-error.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

describe('insights, products, automation rules and tags (e2e)', () => {
  let server: InProcessServer;
  let me: TestAccount;
  let stranger: TestAccount;

  before(async () => {
    server = await startInProcessServer();
    me = await enabledAccount(server);
    stranger = await enabledAccount(server);
  });
  after(async () => {
    await server?.dispose();
  });

  it('creates, reads, evaluates, updates and deletes a custom insight; strangers see nothing', async () => {
    const imported = await me.client.send(
      new BatchImportFindingsCommand({
        Findings: [
          me.finding({ Severity: { Label: 'HIGH' } }),
          me.finding({ Severity: { Label: 'HIGH' } }),
          me.finding({ Severity: { Label: 'LOW' } }),
        ],
      }),
    );
    assert.equal(imported.SuccessCount, 3);
    const { InsightArn } = await me.client.send(
      new CreateInsightCommand({
        Name: 'By severity',
        Filters: { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] },
        GroupByAttribute: 'SeverityLabel',
      }),
    );
    assert.match(
      InsightArn ?? '',
      new RegExp(`^arn:aws:securityhub:us-east-1:${me.accountId}:insight/${me.accountId}/custom/`),
    );
    const arn = InsightArn ?? '';

    const listed = await me.client.send(new GetInsightsCommand({}));
    assert.deepEqual(
      listed.Insights?.map((i) => i.InsightArn),
      [arn],
    );
    assert.equal(listed.NextToken, undefined);

    const results = await me.client.send(new GetInsightResultsCommand({ InsightArn: arn }));
    assert.deepEqual(results.InsightResults, {
      InsightArn: arn,
      GroupByAttribute: 'SeverityLabel',
      ResultValues: [
        { GroupByAttributeValue: 'HIGH', Count: 2 },
        { GroupByAttributeValue: 'LOW', Count: 1 },
      ],
    });

    await me.client.send(
      new UpdateInsightCommand({ InsightArn: arn, Name: 'Renamed', GroupByAttribute: 'ResourceType' }),
    );
    const [updated] = (await me.client.send(new GetInsightsCommand({ InsightArns: [arn] }))).Insights ?? [];
    assert.equal(updated?.Name, 'Renamed');
    assert.equal(updated?.GroupByAttribute, 'ResourceType');

    await expectAwsError(
      stranger.client.send(new GetInsightResultsCommand({ InsightArn: arn })),
      'ResourceNotFoundException',
      404,
    );
    await expectAwsError(
      stranger.client.send(new DeleteInsightCommand({ InsightArn: arn })),
      'ResourceNotFoundException',
      404,
    );
    assert.deepEqual((await stranger.client.send(new GetInsightsCommand({}))).Insights, []);

    const deleted = await me.client.send(new DeleteInsightCommand({ InsightArn: arn }));
    assert.equal(deleted.InsightArn, arn);
    await expectAwsError(
      me.client.send(new GetInsightsCommand({ InsightArns: [arn] })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('serves managed insights by ARN and refuses to delete them', async () => {
    const managed = 'arn:aws:securityhub:::insight/securityhub/default/29';
    const results = await me.client.send(new GetInsightResultsCommand({ InsightArn: managed }));
    assert.equal(results.InsightResults?.GroupByAttribute, 'SeverityLabel');
    const described = await me.client.send(new GetInsightsCommand({ InsightArns: [managed] }));
    assert.equal(described.Insights?.[0]?.Name, 'Severity by counts of findings');
    await expectAwsError(
      me.client.send(new DeleteInsightCommand({ InsightArn: managed })),
      'InvalidInputException',
      400,
    );
  });

  it('rejects an insight grouped by a non-string attribute with InvalidInputException naming the field', async () => {
    await expectAwsError(
      me.client.send(new CreateInsightCommand({ Name: 'bad', Filters: {}, GroupByAttribute: 'Confidence' })),
      'InvalidInputException',
      400,
      /GroupByAttribute/,
    );
  });

  it('refuses imports from a product until it is enabled, and again once it is disabled', async () => {
    const productArn = 'arn:aws:securityhub:us-east-1::product/prowler/prowler';
    const products = await me.client.send(new DescribeProductsCommand({ ProductArn: productArn }));
    assert.equal(products.Products?.[0]?.ProductName, 'Prowler');
    const importOne = () =>
      me.client.send(new BatchImportFindingsCommand({ Findings: [me.finding({ ProductArn: productArn })] }));

    assert.equal((await importOne()).FailedFindings?.[0]?.ErrorCode, 'InvalidAccess');
    const enabled = await me.client.send(
      new EnableImportFindingsForProductCommand({ ProductArn: productArn }),
    );
    assert.equal(
      enabled.ProductSubscriptionArn,
      `arn:aws:securityhub:us-east-1:${me.accountId}:product-subscription/prowler/prowler`,
    );
    await expectAwsError(
      me.client.send(new EnableImportFindingsForProductCommand({ ProductArn: productArn })),
      'ResourceConflictException',
      409,
    );
    assert.equal((await importOne()).SuccessCount, 1);
    const listed = await me.client.send(new ListEnabledProductsForImportCommand({}));
    assert.deepEqual(listed.ProductSubscriptions, [enabled.ProductSubscriptionArn]);

    await expectAwsError(
      stranger.client.send(
        new DisableImportFindingsForProductCommand({
          ProductSubscriptionArn: enabled.ProductSubscriptionArn,
        }),
      ),
      'ResourceNotFoundException',
      404,
    );
    await me.client.send(
      new DisableImportFindingsForProductCommand({ ProductSubscriptionArn: enabled.ProductSubscriptionArn }),
    );
    assert.equal((await importOne()).FailedFindings?.[0]?.ErrorCode, 'InvalidAccess');
  });

  it('runs automation rules on imported findings and manages them in batches', async () => {
    const created = await me.client.send(
      new CreateAutomationRuleCommand({
        RuleName: 'Suppress test instances',
        Description: 'Findings on test hosts are noise',
        RuleOrder: 1,
        Criteria: { Title: [{ Value: 'SSH', Comparison: 'CONTAINS' }] },
        Actions: [
          {
            Type: 'FINDING_FIELDS_UPDATE',
            FindingFieldsUpdate: {
              Workflow: { Status: 'SUPPRESSED' },
              Note: { Text: 'auto', UpdatedBy: 'rule' },
            },
          },
        ],
        Tags: { owner: 'secops' },
      }),
    );
    const ruleArn = created.RuleArn ?? '';
    assert.match(ruleArn, new RegExp(`^arn:aws:securityhub:us-east-1:${me.accountId}:automation-rule/`));

    const finding = me.finding();
    await me.client.send(new BatchImportFindingsCommand({ Findings: [finding] }));
    const stored = await getFinding(me.client, finding.Id ?? '');
    assert.equal(stored.Workflow?.Status, 'SUPPRESSED');
    assert.equal(stored.Note?.Text, 'auto');

    const got = await me.client.send(new BatchGetAutomationRulesCommand({ AutomationRulesArns: [ruleArn] }));
    assert.equal(got.Rules?.[0]?.RuleStatus, 'ENABLED');
    assert.equal(got.Rules?.[0]?.IsTerminal, false);
    assert.ok(got.Rules?.[0]?.CreatedAt instanceof Date, 'CreatedAt parses as a timestamp');
    assert.deepEqual(got.UnprocessedAutomationRules, []);

    const list = await me.client.send(new ListAutomationRulesCommand({ MaxResults: 10 }));
    assert.deepEqual(
      list.AutomationRulesMetadata?.map((r) => r.RuleArn),
      [ruleArn],
    );
    assert.equal(list.NextToken, undefined);

    const strangerView = await stranger.client.send(
      new BatchGetAutomationRulesCommand({ AutomationRulesArns: [ruleArn] }),
    );
    assert.deepEqual(strangerView.Rules, []);
    assert.equal(strangerView.UnprocessedAutomationRules?.[0]?.ErrorCode, 404);

    const disabled = await me.client.send(
      new BatchUpdateAutomationRulesCommand({
        UpdateAutomationRulesRequestItems: [{ RuleArn: ruleArn, RuleStatus: 'DISABLED' }],
      }),
    );
    assert.deepEqual(disabled.ProcessedAutomationRules, [ruleArn]);
    const untouched = me.finding();
    await me.client.send(new BatchImportFindingsCommand({ Findings: [untouched] }));
    assert.equal((await getFinding(me.client, untouched.Id ?? '')).Workflow?.Status, 'NEW');

    const tags = await me.client.send(new ListTagsForResourceCommand({ ResourceArn: ruleArn }));
    assert.deepEqual(tags.Tags, { owner: 'secops' });
    const deleted = await me.client.send(
      new BatchDeleteAutomationRulesCommand({ AutomationRulesArns: [ruleArn] }),
    );
    assert.deepEqual(deleted.ProcessedAutomationRules, [ruleArn]);
    await expectAwsError(
      me.client.send(new ListTagsForResourceCommand({ ResourceArn: ruleArn })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('rejects a rule with two actions as InvalidInputException', async () => {
    const action = { Type: 'FINDING_FIELDS_UPDATE' as const, FindingFieldsUpdate: { Confidence: 1 } };
    await expectAwsError(
      me.client.send(
        new CreateAutomationRuleCommand({
          RuleName: 'r',
          Description: 'd',
          RuleOrder: 1,
          Criteria: {},
          Actions: [action, action],
        }),
      ),
      'InvalidInputException',
      400,
      /Actions/,
    );
  });

  it('tags and untags the hub; other accounts get ResourceNotFoundException', async () => {
    const hubArn = `arn:aws:securityhub:us-east-1:${me.accountId}:hub/default`;
    await me.client.send(new TagResourceCommand({ ResourceArn: hubArn, Tags: { env: 'prod', team: 'sec' } }));
    await me.client.send(new UntagResourceCommand({ ResourceArn: hubArn, TagKeys: ['team', 'absent'] }));
    assert.deepEqual((await me.client.send(new ListTagsForResourceCommand({ ResourceArn: hubArn }))).Tags, {
      env: 'prod',
    });
    await expectAwsError(
      stranger.client.send(new TagResourceCommand({ ResourceArn: hubArn, Tags: { evil: 'yes' } })),
      'ResourceNotFoundException',
      404,
    );
    await expectAwsError(
      stranger.client.send(new ListTagsForResourceCommand({ ResourceArn: hubArn })),
      'ResourceNotFoundException',
      404,
    );
  });
});
