/** The targets of a maintenance window (ssm-api.md §10.3): register, update, deregister and list them. */
import { randomUUID } from 'node:crypto';
import type { Ctx, SortKey } from '../kernel/index.js';
import { ssmError, targetsProblem, type Target } from '../protocols/ssm/index.js';
import type { ClientTokens } from './client-tokens.js';
import { windowLimits, windowTargetIdsOf, type WindowTarget } from './window-model.js';
import { columnFilters, type Keyed, type WindowFilter } from './window-paging.js';
import { invalid, keeper, requireWindow, type TargetInput } from './window-requests.js';
import type { MaintenanceStore } from './window-store.js';

/** DescribeMaintenanceWindowTargets' filter keys and the columns they match. */
const targetFilterColumns = {
  Type: 'resource_type',
  WindowTargetId: 'window_target_id',
  OwnerInformation: 'owner_information',
};

export class WindowTargetService {
  constructor(
    private readonly store: MaintenanceStore,
    private readonly tokens: ClientTokens,
  ) {}

  async register(ctx: Ctx, input: TargetInput, clientToken?: string): Promise<WindowTarget> {
    return this.tokens.once(
      ctx,
      'RegisterTargetWithMaintenanceWindow',
      { clientToken, request: input },
      async (id) => {
        const target = (await this.list(ctx, input.windowId)).find((t) => t.windowTargetId === id);
        if (target === undefined)
          throw ssmError(
            'DoesNotExistException',
            `Window target ${id} of this ClientToken was deregistered.`,
          );
        return target;
      },
      async () => {
        const target = await this.add(ctx, input);
        return { id: target.windowTargetId, value: target };
      },
    );
  }

  private async add(ctx: Ctx, input: TargetInput): Promise<WindowTarget> {
    await requireWindow(this.store, ctx, input.windowId);
    if (input.resourceType !== 'INSTANCE')
      invalid('ResourceType RESOURCE_GROUP is not supported: Bulwark has no resource groups; use INSTANCE.');
    const problem = targetsProblem(input.targets);
    if (problem !== undefined) invalid(problem);
    const existing = await this.store.targetsOf(ctx.tx, input.windowId);
    if (existing.length >= windowLimits.maxWindowTargets)
      throw ssmError(
        'ResourceLimitExceededException',
        `A window has at most ${windowLimits.maxWindowTargets} targets.`,
      );
    const target: WindowTarget = {
      windowTargetId: randomUUID(),
      windowId: input.windowId,
      resourceType: input.resourceType,
      targets: input.targets,
      ownerInformation: input.ownerInformation,
      name: input.name,
      description: input.description,
    };
    await this.store.insertTarget(ctx.tx, target, ctx.now);
    return target;
  }

  /** The window's targets in the order they were registered. */
  async list(ctx: Ctx, windowId: string): Promise<WindowTarget[]> {
    await requireWindow(this.store, ctx, windowId);
    return this.store.targetsOf(ctx.tx, windowId);
  }

  /** DescribeMaintenanceWindowTargets: a page of the window's targets, filtered in SQL. */
  async page(
    ctx: Ctx,
    windowId: string,
    filters: readonly WindowFilter[],
    page: { after: SortKey | undefined; limit: number },
  ): Promise<Keyed<WindowTarget>[]> {
    await requireWindow(this.store, ctx, windowId);
    return this.store.pageTargets(ctx.tx, windowId, {
      filters: columnFilters(filters, targetFilterColumns),
      ...page,
    });
  }

  /** UpdateMaintenanceWindowTarget: the given fields change; with `replace`, omitted optional ones are cleared. */
  async update(
    ctx: Ctx,
    windowId: string,
    windowTargetId: string,
    changes: {
      targets?: Target[] | undefined;
      ownerInformation?: string | undefined;
      name?: string | undefined;
      description?: string | undefined;
    },
    replace: boolean,
  ): Promise<WindowTarget> {
    const current = (await this.list(ctx, windowId)).find((t) => t.windowTargetId === windowTargetId);
    if (current === undefined)
      throw ssmError('DoesNotExistException', `Window target ${windowTargetId} does not exist.`);
    const keep = keeper(replace);
    const targets = changes.targets ?? current.targets;
    const problem = targetsProblem(targets);
    if (problem !== undefined) invalid(problem);
    const updated: WindowTarget = {
      ...current,
      targets,
      ownerInformation: keep(changes.ownerInformation, current.ownerInformation),
      name: keep(changes.name, current.name),
      description: keep(changes.description, current.description),
    };
    await this.store.updateTarget(ctx.tx, updated);
    return updated;
  }

  /**
   * DeregisterTargetFromMaintenanceWindow: with `safe`, a target a task still uses is refused
   * (TargetInUseException); otherwise it is removed from those tasks too.
   */
  async deregister(ctx: Ctx, windowId: string, windowTargetId: string, safe: boolean): Promise<void> {
    const targets = await this.list(ctx, windowId);
    if (!targets.some((t) => t.windowTargetId === windowTargetId))
      throw ssmError('DoesNotExistException', `Window target ${windowTargetId} does not exist.`);
    const users = (await this.store.tasksOf(ctx.tx, windowId)).filter((task) =>
      windowTargetIdsOf(task).includes(windowTargetId),
    );
    if (safe && users.length > 0)
      throw ssmError(
        'TargetInUseException',
        `Window target ${windowTargetId} is used by task ${users[0]?.windowTaskId ?? ''}.`,
      );
    for (const task of users) {
      const targets = task.targets
        .map((t) =>
          t.key === 'WindowTargetIds' ? { ...t, values: t.values.filter((v) => v !== windowTargetId) } : t,
        )
        .filter((t) => t.values.length > 0);
      await this.store.updateTask(ctx.tx, { ...task, targets });
    }
    await this.store.deleteTarget(ctx.tx, windowTargetId);
  }
}
