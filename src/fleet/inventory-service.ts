/** SSM inventory: PutInventory with the content-hash protocol, ListInventoryEntries, GetInventory, GetInventorySchema. */
import type { Actor } from '../access/index.js';
import type { Ctx } from '../kernel/index.js';
import { accessDenied } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { appendEvent } from '../worker/index.js';
import { ssmPageOf, type SsmPage } from '../protocols/ssm/index.js';
import {
  attributeNamesOf,
  builtInSchemaOf,
  builtInSchemas,
  checkInventoryItem,
  checkTypeName,
  contentHashOf,
  customSchemaOf,
  entryMatches,
  instanceInformationTypeName,
  inventoryLimits,
  isCustomTypeName,
  type InventoryEntry,
  type InventoryFilter,
  type InventoryItemInput,
  type InventorySchema,
  type StoredInventoryItem,
} from './inventory-model.js';
import type { InventoryScope, InventoryStore } from './inventory-store.js';
import { ssmError } from '../protocols/ssm/index.js';

/**
 * The account's registered (live) managed instances and their AWS:InstanceInformation attributes: all of them,
 * or those of `instanceIds` that are registered. Implemented over the fleet's instances; wired by compose.
 */
export interface InstanceDirectory {
  instanceInformation(
    db: DbExecutor,
    accountId: string,
    region: string,
    instanceIds?: readonly string[],
  ): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>>;
}

/** Where AWS:ComplianceItem inventory goes: the compliance capability (wired by compose). */
export interface InventoryComplianceSink {
  putInventoryComplianceItems(
    ctx: Ctx,
    upload: {
      resourceId: string;
      context: Readonly<Record<string, string>>;
      rows: readonly InventoryEntry[];
    },
  ): Promise<unknown>;
}

/** What a PutInventory did, per type. */
export interface PutInventoryOutcome {
  /** Types whose content was written. */
  written: string[];
  /** Types re-uploaded with an unchanged hash: capture time updated, content kept. */
  unchanged: string[];
}

/** One instance's item of one type, as ListInventoryEntries answers. */
export interface InventoryEntriesPage extends SsmPage<InventoryEntry> {
  instanceId: string;
  typeName: string;
  schemaVersion: string | undefined;
  captureTime: string | undefined;
}

/** A GetInventory filter: `<TypeName>.<Attribute>`. */
export interface InventoryEntityFilter {
  typeName: string;
  filter: InventoryFilter;
}

/** One GetInventory entity: an instance and its item of the requested type. */
export interface InventoryEntity {
  instanceId: string;
  item: Pick<StoredInventoryItem, 'typeName' | 'schemaVersion' | 'captureTime' | 'content'> & {
    contentHash: string | undefined;
  };
}

const maxEntriesPage = 50;
const maxEntitiesPage = 50;
const maxSchemasPage = 200;

/** `YYYY-MM-DDTHH:MM:SSZ`, the CaptureTime format. */
const captureTimeOf = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

/** Inventory of managed instances; every method runs in the caller's transaction. */
export class InventoryService {
  constructor(
    private readonly store: InventoryStore,
    private readonly directory: InstanceDirectory,
    private readonly compliance: InventoryComplianceSink,
    /** The managed instance the caller signs as (an instance key), undefined for people and tools. */
    private readonly callerInstanceId: (actor: Actor) => string | undefined,
  ) {}

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
    const seen = new Set<string>();
    let total = 0;
    for (const item of items) {
      if (seen.has(item.typeName)) {
        throw ssmError('InvalidItemContentException', `The type ${item.typeName} appears more than once.`);
      }
      seen.add(item.typeName);
      checkInventoryItem(item);
      const size = item.content === undefined ? 0 : Buffer.byteLength(JSON.stringify(item.content));
      if (size > inventoryLimits.itemBytes) {
        throw ssmError(
          'ItemSizeLimitExceededException',
          `The content of ${item.typeName} is ${size} bytes; the limit is ${inventoryLimits.itemBytes}.`,
        );
      }
      total += size;
    }
    if (total > inventoryLimits.totalBytes) {
      throw ssmError(
        'TotalSizeLimitExceededException',
        `The items are ${total} bytes in total; the limit is ${inventoryLimits.totalBytes}.`,
      );
    }
    const scope = { accountId: ctx.accountId, region: ctx.region };
    const customTypes = new Map(
      (await this.store.customTypes(ctx.tx, scope)).map((type) => [type.typeName, type] as const),
    );
    const newCustom = items.filter(
      (item) => isCustomTypeName(item.typeName) && !customTypes.has(item.typeName),
    );
    if (customTypes.size + newCustom.length > inventoryLimits.customTypesPerAccount) {
      throw ssmError(
        'CustomSchemaCountLimitExceededException',
        `An account can have at most ${inventoryLimits.customTypesPerAccount} custom inventory types.`,
      );
    }

