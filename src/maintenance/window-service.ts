/**
 * The maintenance window API (ssm-api.md §10.3–10.4): windows and their schedule here; their targets, tasks and
 * execution history in the services this one answers for. The scheduler (window-runner.ts) starts and advances
 * executions.
 */
import { randomUUID } from 'node:crypto';
import type { Expression, SqlBool } from 'kysely';
import { keysetSlice, type Ctx, type SortKey } from '../kernel/index.js';
import { ScheduleExpressionError } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/database.js';
import { ClientTokens } from './client-tokens.js';
import { WindowExecutionService, type RunningTaskCanceller } from './execution-service.js';
import { WindowTaskService } from './task-service.js';
import { WindowTargetService } from './target-service.js';
import type {
  MaintenanceWindow,
  TaskExecution,
  TaskInvocation,
  WindowExecution,
  WindowTarget,
  WindowTask,
} from './window-model.js';
import { oneOf, type Keyed, type WindowFilter } from './window-paging.js';
import type { TaskDocuments, WindowTags } from './window-ports.js';
import {
  invalid,
  keeper,
  parseDate,
  requireWindow,
  type TargetInput,
  type TaskInput,
  type TaskUpdate,
  type WindowInput,
} from './window-requests.js';
import {
  isTimeZone,
  nextExecutionOf,
  nextWindowRun,
  parseWindowSchedule,
  timingOf,
} from './window-schedule.js';
import type { MaintenanceStore } from './window-store.js';

export type { TaskDocuments, WindowTags } from './window-ports.js';
export type { TargetInput, TaskInput, TaskUpdate, WindowInput } from './window-requests.js';

const namePattern = /^[a-zA-Z0-9_\-.]{3,128}$/;

/** One upcoming run of DescribeMaintenanceWindowSchedule. */
export interface ScheduledRun {
  windowId: string;
  name: string;
  at: Date;
}

/** DescribeMaintenanceWindows' Name and Enabled filters (values are alternatives). */
function windowFilters(filters: readonly WindowFilter[]): Expression<SqlBool>[] {
  return filters.map((filter) => {
    if (filter.key === 'Name') return oneOf('name', filter.values);
    if (filter.key === 'Enabled')
      return oneOf(
        'enabled',
        filter.values.flatMap((value) => (value === 'true' ? [1] : value === 'false' ? [0] : [])),
      );
    return invalid(`Filter key ${filter.key} is not Name or Enabled.`);
  });
}

export class MaintenanceWindowsService {
  readonly windowTargets: WindowTargetService;
  readonly windowTasks: WindowTaskService;
  readonly windowExecutions: WindowExecutionService;
  private readonly tokens: ClientTokens;

  constructor(
    private readonly store: MaintenanceStore,
    documents: TaskDocuments,
    canceller: RunningTaskCanceller,
    private readonly tags: WindowTags,
  ) {
    this.tokens = new ClientTokens(store);
    this.windowTargets = new WindowTargetService(store, this.tokens);
    this.windowTasks = new WindowTaskService(store, documents, this.tokens);
    this.windowExecutions = new WindowExecutionService(store, canceller);
  }

  private checkWindow(input: WindowInput, now: Date): void {
    if (!namePattern.test(input.name))
      invalid('Name must be 3 to 128 letters, digits, hyphens, underscores or periods.');
    try {
      const schedule = parseWindowSchedule(input.schedule, now);
      if (input.scheduleOffset !== undefined && schedule.kind !== 'cron')
        invalid('ScheduleOffset applies to cron schedules only.');
    } catch (error) {
      if (error instanceof ScheduleExpressionError) invalid(`Schedule is invalid: ${error.message}`);
      throw error;
    }
    if (input.scheduleTimezone !== undefined && !isTimeZone(input.scheduleTimezone))
      invalid(`ScheduleTimezone ${input.scheduleTimezone} is not an IANA time zone.`);
    if (input.cutoffHours >= input.durationHours)
      invalid(
        `Cutoff was ${input.cutoffHours} but must be smaller than the Duration (${input.durationHours}).`,
      );
    const start = parseDate(input.startDate, 'StartDate');
    const end = parseDate(input.endDate, 'EndDate');
    if (end !== undefined && end.getTime() <= now.getTime()) invalid('EndDate must be in the future.');
    if (start !== undefined && end !== undefined && end.getTime() <= start.getTime())
      invalid('EndDate must be after StartDate.');
  }

