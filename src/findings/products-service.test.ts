import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFinding } from '../../test/factories.js';
import { findingsServices, rejectsWith } from '../../test/support/findings-services.js';
import { inCtx, openTestDatabase } from '../../test/support/service-context.js';
import type { Db } from '../storage/database.js';
import { productCatalog } from './product-catalog.js';

const account = '111122223333';
const other = '444455556666';
const as = (accountId: string, region = 'us-east-1') => ({
  accountId,
  region,
  now: new Date('2026-06-01T00:00:00Z'),
});
const guardDuty = 'arn:aws:securityhub:us-east-1::product/aws/guardduty';
const prowler = 'arn:aws:securityhub:us-east-1::product/prowler/prowler';

describe('ProductsService', () => {
  let db: Db;
  const { products, findings } = findingsServices();

  before(async () => {
    db = await openTestDatabase();
  });

  it("describes the catalogue with ARNs in the caller's Region, paged, or one product by ARN", async () => {
    const all = await inCtx(
      db,
      (ctx) =>
        Promise.resolve(
          products.describe(ctx, { productArn: undefined, nextToken: undefined, maxResults: undefined }),
        ),
      as(account, 'eu-west-1'),
    );
    assert.equal(all.items.length, productCatalog.length);
    assert.equal(all.nextToken, undefined);
    assert.ok(all.items.every((p) => p.productArn.startsWith('arn:aws:securityhub:eu-west-1::product/')));
    const first = await inCtx(
      db,
      (ctx) =>
        Promise.resolve(products.describe(ctx, { productArn: undefined, nextToken: 'NULL', maxResults: 3 })),
      as(account),
    );
    assert.equal(first.items.length, 3);
    const rest = await inCtx(
      db,
      (ctx) =>
        Promise.resolve(
          products.describe(ctx, { productArn: undefined, nextToken: first.nextToken, maxResults: 100 }),
        ),
      as(account),
    );
    assert.equal(first.items.length + rest.items.length, productCatalog.length);
    assert.equal(rest.nextToken, undefined);
    const one = await inCtx(
      db,
      (ctx) =>
        Promise.resolve(
          products.describe(ctx, { productArn: prowler, nextToken: undefined, maxResults: undefined }),
        ),
      as(account),
    );
    assert.deepEqual(
      one.items.map((p) => p.productName),
      ['Prowler'],
    );
    const unknown = await inCtx(
      db,
      (ctx) =>
        Promise.resolve(
          products.describe(ctx, {
            productArn: 'arn:aws:securityhub:us-east-1::product/acme/none',
            nextToken: undefined,
            maxResults: undefined,
          }),
        ),
      as(account),
    );
    assert.deepEqual(unknown.items, []);
  });

  it('refuses imports from a product until it is enabled, and again after it is disabled', async () => {
    const finding = () => buildFinding({ ProductArn: prowler }, { accountId: account });
    const refused = await inCtx(db, (ctx) => findings.importFindings(ctx, [finding()]), as(account));
    assert.equal(refused.SuccessCount, 0);
    assert.equal(refused.FailedFindings[0]?.ErrorCode, 'InvalidAccess');

    const subscriptionArn = await inCtx(db, (ctx) => products.enable(ctx, prowler), as(account));
    assert.equal(
      subscriptionArn,
      'arn:aws:securityhub:us-east-1:111122223333:product-subscription/prowler/prowler',
    );
    const accepted = await inCtx(db, (ctx) => findings.importFindings(ctx, [finding()]), as(account));
    assert.equal(accepted.SuccessCount, 1, JSON.stringify(accepted.FailedFindings));
    const listed = await inCtx(
      db,
      (ctx) => products.listEnabled(ctx, { nextToken: undefined, maxResults: undefined }),
      as(account),
    );
    assert.deepEqual(listed.items, [subscriptionArn]);

    await inCtx(db, (ctx) => products.disable(ctx, subscriptionArn), as(account));
    const refusedAgain = await inCtx(db, (ctx) => findings.importFindings(ctx, [finding()]), as(account));
    assert.equal(refusedAgain.FailedFindings[0]?.ErrorCode, 'InvalidAccess');
    const none = await inCtx(
      db,
      (ctx) => products.listEnabled(ctx, { nextToken: undefined, maxResults: undefined }),
      as(account),
    );
    assert.deepEqual(none.items, []);
  });

  it('disables by product ARN as well as by subscription ARN', async () => {
    await inCtx(db, (ctx) => products.enable(ctx, guardDuty), as(account));
    await inCtx(db, (ctx) => products.disable(ctx, guardDuty), as(account));
    await rejectsWith(
      inCtx(db, (ctx) => products.disable(ctx, guardDuty), as(account)),
      'NotFound',
    );
  });

  it('refuses a second enable with Conflict, and unknown or foreign-Region products with InvalidInput', async () => {
    const region = 'us-west-2';
    const inspector = 'arn:aws:securityhub:us-west-2::product/aws/inspector';
    await inCtx(db, (ctx) => products.enable(ctx, inspector), as(account, region));
    await rejectsWith(
      inCtx(db, (ctx) => products.enable(ctx, inspector), as(account, region)),
      'Conflict',
    );
    await rejectsWith(
      inCtx(
        db,
        (ctx) => products.enable(ctx, 'arn:aws:securityhub:us-west-2::product/acme/none'),
        as(account, region),
      ),
      'InvalidInput',
      /ProductArn/,
    );
    await rejectsWith(
      inCtx(
        db,
        (ctx) => products.enable(ctx, 'arn:aws:securityhub:us-east-1::product/aws/inspector'),
        as(account, region),
      ),
      'InvalidInput',
    );
    await rejectsWith(
      inCtx(db, (ctx) => products.enable(ctx, 'nonsense'), as(account, region)),
      'InvalidInput',
    );
    await rejectsWith(
      inCtx(
        db,
        (ctx) => products.enable(ctx, `arn:aws:securityhub:us-west-2:${account}:product/${account}/default`),
        as(account, region),
      ),
      'Conflict',
    );
  });

  it('keeps subscriptions per account: another account neither sees nor disables them', async () => {
    const region = 'eu-central-1';
    const arn = await inCtx(
      db,
      (ctx) => products.enable(ctx, 'arn:aws:securityhub:eu-central-1::product/aws/guardduty'),
      as(account, region),
    );
    const theirs = await inCtx(
      db,
      (ctx) => products.listEnabled(ctx, { nextToken: undefined, maxResults: undefined }),
      as(other, region),
    );
    assert.deepEqual(theirs.items, []);
    await rejectsWith(
      inCtx(db, (ctx) => products.disable(ctx, arn), as(other, region)),
      'NotFound',
    );
    // The other account can enable the same product for itself.
    await inCtx(
      db,
      (ctx) => products.enable(ctx, 'arn:aws:securityhub:eu-central-1::product/aws/guardduty'),
      as(other, region),
    );
  });

  it('pages ListEnabledProductsForImport', async () => {
    const region = 'sa-east-1';
    for (const product of productCatalog.slice(0, 3)) {
      await inCtx(
        db,
        (ctx) =>
          products.enable(
            ctx,
            `arn:aws:securityhub:${region}::product/${product.companyId}/${product.productId}`,
          ),
        as(account, region),
      );
    }
    const first = await inCtx(
      db,
      (ctx) => products.listEnabled(ctx, { nextToken: '', maxResults: 2 }),
      as(account, region),
    );
    assert.equal(first.items.length, 2);
    const second = await inCtx(
      db,
      (ctx) => products.listEnabled(ctx, { nextToken: first.nextToken, maxResults: 2 }),
      as(account, region),
    );
    assert.equal(second.items.length, 1);
    assert.equal(second.nextToken, undefined);
    await rejectsWith(
      inCtx(db, (ctx) => products.listEnabled(ctx, { nextToken: 'bad', maxResults: 2 }), as(account, region)),
      'InvalidInput',
    );
  });
});
