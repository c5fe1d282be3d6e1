import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { buildFinding } from '../../test/factories.js';
import { findingsServices, rejectsWith } from '../../test/support/findings-services.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import { parseWith } from '../protocols/index.js';
import type { Db } from '../storage/database.js';
import { maxAutomationRules, type AutomationRuleFields } from './automation-rules-service.js';
import {
  batchUpdateAutomationRulesSchema,
  createAutomationRuleSchema,
  toWireRule,
} from './automation-rules-wire.js';
import type { FindingDocument } from './findings-model.js';

const t0 = new Date('2026-06-01T00:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const as = (accountId: string, now = t0, region = 'us-east-1') => ({ accountId, region, now });

/** A CreateAutomationRule request as the wire sends it, parsed into service fields. */
function rule(wire: Record<string, unknown>): {
  fields: AutomationRuleFields;
  tags: Record<string, string> | undefined;
} {
  const input = parseWith(createAutomationRuleSchema, {
    RuleOrder: 1,
    RuleName: 'rule',
    Description: 'a rule',
    Criteria: {},
    Actions: [{ Type: 'FINDING_FIELDS_UPDATE', FindingFieldsUpdate: { Confidence: 1 } }],
    ...wire,
  });
  return {
    fields: {
      ruleName: input.RuleName,
      ruleStatus: input.RuleStatus ?? 'ENABLED',
      ruleOrder: input.RuleOrder,
      description: input.Description,
      isTerminal: input.IsTerminal ?? false,
      criteria: input.Criteria,
      actions: input.Actions,
    },
    tags: input.Tags,
  };
}

const update = (findingFieldsUpdate: Record<string, unknown>) => [
  { Type: 'FINDING_FIELDS_UPDATE', FindingFieldsUpdate: findingFieldsUpdate },
];

describe('AutomationRulesService', () => {
  let db: Db;
  const services = findingsServices();
  const { rules, findings, hubStore } = services;

  before(async () => {
    db = await openTestDatabase();
  });

  async function create(accountId: string, wire: Record<string, unknown>, now = t0): Promise<string> {
    const { fields, tags } = rule(wire);
    return inCtx(db, (ctx) => rules.create(ctx, fields, tags), as(accountId, now));
  }

  async function importAndRead(
    accountId: string,
    finding: AwsSecurityFinding,
    now = t0,
  ): Promise<FindingDocument> {
    const result = await inCtx(db, (ctx) => findings.importFindings(ctx, [finding]), as(accountId, now));
    assert.equal(result.SuccessCount, 1, JSON.stringify(result.FailedFindings));
    const page = await inCtx(
      db,
      (ctx) =>
        findings.getFindings(ctx, {
          filters: { Id: [{ Value: String(finding.Id), Comparison: 'EQUALS' }] },
          sortCriteria: [],
          nextToken: undefined,
          maxResults: undefined,
        }),
      as(accountId, now),
    );
    assert.equal(page.findings.length, 1);
    return page.findings[0] as FindingDocument;
  }

  it('creates a rule with defaults, stores its tags, and returns it from BatchGet with ISO timestamps', async () => {
    const account = '100000000001';
    const arn = await create(account, { RuleName: 'defaults', Tags: { owner: 'secops' } });
    assert.match(arn, /^arn:aws:securityhub:us-east-1:100000000001:automation-rule\/[0-9a-f-]{36}$/);
    const got = await inCtx(
      db,
      (ctx) =>
        rules.batchGet(ctx, [arn, 'arn:aws:securityhub:us-east-1:100000000001:automation-rule/missing']),
      as(account),
    );
    assert.equal(got.rules.length, 1);
    const wire = toWireRule(got.rules[0]!);
    assert.deepEqual(wire, {
      RuleArn: arn,
      RuleStatus: 'ENABLED',
      RuleOrder: 1,
      RuleName: 'defaults',
      Description: 'a rule',
      IsTerminal: false,
      CreatedAt: '2026-06-01T00:00:00.000Z',
      UpdatedAt: '2026-06-01T00:00:00.000Z',
      CreatedBy: 'arn:aws:iam::100000000001:user/admin',
      Criteria: {},
      Actions: [{ Type: 'FINDING_FIELDS_UPDATE', FindingFieldsUpdate: { Confidence: 1 } }],
    });
    assert.deepEqual(got.unprocessed, [
      {
        ruleArn: 'arn:aws:securityhub:us-east-1:100000000001:automation-rule/missing',
        errorCode: 404,
        errorMessage:
          'Automation rule arn:aws:securityhub:us-east-1:100000000001:automation-rule/missing not found',
      },
    ]);
    assert.deepEqual(await inCtx(db, (ctx) => hubStore.tags(ctx.tx, arn), as(account)), { owner: 'secops' });
  });

  it('lists rule metadata by RuleOrder then UpdatedAt, paged', async () => {
    const account = '100000000002';
    const late = await create(account, { RuleName: 'late', RuleOrder: 5 }, at(1));
    const early = await create(account, { RuleName: 'early', RuleOrder: 5 }, at(0));
    const first = await create(account, { RuleName: 'first', RuleOrder: 2 }, at(2));
    const page1 = await inCtx(
      db,
      (ctx) => rules.list(ctx, { nextToken: 'NULL', maxResults: 2 }),
      as(account),
    );
    assert.deepEqual(
      page1.items.map((r) => r.ruleArn),
      [first, early],
    );
    const page2 = await inCtx(
      db,
      (ctx) => rules.list(ctx, { nextToken: page1.nextToken, maxResults: 2 }),
      as(account),
    );
    assert.deepEqual(
      page2.items.map((r) => r.ruleArn),
      [late],
    );
    assert.equal(page2.nextToken, undefined);
  });

  it('updates and deletes in batches, reporting unknown and foreign rules as unprocessed 404s', async () => {
    const account = '100000000003';
    const foreignAccount = '100000000033';
    const arn = await create(account, { RuleName: 'mine', Tags: { a: 'b' } });
    const foreign = await create(foreignAccount, { RuleName: 'theirs' });
    const updated = await inCtx(
      db,
      (ctx) =>
        rules.batchUpdate(ctx, [
          { ruleArn: arn, ruleName: 'renamed', ruleStatus: 'DISABLED', ruleOrder: 7 },
          { ruleArn: foreign, ruleName: 'hijacked' },
        ]),
      as(account, at(60)),
    );
    assert.deepEqual(updated.processed, [arn]);
    assert.deepEqual(
      updated.unprocessed.map((u) => [u.ruleArn, u.errorCode]),
      [[foreign, 404]],
    );
    const [after] = (await inCtx(db, (ctx) => rules.batchGet(ctx, [arn]), as(account))).rules;
    assert.equal(after?.ruleName, 'renamed');
    assert.equal(after?.ruleStatus, 'DISABLED');
    assert.equal(after?.ruleOrder, 7);
    assert.equal(after?.description, 'a rule');
    assert.equal(after?.updatedAt.toISOString(), at(60).toISOString());
    assert.equal(after?.createdAt.toISOString(), t0.toISOString());
    const [theirs] = (await inCtx(db, (ctx) => rules.batchGet(ctx, [foreign]), as(foreignAccount))).rules;
    assert.equal(theirs?.ruleName, 'theirs');

    const foreignView = await inCtx(db, (ctx) => rules.batchGet(ctx, [arn]), as(foreignAccount));
    assert.deepEqual(foreignView.rules, []);
    assert.equal(foreignView.unprocessed[0]?.errorCode, 404);

    const deleted = await inCtx(db, (ctx) => rules.batchDelete(ctx, [arn, foreign]), as(account));
    assert.deepEqual(deleted.processed, [arn]);
    assert.deepEqual(
      deleted.unprocessed.map((u) => u.ruleArn),
      [foreign],
    );
    assert.deepEqual(await inCtx(db, (ctx) => hubStore.tags(ctx.tx, arn), as(account)), {});
    const again = await inCtx(db, (ctx) => rules.batchDelete(ctx, [arn]), as(account));
    assert.deepEqual(again.processed, []);
    assert.equal(
      (
        await inCtx(
          db,
          (ctx) => rules.list(ctx, { nextToken: undefined, maxResults: undefined }),
          as(foreignAccount),
        )
      ).items.length,
      1,
    );
  });

  it(`refuses the ${maxAutomationRules + 1}st rule with LimitExceeded`, async () => {
    const account = '100000000004';
    for (let i = 0; i < maxAutomationRules; i += 1) await create(account, { RuleName: `r${i}` });
    await rejectsWith(create(account, { RuleName: 'one too many' }), 'LimitExceeded');
    // The quota is per Region.
    const { fields } = rule({ RuleName: 'eu' });
    await inCtx(db, (ctx) => rules.create(ctx, fields, undefined), as(account, t0, 'eu-west-1'));
  });

  it("applies enabled rules at import in RuleOrder, each seeing the previous one's changes, stopping at a terminal rule", async () => {
    const account = '100000000005';
    await create(account, {
      RuleName: 'ssh is high',
      RuleOrder: 10,
      Criteria: { Title: [{ Value: 'SSH', Comparison: 'CONTAINS' }] },
      Actions: update({
        Severity: { Label: 'HIGH' },
        Note: { Text: 'internet-facing SSH', UpdatedBy: 'rules' },
      }),
    });
    await create(account, {
      RuleName: 'high is notified',
      RuleOrder: 20,
      Criteria: { SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' }] },
      Actions: update({ Workflow: { Status: 'NOTIFIED' } }),
      IsTerminal: true,
    });
    await create(account, {
      RuleName: 'after the terminal rule',
      RuleOrder: 30,
      Actions: update({ Confidence: 5 }),
    });
    await create(account, {
      RuleName: 'disabled',
      RuleOrder: 1,
      RuleStatus: 'DISABLED',
      Actions: update({ Criticality: 99 }),
    });
    await create(account, {
      RuleName: 'buckets only',
      RuleOrder: 2,
      Criteria: { ResourceType: [{ Value: 'AwsS3Bucket', Comparison: 'EQUALS' }] },
      Actions: update({ VerificationState: 'FALSE_POSITIVE' }),
    });
    const ssh = await importAndRead(account, { ...buildFinding({}, { accountId: account }) });
    assert.equal(ssh.Severity?.Label, 'HIGH');
    assert.equal(ssh.Note?.Text, 'internet-facing SSH');
    assert.equal(ssh.Workflow?.Status, 'NOTIFIED');
    assert.equal(ssh.Confidence, 80, 'the rule after the terminal one did not run');
    assert.equal(ssh.Criticality, 50, 'the disabled rule did not run');
    assert.equal(ssh.VerificationState, undefined, 'the non-matching rule did not run');

    const other = await importAndRead(account, {
      ...buildFinding({ Title: 'Unencrypted volume' }, { accountId: account }),
    });
    assert.equal(other.Severity?.Label, 'MEDIUM');
    assert.equal(other.Workflow?.Status, 'NEW');
    assert.equal(other.Confidence, 5, 'no terminal rule matched, so the last rule ran');
  });

  it('breaks RuleOrder ties by the earlier UpdatedAt, so an edit moves a rule behind its peers', async () => {
    const account = '100000000006';
    const a = await create(
      account,
      { RuleName: 'a', RuleOrder: 3, Actions: update({ Criticality: 10 }) },
      at(0),
    );
    await create(account, { RuleName: 'b', RuleOrder: 3, Actions: update({ Criticality: 20 }) }, at(1));
    const first = await importAndRead(account, buildFinding({}, { accountId: account }), at(2));
    assert.equal(first.Criticality, 20, 'b ran after a');
    await inCtx(
      db,
      (ctx) => rules.batchUpdate(ctx, [{ ruleArn: a, description: 'edited' }]),
      as(account, at(3)),
    );
    const second = await importAndRead(account, buildFinding({}, { accountId: account }), at(4));
    assert.equal(second.Criticality, 10, 'a, edited last, now runs after b');
  });

  it('applies to updated findings on re-import, but not to BatchUpdateFindings', async () => {
    const account = '100000000007';
    const original = buildFinding({}, { accountId: account });
    const before = await importAndRead(account, original, at(0));
    assert.equal(before.Confidence, 80);
    await create(
      account,
      {
        RuleName: 'confidence',
        Criteria: { ProductName: [{ Value: 'Def', Comparison: 'PREFIX' }] },
        Actions: update({ Confidence: 42 }),
      },
      at(1),
    );
    const reimported = await importAndRead(
      account,
      { ...original, UpdatedAt: '2024-03-02T10:00:00.000Z' },
      at(2),
    );
    assert.equal(reimported.Confidence, 42);
    await inCtx(
      db,
      (ctx) =>
        findings.updateFindings(ctx, [{ Id: String(original.Id), ProductArn: String(original.ProductArn) }], {
          Confidence: 7,
        }),
      as(account, at(3)),
    );
    const page = await inCtx(
      db,
      (ctx) =>
        findings.getFindings(ctx, {
          filters: { Id: [{ Value: String(original.Id), Comparison: 'EQUALS' }] },
          sortCriteria: [],
          nextToken: undefined,
          maxResults: undefined,
        }),
      as(account, at(4)),
    );
    assert.equal(page.findings[0]?.Confidence, 7);
  });

  it("applies only the importing account's rules", async () => {
    await create('100000000008', { RuleName: 'theirs', Actions: update({ Criticality: 1 }) });
    const mine = await importAndRead('100000000009', buildFinding({}, { accountId: '100000000009' }));
    assert.equal(mine.Criticality, 50);
  });
});

describe('automation rule request schemas', () => {
  const valid = {
    RuleOrder: 1,
    RuleName: 'n',
    Description: 'd',
    Criteria: { ResourceId: [{ Value: 'i-1', Comparison: 'CONTAINS' }] },
    Actions: update({ Workflow: { Status: 'SUPPRESSED' } }),
  };

  it('accepts a valid rule and rejects each broken member, naming it', () => {
    assert.doesNotThrow(() => parseWith(createAutomationRuleSchema, valid));
    for (const [input, field] of [
      [{ ...valid, RuleOrder: 0 }, /^RuleOrder/],
      [{ ...valid, RuleOrder: 1001 }, /^RuleOrder/],
      [{ ...valid, RuleOrder: 1.5 }, /^RuleOrder/],
      [{ ...valid, RuleName: '' }, /^RuleName/],
      [{ ...valid, Description: undefined }, /^Description/],
      [{ ...valid, RuleStatus: 'PAUSED' }, /^RuleStatus/],
      [{ ...valid, Actions: [] }, /^Actions/],
      [{ ...valid, Actions: [...update({ Confidence: 1 }), ...update({ Confidence: 2 })] }, /^Actions/],
      [
        { ...valid, Actions: [{ Type: 'OTHER', FindingFieldsUpdate: { Confidence: 1 } }] },
        /^Actions\.0\.Type/,
      ],
      [{ ...valid, Actions: update({}) }, /^Actions\.0\.FindingFieldsUpdate/],
      [{ ...valid, Actions: update({ Confidence: 101 }) }, /^Actions\.0\.FindingFieldsUpdate\.Confidence/],
      [{ ...valid, Criteria: { Keyword: [{ Value: 'x' }] } }, /^Criteria/],
      [{ ...valid, Criteria: { Title: [] } }, /^Criteria/],
      [{ ...valid, Tags: { ['x'.repeat(129)]: 'v' } }, /^Tags/],
    ] as const) {
      assert.throws(
        () => parseWith(createAutomationRuleSchema, input),
        (error: Error) => {
          assert.match(error.message, field);
          return true;
        },
        JSON.stringify(input),
      );
    }
  });

  it('bounds BatchUpdateAutomationRules to 1..100 items with a RuleArn each', () => {
    assert.throws(
      () => parseWith(batchUpdateAutomationRulesSchema, { UpdateAutomationRulesRequestItems: [] }),
      /UpdateAutomationRulesRequestItems/,
    );
    assert.throws(
      () =>
        parseWith(batchUpdateAutomationRulesSchema, {
          UpdateAutomationRulesRequestItems: [{ RuleOrder: 2 }],
        }),
      /RuleArn/,
    );
    const parsed = parseWith(batchUpdateAutomationRulesSchema, {
      UpdateAutomationRulesRequestItems: [{ RuleArn: 'a', Actions: update({ Confidence: 3 }) }],
    });
    assert.deepEqual(parsed.UpdateAutomationRulesRequestItems[0]?.Actions, [
      { type: 'FINDING_FIELDS_UPDATE', findingFieldsUpdate: { Confidence: 3 } },
    ]);
  });
});