    const hashes = await this.store.hashesOf(ctx.tx, scope, instanceId);
    const outcome: PutInventoryOutcome = { written: [], unchanged: [] };
    for (const item of items) {
      const storedHash = hashes.get(item.typeName);
      if (item.content === undefined && item.contentHash !== undefined) {
        if (item.contentHash !== storedHash) {
          // The client believes we hold this content but we do not: it must resend it in full.
          throw ssmError(
            'ItemContentMismatchException',
            `The content hash of ${item.typeName} does not match the stored content; send the item with its Content.`,
          );
        }
        await this.store.touchItem(ctx.tx, scope, { instanceId, ...item, now: ctx.now });
        outcome.unchanged.push(item.typeName);
        continue;
      }
      const content = item.content ?? [];
      const contentHash = item.contentHash ?? contentHashOf(content);
      if (contentHash === storedHash) {
        await this.store.touchItem(ctx.tx, scope, { instanceId, ...item, now: ctx.now });
        outcome.unchanged.push(item.typeName);
        continue;
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
        const known = customTypes.get(item.typeName)?.attributes ?? [];
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
      outcome.written.push(item.typeName);
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

  /** ListInventoryEntries: the stored entries of one type on one instance that pass every filter. */
  async listInventoryEntries(
    ctx: Ctx,
    query: {
      instanceId: string;
      typeName: string;
      filters: readonly InventoryFilter[];
      maxResults?: number | undefined;
      nextToken?: string | undefined;
    },
  ): Promise<InventoryEntriesPage> {
    checkTypeName(query.typeName);
    const scope = { accountId: ctx.accountId, region: ctx.region };
    const item = await this.itemOf(ctx, scope, query.instanceId, query.typeName);
    const schema = builtInSchemaOf(query.typeName);
    for (const filter of query.filters) {
      if (
        schema !== undefined &&
        !schema.attributes.some((attribute) => attribute.name === filter.attribute)
      ) {
        throw ssmError('InvalidFilter', `${filter.attribute} is not an attribute of ${query.typeName}.`);
      }
    }
    const entries = (item?.content ?? []).filter((entry) =>
      query.filters.every((filter) => entryMatches(entry, filter)),
    );
    const page = ssmPageOf(
      entries,
      query,
      ['ListInventoryEntries', query.instanceId, query.typeName, query.filters],
      maxEntriesPage,
    );
    return {
      ...page,
      instanceId: query.instanceId,
      typeName: query.typeName,
      schemaVersion: item?.schemaVersion,
      captureTime: item?.captureTime,
    };
  }

  /**
   * GetInventory: the account's managed instances that pass every filter (each filter: some entry of its type
   * matches), with their item of `resultTypeName` (default AWS:InstanceInformation); instances without one are left out.
   */
  async getInventory(
    ctx: Ctx,
    query: {
      filters: readonly InventoryEntityFilter[];
      resultTypeName?: string | undefined;
      maxResults?: number | undefined;
      nextToken?: string | undefined;
    },
  ): Promise<SsmPage<InventoryEntity>> {
    const resultTypeName = query.resultTypeName ?? instanceInformationTypeName;
    try {
      checkTypeName(resultTypeName);
    } catch {
      throw ssmError(
        'InvalidResultAttributeException',
        `The result attribute ${resultTypeName} is not valid.`,
      );
    }
    const scope = { accountId: ctx.accountId, region: ctx.region };
    const instances = await this.directory.instanceInformation(ctx.tx, ctx.accountId, ctx.region);
    let candidates = [...instances.keys()].sort();
    for (const { typeName, filter } of query.filters) {
      const items =
        typeName === instanceInformationTypeName
          ? candidates.map((id) => this.synthesized(id, instances.get(id) ?? {}, ctx.now))
          : await this.store.itemsOfType(ctx.tx, scope, typeName, candidates);
      const passing = new Set(
        items
          .filter((item) => item.content.some((entry) => entryMatches(entry, filter)))
          .map((item) => item.instanceId),
      );
      candidates = candidates.filter((id) => passing.has(id));
    }
    if (resultTypeName !== instanceInformationTypeName) {
      const holding = new Set(
        (await this.store.itemsOfType(ctx.tx, scope, resultTypeName, candidates)).map(
          (item) => item.instanceId,
        ),
      );
      candidates = candidates.filter((id) => holding.has(id));
    }
    const page = ssmPageOf(
      candidates,
      query,
      ['GetInventory', query.filters, resultTypeName],
      maxEntitiesPage,
    );
    const items =
      resultTypeName === instanceInformationTypeName
        ? page.items.map((id) => this.synthesized(id, instances.get(id) ?? {}, ctx.now))
        : await this.store.itemsOfType(ctx.tx, scope, resultTypeName, page.items);
    return {
      items: items.map((item) => ({
        instanceId: item.instanceId,
        item: {
          typeName: item.typeName,
          schemaVersion: item.schemaVersion,
          captureTime: item.captureTime,
          content: item.content,
          contentHash: item.contentHash === '' ? undefined : item.contentHash,
        },
      })),
      nextToken: page.nextToken,
    };
  }

  /** GetInventorySchema: built-in types and the account's custom types, optionally those starting with `typeName`. */
  async getInventorySchema(
    ctx: Ctx,
    query: { typeName?: string | undefined; maxResults?: number | undefined; nextToken?: string | undefined },
  ): Promise<SsmPage<InventorySchema>> {
    if (query.typeName !== undefined && !/^(AWS|Custom):/.test(query.typeName)) {
      throw ssmError('InvalidTypeNameException', `The type name ${query.typeName} is not valid.`);
    }
    const custom = (
      await this.store.customTypes(ctx.tx, { accountId: ctx.accountId, region: ctx.region })
    ).map((type) => customSchemaOf(type.typeName, type.schemaVersion, type.attributes));
    const schemas = [...builtInSchemas, ...custom].filter(
      (schema) => query.typeName === undefined || schema.typeName.startsWith(query.typeName),
    );
    return ssmPageOf(schemas, query, ['GetInventorySchema', query.typeName ?? null], maxSchemasPage);
  }

  /** Removes an instance's inventory (its deregistration). */
  async purgeInstance(ctx: Ctx, instanceId: string): Promise<void> {
    await this.store.purgeInstance(ctx.tx, { accountId: ctx.accountId, region: ctx.region }, instanceId);
  }

  /** An instance key reports only about itself; anyone else only about registered instances of the account. */
  private async requireWritableInstance(ctx: Ctx, instanceId: string): Promise<void> {
    const caller = this.callerInstanceId(ctx.actor);
    if (caller !== undefined && caller !== instanceId) {
      throw accessDenied(
        `User: ${ctx.actor.principalArn} is not authorized to perform: ssm:PutInventory on resource ${instanceId}`,
      );
    }
    await this.requireInstance(ctx, instanceId);
  }

  private async requireInstance(ctx: Ctx, instanceId: string): Promise<Readonly<Record<string, string>>> {
    const found = (
      await this.directory.instanceInformation(ctx.tx, ctx.accountId, ctx.region, [instanceId])
    ).get(instanceId);
    if (found === undefined) {
      throw ssmError('InvalidInstanceId', `Instance ${instanceId} is not a registered managed instance.`);
    }
    return found;
  }

  private async itemOf(
    ctx: Ctx,
    scope: InventoryScope,
    instanceId: string,
    typeName: string,
  ): Promise<StoredInventoryItem | undefined> {
    const information = await this.requireInstance(ctx, instanceId);
    if (typeName === instanceInformationTypeName) return this.synthesized(instanceId, information, ctx.now);
    return this.store.findItem(ctx.tx, scope, instanceId, typeName);
  }

  /** AWS:InstanceInformation of an instance, from the fleet's registration and heartbeat facts. */
  private synthesized(
    instanceId: string,
    information: Readonly<Record<string, string>>,
    now: Date,
  ): StoredInventoryItem {
    return {
      instanceId,
      typeName: instanceInformationTypeName,
      schemaVersion: '1.0',
      captureTime: captureTimeOf(now),
      contentHash: '',
      content: [information],
      context: undefined,
      contentUpdatedAt: now,
      updatedAt: now,
    };
  }
}
