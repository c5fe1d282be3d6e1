/**
 * The maintenance window API (ssm-api.md §10.3–10.4): windows, targets, tasks and the execution history.
 * The scheduler (runner.ts) starts and advances executions; this class answers and validates requests.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { checkParameters, type DocumentAtVersion } from '../documents/index.js';
import { ScheduleExpressionError } from '../protocols/ssm/index.js';
import {
  maxConcurrencyPattern,
  maxErrorsPattern,
  ssmError,
  targetsProblem,
  type Target,
} from '../protocols/ssm/index.js';
import {
  exportPatchFindingsRunbook,
  isFinished,
  windowLimits,
  type CutoffBehavior,
  type ExecutionStatus,
  type MaintenanceWindow,
  type TaskExecution,
  type TaskInvocation,
  type TaskInvocationParameters,
  type TaskType,
  type WindowExecution,
  type WindowResourceType,
  type WindowTarget,
  type WindowTask,
} from './window-model.js';
import type { DbExecutor } from '../storage/database.js';
import type { MaintenanceStore } from './window-store.js';
import { isTimeZone, nextWindowRun, parseWindowSchedule, type WindowTiming } from './window-schedule.js';

/** The documents a RUN_COMMAND task may name (DocumentsService.resolve). */
export interface TaskDocuments {
  resolve(
    ctx: Ctx,
    reference: string,
    selector: { documentVersion?: string | undefined },
  ): Promise<DocumentAtVersion>;
}

/** Stops what an execution still runs (Run Command's CancelCommand). */
export interface RunningTaskCanceller {
  cancelExecution(ctx: Ctx, execution: WindowExecution): Promise<void>;
}

/** Where a window's tags live (the SSM tag store, resource type MaintenanceWindow). */
export interface WindowTags {
  put(
    db: DbExecutor,
    resource: { accountId: string; region: string; resourceType: 'MaintenanceWindow'; resourceId: string },
    tags: readonly { key: string; value: string }[],
  ): Promise<void>;
}

export interface WindowInput {
  name: string;
  description?: string | undefined;
  schedule: string;
  scheduleTimezone?: string | undefined;
  scheduleOffset?: number | undefined;
  durationHours: number;
  cutoffHours: number;
  allowUnassociatedTargets: boolean;
  enabled?: boolean | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
}

export interface TargetInput {
  windowId: string;
  resourceType: WindowResourceType;
  targets: Target[];
  ownerInformation?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
}

export interface TaskInput {
  windowId: string;
  taskArn: string;
  taskType: TaskType;
  targets?: Target[] | undefined;
  priority?: number | undefined;
  maxConcurrency?: string | undefined;
  maxErrors?: string | undefined;
  serviceRoleArn?: string | undefined;
  invocation?: Partial<TaskInvocationParameters> | undefined;
  cutoffBehavior?: CutoffBehavior | undefined;
  name?: string | undefined;
  description?: string | undefined;
}

/** UpdateMaintenanceWindowTask's fields: what is given replaces the registered value; the type never changes. */
export type TaskUpdate = Omit<TaskInput, 'taskArn' | 'taskType'> & { taskArn?: string | undefined };

const namePattern = /^[a-zA-Z0-9_\-.]{3,128}$/;

const invalid = (message: string): never => {
  throw ssmError('ValidationException', message);
};

function parseDate(text: string | undefined, field: string): Date | undefined {
  if (text === undefined) return undefined;
  const value = Date.parse(text);
  if (Number.isNaN(value)) invalid(`${field} ${text} is not an ISO-8601 date and time.`);
  return new Date(value);
}

/** An Update* field: the given value, else nothing under `Replace`, else the current one. */
const keeper =
  (replace: boolean) =>
  <T>(given: T | undefined, current: T | undefined): T | undefined =>
    given !== undefined ? given : replace ? undefined : current;

export const timingOf = (window: MaintenanceWindow): WindowTiming => ({
  schedule: window.schedule,
  timezone: window.scheduleTimezone,
  offsetDays: window.scheduleOffset,
  startDate: window.startDate,
  endDate: window.endDate,
  createdAt: window.createdAt,
});

/** The next time the scheduler should start `window` after `now`, or undefined. */
export const nextExecutionOf = (window: MaintenanceWindow, now: Date): Date | undefined =>
  window.enabled ? nextWindowRun(timingOf(window), now) : undefined;

/** A request's ClientToken and what it asked for (to tell a retry from a reuse). */
export interface Idempotency {
  clientToken: string | undefined;
  request: unknown;
}

export class MaintenanceWindowsService {
  constructor(
    private readonly store: MaintenanceStore,
    private readonly documents: TaskDocuments,
    private readonly canceller: RunningTaskCanceller,
    private readonly tags: WindowTags,
  ) {}

