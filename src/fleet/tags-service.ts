/**
 * The SSM tagging API (AddTagsToResource, RemoveTagsFromResource, ListTagsForResource) over any SSM resource
 * type: each capability registers how to tell whether one of its resources exists (managed instances here;
 * documents, patch baselines, associations and maintenance windows by their owners).
 */
import type { Ctx } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { maxTagsPerResource, type SsmResourceType, type Tag } from './fleet-model.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { SsmTagStore, TaggedResource } from './tag-store.js';

/** Whether a resource of one type exists in the account and Region. */
export type ResourceExists = (
  db: DbExecutor,
  scope: { accountId: string; region: string },
  resourceId: string,
) => Promise<boolean>;

/** The id shapes that betray another resource type (e.g. `pb-…` named as a ManagedInstance). */
const idShapes: Partial<Record<SsmResourceType, RegExp>> = {
  ManagedInstance: /^mi-\w{17}$/,
  PatchBaseline: /^pb-[0-9a-f]{17}$/,
  MaintenanceWindow: /^mw-[0-9a-f]{17}$/,
};

/** Tags of SSM resources, for the resource types that have registered a resolver. */
export class SsmTagsService {
  private readonly resolvers = new Map<SsmResourceType, ResourceExists>();

  constructor(private readonly store: SsmTagStore) {}

  /** Makes `resourceType` taggable (called from compose.ts by the capability that owns the type). */
  register(resourceType: SsmResourceType, exists: ResourceExists): this {
    this.resolvers.set(resourceType, exists);
    return this;
  }

  async addTags(
    ctx: Ctx,
    resourceType: SsmResourceType,
    resourceId: string,
    tags: readonly Tag[],
  ): Promise<void> {
    const resource = await this.resolve(ctx, resourceType, resourceId);
    const unique = new Map(tags.map((tag) => [tag.key, tag]));
    const current = await this.store.list(ctx.tx, resource);
    const keys = new Set([...current.map((tag) => tag.key), ...unique.keys()]);
    if (keys.size > maxTagsPerResource) {
      throw ssmError(
        'TooManyTagsError',
        `The ${resourceType} ${resourceId} would have ${keys.size} tags; the limit is ${maxTagsPerResource}.`,
      );
    }
    await this.store.put(ctx.tx, resource, [...unique.values()]);
  }

  async removeTags(
    ctx: Ctx,
    resourceType: SsmResourceType,
    resourceId: string,
    keys: readonly string[],
  ): Promise<void> {
    await this.store.remove(ctx.tx, await this.resolve(ctx, resourceType, resourceId), keys);
  }

  async listTags(ctx: Ctx, resourceType: SsmResourceType, resourceId: string): Promise<Tag[]> {
    return this.store.list(ctx.tx, await this.resolve(ctx, resourceType, resourceId));
  }

  /** The tagged resource, or InvalidResourceType / InvalidResourceId. */
  private async resolve(
    ctx: Ctx,
    resourceType: SsmResourceType,
    resourceId: string,
  ): Promise<TaggedResource> {
    const exists = this.resolvers.get(resourceType);
    if (exists === undefined) {
      throw ssmError('InvalidResourceType', `Tagging ${resourceType} resources is not supported.`);
    }
    const otherType = (Object.entries(idShapes) as [SsmResourceType, RegExp][]).find(
      ([type, shape]) => type !== resourceType && shape.test(resourceId),
    );
    if (otherType !== undefined) {
      throw ssmError('InvalidResourceType', `${resourceId} is not a ${resourceType}.`);
    }
    const scope = { accountId: ctx.accountId, region: ctx.region };
    if (!(await exists(ctx.tx, scope, resourceId))) {
      throw ssmError('InvalidResourceId', `The ${resourceType} ${resourceId} does not exist.`);
    }
    return { ...scope, resourceType, resourceId };
  }
}
