/** SSM Compliance: one store of compliance sets with several writers (the wire, inventory, State Manager). */
import type { Actor } from '../access/index.js';
import type { Ctx, SortKey } from '../kernel/index.js';
import { loadFiltered, ssmError } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/database.js';
import { appendEvent } from '../worker/index.js';
import {
  needsInstanceInformation,
  needsItems,
  itemMatches,
  setMatches,
  type ComplianceFilter,
  type InstanceInformationByResource,
} from './compliance-filters.js';
import {
  complianceLimits,
  isCustomComplianceType,
  itemKeyOf,
  managedInstanceResourceType,
  summarizeItems,
  zeroSeverityCounts,
  type ComplianceItem,
  type ComplianceSet,
  type ExecutionSummary,
  type PutComplianceOutcome,
  type PutComplianceRequest,
  type SeverityCounts,
} from './compliance-model.js';
import { checkPutRequest, checkResourceTypes } from './compliance-put-rules.js';
import { setSortKey, type KeyedComplianceItem } from './compliance-rows.js';
import type { ComplianceStore, SetKey, StoredItemInput } from './compliance-store.js';
import { complianceRequestOfInventory, type InventoryComplianceUpload } from './inventory-compliance.js';

/** The AWS:InstanceInformation attributes of the account's registered managed instances (fleet; wired by compose). */
export interface InstanceAttributes {
  instanceInformation(
    db: DbExecutor,
    accountId: string,
    region: string,
    instanceIds?: readonly string[],
  ): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>>;
}

/** Which items ListComplianceItems returns. */
export interface ComplianceItemsQuery {
  resourceIds: readonly string[];
  resourceTypes?: readonly string[] | undefined;
  filters: readonly ComplianceFilter[];
  /** Only rows after this sort key. */
  after?: SortKey | undefined;
  /** How many rows to read; default 50. */
  limit?: number | undefined;
}

/** Which sets the summary operations consider. */
export interface ComplianceSummariesQuery {
  filters: readonly ComplianceFilter[];
  /** Only rows after this sort key. */
  after?: SortKey | undefined;
  /** How many rows to read; default 50. */
  limit?: number | undefined;
}

/** Resource counts of one compliance type (ListComplianceSummaries row). */
export interface ComplianceTypeSummary {
  complianceType: string;
  compliant: SeverityCounts;
  nonCompliant: SeverityCounts;
}

export type { InventoryComplianceUpload } from './inventory-compliance.js';

const maxPageSize = 50;

/** Compliance writes and reads; every method runs in the caller's transaction. */
export class ComplianceService {
  constructor(
    private readonly store: ComplianceStore,
    private readonly instances: InstanceAttributes,
    /** The managed instance the caller signs as (an instance key), undefined for people and tools. */
    private readonly callerInstanceId: (actor: Actor) => string | undefined,
  ) {}

  /**
   * PutComplianceItems as called: items about a ManagedInstance are accepted only for a registered instance of the
   * caller's account (another account's instance does not exist for the caller, as in PutInventory).
   */
  async putCallerComplianceItems(ctx: Ctx, request: PutComplianceRequest): Promise<PutComplianceOutcome> {
    checkPutRequest(ctx, request, this.callerInstanceId(ctx.actor));
    if (request.resourceType === managedInstanceResourceType) {
      const found = await this.instances.instanceInformation(ctx.tx, ctx.accountId, ctx.region, [
        request.resourceId,
      ]);
      if (!found.has(request.resourceId)) {
        throw ssmError(
          'InvalidResourceId',
          `Resource ${request.resourceId} is not a registered managed instance.`,
        );
      }
    }
    return this.putComplianceItems(ctx, request);
  }

