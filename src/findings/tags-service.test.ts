import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findingsServices, rejectsWith } from '../../test/support/findings-services.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import { parseWith } from '../protocols/index.js';
import type { Db } from '../storage/database.js';
import { tagResourceSchema, untagResourceSchema } from './tags-wire.js';

const account = '111122223333';
const other = '444455556666';
const as = (accountId: string, region = 'us-east-1') => ({
  accountId,
  region,
  now: new Date('2026-06-01T00:00:00Z'),
});
const hubArn = `arn:aws:securityhub:us-east-1:${account}:hub/default`;

describe('TagsService', () => {
  let db: Db;
  const { hub, insights, rules, tags } = findingsServices();
  let insightArn = '';
  let ruleArn = '';

  before(async () => {
    db = await openTestDatabase();
    await inCtx(db, (ctx) => hub.enable(ctx, { Tags: { env: 'prod' } }), as(account));
    await inCtx(db, (ctx) => hub.enable(ctx, {}), as(other));
    insightArn = await inCtx(
      db,
      (ctx) => insights.create(ctx, { name: 'i', filters: {}, groupByAttribute: 'ResourceId' }),
      as(account),
    );
    ruleArn = await inCtx(
      db,
      (ctx) =>
        rules.create(
          ctx,
          {
            ruleName: 'r',
            ruleStatus: 'ENABLED',
            ruleOrder: 1,
            description: 'd',
            isTerminal: false,
            criteria: {},
            actions: [{ type: 'FINDING_FIELDS_UPDATE', findingFieldsUpdate: { Confidence: 1 } }],
          },
          { created: 'yes' },
        ),
      as(account),
    );
  });

  it('lists the tags given to EnableSecurityHub and CreateAutomationRule', async () => {
    assert.deepEqual(await inCtx(db, (ctx) => tags.list(ctx, hubArn), as(account)), { env: 'prod' });
    assert.deepEqual(await inCtx(db, (ctx) => tags.list(ctx, ruleArn), as(account)), { created: 'yes' });
    assert.deepEqual(await inCtx(db, (ctx) => tags.list(ctx, insightArn), as(account)), {});
  });

  it('tags (overwriting values) and untags the hub, an insight and a rule', async () => {
    for (const arn of [hubArn, insightArn, ruleArn]) {
      await inCtx(db, (ctx) => tags.tag(ctx, arn, { team: 'sec', tier: '1' }), as(account));
      await inCtx(db, (ctx) => tags.tag(ctx, arn, { tier: '2' }), as(account));
      await inCtx(db, (ctx) => tags.untag(ctx, arn, ['team', 'absent']), as(account));
      const listed = await inCtx(db, (ctx) => tags.list(ctx, arn), as(account));
      assert.equal(listed['tier'], '2');
      assert.equal(listed['team'], undefined);
    }
  });

  it("treats unknown and other accounts' resources as not found, changing nothing", async () => {
    const foreign = as(other);
    for (const arn of [hubArn, insightArn, ruleArn]) {
      await rejectsWith(
        inCtx(db, (ctx) => tags.list(ctx, arn), foreign),
        'NotFound',
      );
      await rejectsWith(
        inCtx(db, (ctx) => tags.tag(ctx, arn, { evil: 'x' }), foreign),
        'NotFound',
      );
      await rejectsWith(
        inCtx(db, (ctx) => tags.untag(ctx, arn, ['tier']), foreign),
        'NotFound',
      );
      assert.equal((await inCtx(db, (ctx) => tags.list(ctx, arn), as(account)))['evil'], undefined);
    }
    await rejectsWith(
      inCtx(
        db,
        (ctx) => tags.list(ctx, `arn:aws:securityhub:us-east-1:${account}:automation-rule/nope`),
        as(account),
      ),
      'NotFound',
    );
    await rejectsWith(
      inCtx(
        db,
        (ctx) => tags.list(ctx, 'arn:aws:securityhub:us-east-1:111122223333:hub/default'),
        as(account, 'eu-west-1'),
      ),
      'NotFound',
    );
  });

  it('refuses to exceed 50 tags on a resource', async () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await rejectsWith(
      inCtx(db, (ctx) => tags.tag(ctx, insightArn, fifty), as(account)),
      'InvalidInput',
      /50/,
    );
    assert.equal((await inCtx(db, (ctx) => tags.list(ctx, insightArn), as(account)))['k0'], undefined);
  });

  it('forgets the tags of a deleted insight', async () => {
    const arn = await inCtx(
      db,
      (ctx) => insights.create(ctx, { name: 'tmp', filters: {}, groupByAttribute: 'ResourceId' }),
      as(account),
    );
    await inCtx(db, (ctx) => tags.tag(ctx, arn, { a: 'b' }), as(account));
    await inCtx(db, (ctx) => insights.delete(ctx, arn), as(account));
    await rejectsWith(
      inCtx(db, (ctx) => tags.list(ctx, arn), as(account)),
      'NotFound',
    );
  });
});

describe('tag request schemas', () => {
  it('require 1..50 tags without the aws: prefix, and 1..50 tag keys', () => {
    assert.throws(() => parseWith(tagResourceSchema, { ResourceArn: 'a', Tags: {} }), /Tags: /);
    assert.throws(() => parseWith(tagResourceSchema, { ResourceArn: 'a', Tags: { 'aws:x': 'y' } }), /aws:/);
    assert.throws(() => parseWith(tagResourceSchema, { ResourceArn: 'a' }), /Tags: /);
    assert.throws(() => parseWith(untagResourceSchema, { ResourceArn: 'a', TagKeys: [] }), /tagKeys/);
    assert.doesNotThrow(() => parseWith(untagResourceSchema, { ResourceArn: 'a', TagKeys: ['k'] }));
  });
});
