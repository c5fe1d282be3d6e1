/** Patch state read APIs over what agents report (§6): summaries per node, rows per patch, group counts. */
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
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

const byInstanceId = (a: InstancePatchState, b: InstancePatchState): number =>
  a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0;

/** Reads patch state; owns the mapping from reported strings to the API's shapes and the group rules. */
export class PatchStateService {
  constructor(private readonly source: PatchStateSource) {}

  /** DescribeInstancePatchStates: nodes without a summary are simply absent. */
  async instancePatchStates(ctx: Ctx, instanceIds: readonly string[]): Promise<InstancePatchState[]> {
    if (instanceIds.length === 0) return [];
    const reports = await this.source.patchSummaries(ctx.tx, ctx, instanceIds);
    return reports.map(instancePatchStateOf).sort(byInstanceId);
  }

  /** The nodes whose latest summary names `patchGroup`. */
  private async statesOfGroup(ctx: Ctx, patchGroup: string): Promise<InstancePatchState[]> {
    const reports = await this.source.patchSummaries(ctx.tx, ctx, undefined);
    return reports
      .map(instancePatchStateOf)
      .filter((state) => state.patchGroup === patchGroup)
      .sort(byInstanceId);
  }

  /** DescribeInstancePatchStatesForPatchGroup. */
  async instancePatchStatesForPatchGroup(
    ctx: Ctx,
    patchGroup: string,
    filters: readonly PatchStateFilter[],
  ): Promise<InstancePatchState[]> {
    return (await this.statesOfGroup(ctx, patchGroup)).filter((state) =>
      matchesPatchStateFilters(state, filters),
    );
  }

  /** DescribePatchGroupState. */
  async patchGroupState(ctx: Ctx, patchGroup: string): Promise<PatchGroupState> {
    return patchGroupStateOf(await this.statesOfGroup(ctx, patchGroup));
  }

  /** DescribeAvailablePatches: the package versions the fleet's scans reported, filtered. */
  async availablePatches(
    ctx: Ctx,
    filters: readonly { key: AvailablePatchFilterKey; values: readonly string[] }[],
  ): Promise<AvailablePatch[]> {
    const reported = await this.source.fleetPatchRows(ctx.tx, ctx);
    return availablePatchesOf(reported).filter((patch) => matchesAvailablePatchFilters(patch, filters));
  }

  /** DescribeInstancePatches: the node's reported rows, filtered. */
  async instancePatches(
    ctx: Ctx,
    instanceId: string,
    filters: readonly { key: PatchRowFilterKey; values: readonly string[] }[],
  ): Promise<PatchComplianceData[]> {
    const rows = await this.source.patchRows(ctx.tx, ctx, instanceId);
    // Another account's node, like an unknown one, does not exist for the caller.
    if (rows === undefined)
      throw ssmError('InvalidInstanceId', `Instance ${instanceId} is not a registered managed instance.`);
    return rows.map(patchComplianceDataOf).filter((patch) => matchesPatchRowFilters(patch, filters));
  }
}
