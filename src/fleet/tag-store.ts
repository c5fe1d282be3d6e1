/** Persistence of SSM resource tags, generic on (resource type, resource id) within an account and Region. */
import { inScope } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { SsmResourceType, Tag } from './fleet-model.js';

/** Which resource: its account, Region, type and id. */
export interface TaggedResource {
  accountId: string;
  region: string;
  resourceType: SsmResourceType;
  resourceId: string;
}

/** Reads and writes `ssm_resource_tags`. */
export class SsmTagStore {
  /** The resource's tags, by key. */
  async list(db: DbExecutor, resource: TaggedResource): Promise<Tag[]> {
    const rows = await db
      .selectFrom('ssm_resource_tags')
      .select(['tag_key', 'tag_value'])
      .where(inScope(resource))
      .where('resource_type', '=', resource.resourceType)
      .where('resource_id', '=', resource.resourceId)
      .orderBy('tag_key')
      .execute();
    return rows.map((row) => ({ key: row.tag_key, value: row.tag_value }));
  }

  /** The tags of every resource of a type in the account and Region, by resource id. */
  async listByType(
    db: DbExecutor,
    scope: { accountId: string; region: string; resourceType: SsmResourceType },
  ): Promise<Map<string, Tag[]>> {
    const rows = await db
      .selectFrom('ssm_resource_tags')
      .select(['resource_id', 'tag_key', 'tag_value'])
      .where(inScope(scope))
      .where('resource_type', '=', scope.resourceType)
      .orderBy('resource_id')
      .orderBy('tag_key')
      .execute();
    const byResource = new Map<string, Tag[]>();
    for (const row of rows) {
      const tags = byResource.get(row.resource_id) ?? [];
      tags.push({ key: row.tag_key, value: row.tag_value });
      byResource.set(row.resource_id, tags);
    }
    return byResource;
  }

  /** Adds tags, overwriting the values of keys the resource already has. */
  async put(db: DbExecutor, resource: TaggedResource, tags: readonly Tag[]): Promise<void> {
    if (tags.length === 0) return;
    await db
      .insertInto('ssm_resource_tags')
      .values(
        tags.map((tag) => ({
          account_id: resource.accountId,
          region: resource.region,
          resource_type: resource.resourceType,
          resource_id: resource.resourceId,
          tag_key: tag.key,
          tag_value: tag.value,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region', 'resource_type', 'resource_id', 'tag_key'])
          .doUpdateSet((eb) => ({ tag_value: eb.ref('excluded.tag_value') })),
      )
      .execute();
  }

  /** Removes the given keys (absent keys are ignored). */
  async remove(db: DbExecutor, resource: TaggedResource, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await db
      .deleteFrom('ssm_resource_tags')
      .where(inScope(resource))
      .where('resource_type', '=', resource.resourceType)
      .where('resource_id', '=', resource.resourceId)
      .where('tag_key', 'in', [...keys])
      .execute();
  }

  /** Removes every tag of a resource (when it is deleted). */
  async removeAll(db: DbExecutor, resource: TaggedResource): Promise<void> {
    await db
      .deleteFrom('ssm_resource_tags')
      .where(inScope(resource))
      .where('resource_type', '=', resource.resourceType)
      .where('resource_id', '=', resource.resourceId)
      .execute();
  }
}
