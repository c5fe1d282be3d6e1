/** SSM Compliance: one store of compliance sets with several writers (the wire, inventory, State Manager). */
import type { Actor } from '../access/index.js';
import type { Ctx } from '../kernel/index.js';
import { ApiError } from '../kernel/index.js';
import { ssmError, ssmPageOf, type SsmPage } from '../protocols/ssm/index.js';
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
  complianceSeverities,
  complianceStatuses,
  complianceTypePattern,
  isCustomComplianceType,
  itemKeyOf,
  managedInstanceResourceType,
  summarizeItems,
  zeroSeverityCounts,
  type ComplianceItem,
  type ComplianceSet,
  type ComplianceSeverity,
  type ComplianceStatus,
  type ExecutionSummary,
  type PutComplianceOutcome,
  type PutComplianceRequest,
  type SeverityCounts,
} from './compliance-model.js';
import type { ComplianceStore, SetKey, StoredItemInput } from './compliance-store.js';

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
  maxResults?: number | undefined;
  nextToken?: string | undefined;
}

/** Which sets the summary operations consider. */
export interface ComplianceSummariesQuery {
  filters: readonly ComplianceFilter[];
  maxResults?: number | undefined;
  nextToken?: string | undefined;
}

/** Resource counts of one compliance type (ListComplianceSummaries row). */
export interface ComplianceTypeSummary {
  complianceType: string;
  compliant: SeverityCounts;
  nonCompliant: SeverityCounts;
}

/** AWS:ComplianceItem inventory as the agent's patch run uploads it (spec §4.7). */
export interface InventoryComplianceUpload {
  resourceId: string;
  /** The item's Context: ComplianceType, ExecutionId, ExecutionType, ExecutionTime. */
  context: Readonly<Record<string, string>>;
  rows: readonly Readonly<Record<string, string>>[];
}