  /**
   * Writes compliance items (PutComplianceItems semantics, spec §4.2) and raises ComplianceChanged.
   * Shared by the wire operation, AWS:ComplianceItem inventory and State Manager.
   */
  async putComplianceItems(ctx: Ctx, request: PutComplianceRequest): Promise<PutComplianceOutcome> {
    checkPutRequest(ctx, request, this.callerInstanceId(ctx.actor));
    const uploadType = request.uploadType ?? 'COMPLETE';
    const key: SetKey = {
      accountId: ctx.accountId,
      region: ctx.region,
      resourceType: request.resourceType,
      resourceId: request.resourceId,
      complianceType: request.complianceType,
    };
    const stored = await this.store.findSet(ctx.tx, key);
    if (request.itemContentHash !== undefined && request.itemContentHash === stored?.itemContentHash) {
      return { result: 'unchanged', set: stored.itemCount === 0 ? undefined : stored };
    }
    const executionTime = request.executionSummary.executionTime.getTime();
    if (
      uploadType === 'COMPLETE' &&
      stored !== undefined &&
      executionTime < stored.execution.executionTime.getTime()
    ) {
      // Old data arriving after new data is discarded (what the SSM Agent expects of the service).
      return { result: 'stale', set: stored.itemCount === 0 ? undefined : stored };
    }
    if (
      isCustomComplianceType(request.complianceType) &&
      request.items.length > 0 &&
      (stored === undefined || stored.itemCount === 0)
    ) {
      const custom = await this.store.customTypesOf(ctx.tx, key);
      if (custom.length >= complianceLimits.customTypesPerResource) {
        throw ssmError(
          'ComplianceTypeCountLimitExceededException',
          `A resource can have at most ${complianceLimits.customTypesPerResource} custom compliance types.`,
        );
      }
    }

    const incoming = this.incomingItems(key, request);
    let resulting: StoredItemInput[];
    if (uploadType === 'COMPLETE') {
      await this.store.deleteItems(ctx.tx, key);
      resulting = [...incoming.values()];
      await this.store.insertItems(ctx.tx, key, resulting);
    } else {
      const current = new Map((await this.store.itemsOfSet(ctx.tx, key)).map((entry) => [entry.key, entry]));
      const accepted = [...incoming.values()].filter((entry) => {
        const existing = current.get(entry.key);
        return (
          existing === undefined ||
          existing.item.execution.executionTime.getTime() <= entry.item.execution.executionTime.getTime()
        );
      });
      await this.store.deleteItems(
        ctx.tx,
        key,
        accepted.filter((entry) => current.has(entry.key)).map((entry) => entry.key),
      );
      await this.store.insertItems(ctx.tx, key, accepted);
      for (const entry of accepted) current.set(entry.key, entry);
      resulting = [...current.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }

    const summary = summarizeItems(resulting.map((entry) => entry.item));
    const execution: ExecutionSummary =
      uploadType === 'PARTIAL' &&
      stored !== undefined &&
      stored.execution.executionTime.getTime() > executionTime
        ? stored.execution
        : request.executionSummary;
    await this.store.saveSet(ctx.tx, key, summary, execution, request.itemContentHash, ctx.now);
    await this.store.recordExecution(
      ctx.tx,
      key,
      { execution: request.executionSummary, uploadType, summary, items: resulting },
      ctx.now,
    );
    await appendEvent(
      ctx.tx,
      {
        type: 'ComplianceChanged',
        accountId: ctx.accountId,
        region: ctx.region,
        resourceType: key.resourceType,
        resourceId: key.resourceId,
        complianceType: key.complianceType,
        status: summary.itemCount === 0 ? 'NOT_APPLICABLE' : summary.status,
      },
      ctx.now.getTime(),
    );
    return {
      result: 'written',
      set: summary.itemCount === 0 ? undefined : await this.store.findSet(ctx.tx, key),
    };
  }

  /** Maps AWS:ComplianceItem inventory (Context + Content rows) onto a COMPLETE put of the Context's compliance type. */
  async putInventoryComplianceItems(
    ctx: Ctx,
    upload: InventoryComplianceUpload,
  ): Promise<PutComplianceOutcome> {
    return this.putComplianceItems(ctx, complianceRequestOfInventory(upload, ctx.now));
  }

  /**
   * ListComplianceItems: the items of the given resources that pass every filter, by (resource, type, Id), with
   * their sort keys. Filters on item details, times and instance information are checked in memory on chunks
   * read in sort-key order (`loadFiltered`), so a page is exact.
   */
  async pageComplianceItems(ctx: Ctx, query: ComplianceItemsQuery): Promise<KeyedComplianceItem[]> {
    if (query.resourceIds.length === 0)
      throw ssmError('InvalidResourceId', 'ResourceIds must name a resource.');
    checkResourceTypes(query.resourceTypes);
    const instances = await this.instancesFor(ctx, query.filters, query.resourceIds);
    return loadFiltered(
      { after: query.after, limit: query.limit ?? maxPageSize },
      (after, limit) =>
        this.store.pageItems(ctx.tx, {
          accountId: ctx.accountId,
          region: ctx.region,
          resourceIds: query.resourceIds,
          resourceTypes: query.resourceTypes,
          complianceTypes: equalComplianceTypes(query.filters),
          after,
          limit,
        }),
      (keyed) => keyed.key,
      (rows) =>
        rows.filter(({ item }) => query.filters.every((filter) => itemMatches(item, filter, instances))),
    );
  }

  /** The first page of `pageComplianceItems`, without the sort keys. */
  async listComplianceItems(ctx: Ctx, query: ComplianceItemsQuery): Promise<{ items: ComplianceItem[] }> {
    return { items: (await this.pageComplianceItems(ctx, query)).map((keyed) => keyed.item) };
  }

  /** ListResourceComplianceSummaries: one row per (resource, compliance type) passing every filter, in key order. */
  async listResourceComplianceSummaries(
    ctx: Ctx,
    query: ComplianceSummariesQuery,
  ): Promise<{ items: ComplianceSet[] }> {
    const instances = await this.instancesFor(ctx, query.filters, undefined);
    const items = await loadFiltered(
      { after: query.after, limit: query.limit ?? maxPageSize },
      (after, limit) =>
        this.store.listSets(ctx.tx, {
          accountId: ctx.accountId,
          region: ctx.region,
          complianceTypes: equalComplianceTypes(query.filters),
          after,
          limit,
        }),
      setSortKey,
      (sets) => this.matchingSets(ctx, sets, query.filters, instances),
    );
    return { items };
  }

  /**
   * ListComplianceSummaries: per compliance type (paged in SQL over the types with items), resources counted by
   * status and bucketed by OverallSeverity; a type none of whose sets pass the filters is left out.
   */
  async listComplianceSummaries(
    ctx: Ctx,
    query: ComplianceSummariesQuery,
  ): Promise<{ items: ComplianceTypeSummary[] }> {
    const scope = { accountId: ctx.accountId, region: ctx.region };
    const instances = await this.instancesFor(ctx, query.filters, undefined);
    const summarize = async (types: ComplianceTypeSummary[]): Promise<ComplianceTypeSummary[]> => {
      if (types.length === 0) return [];
      const byType = new Map(types.map((summary) => [summary.complianceType, summary]));
      const sets = await this.store.listSets(ctx.tx, { ...scope, complianceTypes: [...byType.keys()] });
      for (const set of await this.matchingSets(ctx, sets, query.filters, instances)) {
        const summary = byType.get(set.complianceType);
        if (summary !== undefined)
          (set.status === 'COMPLIANT' ? summary.compliant : summary.nonCompliant)[set.overallSeverity] += 1;
      }
      return types.filter((summary) => countOf(summary) > 0);
    };
    const items = await loadFiltered(
      { after: query.after, limit: query.limit ?? maxPageSize },
      async (after, limit) =>
        (
          await this.store.pageComplianceTypes(ctx.tx, {
            ...scope,
            complianceTypes: equalComplianceTypes(query.filters),
            after,
            limit,
          })
        ).map((complianceType) => ({
          complianceType,
          compliant: zeroSeverityCounts(),
          nonCompliant: zeroSeverityCounts(),
        })),
      (summary) => [summary.complianceType],
      summarize,
    );
    return { items };
  }

  /** Removes everything recorded about a resource (its deregistration). */
  async purgeResource(ctx: Ctx, resourceType: string, resourceId: string): Promise<void> {
    await this.store.purgeResource(ctx.tx, {
      accountId: ctx.accountId,
      region: ctx.region,
      resourceType,
      resourceId,
    });
  }

  /** The sets that pass every filter (reading a set's items only when a filter needs them). */
  private async matchingSets(
    ctx: Ctx,
    sets: readonly ComplianceSet[],
    filters: readonly ComplianceFilter[],
    instances: InstanceInformationByResource | undefined,
  ): Promise<ComplianceSet[]> {
    const loadItems = needsItems(filters);
    const matching: ComplianceSet[] = [];
    for (const set of sets) {
      const items = loadItems
        ? (await this.store.itemsOfSet(ctx.tx, { accountId: ctx.accountId, region: ctx.region, ...set })).map(
            (entry) => entry.item,
          )
        : undefined;
      if (filters.every((filter) => setMatches(set, filter, items, instances))) matching.push(set);
    }
    return matching;
  }

  private async instancesFor(
    ctx: Ctx,
    filters: readonly ComplianceFilter[],
    resourceIds: readonly string[] | undefined,
  ): Promise<InstanceInformationByResource | undefined> {
    if (!needsInstanceInformation(filters)) return undefined;
    return this.instances.instanceInformation(ctx.tx, ctx.accountId, ctx.region, resourceIds);
  }

  private incomingItems(key: SetKey, request: PutComplianceRequest): Map<string, StoredItemInput> {
    const incoming = new Map<string, StoredItemInput>();
    request.items.forEach((input, index) => {
      const itemKey = itemKeyOf(input, index);
      // A repeated Id in one call: the last occurrence wins.
      incoming.set(itemKey, {
        key: itemKey,
        item: {
          resourceType: key.resourceType,
          resourceId: key.resourceId,
          complianceType: key.complianceType,
          id: input.id === '' ? undefined : input.id,
          title: input.title ?? '',
          severity: input.severity,
          status: input.status,
          details: input.details,
          execution: request.executionSummary,
        },
      });
    });
    return incoming;
  }
}

const countOf = (summary: ComplianceTypeSummary): number =>
  [...Object.values(summary.compliant), ...Object.values(summary.nonCompliant)].reduce((a, b) => a + b, 0);

/** The compliance types an EQUAL ComplianceType filter restricts to (pushed into the query), if any. */
function equalComplianceTypes(filters: readonly ComplianceFilter[]): string[] | undefined {
  let types: string[] | undefined;
  for (const filter of filters) {
    if (filter.type === 'EQUAL' && filter.key.kind === 'field' && filter.key.field === 'ComplianceType') {
      types = types === undefined ? [...filter.values] : types.filter((type) => filter.values.includes(type));
    }
  }
  return types;
}
