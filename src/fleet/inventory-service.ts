/** SSM inventory: PutInventory with the content-hash protocol, and the reads ListInventoryEntries, GetInventory, GetInventorySchema. */
import type { Actor } from '../access/index.js';
import type { Ctx, Scope } from '../kernel/index.js';
import { accessDenied } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import { appendEvent } from '../worker/index.js';
import type { InventoryFilter } from './inventory-filters.js';
import { isCustomTypeName } from './inventory-item-rules.js';
import {
  attributeNamesOf,
  contentHashOf,
  type InventoryItemInput,
  type InventorySchema,
} from './inventory-model.js';
import type {
  InstanceDirectory,
  InventoryComplianceSink,
  InventoryEntity,
  InventoryEntityFilter,
  InventoryEntries,
  PutInventoryOutcome,
} from './inventory-ports.js';
import { checkCustomTypeCount, checkPutItems } from './inventory-put-rules.js';
import { InventoryQueries, type PageRequest } from './inventory-queries.js';
import type { InventoryStore, StoredCustomType } from './inventory-store.js';

/** Inventory of managed instances; every method runs in the caller's transaction. */
export class InventoryService {
  private readonly queries: InventoryQueries;

  constructor(
    private readonly store: InventoryStore,
    directory: InstanceDirectory,
    private readonly compliance: InventoryComplianceSink,
    /** The managed instance the caller signs as (an instance key), undefined for people and tools. */
    private readonly callerInstanceId: (actor: Actor) => string | undefined,
  ) {
    this.queries = new InventoryQueries(store, directory);
  }

  /**
   * PutInventory (spec §3.1): validates every item, then per item writes new content, or — for an unchanged
   * ContentHash — keeps the content and moves CaptureTime. AWS:ComplianceItem content also rewrites the
   * compliance set named by its Context. Raises InventoryChanged for the written types.
   */
  async putInventory(
    ctx: Ctx,
    instanceId: string,
    items: readonly InventoryItemInput[],
  ): Promise<PutInventoryOutcome> {
    await this.requireWritableInstance(ctx, instanceId);
    checkPutItems(items);
    const scope = { accountId: ctx.accountId, region: ctx.region };
    const customTypes = new Map(
      (await this.store.customTypes(ctx.tx, scope)).map((type) => [type.typeName, type] as const),
    );
    checkCustomTypeCount(items, new Set(customTypes.keys()));
    const hashes = await this.store.hashesOf(ctx.tx, scope, instanceId);
    const outcome: PutInventoryOutcome = { written: [], unchanged: [] };
    for (const item of items) {
      const written = await this.putItem(ctx, scope, instanceId, item, {
        storedHash: hashes.get(item.typeName),
        customType: customTypes.get(item.typeName),
      });
      (written ? outcome.written : outcome.unchanged).push(item.typeName);
    }
    if (outcome.written.length > 0) {
      await appendEvent(
        ctx.tx,
        {
          type: 'InventoryChanged',
          accountId: ctx.accountId,
          region: ctx.region,
          instanceId,
          typeNames: outcome.written,
        },
        ctx.now.getTime(),
      );
    }
    return outcome;
  }

  /** ListInventoryEntries: a page of the stored entries of one type on one instance that pass every filter. */
  listInventoryEntries(
    ctx: Ctx,
    query: { instanceId: string; typeName: string; filters: readonly InventoryFilter[] } & PageRequest,
  ): Promise<InventoryEntries> {
    return this.queries.entries(ctx, query);
  }

  /** GetInventory: a page of the account's managed instances passing every filter, with their result item. */
  getInventory(
    ctx: Ctx,
    query: { filters: readonly InventoryEntityFilter[]; resultTypeName?: string | undefined } & PageRequest,
  ): Promise<InventoryEntity[]> {
    return this.queries.entities(ctx, query);
  }

  /** GetInventorySchema: a page of the built-in and custom types, optionally those starting with `typeName`. */
  getInventorySchema(
    ctx: Ctx,
    query: { typeName?: string | undefined } & PageRequest,
  ): Promise<InventorySchema[]> {
    return this.queries.schemas(ctx, query);
  }

  /** Removes an instance's inventory (its deregistration). */
  async purgeInstance(ctx: Ctx, instanceId: string): Promise<void> {
    await this.store.purgeInstance(ctx.tx, { accountId: ctx.accountId, region: ctx.region }, instanceId);
  }

  /** Writes one item, or moves its capture time when its hash is unchanged; true when the content was written. */
  private async putItem(
    ctx: Ctx,
    scope: Scope,
    instanceId: string,
    item: InventoryItemInput,
    stored: { storedHash: string | undefined; customType: StoredCustomType | undefined },
  ): Promise<boolean> {
    if (
      item.content === undefined &&
      item.contentHash !== undefined &&
      item.contentHash !== stored.storedHash
    ) {
      // The client believes we hold this content but we do not: it must resend it in full.
      throw ssmError(
        'ItemContentMismatchException',
        `The content hash of ${item.typeName} does not match the stored content; send the item with its Content.`,
      );
    }
    const content = item.content ?? [];
    const contentHash = item.contentHash ?? contentHashOf(content);
    if (contentHash === stored.storedHash) {
      await this.store.touchItem(ctx.tx, scope, { instanceId, ...item, now: ctx.now });
      return false;
    }
    await this.store.saveItem(ctx.tx, scope, {
      instanceId,
      typeName: item.typeName,
      schemaVersion: item.schemaVersion,
      captureTime: item.captureTime,
      contentHash,
      content,
      context: item.context === undefined ? undefined : { ...item.context },
      updatedAt: ctx.now,
    });
    if (isCustomTypeName(item.typeName)) {
      const known = stored.customType?.attributes ?? [];
      const attributes = [...new Set([...known, ...attributeNamesOf(content)])].sort();
      await this.store.saveCustomType(
        ctx.tx,
        scope,
        { typeName: item.typeName, schemaVersion: item.schemaVersion, attributes },
        ctx.now,
      );
    }
    if (item.typeName === 'AWS:ComplianceItem') {
      await this.compliance.putInventoryComplianceItems(ctx, {
        resourceId: instanceId,
        context: item.context ?? {},
        rows: content,
      });
    }
    return true;
  }

  /** An instance key reports only about itself; anyone else only about registered instances of the account. */
  private async requireWritableInstance(ctx: Ctx, instanceId: string): Promise<void> {
    const caller = this.callerInstanceId(ctx.actor);
    if (caller !== undefined && caller !== instanceId) {
      throw accessDenied(
        `User: ${ctx.actor.principalArn} is not authorized to perform: ssm:PutInventory on resource ${instanceId}`,
      );
    }
    await this.queries.requireInstance(ctx, instanceId);
  }
}
