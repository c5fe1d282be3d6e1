/** Patch state read APIs over what agents report (§6): summaries per node, rows per patch, group counts. */
import type { Ctx, SortKey } from '../kernel/index.js';
import { loadFiltered, ssmError } from '../protocols/ssm/index.js';
import {
  availablePatchesOf,
  matchesAvailablePatchFilters,
  type AvailablePatch,
  type AvailablePatchFilterKey,
} from './available-patches.js';
import {
  instancePatchStateOf,
  matchesPatchRowFilters,
  matchesPatchStateFilters,
  patchComplianceDataOf,
  patchGroupStateOf,
  type InstancePatchState,
  type PatchComplianceData,
  type PatchGroupState,
  type PatchRowFilterKey,
  type PatchStateFilter,
  type PatchStateSource,
} from './patch-state.js';

/** Where a page starts and how many rows it reads. */
export interface PatchStatePage {
  after: SortKey | undefined;
  limit: number;
}

/** A node's patch row on a DescribeInstancePatches page, with the sort key of its compliance item. */
export interface KeyedPatchComplianceData {
  key: SortKey;
  item: PatchComplianceData;
}

/** The sort key of an available patch: its Id, then its product. */
export const availablePatchKey = (patch: AvailablePatch): SortKey => [patch.id, patch.product];

/** The order availablePatchesOf sorts in: Id by code unit, product by locale. */
function comparePatchKeys(a: SortKey, b: SortKey): number {
  const [aId, aProduct] = a.map(String) as [string, string];
  const [bId, bProduct] = b.map(String) as [string, string];
  if (aId !== bId) return aId < bId ? -1 : 1;
  return aProduct.localeCompare(bProduct);
}

const stateKey = (state: InstancePatchState): SortKey => [state.instanceId];

/**
 * Reads patch state; owns the mapping from reported strings to the API's shapes and the group rules. The lists
 * page in SQL by their natural keys (instance id; compliance item key); filters over reported values, which are
 * JSON in the store, are applied page by page with loadFiltered so pages stay exact.
 */
export class PatchStateService {
  constructor(private readonly source: PatchStateSource) {}

  /** DescribeInstancePatchStates: nodes without a summary are simply absent. */
  async instancePatchStates(
    ctx: Ctx,
    instanceIds: readonly string[],
    page: PatchStatePage,
  ): Promise<InstancePatchState[]> {
    if (instanceIds.length === 0) return [];
    const reports = await this.source.patchSummaries(ctx.tx, ctx, { instanceIds, ...page });
    return reports.map(instancePatchStateOf);
  }

  /** DescribeInstancePatchStatesForPatchGroup: the nodes whose latest summary names `patchGroup`, filtered. */
  async instancePatchStatesForPatchGroup(
    ctx: Ctx,
    patchGroup: string,
    filters: readonly PatchStateFilter[],
    page: PatchStatePage,
  ): Promise<InstancePatchState[]> {
    return loadFiltered(
      page,
      async (after, limit) =>
        (await this.source.patchSummaries(ctx.tx, ctx, { after, limit })).map(instancePatchStateOf),
      stateKey,
      (states) =>
        states.filter((state) => state.patchGroup === patchGroup && matchesPatchStateFilters(state, filters)),
    );
  }

  /** DescribePatchGroupState: counts over every node of the group. */
  async patchGroupState(ctx: Ctx, patchGroup: string): Promise<PatchGroupState> {
    const reports = await this.source.patchSummaries(ctx.tx, ctx, {});
    return patchGroupStateOf(
      reports.map(instancePatchStateOf).filter((state) => state.patchGroup === patchGroup),
    );
  }

  /**
   * DescribeAvailablePatches: the package versions the fleet's scans reported, filtered. The catalogue is built
   * from the nodes' Patch rows in SQL, so it pages there: chunks of distinct titles (a patch's Id) in order,
   * each expanded to one patch per product, until the page is full. The first chunk starts at the token's Id
   * itself, since the token's patch may be followed by the same Id for a later product.
   */
  async availablePatches(
    ctx: Ctx,
    filters: readonly { key: AvailablePatchFilterKey; values: readonly string[] }[],
    page: PatchStatePage,
  ): Promise<AvailablePatch[]> {
    const chunkSize = Math.max(page.limit, 100);
    const kept: AvailablePatch[] = [];
    let from = page.after === undefined ? undefined : String(page.after[0]);
    let inclusive = true;
    for (;;) {
      const titles = await this.source.reportedPatchTitles(ctx.tx, ctx, {
        from,
        inclusive,
        limit: chunkSize,
      });
      const reported = await this.source.fleetPatchRows(ctx.tx, ctx, titles);
      kept.push(
        ...availablePatchesOf(reported).filter(
          (patch) =>
            (page.after === undefined || comparePatchKeys(availablePatchKey(patch), page.after) > 0) &&
            matchesAvailablePatchFilters(patch, filters),
        ),
      );
      const last = titles[titles.length - 1];
      if (kept.length >= page.limit || titles.length < chunkSize || last === undefined) break;
      from = last;
      inclusive = false;
    }
    return kept.slice(0, page.limit);
  }

  /** DescribeInstancePatches: a page of the node's reported rows, filtered. */
  async instancePatches(
    ctx: Ctx,
    instanceId: string,
    filters: readonly { key: PatchRowFilterKey; values: readonly string[] }[],
    page: PatchStatePage,
  ): Promise<KeyedPatchComplianceData[]> {
    return loadFiltered(
      page,
      async (after, limit) => {
        const rows = await this.source.patchRows(ctx.tx, ctx, instanceId, { after, limit });
        // Another account's node, like an unknown one, does not exist for the caller.
        if (rows === undefined)
          throw ssmError('InvalidInstanceId', `Instance ${instanceId} is not a registered managed instance.`);
        return rows.map(({ key, row }) => ({ key, item: patchComplianceDataOf(row) }));
      },
      (row) => row.key,
      (rows) => rows.filter((row) => matchesPatchRowFilters(row.item, filters)),
    );
  }
}