  private windowFrom(input: WindowInput, base: MaintenanceWindow, now: Date): MaintenanceWindow {
    const window: MaintenanceWindow = {
      ...base,
      name: input.name,
      description: input.description,
      schedule: input.schedule,
      scheduleTimezone: input.scheduleTimezone,
      scheduleOffset: input.scheduleOffset,
      durationHours: input.durationHours,
      cutoffHours: input.cutoffHours,
      allowUnassociatedTargets: input.allowUnassociatedTargets,
      enabled: input.enabled ?? true,
      startDate: parseDate(input.startDate, 'StartDate'),
      endDate: parseDate(input.endDate, 'EndDate'),
      modifiedAt: now,
    };
    return { ...window, nextExecutionAt: nextExecutionOf(window, now) };
  }

  async create(
    ctx: Ctx,
    input: WindowInput,
    tags: readonly { key: string; value: string }[] = [],
    clientToken?: string,
  ): Promise<MaintenanceWindow> {
    return this.tokens.once(
      ctx,
      'CreateMaintenanceWindow',
      { clientToken, request: [input, tags] },
      (id) => this.get(ctx, id),
      async () => {
        const window = await this.createWindow(ctx, input, tags);
        return { id: window.windowId, value: window };
      },
    );
  }

  private async createWindow(
    ctx: Ctx,
    input: WindowInput,
    tags: readonly { key: string; value: string }[],
  ): Promise<MaintenanceWindow> {
    this.checkWindow(input, ctx.now);
    const window = this.windowFrom(
      input,
      {
        windowId: `mw-${randomUUID().replace(/-/g, '').slice(0, 17)}`,
        accountId: ctx.accountId,
        region: ctx.region,
        createdAt: ctx.now,
      } as MaintenanceWindow,
      ctx.now,
    );
    await this.store.insertWindow(ctx.tx, window);
    await this.tags.put(
      ctx.tx,
      {
        accountId: ctx.accountId,
        region: ctx.region,
        resourceType: 'MaintenanceWindow',
        resourceId: window.windowId,
      },
      tags,
    );
    return window;
  }

  async get(ctx: Ctx, windowId: string): Promise<MaintenanceWindow> {
    return requireWindow(this.store, ctx, windowId);
  }

  /** UpdateMaintenanceWindow: the given fields change; with `replace`, the omitted optional ones are cleared. */
  async update(
    ctx: Ctx,
    windowId: string,
    changes: { [K in keyof WindowInput]?: WindowInput[K] | undefined },
    replace: boolean,
  ): Promise<MaintenanceWindow> {
    const current = await this.get(ctx, windowId);
    const keep = keeper(replace);
    const input: WindowInput = {
      name: changes.name ?? current.name,
      description: keep(changes.description, current.description),
      schedule: changes.schedule ?? current.schedule,
      scheduleTimezone: keep(changes.scheduleTimezone, current.scheduleTimezone),
      scheduleOffset: keep(changes.scheduleOffset, current.scheduleOffset),
      durationHours: changes.durationHours ?? current.durationHours,
      cutoffHours: changes.cutoffHours ?? current.cutoffHours,
      allowUnassociatedTargets: changes.allowUnassociatedTargets ?? current.allowUnassociatedTargets,
      enabled: changes.enabled ?? current.enabled,
      startDate: keep(changes.startDate, current.startDate?.toISOString()),
      endDate: keep(changes.endDate, current.endDate?.toISOString()),
    };
    this.checkWindow(input, ctx.now);
    const window = this.windowFrom(input, current, ctx.now);
    await this.store.updateWindow(ctx.tx, window);
    return window;
  }

  async delete(ctx: Ctx, windowId: string): Promise<void> {
    await this.get(ctx, windowId);
    await this.store.deleteWindow(ctx.tx, windowId);
  }

  /** Whether the account has the window (the tagging API's resolver). */
  async exists(
    db: DbExecutor,
    scope: { accountId: string; region: string },
    windowId: string,
  ): Promise<boolean> {
    return (await this.store.findWindow(db, scope, windowId)) !== undefined;
  }

  /** DescribeMaintenanceWindows: a page of the account's windows by id, filtered in SQL. */
  async describe(
    ctx: Ctx,
    filters: readonly WindowFilter[],
    page: { after: SortKey | undefined; limit: number },
  ): Promise<Keyed<MaintenanceWindow>[]> {
    return this.store.pageWindows(ctx.tx, ctx, { filters: windowFilters(filters), ...page });
  }

  /** DescribeMaintenanceWindowSchedule: the window's next `count` run times. */
  async upcoming(ctx: Ctx, windowId: string, count: number): Promise<Date[]> {
    return upcomingRuns(await this.get(ctx, windowId), ctx.now, count);
  }

