/** The tasks of a maintenance window (ssm-api.md §10.3–10.4): register, update, deregister and list them. */
import { randomUUID } from 'node:crypto';
import { checkParameters } from '../documents/index.js';
import { keysetSlice, type Ctx, type SortKey } from '../kernel/index.js';
import {
  maxConcurrencyPattern,
  maxErrorsPattern,
  ssmError,
  targetsProblem,
  type Target,
} from '../protocols/ssm/index.js';
import type { ClientTokens } from './client-tokens.js';
import type { TaskDocuments } from './window-ports.js';
import {
  exportPatchFindingsRunbook,
  windowLimits,
  type MaintenanceWindow,
  type WindowTask,
} from './window-model.js';
import type { Keyed, WindowFilter } from './window-paging.js';
import { invalid, requireWindow, type TaskInput, type TaskUpdate } from './window-requests.js';
import type { MaintenanceStore } from './window-store.js';
import { filterByFields } from './window-wire.js';

export class WindowTaskService {
  constructor(
    private readonly store: MaintenanceStore,
    private readonly documents: TaskDocuments,
    private readonly tokens: ClientTokens,
  ) {}

  private async check(ctx: Ctx, window: MaintenanceWindow, input: TaskInput): Promise<void> {
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

  async register(ctx: Ctx, input: TaskInput, clientToken?: string): Promise<WindowTask> {
    return this.tokens.once(
      ctx,
      'RegisterTaskWithMaintenanceWindow',
      { clientToken, request: input },
      async (id) => {
        return this.get(ctx, input.windowId, id);
      },
      async () => {
        const task = await this.add(ctx, input);
        return { id: task.windowTaskId, value: task };
      },
    );
  }

  private async add(ctx: Ctx, input: TaskInput): Promise<WindowTask> {
    const window = await requireWindow(this.store, ctx, input.windowId);
    if ((await this.store.tasksOf(ctx.tx, window.windowId)).length >= windowLimits.maxTasks)
      throw ssmError(
        'ResourceLimitExceededException',
        `A window has at most ${windowLimits.maxTasks} tasks.`,
      );
    await this.check(ctx, window, input);
    const task = taskFrom(input, randomUUID());
    await this.store.insertTask(ctx.tx, task, ctx.now);
    return task;
  }

  async list(ctx: Ctx, windowId: string): Promise<WindowTask[]> {
    await requireWindow(this.store, ctx, windowId);
    return this.store.tasksOf(ctx.tx, windowId);
  }

  async get(ctx: Ctx, windowId: string, windowTaskId: string): Promise<WindowTask> {
    const task = (await this.list(ctx, windowId)).find((t) => t.windowTaskId === windowTaskId);
    if (task === undefined)
      throw ssmError('DoesNotExistException', `Window task ${windowTaskId} does not exist.`);
    return task;
  }

  /** UpdateMaintenanceWindowTask: the given fields replace the registered ones (validated as at registration). */
  async update(ctx: Ctx, windowTaskId: string, input: TaskUpdate): Promise<WindowTask> {
    const window = await requireWindow(this.store, ctx, input.windowId);
    const current = await this.get(ctx, input.windowId, windowTaskId);
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
    await this.check(ctx, window, merged);
    const task = taskFrom(merged, windowTaskId);
    await this.store.updateTask(ctx.tx, task);
    return task;
  }

  async deregister(ctx: Ctx, windowId: string, windowTaskId: string): Promise<void> {
    await this.get(ctx, windowId, windowTaskId);
    await this.store.deleteTask(ctx.tx, windowTaskId);
  }

  /**
   * DescribeMaintenanceWindowTasks: a page of the window's tasks. A window holds at most 20 tasks and TaskArn
   * and TaskType live in the task's stored JSON, so this list is filtered and cut in memory.
   */
  async page(
    ctx: Ctx,
    windowId: string,
    filters: readonly WindowFilter[],
    page: { after: SortKey | undefined; limit: number },
  ): Promise<Keyed<WindowTask>[]> {
    await requireWindow(this.store, ctx, windowId);
    const matching = filterByFields(await this.store.registeredTasksOf(ctx.tx, windowId), [...filters], {
      WindowTaskId: (row) => row.item.windowTaskId,
      TaskArn: (row) => row.item.taskArn,
      Priority: (row) => String(row.item.priority),
      TaskType: (row) => row.item.taskType,
    });
    return keysetSlice(matching, page.after, page.limit - 1, (row) => row.key);
  }
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
