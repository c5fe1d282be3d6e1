/** Persistence of product import subscriptions. */
import { inScope } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';

/** One enabled product integration. */
export interface ProductSubscription {
  subscriptionArn: string;
  accountId: string;
  region: string;
  productArn: string;
  createdAt: Date;
}

/** Reads and writes product subscriptions. */
export class ProductSubscriptionsStore {
  async list(db: DbExecutor, accountId: string, region: string): Promise<ProductSubscription[]> {
    const rows = await db
      .selectFrom('product_subscriptions')
      .selectAll()
      .where(inScope({ accountId, region }))
      .orderBy('subscription_arn')
      .execute();
    return rows.map((row) => ({
      subscriptionArn: row.subscription_arn,
      accountId: row.account_id,
      region: row.region,
      productArn: row.product_arn,
      createdAt: new Date(Number(row.created_at)),
    }));
  }

  async findByProduct(
    db: DbExecutor,
    accountId: string,
    region: string,
    productArn: string,
  ): Promise<ProductSubscription | undefined> {
    const all = await this.list(db, accountId, region);
    return all.find((s) => s.productArn === productArn);
  }

  async insert(db: DbExecutor, subscription: ProductSubscription): Promise<void> {
    await db
      .insertInto('product_subscriptions')
      .values({
        subscription_arn: subscription.subscriptionArn,
        account_id: subscription.accountId,
        region: subscription.region,
        product_arn: subscription.productArn,
        created_at: subscription.createdAt.getTime(),
      })
      .execute();
  }

  async delete(db: DbExecutor, subscriptionArn: string): Promise<void> {
    await db.deleteFrom('product_subscriptions').where('subscription_arn', '=', subscriptionArn).execute();
  }
}
