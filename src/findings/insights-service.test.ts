import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFinding } from '../../test/factories.js';
import { findingsServices, rejectsWith } from '../../test/support/findings-services.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import { parseWith } from '../protocols/index.js';
import type { Db } from '../storage/database.js';
import { maxCustomInsights } from './insights-service.js';
import { createInsightSchema, updateInsightSchema } from './insights-wire.js';
import { managedInsights } from './managed-insights.js';

const account = '111122223333';
const other = '444455556666';
const now = new Date('2026-06-01T00:00:00Z');
const as = (accountId: string, region = 'us-east-1') => ({ accountId, region, now });
const highOnly = { SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' as const }] };

describe('InsightsService', () => {
  let db: Db;
  const { insights, findings, hubStore } = findingsServices();

  before(async () => {
    db = await openTestDatabase();
    const target = { accountId: account };
    const batch = [
      buildFinding({ Severity: { Label: 'HIGH' } }, target),
      buildFinding({ Severity: { Label: 'HIGH' } }, target),
      buildFinding({ Severity: { Label: 'LOW' } }, target),
      buildFinding({ Severity: { Label: 'CRITICAL' }, Workflow: { Status: 'RESOLVED' } }, target),
      buildFinding({ Severity: { Label: 'CRITICAL' }, RecordState: 'ARCHIVED' }, target),
      buildFinding(
        { Severity: { Label: 'HIGH' }, Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::logs' }] },
        target,
      ),
    ];
    const imported = await inCtx(db, (ctx) => findings.importFindings(ctx, batch), as(account));
    assert.equal(imported.SuccessCount, batch.length, JSON.stringify(imported.FailedFindings));
    const foreign = buildFinding({ Severity: { Label: 'HIGH' } }, { accountId: other });
    await inCtx(db, (ctx) => findings.importFindings(ctx, [foreign]), as(other));
  });

  it('creates an insight with a custom ARN, lists it, and counts its results per group', async () => {
    const arn = await inCtx(
      db,
      (ctx) =>
        insights.create(ctx, { name: 'High by type', filters: highOnly, groupByAttribute: 'ResourceType' }),
      as(account),
    );
    assert.match(
      arn,
      /^arn:aws:securityhub:us-east-1:111122223333:insight\/111122223333\/custom\/[0-9a-f-]{36}$/,
    );
    const page = await inCtx(
      db,
      (ctx) => insights.get(ctx, { insightArns: [arn], nextToken: undefined, maxResults: undefined }),
      as(account),
    );
    assert.deepEqual(page.items, [
      { insightArn: arn, name: 'High by type', filters: highOnly, groupByAttribute: 'ResourceType' },
    ]);
    assert.equal(page.nextToken, undefined);
    const results = await inCtx(db, (ctx) => insights.results(ctx, arn), as(account));
    assert.deepEqual(results, {
      insightArn: arn,
      groupByAttribute: 'ResourceType',
      resultValues: [
        { GroupByAttributeValue: 'AwsEc2Instance', Count: 2 },
        { GroupByAttributeValue: 'AwsS3Bucket', Count: 1 },
      ],
    });
  });

  it('updates name, filters and GroupByAttribute, keeping what is not given', async () => {
    const arn = await inCtx(
      db,
      (ctx) => insights.create(ctx, { name: 'before', filters: highOnly, groupByAttribute: 'ResourceType' }),
      as(account),
    );
    await inCtx(
      db,
      (ctx) => insights.update(ctx, arn, { groupByAttribute: 'SeverityLabel', filters: {} }),
      as(account),
    );
    const [updated] = (
      await inCtx(
        db,
        (ctx) => insights.get(ctx, { insightArns: [arn], nextToken: undefined, maxResults: undefined }),
        as(account),
      )
    ).items;
    assert.deepEqual(updated, {
      insightArn: arn,
      name: 'before',
      filters: {},
      groupByAttribute: 'SeverityLabel',
    });
    const results = await inCtx(db, (ctx) => insights.results(ctx, arn), as(account));
    assert.deepEqual(results.resultValues, [
      { GroupByAttributeValue: 'HIGH', Count: 3 },
      { GroupByAttributeValue: 'CRITICAL', Count: 2 },
      { GroupByAttributeValue: 'LOW', Count: 1 },
    ]);
  });

  it('deletes an insight, returns its ARN, removes its tags, and then no longer finds it', async () => {
    const arn = await inCtx(
      db,
      (ctx) => insights.create(ctx, { name: 'gone', filters: {}, groupByAttribute: 'AwsAccountId' }),
      as(account),
    );
    await inCtx(db, (ctx) => hubStore.putTags(ctx.tx, account, arn, { team: 'sec' }), as(account));
    assert.equal(await inCtx(db, (ctx) => insights.delete(ctx, arn), as(account)), arn);
    assert.deepEqual(await inCtx(db, (ctx) => hubStore.tags(ctx.tx, arn), as(account)), {});
    await rejectsWith(
      inCtx(db, (ctx) => insights.delete(ctx, arn), as(account)),
      'NotFound',
    );
    await rejectsWith(
      inCtx(db, (ctx) => insights.results(ctx, arn), as(account)),
      'NotFound',
    );
    await rejectsWith(
      inCtx(
        db,
        (ctx) => insights.get(ctx, { insightArns: [arn], nextToken: undefined, maxResults: undefined }),
        as(account),
      ),
      'NotFound',
    );
  });

  it('serves managed insights by ARN: read-only, filtered to active NEW/NOTIFIED findings', async () => {
    const severity = 'arn:aws:securityhub:::insight/securityhub/default/29';
    const page = await inCtx(
      db,
      (ctx) => insights.get(ctx, { insightArns: [severity], nextToken: undefined, maxResults: undefined }),
      as(account),
    );
    assert.equal(page.items[0]?.name, 'Severity by counts of findings');
    assert.equal(page.items[0]?.groupByAttribute, 'SeverityLabel');
    const results = await inCtx(db, (ctx) => insights.results(ctx, severity), as(account));
    // The RESOLVED and the ARCHIVED CRITICAL findings do not count; the other account's finding is invisible.
    assert.deepEqual(results.resultValues, [
      { GroupByAttributeValue: 'HIGH', Count: 3 },
      { GroupByAttributeValue: 'LOW', Count: 1 },
    ]);
    const byResource = await inCtx(
      db,
      (ctx) => insights.results(ctx, 'arn:aws:securityhub:::insight/securityhub/default/1'),
      as(account),
    );
    assert.equal(byResource.resultValues.length, 4);
    await rejectsWith(
      inCtx(db, (ctx) => insights.update(ctx, severity, { name: 'mine' }), as(account)),
      'InvalidInput',
      /managed/,
    );
    await rejectsWith(
      inCtx(db, (ctx) => insights.delete(ctx, severity), as(account)),
      'InvalidInput',
      /managed/,
    );
    await rejectsWith(
      inCtx(
        db,
        (ctx) => insights.results(ctx, 'arn:aws:securityhub:::insight/securityhub/default/999'),
        as(account),
      ),
      'NotFound',
    );
  });

  it('defines every managed insight with valid filters and a string GroupByAttribute', () => {
    for (const managed of managedInsights) {
      const parsed = parseWith(createInsightSchema, {
        Name: managed.name,
        Filters: managed.filters,
        GroupByAttribute: managed.groupByAttribute,
      });
      assert.deepEqual(parsed.Filters, managed.filters);
    }
    assert.equal(new Set(managedInsights.map((m) => m.insightArn)).size, managedInsights.length);
  });

  it("keeps each account's insights invisible to the others (not found, never forbidden)", async () => {
    const arn = await inCtx(
      db,
      (ctx) => insights.create(ctx, { name: 'private', filters: {}, groupByAttribute: 'ResourceId' }),
      as(account),
    );
    const foreign = as(other);
    await rejectsWith(
      inCtx(db, (ctx) => insights.results(ctx, arn), foreign),
      'NotFound',
    );
    await rejectsWith(
      inCtx(db, (ctx) => insights.update(ctx, arn, { name: 'x' }), foreign),
      'NotFound',
    );
    await rejectsWith(
      inCtx(db, (ctx) => insights.delete(ctx, arn), foreign),
      'NotFound',
    );
    await rejectsWith(
      inCtx(
        db,
        (ctx) => insights.get(ctx, { insightArns: [arn], nextToken: undefined, maxResults: undefined }),
        foreign,
      ),
      'NotFound',
    );
    const otherList = await inCtx(
      db,
      (ctx) => insights.get(ctx, { insightArns: undefined, nextToken: undefined, maxResults: undefined }),
      foreign,
    );
    assert.deepEqual(otherList.items, []);
    // The same account in another Region sees none of them either.
    await rejectsWith(
      inCtx(db, (ctx) => insights.results(ctx, arn), as(account, 'eu-west-1')),
      'NotFound',
    );
  });

  it('rejects a malformed insight ARN as InvalidInput', async () => {
    await rejectsWith(
      inCtx(db, (ctx) => insights.results(ctx, 'not-an-arn'), as(account)),
      'InvalidInput',
      /InsightArn/,
    );
    await rejectsWith(
      inCtx(db, (ctx) => insights.delete(ctx, 'arn:aws:s3:::bucket'), as(account)),
      'InvalidInput',
    );
  });

  it('pages GetInsights (custom only) and treats absent, empty and NULL tokens as the first page', async () => {
    const region = 'ap-south-1';
    for (const [index, name] of ['a', 'b', 'c'].entries()) {
      await inCtx(db, (ctx) => insights.create(ctx, { name, filters: {}, groupByAttribute: 'ResourceId' }), {
        ...as(account, region),
        now: new Date(now.getTime() + index),
      });
    }
    const read = (nextToken: string | undefined) =>
      inCtx(
        db,
        (ctx) => insights.get(ctx, { insightArns: [], nextToken, maxResults: 2 }),
        as(account, region),
      );
    for (const first of [undefined, '', 'NULL']) {
      const page = await read(first);
      assert.deepEqual(
        page.items.map((i) => i.name),
        ['a', 'b'],
      );
      assert.notEqual(page.nextToken, undefined);
    }
    const firstPage = await read(undefined);
    const last = await read(firstPage.nextToken);
    assert.deepEqual(
      last.items.map((i) => i.name),
      ['c'],
    );
    assert.equal(last.nextToken, undefined);
    await rejectsWith(read('garbage'), 'InvalidInput', /NextToken/);
  });

  it(`refuses the ${maxCustomInsights + 1}st custom insight with LimitExceeded and stores nothing`, async () => {
    const region = 'ca-central-1';
    for (let i = 0; i < maxCustomInsights; i += 1) {
      await inCtx(
        db,
        (ctx) => insights.create(ctx, { name: `n${i}`, filters: {}, groupByAttribute: 'ResourceId' }),
        as(account, region),
      );
    }
    await rejectsWith(
      inCtx(
        db,
        (ctx) => insights.create(ctx, { name: 'one too many', filters: {}, groupByAttribute: 'ResourceId' }),
        as(account, region),
      ),
      'LimitExceeded',
    );
    const all = await inCtx(
      db,
      (ctx) => insights.get(ctx, { insightArns: undefined, nextToken: undefined, maxResults: 100 }),
      as(account, region),
    );
    assert.equal(all.items.length, maxCustomInsights);
    assert.equal(all.nextToken, undefined);
    // Another account in the same Region is unaffected.
    await inCtx(
      db,
      (ctx) => insights.create(ctx, { name: 'fine', filters: {}, groupByAttribute: 'ResourceId' }),
      as(other, region),
    );
  });
});

describe('insight request schemas', () => {
  it('require a string-typed GroupByAttribute and valid Filters, naming the field', () => {
    const base = { Name: 'x', Filters: {}, GroupByAttribute: 'ResourceId' };
    assert.doesNotThrow(() => parseWith(createInsightSchema, base));
    for (const [input, field] of [
      [{ ...base, GroupByAttribute: 'Confidence' }, /^GroupByAttribute/],
      [{ ...base, GroupByAttribute: 'NoSuchAttribute' }, /^GroupByAttribute/],
      [{ ...base, Name: '  ' }, /^Name/],
      [{ ...base, Filters: { NoSuchKey: [] } }, /^Filters/],
      [{ ...base, Filters: { SeverityLabel: [{ Value: 'HIGH', Comparison: 'LIKE' }] } }, /^Filters/],
      [{ Name: 'x', GroupByAttribute: 'ResourceId' }, /^Filters/],
    ] as const) {
      assert.throws(
        () => parseWith(createInsightSchema, input),
        (error: Error) => {
          assert.match(error.message, field);
          return true;
        },
      );
    }
    assert.throws(
      () => parseWith(updateInsightSchema, { InsightArn: 'a', GroupByAttribute: 'CreatedAt' }),
      /GroupByAttribute/,
    );
  });
});