const maxPageSize = 50;
const rowFields = new Set(['Id', 'Title', 'Severity', 'Status']);

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
    this.checkPut(ctx, request);
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
    this.checkPut(ctx, request);
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
    const badContext = (message: string) => ssmError('InvalidInventoryItemContextException', message);
    const complianceType = upload.context['ComplianceType'];
    if (complianceType === undefined || !complianceTypePattern.test(complianceType)) {
      throw badContext('Context.ComplianceType is missing or not a valid compliance type.');
    }
    const rawTime = upload.context['ExecutionTime'];
    const executionTime = rawTime === undefined || rawTime === '' ? ctx.now : parseExecutionTime(rawTime);
    if (executionTime === undefined)
      throw badContext(`Context.ExecutionTime '${rawTime ?? ''}' is not a time.`);
    const badContent = (message: string) => ssmError('InvalidItemContentException', message);
    const items = upload.rows.map((row, index) => {
      const status = row['Status'];
      const severity = row['Severity'];
      if (!(complianceStatuses as readonly (string | undefined)[]).includes(status)) {
        throw badContent(
          `AWS:ComplianceItem entry ${index + 1}: Status '${status ?? ''}' is not COMPLIANT or NON_COMPLIANT.`,
        );
      }
      if (!(complianceSeverities as readonly (string | undefined)[]).includes(severity)) {
        throw badContent(
          `AWS:ComplianceItem entry ${index + 1}: Severity '${severity ?? ''}' is not a compliance severity.`,
        );
      }
      const details: Record<string, string> = {};
      for (const [name, value] of Object.entries(row)) if (!rowFields.has(name)) details[name] = value;
      return {
        id: row['Id'],
        title: row['Title'],
        status: status as ComplianceStatus,
        severity: severity as ComplianceSeverity,
        details,
      };
    });
    return this.putComplianceItems(ctx, {
      resourceType: managedInstanceResourceType,
      resourceId: upload.resourceId,
      complianceType,
      executionSummary: {
        executionTime,
        executionId: nonEmpty(upload.context['ExecutionId']),
        executionType: nonEmpty(upload.context['ExecutionType']),
      },
      items,
      uploadType: 'COMPLETE',
    });
  }

  /** ListComplianceItems: the items of the given resources that pass every filter, by (resource, type, Id). */
  async listComplianceItems(ctx: Ctx, query: ComplianceItemsQuery): Promise<SsmPage<ComplianceItem>> {
    if (query.resourceIds.length === 0)
      throw ssmError('InvalidResourceId', 'ResourceIds must name a resource.');
    this.checkResourceTypes(query.resourceTypes);
    const items = await this.store.listItems(ctx.tx, {
      accountId: ctx.accountId,
      region: ctx.region,
      resourceIds: query.resourceIds,
      resourceTypes: query.resourceTypes,
      complianceTypes: equalComplianceTypes(query.filters),
    });
    const instances = await this.instancesFor(ctx, query.filters, query.resourceIds);
    const matching = items.filter((item) =>
      query.filters.every((filter) => itemMatches(item, filter, instances)),
    );
    return ssmPageOf(
      matching,
      query,
      ['ListComplianceItems', query.resourceIds, query.resourceTypes ?? null, query.filters],
      maxPageSize,
    );
  }

  /** ListResourceComplianceSummaries: one row per (resource, compliance type) passing every filter. */
  async listResourceComplianceSummaries(
    ctx: Ctx,
    query: ComplianceSummariesQuery,
  ): Promise<SsmPage<ComplianceSet>> {
    const sets = await this.matchingSets(ctx, query.filters);
    return ssmPageOf(sets, query, ['ListResourceComplianceSummaries', query.filters], maxPageSize);
  }

  /** ListComplianceSummaries: per compliance type, resources counted by status and bucketed by OverallSeverity. */
  async listComplianceSummaries(
    ctx: Ctx,
    query: ComplianceSummariesQuery,
  ): Promise<SsmPage<ComplianceTypeSummary>> {
    const byType = new Map<string, ComplianceTypeSummary>();
    for (const set of await this.matchingSets(ctx, query.filters)) {
      let summary = byType.get(set.complianceType);
      if (summary === undefined) {
        summary = {
          complianceType: set.complianceType,
          compliant: zeroSeverityCounts(),
          nonCompliant: zeroSeverityCounts(),
        };
        byType.set(set.complianceType, summary);
      }
      (set.status === 'COMPLIANT' ? summary.compliant : summary.nonCompliant)[set.overallSeverity] += 1;
    }
    const summaries = [...byType.values()].sort((a, b) => (a.complianceType < b.complianceType ? -1 : 1));
    return ssmPageOf(summaries, query, ['ListComplianceSummaries', query.filters], maxPageSize);
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

  private async matchingSets(ctx: Ctx, filters: readonly ComplianceFilter[]): Promise<ComplianceSet[]> {
    const sets = await this.store.listSets(ctx.tx, {
      accountId: ctx.accountId,
      region: ctx.region,
      complianceTypes: equalComplianceTypes(filters),
    });
    const instances = await this.instancesFor(ctx, filters, undefined);
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

  private checkResourceTypes(resourceTypes: readonly string[] | undefined): void {
    for (const resourceType of resourceTypes ?? []) {
      if (resourceType !== managedInstanceResourceType) {
        throw ssmError(
          'InvalidResourceType',
          `The resource type ${resourceType} is not supported; use ManagedInstance.`,
        );
      }
    }
  }

  private checkPut(ctx: Ctx, request: PutComplianceRequest): void {
    this.checkResourceTypes([request.resourceType]);
    const instanceId = this.callerInstanceId(ctx.actor);
    if (instanceId !== undefined && instanceId !== request.resourceId) {
      throw new ApiError(
        'AccessDenied',
        `User: ${ctx.actor.principalArn} is not authorized to perform: ssm:PutComplianceItems on resource ${request.resourceId}`,
      );
    }
    if (!complianceTypePattern.test(request.complianceType)) {
      throw ssmError('ValidationException', `The compliance type ${request.complianceType} is not valid.`);
    }
    if ((request.uploadType ?? 'COMPLETE') === 'PARTIAL' && request.complianceType !== 'Association') {
      throw ssmError(
        'ValidationException',
        'UploadType PARTIAL is supported only for the Association compliance type.',
      );
    }
    if (request.items.length > complianceLimits.itemsPerCall) {
      throw ssmError(
        'TotalSizeLimitExceededException',
        `At most ${complianceLimits.itemsPerCall} items per call.`,
      );
    }
    let total = 0;
    for (const item of request.items) {
      const size = Buffer.byteLength(JSON.stringify(item));
      if (size > complianceLimits.itemBytes) {
        throw ssmError(
          'ItemSizeLimitExceededException',
          `Compliance item ${item.id ?? ''} is ${size} bytes; the limit is ${complianceLimits.itemBytes}.`,
        );
      }
      total += size;
    }
    if (total > complianceLimits.totalBytes) {
      throw ssmError(
        'TotalSizeLimitExceededException',
        `The items are ${total} bytes in total; the limit is ${complianceLimits.totalBytes}.`,
      );
    }
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

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

/** An ExecutionTime as inventory sends it (`YYYY-MM-DDTHH:MM:SSZ`), or epoch seconds. */
function parseExecutionTime(value: string): Date | undefined {
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

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