  /**
   * ClientToken idempotency: the id an earlier request with the same token and parameters made (undefined when
   * there is none, after which `make` runs and its id is remembered); the token with other parameters is
   * IdempotentParameterMismatch.
   */
  private async once<T>(
    ctx: Ctx,
    operation: string,
    idempotency: Idempotency | undefined,
    existing: (resourceId: string) => Promise<T>,
    make: () => Promise<{ id: string; value: T }>,
  ): Promise<T> {
    const token = idempotency?.clientToken;
    if (token === undefined) return (await make()).value;
    const fingerprint = createHash('sha256').update(JSON.stringify(idempotency?.request)).digest('hex');
    const earlier = await this.store.findClientToken(ctx.tx, ctx, operation, token);
    if (earlier !== undefined) {
      if (earlier.fingerprint !== fingerprint)
        throw ssmError(
          'IdempotentParameterMismatch',
          `Error in ${operation}: ClientToken was already used with different parameters.`,
        );
      return existing(earlier.resourceId);
    }
    const made = await make();
    await this.store.insertClientToken(ctx.tx, ctx, {
      operation,
      clientToken: token,
      fingerprint,
      resourceId: made.id,
    });
    return made.value;
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
    return this.once(
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
    const window = await this.store.findWindow(ctx.tx, ctx, windowId);
    if (window === undefined)
      throw ssmError('DoesNotExistException', `Maintenance window ${windowId} does not exist.`);
    return window;
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

  /** DescribeMaintenanceWindows: Name and Enabled filters (values are alternatives). */
  async list(ctx: Ctx, filters: readonly { key: string; values: string[] }[]): Promise<MaintenanceWindow[]> {
    for (const filter of filters)
      if (filter.key !== 'Name' && filter.key !== 'Enabled')
        invalid(`Filter key ${filter.key} is not Name or Enabled.`);
    const windows = await this.store.listWindows(ctx.tx, ctx);
    return windows.filter((window) =>
      filters.every((filter) =>
        filter.values.includes(filter.key === 'Name' ? window.name : String(window.enabled)),
      ),
    );
  }

  /** DescribeMaintenanceWindowSchedule: the window's next `count` run times. */
  async upcoming(ctx: Ctx, windowId: string, count: number): Promise<Date[]> {
    const window = await this.get(ctx, windowId);
    const runs: Date[] = [];
    let next = nextExecutionOf(window, ctx.now);
    while (next !== undefined && runs.length < count) {
      runs.push(next);
      next = nextWindowRun(timingOf(window), next);
    }
    return runs;
  }

  async registerTarget(ctx: Ctx, input: TargetInput, clientToken?: string): Promise<WindowTarget> {
    return this.once(
      ctx,
      'RegisterTargetWithMaintenanceWindow',
      { clientToken, request: input },
      async (id) => {
        const target = (await this.targets(ctx, input.windowId)).find((t) => t.windowTargetId === id);
        if (target === undefined)
          throw ssmError(
            'DoesNotExistException',
            `Window target ${id} of this ClientToken was deregistered.`,
          );
        return target;
      },
      async () => {
        const target = await this.addTarget(ctx, input);
        return { id: target.windowTargetId, value: target };
      },
    );
  }

  private async addTarget(ctx: Ctx, input: TargetInput): Promise<WindowTarget> {
    await this.get(ctx, input.windowId);
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

  async targets(ctx: Ctx, windowId: string): Promise<WindowTarget[]> {
    await this.get(ctx, windowId);
    return this.store.targetsOf(ctx.tx, windowId);
  }

  /** UpdateMaintenanceWindowTarget: the given fields change; with `replace`, omitted optional ones are cleared. */
  async updateTarget(
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
    const current = (await this.targets(ctx, windowId)).find((t) => t.windowTargetId === windowTargetId);
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
  async deregisterTarget(ctx: Ctx, windowId: string, windowTargetId: string, safe: boolean): Promise<void> {
    const targets = await this.targets(ctx, windowId);
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

  private async checkTask(ctx: Ctx, window: MaintenanceWindow, input: TaskInput): Promise<void> {
    if (input.taskType === 'LAMBDA' || input.taskType === 'STEP_FUNCTIONS')
      invalid(`TaskType ${input.taskType} is not supported: use RUN_COMMAND or AUTOMATION.`);
    if (input.taskType === 'AUTOMATION' && input.taskArn !== exportPatchFindingsRunbook)
      invalid(
        `AUTOMATION tasks run the built-in runbook ${exportPatchFindingsRunbook}; ${input.taskArn} is unknown.`,
      );
    const targets = input.targets ?? [];
    if (targets.length === 0) invalid(`${input.taskType} tasks need Targets.`);
    if (input.maxConcurrency === undefined || input.maxErrors === undefined)
      invalid('MaxConcurrency and MaxErrors are required when Targets are given.');
    if (!maxConcurrencyPattern.test(input.maxConcurrency ?? '')) invalid('MaxConcurrency is malformed.');
    if (!maxErrorsPattern.test(input.maxErrors ?? '')) invalid('MaxErrors is malformed.');
    if (targets.length !== 1) invalid('A task has one target: WindowTargetIds or InstanceIds.');
    const [target] = targets as [Target];
    if (target.key === 'WindowTargetIds') {
      const known = new Set(
        (await this.store.targetsOf(ctx.tx, window.windowId)).map((t) => t.windowTargetId),
      );
      const unknown = target.values.find((id) => !known.has(id));
      if (unknown !== undefined)
        invalid(`Window target ${unknown} is not registered with ${window.windowId}.`);
    } else if (target.key === 'InstanceIds') {
      if (!window.allowUnassociatedTargets)
        invalid('The window does not allow unassociated targets: target WindowTargetIds.');
      const problem = targetsProblem(targets);
      if (problem !== undefined) invalid(problem);
    } else invalid(`Task target key ${target.key} is not WindowTargetIds or InstanceIds.`);
    if (input.taskType === 'RUN_COMMAND') {
      const { document, version } = await this.documents.resolve(ctx, input.taskArn, {
        documentVersion: input.invocation?.documentVersion,
      });
      if (document.documentType !== 'Command')
        throw ssmError('InvalidDocument', `Document ${input.taskArn} is not a Command document.`);
      // Pseudo parameters are filled in at run time; a value naming one stands in for any value.
      const problem = checkParameters(version.parameters, input.invocation?.parameters ?? {});
      if (problem !== undefined) throw ssmError('InvalidParameters', problem);
    }
  }

  async registerTask(ctx: Ctx, input: TaskInput, clientToken?: string): Promise<WindowTask> {
    return this.once(
      ctx,
      'RegisterTaskWithMaintenanceWindow',
      { clientToken, request: input },
      async (id) => {
        return this.getTask(ctx, input.windowId, id);
      },
      async () => {
        const task = await this.addTask(ctx, input);
        return { id: task.windowTaskId, value: task };
      },
    );
  }

  private async addTask(ctx: Ctx, input: TaskInput): Promise<WindowTask> {
    const window = await this.get(ctx, input.windowId);
    if ((await this.store.tasksOf(ctx.tx, window.windowId)).length >= windowLimits.maxTasks)
      throw ssmError(
        'ResourceLimitExceededException',
        `A window has at most ${windowLimits.maxTasks} tasks.`,
      );
    await this.checkTask(ctx, window, input);
    const task = taskFrom(input, randomUUID());
    await this.store.insertTask(ctx.tx, task, ctx.now);
    return task;
  }

  async tasks(ctx: Ctx, windowId: string): Promise<WindowTask[]> {
    await this.get(ctx, windowId);
    return this.store.tasksOf(ctx.tx, windowId);
  }

  async getTask(ctx: Ctx, windowId: string, windowTaskId: string): Promise<WindowTask> {
    const task = (await this.tasks(ctx, windowId)).find((t) => t.windowTaskId === windowTaskId);
    if (task === undefined)
      throw ssmError('DoesNotExistException', `Window task ${windowTaskId} does not exist.`);
    return task;
  }

  /** UpdateMaintenanceWindowTask: the given fields replace the registered ones (validated as at registration). */
  async updateTask(ctx: Ctx, windowTaskId: string, input: TaskUpdate): Promise<WindowTask> {
    const window = await this.get(ctx, input.windowId);
    const current = await this.getTask(ctx, input.windowId, windowTaskId);
    const merged: TaskInput = {
      ...input,
      taskArn: input.taskArn ?? current.taskArn,
      taskType: current.taskType,
      targets: input.targets ?? current.targets,
      priority: input.priority ?? current.priority,
      maxConcurrency: input.maxConcurrency ?? current.maxConcurrency,
      maxErrors: input.maxErrors ?? current.maxErrors,
      invocation: input.invocation ?? current.invocation,
      cutoffBehavior: input.cutoffBehavior ?? current.cutoffBehavior,
      name: input.name ?? current.name,
      description: input.description ?? current.description,
      serviceRoleArn: input.serviceRoleArn ?? current.serviceRoleArn,
    };
    await this.checkTask(ctx, window, merged);
    const task = taskFrom(merged, windowTaskId);
    await this.store.updateTask(ctx.tx, task);
    return task;
  }

  async deregisterTask(ctx: Ctx, windowId: string, windowTaskId: string): Promise<void> {
    await this.getTask(ctx, windowId, windowTaskId);
    await this.store.deleteTask(ctx.tx, windowTaskId);
  }

  /** DescribeMaintenanceWindowExecutions: newest first, ExecutedAfter / ExecutedBefore filters. */
  async executions(
    ctx: Ctx,
    windowId: string,
    filters: readonly { key: string; values: string[] }[],
  ): Promise<WindowExecution[]> {
    await this.get(ctx, windowId);
    const bounds = filters.map((filter) => {
      if (filter.key !== 'ExecutedAfter' && filter.key !== 'ExecutedBefore')
        invalid(`Filter key ${filter.key} is not ExecutedAfter or ExecutedBefore.`);
      const at = parseDate(filter.values[0], filter.key) ?? invalid(`Filter ${filter.key} needs a value.`);
      return { after: filter.key === 'ExecutedAfter', at: at.getTime() };
    });
    return (await this.store.executionsOf(ctx.tx, windowId)).filter((execution) =>
      bounds.every((b) =>
        b.after ? execution.startTime.getTime() >= b.at : execution.startTime.getTime() <= b.at,
      ),
    );
  }

  async execution(ctx: Ctx, windowExecutionId: string): Promise<WindowExecution> {
    const execution = await this.store.findExecution(ctx.tx, ctx, windowExecutionId);
    if (execution === undefined)
      throw ssmError('DoesNotExistException', `Window execution ${windowExecutionId} does not exist.`);
    return execution;
  }

  async executionTasks(
    ctx: Ctx,
    windowExecutionId: string,
    statuses?: readonly string[],
  ): Promise<TaskExecution[]> {
    await this.execution(ctx, windowExecutionId);
    const tasks = await this.store.taskExecutionsOf(ctx.tx, windowExecutionId);
    return statuses === undefined ? tasks : tasks.filter((t) => statuses.includes(t.status));
  }

  async executionTask(ctx: Ctx, windowExecutionId: string, taskExecutionId: string): Promise<TaskExecution> {
    const task = (await this.executionTasks(ctx, windowExecutionId)).find(
      (t) => t.taskExecutionId === taskExecutionId,
    );
    if (task === undefined)
      throw ssmError('DoesNotExistException', `Task execution ${taskExecutionId} does not exist.`);
    return task;
  }

  async executionTaskInvocations(
    ctx: Ctx,
    windowExecutionId: string,
    taskExecutionId: string,
    statuses?: readonly string[],
  ): Promise<TaskInvocation[]> {
    await this.executionTask(ctx, windowExecutionId, taskExecutionId);
    const invocations = await this.store.invocationsOf(ctx.tx, taskExecutionId);
    return statuses === undefined ? invocations : invocations.filter((i) => statuses.includes(i.status));
  }

  async executionTaskInvocation(
    ctx: Ctx,
    windowExecutionId: string,
    taskExecutionId: string,
    invocationId: string,
  ): Promise<TaskInvocation> {
    const invocation = (await this.executionTaskInvocations(ctx, windowExecutionId, taskExecutionId)).find(
      (i) => i.invocationId === invocationId,
    );
    if (invocation === undefined)
      throw ssmError('DoesNotExistException', `Task invocation ${invocationId} does not exist.`);
    return invocation;
  }

  /**
   * CancelMaintenanceWindowExecution: no further task starts; running commands are cancelled and the
   * execution ends CANCELLED once the scheduler has seen them stop.
   */
  async cancelExecution(ctx: Ctx, windowExecutionId: string): Promise<WindowExecution> {
    const execution = await this.execution(ctx, windowExecutionId);
    if (isFinished(execution.status)) return execution;
    const cancelling: WindowExecution = {
      ...execution,
      cancelRequested: true,
      status: 'CANCELLING' satisfies ExecutionStatus,
      statusDetails: 'Cancelling by request.',
    };
    await this.store.updateExecution(ctx.tx, cancelling);
    await this.canceller.cancelExecution(ctx, cancelling);
    return cancelling;
  }
}

/** The window target ids a task sends to. */
export function windowTargetIdsOf(task: Pick<WindowTask, 'targets'>): string[] {
  return task.targets.filter((t) => t.key === 'WindowTargetIds').flatMap((t) => t.values);
}

function taskFrom(input: TaskInput, windowTaskId: string): WindowTask {
  return {
    windowTaskId,
    windowId: input.windowId,
    taskArn: input.taskArn,
    taskType: input.taskType,
    targets: input.targets ?? [],
    priority: input.priority ?? 1,
    maxConcurrency: input.maxConcurrency,
    maxErrors: input.maxErrors,
    serviceRoleArn: input.serviceRoleArn,
    invocation: {
      parameters: input.invocation?.parameters ?? {},
      comment: input.invocation?.comment,
      timeoutSeconds: input.invocation?.timeoutSeconds,
      documentVersion: input.invocation?.documentVersion,
    },
    cutoffBehavior: input.cutoffBehavior ?? 'CONTINUE_TASK',
    name: input.name,
    description: input.description,
  };
}