  /**
   * DescribeMaintenanceWindowSchedule: the next `horizon` runs of one window (or of each of the account's),
   * soonest first, a page after `after` (run time, window id). Runs are computed, not stored, so this list is
   * ordered and cut in memory.
   */
  async schedule(
    ctx: Ctx,
    windowId: string | undefined,
    horizon: number,
    page: { after: SortKey | undefined; limit: number },
  ): Promise<Keyed<ScheduledRun>[]> {
    const windows =
      windowId === undefined ? await this.store.listWindows(ctx.tx, ctx) : [await this.get(ctx, windowId)];
    const runs = windows.flatMap((window) =>
      upcomingRuns(window, ctx.now, horizon).map((at) => ({
        item: { windowId: window.windowId, name: window.name, at },
        key: [at.toISOString(), window.windowId],
      })),
    );
    runs.sort(
      (a, b) =>
        String(a.key[0]).localeCompare(String(b.key[0])) || String(a.key[1]).localeCompare(String(b.key[1])),
    );
    return keysetSlice(runs, page.after, page.limit - 1, (run) => run.key);
  }

  registerTarget(ctx: Ctx, input: TargetInput, clientToken?: string): Promise<WindowTarget> {
    return this.windowTargets.register(ctx, input, clientToken);
  }

  targets(ctx: Ctx, windowId: string): Promise<WindowTarget[]> {
    return this.windowTargets.list(ctx, windowId);
  }

  updateTarget(
    ctx: Ctx,
    windowId: string,
    windowTargetId: string,
    changes: Parameters<WindowTargetService['update']>[3],
    replace: boolean,
  ): Promise<WindowTarget> {
    return this.windowTargets.update(ctx, windowId, windowTargetId, changes, replace);
  }

  deregisterTarget(ctx: Ctx, windowId: string, windowTargetId: string, safe: boolean): Promise<void> {
    return this.windowTargets.deregister(ctx, windowId, windowTargetId, safe);
  }

  registerTask(ctx: Ctx, input: TaskInput, clientToken?: string): Promise<WindowTask> {
    return this.windowTasks.register(ctx, input, clientToken);
  }

  tasks(ctx: Ctx, windowId: string): Promise<WindowTask[]> {
    return this.windowTasks.list(ctx, windowId);
  }

  getTask(ctx: Ctx, windowId: string, windowTaskId: string): Promise<WindowTask> {
    return this.windowTasks.get(ctx, windowId, windowTaskId);
  }

  updateTask(ctx: Ctx, windowTaskId: string, input: TaskUpdate): Promise<WindowTask> {
    return this.windowTasks.update(ctx, windowTaskId, input);
  }

  deregisterTask(ctx: Ctx, windowId: string, windowTaskId: string): Promise<void> {
    return this.windowTasks.deregister(ctx, windowId, windowTaskId);
  }

  /** The window's executions, newest first. */
  async executions(ctx: Ctx, windowId: string, filters: readonly WindowFilter[]): Promise<WindowExecution[]> {
    return items(await this.windowExecutions.executions(ctx, windowId, filters));
  }

  execution(ctx: Ctx, windowExecutionId: string): Promise<WindowExecution> {
    return this.windowExecutions.execution(ctx, windowExecutionId);
  }

  async executionTasks(
    ctx: Ctx,
    windowExecutionId: string,
    statuses?: readonly string[],
  ): Promise<TaskExecution[]> {
    return items(await this.windowExecutions.executionTasks(ctx, windowExecutionId, statuses));
  }

  executionTask(ctx: Ctx, windowExecutionId: string, taskExecutionId: string): Promise<TaskExecution> {
    return this.windowExecutions.executionTask(ctx, windowExecutionId, taskExecutionId);
  }

  async executionTaskInvocations(
    ctx: Ctx,
    windowExecutionId: string,
    taskExecutionId: string,
    statuses?: readonly string[],
  ): Promise<TaskInvocation[]> {
    return items(
      await this.windowExecutions.executionTaskInvocations(ctx, windowExecutionId, taskExecutionId, statuses),
    );
  }

  executionTaskInvocation(
    ctx: Ctx,
    windowExecutionId: string,
    taskExecutionId: string,
    invocationId: string,
  ): Promise<TaskInvocation> {
    return this.windowExecutions.executionTaskInvocation(
      ctx,
      windowExecutionId,
      taskExecutionId,
      invocationId,
    );
  }

  cancelExecution(ctx: Ctx, windowExecutionId: string): Promise<WindowExecution> {
    return this.windowExecutions.cancel(ctx, windowExecutionId);
  }
}

const items = <T>(rows: readonly Keyed<T>[]): T[] => rows.map((row) => row.item);

/** The window's next `count` runs after `now`. */
function upcomingRuns(window: MaintenanceWindow, now: Date, count: number): Date[] {
  const runs: Date[] = [];
  let next = nextExecutionOf(window, now);
  while (next !== undefined && runs.length < count) {
    runs.push(next);
    next = nextWindowRun(timingOf(window), next);
  }
  return runs;
}
