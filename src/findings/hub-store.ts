/** Persistence of per-account, per-Region hub subscriptions and of resource tags. */
import { inScope } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';

/** A hub as DescribeHub reports it. */
export interface Hub {
  accountId: string;
  region: string;
  hubArn: string;
  subscribedAt: string;
  autoEnableControls: boolean;
  controlFindingGenerator: 'STANDARD_CONTROL' | 'SECURITY_CONTROL';
}

/** Reads and writes hubs and tags. */
export class HubStore {
  async find(db: DbExecutor, accountId: string, region: string): Promise<Hub | undefined> {
    const row = await db
      .selectFrom('hubs')
      .selectAll()
      .where(inScope({ accountId, region }))
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          accountId: row.account_id,
          region: row.region,
          hubArn: row.hub_arn,
          subscribedAt: row.subscribed_at,
          autoEnableControls: row.auto_enable_controls === 1,
          controlFindingGenerator:
            row.control_finding_generator === 'STANDARD_CONTROL' ? 'STANDARD_CONTROL' : 'SECURITY_CONTROL',
        };
  }

  /** Every account and Region with a hub. */
  async list(db: DbExecutor): Promise<{ accountId: string; region: string }[]> {
    const rows = await db.selectFrom('hubs').select(['account_id', 'region']).orderBy('account_id').execute();
    return rows.map((row) => ({ accountId: row.account_id, region: row.region }));
  }

  async insert(db: DbExecutor, hub: Hub): Promise<void> {
    await db
      .insertInto('hubs')
      .values({
        account_id: hub.accountId,
        region: hub.region,
        hub_arn: hub.hubArn,
        subscribed_at: hub.subscribedAt,
        auto_enable_controls: hub.autoEnableControls ? 1 : 0,
        control_finding_generator: hub.controlFindingGenerator,
      })
      .execute();
  }

  async update(db: DbExecutor, hub: Hub): Promise<void> {
    await db
      .updateTable('hubs')
      .set({
        auto_enable_controls: hub.autoEnableControls ? 1 : 0,
        control_finding_generator: hub.controlFindingGenerator,
      })
      .where(inScope(hub))
      .execute();
  }

  async delete(db: DbExecutor, accountId: string, region: string): Promise<void> {
    await db.deleteFrom('hubs').where(inScope({ accountId, region })).execute();
  }

  async tags(db: DbExecutor, resourceArn: string): Promise<Record<string, string>> {
    const rows = await db
      .selectFrom('resource_tags')
      .select(['tag_key', 'tag_value'])
      .where('resource_arn', '=', resourceArn)
      .orderBy('tag_key')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.tag_key, row.tag_value]));
  }

  async putTags(
    db: DbExecutor,
    accountId: string,
    resourceArn: string,
    tags: Record<string, string>,
  ): Promise<void> {
    for (const [key, value] of Object.entries(tags)) {
      await db
        .insertInto('resource_tags')
        .values({ resource_arn: resourceArn, account_id: accountId, tag_key: key, tag_value: value })
        .onConflict((oc) => oc.columns(['resource_arn', 'tag_key']).doUpdateSet({ tag_value: value }))
        .execute();
    }
  }

  async removeTags(db: DbExecutor, resourceArn: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await db
      .deleteFrom('resource_tags')
      .where('resource_arn', '=', resourceArn)
      .where('tag_key', 'in', keys)
      .execute();
  }

  async removeAllTags(db: DbExecutor, resourceArn: string): Promise<void> {
    await db.deleteFrom('resource_tags').where('resource_arn', '=', resourceArn).execute();
  }
}
